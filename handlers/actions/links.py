"""« Insérer » under « Liens internes »: a new version with the proposed links (no LLM call)."""
from __future__ import annotations

import secrets

import blockkit as blocks
from jobs.submit import Outcome

from ..acks import after_acks
from ..replies import EXPIRED
from ..services import Services
from .common import allowed_click, article_here, delivery_key, run_click


def parse_insert(value: str) -> tuple[str, int, str] | None:
    try:
        article_id, version, job_id = value.split(":")
        return article_id, int(version), job_id
    except (ValueError, AttributeError):
        return None


def register(app, svc: Services) -> None:
    @app.action(blocks.ACTION_INSERT_LINKS)
    async def insert_links(ack, body, action, client):
        await ack()
        await after_acks()
        who = await allowed_click(svc, client, body)
        if who is None:
            return
        user = who[0]
        parsed = parse_insert(action.get("value", ""))
        if parsed is None:
            return
        article_id, version, job_id = parsed
        key, owner = delivery_key(body, action), secrets.token_hex(8)

        async def submit() -> Outcome | str | None:
            if await article_here(svc, client, body, article_id) is None:
                return None
            if not await svc.state.first_delivery(key, owner):
                return None
            # The links are the stored proposal of that job for that version: the value names it only.
            if not await svc.state.link_proposal(job_id, article_id, version):
                return EXPIRED
            return await svc.submitter.new_version(delivery_key=key, article_id=article_id, kind="links",
                                                   user=user, base_version=version, proposal=job_id)

        await run_click(svc, client, body, submit)
