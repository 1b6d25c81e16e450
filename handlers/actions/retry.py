"""Réessayer, under a failure message: the same job again."""
from __future__ import annotations

import blockkit as blocks
from jobs.submit import Outcome

from ..replies import BUSY, EXPIRED, UNAVAILABLE, queue_errors
from ..services import Services
from .common import allowed_click, click_team, delivery_key, whisper


def register(app, svc: Services) -> None:
    @app.action(blocks.ACTION_RETRY)
    async def retry(ack, body, action, client):
        await ack()
        who = await allowed_click(svc, client, body)
        if who is None:
            return
        user, channel, _ = who
        key = delivery_key(body, action)
        try:
            if not await svc.state.first_delivery(key):
                return
            outcome = await svc.submitter.retry(delivery_key=key, failed_job_id=action.get("value", ""), user=user,
                                              team=click_team(body))
        except queue_errors():
            await whisper(client, body, UNAVAILABLE)
            return
        if outcome is Outcome.BUSY:
            await whisper(client, body, BUSY)
        elif outcome is Outcome.MISSING:
            await whisper(client, body, EXPIRED)
        else:
            await whisper(client, body, "C’est reparti : la réécriture est relancée dans ce fil.")
