"""WordPress: the clicked version goes to the article's draft (the worker talks to WordPress)."""
from __future__ import annotations

import blockkit as blocks
from jobs.submit import Outcome

from ..pacing import after_acks
from ..replies import EXPIRED, UNAVAILABLE, queue_errors
from ..services import Services
from .common import allowed_click, article_here, delivery_key, parse_value, whisper

STARTED = "C’est parti : le brouillon WordPress est en préparation, le lien arrive dans ce fil."
BUSY = "Un envoi vers WordPress est déjà en cours pour cet article : son résultat arrive dans ce fil."
OFF = ("WordPress n’est plus proposé ici (serveur sans WORDPRESS_* ou bouton désactivé dans "
       "`/seo-fr réglages`) : rien n’a été envoyé.")


def register(app, svc: Services) -> None:
    @app.action(blocks.ACTION_WORDPRESS)
    async def wordpress(ack, body, action, client):
        await ack()
        await after_acks()
        who = await allowed_click(svc, client, body)
        if who is None:
            return
        user, channel, _ = who
        parsed = parse_value(action.get("value", ""))
        if parsed is None:
            return
        key = delivery_key(body, action)
        try:
            if not await svc.state.first_delivery(key):
                return
            if await article_here(svc, client, body, parsed[0]) is None:
                return
            settings = await svc.state.channel_settings(channel) if channel else {}
            if not svc.settings.wordpress or settings.get("wordpress", True) is False:
                await whisper(client, body, OFF)
                return
            outcome = await svc.submitter.wordpress(delivery_key=key, article_id=parsed[0], version=parsed[1],
                                                    user=user)
        except queue_errors():
            await whisper(client, body, UNAVAILABLE)
            return
        if outcome is Outcome.BUSY:
            await whisper(client, body, BUSY)
        elif outcome is Outcome.MISSING:
            await whisper(client, body, EXPIRED)
        elif outcome is Outcome.STARTED:
            await whisper(client, body, STARTED)
