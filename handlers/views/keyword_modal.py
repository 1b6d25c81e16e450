"""Changer le mot-clé: a suggestion or a free keyword, then a version optimised for it."""
from __future__ import annotations

import blockkit as blocks
from jobs.submit import Outcome

from ..replies import BUSY, EXPIRED, UNAVAILABLE, queue_errors
from ..services import Services
from .common import field, metadata, text_value


def register(app, svc: Services) -> None:
    @app.view(blocks.KEYWORD_MODAL)
    async def submitted(ack, body, view, client):
        typed = text_value(view, blocks.KEYWORD_BLOCK, blocks.KEYWORD_ACTION)
        chosen = (field(view, blocks.SUGGESTION_BLOCK, blocks.SUGGESTION_ACTION).get("selected_option") or {})
        keyword = typed or (chosen.get("value") or "").strip()
        if not keyword:
            target = blocks.KEYWORD_BLOCK
            await ack(response_action="errors", errors={target: "Choisissez une suggestion ou saisissez un mot-clé."})
            return
        if len(keyword.split()) > 6:
            await ack(response_action="errors", errors={blocks.KEYWORD_BLOCK: "Six mots au plus pour un mot-clé."})
            return
        await ack()
        meta = metadata(view)
        user = body["user"]["id"]
        try:
            outcome = await svc.submitter.new_version(
                delivery_key=f"view:{view.get('id')}:{view.get('hash')}", article_id=meta.get("article_id", ""),
                kind="keyword", user=user, base_version=meta.get("version"), keyword=keyword,
                team=(body.get("user") or {}).get("team_id") or (body.get("team") or {}).get("id"))
        except queue_errors():
            await client.chat_postMessage(channel=user, text=UNAVAILABLE)
            return
        if outcome in (Outcome.BUSY, Outcome.MISSING):
            rec = await svc.state.article(meta.get("article_id", ""))
            text = BUSY if outcome is Outcome.BUSY else EXPIRED
            if rec:
                await client.chat_postEphemeral(channel=rec.channel, user=user, thread_ts=rec.thread_ts, text=text)
            else:
                await client.chat_postMessage(channel=user, text=text)
