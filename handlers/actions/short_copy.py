"""« Choisir » under an alternative title: a new version with that title, the same body."""
from __future__ import annotations

import secrets

import blockkit as blocks
from jobs.submit import Outcome

from ..acks import after_acks
from ..replies import EXPIRED
from ..services import Services
from .common import allowed_click, article_here, delivery_key, run_click


def parse_pick(value: str) -> tuple[str, int, str, int] | None:
    try:
        article_id, version, job_id, index = value.split(":")
        return article_id, int(version), job_id, int(index)
    except (ValueError, AttributeError):
        return None


def register(app, svc: Services) -> None:
    @app.action(blocks.ACTION_PICK_TITLE)
    async def pick_title(ack, body, action, client):
        await ack()
        await after_acks()
        who = await allowed_click(svc, client, body)
        if who is None:
            return
        user, _channel, _thread = who
        parsed = parse_pick(action.get("value", ""))
        if parsed is None:
            return
        article_id, version, titles_job, index = parsed
        key, owner = delivery_key(body, action), secrets.token_hex(8)

        async def submit() -> Outcome | str | None:
            """Every Redis step of the click, idempotent so that a Redis blip can have it run again."""
            if await article_here(svc, client, body, article_id) is None:
                return None  # told already: expired, or another thread's article
            if not await svc.state.first_delivery(key, owner):
                return None
            titles = await svc.state.titles(titles_job, article_id)
            if not titles or not 0 <= index < len(titles):
                return EXPIRED
            chosen = titles[index]
            return await svc.submitter.new_version(
                delivery_key=key, article_id=article_id, kind="title", user=user, base_version=version,
                new_title=chosen["title"], new_meta_title=chosen["meta_title"])

        await run_click(svc, client, body, submit)
