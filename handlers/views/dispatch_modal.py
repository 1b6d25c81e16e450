"""The /seo-fr modal: a dispatch and an optional keyword."""
from __future__ import annotations

import blockkit as blocks
from seo.cleaning import clean
from seo.errors import InputError
from seo.news import web_url

from ..replies import NOT_ALLOWED
from ..services import Services
from ..start import start_rewrite
from .common import metadata, text_value


def register(app, svc: Services) -> None:
    @app.view(blocks.DISPATCH_MODAL)
    async def submitted(ack, body, view, client):
        source = text_value(view, blocks.DISPATCH_BLOCK, blocks.DISPATCH_ACTION)
        try:
            clean(source)
        except InputError as exc:  # shown under the field, the modal stays open
            await ack(response_action="errors", errors={blocks.DISPATCH_BLOCK: str(exc)[:150]})
            return
        image = text_value(view, blocks.IMAGE_BLOCK, blocks.IMAGE_ACTION)
        if image and not web_url(image):
            await ack(response_action="errors", errors={
                blocks.IMAGE_BLOCK: "Entrez l’adresse de l’image, qui commence par https:// (ou laissez vide)."})
            return
        await ack()
        user = body["user"]["id"]
        meta = metadata(view, svc.settings)
        channel = meta.get("channel")
        if not channel or meta.get("user") != user or not svc.settings.allowed(user, channel):
            await client.chat_postMessage(channel=user, text=NOT_ALLOWED)
            return
        keyword = text_value(view, blocks.KEYWORD_BLOCK, blocks.KEYWORD_ACTION) or None
        async def waiting(text: str) -> None:
            await client.chat_postEphemeral(channel=channel, user=user, text=text)

        started = await start_rewrite(client, svc, delivery_key=f"view:{view.get('id')}:{view.get('hash')}",
                                      channel=channel, user=user, source=source, keyword=keyword, waiting=waiting,
                                      image=image or None,
                                      team=(body.get("user") or {}).get("team_id") or (body.get("team") or {}).get("id"))
        if not started.ok:
            await client.chat_postEphemeral(channel=channel, user=user, text=started.message)
