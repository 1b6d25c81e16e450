"""Régénérer, Raccourcir, Changer le mot-clé, Titres, Réseaux sociaux: each acts on the version it
sits under."""
from __future__ import annotations

import logging
import secrets

from slack_sdk.errors import SlackApiError

import blockkit as blocks
from jobs.publisher import slack_error
from jobs.submit import Outcome

from ..acks import after_acks
from ..replies import EXPIRED, queue_errors
from ..services import Services
from ..views.common import seal
from .common import allowed_click, article_here, click_team, delivery_key, parse_value, run_click, whisper

log = logging.getLogger(__name__)

STARTED = {
    "regenerate": "C’est parti : une nouvelle version arrive dans ce fil.",
    "shorten": "C’est parti : une version plus courte arrive dans ce fil.",
    "titles": "C’est parti : cinq titres possibles arrivent dans ce fil.",
    "social": "C’est parti : les textes pour les réseaux sociaux arrivent dans ce fil.",
}


def register(app, svc: Services) -> None:
    @app.action(blocks.ACTION_REGENERATE)
    async def regenerate(ack, body, action, client):
        await ack()
        await _start(svc, client, body, action, "regenerate")

    @app.action(blocks.ACTION_SHORTEN)
    async def shorten(ack, body, action, client):
        await ack()
        await _start(svc, client, body, action, "shorten")

    @app.action(blocks.ACTION_TITLES)
    async def titles(ack, body, action, client):
        await ack()
        await _start(svc, client, body, action, "titles")

    @app.action(blocks.ACTION_SOCIAL)
    async def social(ack, body, action, client):
        await ack()
        await _start(svc, client, body, action, "social")

    @app.action(blocks.ACTION_CHANGE_KEYWORD)
    async def change_keyword(ack, body, action, client):
        await ack()
        who = await allowed_click(svc, client, body)
        if who is None:
            return
        parsed = parse_value(action.get("value", ""))
        try:
            rec = await article_here(svc, client, body, parsed[0]) if parsed else None
            data = await svc.state.version(*parsed) if rec else None
        except queue_errors():
            # The trigger_id lives 3 s: no waiting for Redis here. The modal opens without its
            # suggestions; its submission waits for Redis like every other request (and checks
            # there that the article belongs to this thread).
            rec, data = None, {"article": {}}
        if rec is None and data is None:
            return
        if data is None:
            await whisper(client, body, EXPIRED)
            return
        article = data["article"]
        _, channel, thread_ts = who
        meta = seal({"article_id": parsed[0], "version": parsed[1], "channel": channel,
                     "thread_ts": thread_ts, "user": who[0]}, svc.settings)
        try:  # the trigger_id lives 3 s: open the modal before anything slow
            await client.views_open(trigger_id=body["trigger_id"], view=blocks.keyword_modal(
                article.get("keyword_suggestions", []) + article.get("secondary_keywords", []),
                article.get("focus_keyword", ""), meta))
        except SlackApiError as exc:
            log.warning("views.open failed: %s", slack_error(exc))
            await whisper(client, body, "La fenêtre n’a pas pu s’ouvrir : cliquez à nouveau.")


async def _start(svc: Services, client, body: dict, action: dict, kind: str) -> None:
    await after_acks()
    who = await allowed_click(svc, client, body)
    if who is None:
        return
    user, channel, _ = who
    parsed = parse_value(action.get("value", ""))
    if parsed is None:
        return
    article_id, version = parsed
    key = delivery_key(body, action)
    owner = secrets.token_hex(8)

    async def submit() -> Outcome | str | None:
        """Every Redis step of the click, idempotent so that a Redis blip can have it run again."""
        rec = await article_here(svc, client, body, article_id)
        if rec is None:
            return None  # told already: expired, or another thread's article
        if not await svc.state.first_delivery(key, owner):
            return None
        if kind == "shorten":
            data = await svc.state.version(article_id, version)
            if data is None:
                return EXPIRED
            # An assistant thread's article follows the settings of the channel it was made for.
            settings = await svc.state.channel_settings(rec.settings_channel or channel)
            min_words = settings.get("min_words") or svc.settings.min_words
            words = data["report"]["word_count"]
            if words <= min_words * 1.05:
                return (f"Cette version compte {words} mots, déjà au plus près du minimum de "
                        f"{min_words} : impossible de la raccourcir davantage.")
        return await svc.submitter.new_version(delivery_key=key, article_id=article_id, kind=kind, user=user,
                                               base_version=version, team=click_team(body))

    if await run_click(svc, client, body, submit) is Outcome.STARTED and kind in STARTED:
        await whisper(client, body, STARTED[kind])
