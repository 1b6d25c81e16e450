"""Régénérer, Raccourcir, Changer le mot-clé: each acts on the version it sits under."""
from __future__ import annotations

import json
import logging

from slack_sdk.errors import SlackApiError

import blockkit as blocks
from jobs.publisher import slack_error
from jobs.submit import Outcome

from ..pacing import after_acks
from ..replies import BUSY, EXPIRED, UNAVAILABLE, queue_errors
from ..services import Services
from .common import allowed_click, click_team, delivery_key, parse_value, whisper

log = logging.getLogger(__name__)

STARTED = {
    "regenerate": "C’est parti : une nouvelle version arrive dans ce fil.",
    "shorten": "C’est parti : une version plus courte arrive dans ce fil.",
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

    @app.action(blocks.ACTION_CHANGE_KEYWORD)
    async def change_keyword(ack, body, action, client):
        await ack()
        who = await allowed_click(svc, client, body)
        if who is None:
            return
        parsed = parse_value(action.get("value", ""))
        try:
            data = await svc.state.version(*parsed) if parsed else None
        except queue_errors():
            await whisper(client, body, UNAVAILABLE)
            return
        if data is None:
            await whisper(client, body, EXPIRED)
            return
        article = data["article"]
        meta = json.dumps({"article_id": parsed[0], "version": parsed[1]})
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
    try:
        if not await svc.state.first_delivery(delivery_key(body, action)):
            return
        if kind == "shorten":
            data = await svc.state.version(article_id, version)
            if data is None:
                await whisper(client, body, EXPIRED)
                return
            min_words = (await svc.state.channel_settings(channel)).get("min_words") or svc.settings.min_words
            words = data["report"]["word_count"]
            if words <= min_words * 1.05:
                await whisper(client, body, f"Cette version compte {words} mots, déjà au plus près du minimum de "
                                            f"{min_words} : impossible de la raccourcir davantage.")
                return
        outcome = await svc.submitter.new_version(
            delivery_key=delivery_key(body, action), article_id=article_id,
            kind=kind, user=user, base_version=version, team=click_team(body))
    except queue_errors():
        await whisper(client, body, UNAVAILABLE)
        return
    if outcome is Outcome.BUSY:
        await whisper(client, body, BUSY)
    elif outcome is Outcome.MISSING:
        await whisper(client, body, EXPIRED)
    elif outcome is Outcome.STARTED and kind in STARTED:
        await whisper(client, body, STARTED[kind])
