"""👍 / 👎 under a version: one vote per person and version, changeable, acknowledged privately."""
from __future__ import annotations

import logging

import blockkit as blocks

from ..replies import UNAVAILABLE, queue_errors
from ..services import Services
from .common import allowed_click, article_here, whisper

log = logging.getLogger(__name__)

THANKS = {
    "up": "Merci : votre :+1: est noté pour la version {version}.",
    "down": "Merci : votre :-1: est noté pour la version {version}. Répondez dans le fil pour dire "
            "ce qu’il faut changer, une nouvelle version suivra.",
}


def parse_vote(value: str) -> tuple[str, int, str] | None:
    try:
        article_id, version, vote = str(value).rsplit(":", 2)
        if vote not in THANKS or not article_id:
            return None
        return article_id, int(version), vote
    except (ValueError, AttributeError):
        return None


def register(app, svc: Services) -> None:
    @app.action(blocks.ACTION_FEEDBACK)
    async def feedback(ack, body, action, client):
        await ack()
        who = await allowed_click(svc, client, body)
        if who is None:
            return
        parsed = parse_vote(action.get("value", ""))
        if parsed is None:
            return
        article_id, version, vote = parsed
        try:
            if await article_here(svc, client, body, article_id) is None:
                return  # told already: expired, or another thread's article
            if await svc.state.version(article_id, version) is None:
                return  # an expired version: the button's own state is answer enough
            previous = (await svc.state.votes(article_id, version)).get(who[0])
            await svc.state.record_vote(article_id, version, who[0], vote)
            if svc.usage is not None:  # the month's 👍 / 👎 in App Home and `bot.py --usage`
                await svc.usage.record_feedback(who[1], vote=vote, previous=previous)
        except queue_errors():
            await whisper(client, body, UNAVAILABLE)
            return
        await whisper(client, body, THANKS[vote].format(version=version))
