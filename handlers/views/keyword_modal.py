"""Changer le mot-clé: a suggestion or a free keyword, then a version optimised for it."""
from __future__ import annotations

import blockkit as blocks
from jobs.submit import Outcome

from ..patience import patiently
from ..replies import BUSY, ELSEWHERE, EXPIRED, NOT_ALLOWED, UNAVAILABLE, WAITING, queue_errors, quota_text
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
        meta = metadata(view, svc.settings)  # {} unless sealed by us (who opened it, for which article)
        user = body["user"]["id"]

        async def tell(text: str) -> None:
            """Privately, in the article's thread when the modal says where it is; else by DM."""
            channel, thread_ts = meta.get("channel"), meta.get("thread_ts")
            if channel:
                await client.chat_postEphemeral(channel=channel, user=user, thread_ts=thread_ts, text=text)
            else:
                await client.chat_postMessage(channel=user, text=text)

        async def submit() -> Outcome | str:
            # The modal was opened under this article, in its own thread, by this user (sealed
            # metadata), and the user may still use the bot there.
            rec = await svc.state.article(meta.get("article_id", "")) if meta else None
            if not meta or rec is None or meta.get("user") != user \
                    or (rec.channel, rec.thread_ts) != (meta.get("channel"), meta.get("thread_ts")):
                return EXPIRED if meta and rec is None else ELSEWHERE
            if not svc.settings.allowed(user, rec.channel):
                return NOT_ALLOWED
            return await svc.submitter.new_version(
                delivery_key=f"view:{view.get('id')}:{view.get('hash')}", article_id=meta.get("article_id", ""),
                kind="keyword", user=user, base_version=meta.get("version"), keyword=keyword,
                team=(body.get("user") or {}).get("team_id") or (body.get("team") or {}).get("id"))

        try:
            outcome = await patiently(submit, svc.settings.queue_patience, lambda: tell(WAITING))
        except queue_errors():
            await tell(UNAVAILABLE)
            return
        if not isinstance(outcome, Outcome):  # a French answer (Outcome is a str enum: test it first)
            await tell(outcome)
        elif outcome in (Outcome.BUSY, Outcome.MISSING):
            await tell(BUSY if outcome is Outcome.BUSY else EXPIRED)
        elif outcome.over_quota:
            await tell(quota_text(outcome, svc.settings))
