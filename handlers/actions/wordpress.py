"""WordPress: the clicked version goes to the article's draft (the worker talks to WordPress)."""
from __future__ import annotations

import secrets

import blockkit as blocks
from jobs.submit import Outcome

from ..acks import after_acks
from ..services import Services
from .common import allowed_click, article_here, delivery_key, parse_value, run_click, whisper

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
        key, owner = delivery_key(body, action), secrets.token_hex(8)

        async def submit() -> Outcome | str | None:
            """Every Redis step of the click, idempotent so that a Redis blip can have it run again."""
            rec = await article_here(svc, client, body, parsed[0])
            if rec is None:
                return None  # told already: expired, or another thread's article
            if not await svc.state.first_delivery(key, owner):
                return None
            where = rec.settings_channel or channel  # an assistant thread: the channel it was made for
            settings = await svc.state.channel_settings(where) if where else {}
            offered = svc.settings.wordpress or (svc.tenancy is not None
                                                 and await svc.tenancy.sites.describe() is not None)
            if not offered or settings.get("wordpress", True) is False:
                return OFF
            return await svc.submitter.wordpress(delivery_key=key, article_id=parsed[0], version=parsed[1],
                                                 user=user)

        if await run_click(svc, client, body, submit, busy=BUSY) is Outcome.STARTED:
            await whisper(client, body, STARTED)
