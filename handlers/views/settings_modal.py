"""/seo-fr réglages: per-channel minimum words, credit line and watch mode."""
from __future__ import annotations

import blockkit as blocks

from ..patience import patiently
from ..replies import UNAVAILABLE, queue_errors
from ..services import Services
from .common import field, metadata, text_value


def register(app, svc: Services) -> None:
    @app.view(blocks.SETTINGS_MODAL)
    async def submitted(ack, body, view, client):
        raw = text_value(view, blocks.MIN_WORDS_BLOCK, blocks.MIN_WORDS_ACTION)
        low, high = blocks.MIN_WORDS_RANGE
        try:
            min_words = int(raw)
        except ValueError:
            min_words = -1
        if not low <= min_words <= high:
            await ack(response_action="errors",
                      errors={blocks.MIN_WORDS_BLOCK: f"Entrez un nombre entier entre {low} et {high}."})
            return
        credit = text_value(view, blocks.CREDIT_BLOCK, blocks.CREDIT_ACTION)
        watch = any(o.get("value") == blocks.WATCH_OPTION
                    for o in field(view, blocks.WATCH_BLOCK, blocks.WATCH_ACTION).get("selected_options") or [])
        await ack()
        user = body["user"]["id"]
        channel = metadata(view).get("channel")
        if not channel or not svc.settings.allowed(user, channel):
            return
        try:
            await patiently(lambda: svc.state.save_channel_settings(
                channel, {"min_words": min_words, "credit": credit or None, "watch": watch}),
                svc.settings.queue_patience)
        except queue_errors():
            await client.chat_postEphemeral(channel=channel, user=user, text=UNAVAILABLE)
            return
        await client.chat_postEphemeral(
            channel=channel, user=user,
            text=(f"Réglages enregistrés pour <#{channel}> : {min_words} mots minimum"
                  f"{', crédit « ' + credit + ' »' if credit else ''}, surveillance "
                  f"{'activée' if watch else 'désactivée'}."))
