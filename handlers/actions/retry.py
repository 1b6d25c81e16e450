"""Réessayer, under a failure message: the same job again."""
from __future__ import annotations

import secrets

import blockkit as blocks
from jobs.submit import Outcome

from jobs.spec import JobSpec

from ..replies import ELSEWHERE
from ..services import Services
from .common import allowed_click, click_team, delivery_key, run_click, whisper


def register(app, svc: Services) -> None:
    @app.action(blocks.ACTION_RETRY)
    async def retry(ack, body, action, client):
        await ack()
        who = await allowed_click(svc, client, body)
        if who is None:
            return
        user, channel, thread_ts = who
        key = delivery_key(body, action)
        owner = secrets.token_hex(8)

        async def submit() -> Outcome | None:
            raw = await svc.state.job_get(action.get("value", ""), "spec")
            if raw:
                spec = JobSpec.model_validate_json(raw)
                if (spec.channel, spec.thread_ts) != (channel, thread_ts):  # another thread's job
                    await whisper(client, body, ELSEWHERE)
                    return None
            if not await svc.state.first_delivery(key, owner):
                return None
            return await svc.submitter.retry(delivery_key=key, failed_job_id=action.get("value", ""), user=user,
                                             team=click_team(body))

        if await run_click(svc, client, body, submit) in (Outcome.STARTED, Outcome.DUPLICATE):
            await whisper(client, body, "C’est reparti : la demande est relancée dans ce fil.")
