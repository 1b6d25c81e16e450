"""Réessayer, under a failure message: the same job again."""
from __future__ import annotations

from jobs.submit import Outcome

from .. import blocks
from ..replies import BUSY, EXPIRED, NOT_ALLOWED, UNAVAILABLE, queue_errors
from ..services import Services
from .common import click_context, whisper


def register(app, svc: Services) -> None:
    @app.action(blocks.ACTION_RETRY)
    async def retry(ack, body, action, client):
        await ack()
        user, channel, _ = click_context(body)
        if not svc.settings.allowed(user, channel):
            await whisper(client, body, NOT_ALLOWED)
            return
        key = f"click:{body.get('trigger_id') or action.get('action_ts')}"
        try:
            if not await svc.state.first_delivery(key):
                return
            outcome = await svc.submitter.retry(delivery_key=key, failed_job_id=action.get("value", ""), user=user)
        except queue_errors():
            await whisper(client, body, UNAVAILABLE)
            return
        if outcome is Outcome.BUSY:
            await whisper(client, body, BUSY)
        elif outcome is Outcome.MISSING:
            await whisper(client, body, EXPIRED)
        else:
            await whisper(client, body, "C’est reparti : la réécriture est relancée dans ce fil.")
