"""Exporter: article.md and article.html uploaded in the thread."""
from __future__ import annotations

import logging
import secrets

from slack_sdk.errors import SlackApiError

import blockkit as blocks
from jobs.publisher import slack_error

from ..patience import patiently
from ..replies import EXPIRED, UNAVAILABLE, WAITING, queue_errors
from ..services import Services
from .common import allowed_click, delivery_key, parse_value, whisper

log = logging.getLogger(__name__)


def register(app, svc: Services) -> None:
    @app.action(blocks.ACTION_EXPORT)
    async def export(ack, body, action, client):
        await ack()
        who = await allowed_click(svc, client, body)
        if who is None:
            return
        user, channel, thread_ts = who
        parsed = parse_value(action.get("value", ""))
        key, owner = delivery_key(body, action), secrets.token_hex(8)

        async def read() -> dict | bool | None:
            if not await svc.state.first_delivery(key, owner):
                return False
            return await svc.state.version(*parsed) if parsed else None

        try:
            data = await patiently(read, svc.settings.queue_patience, lambda: whisper(client, body, WAITING))
        except queue_errors():
            await whisper(client, body, UNAVAILABLE)
            return
        if data is False:  # a double click or a redelivery
            return
        if data is None:
            await whisper(client, body, EXPIRED)
            return
        article = data["article"]
        front = (f"---\nfocus_keyword: {article['focus_keyword']}\nmeta_title: {article['meta_title']}\n"
                 f"meta_description: {article['meta_description']}\nslug: {article['slug']}\n---\n\n")
        title = article["title"].replace("<", "&lt;").replace(">", "&gt;")
        html = (f"<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n"
                f"<meta name=\"description\" content=\"{article['meta_description'].replace(chr(34), '&quot;')}\">\n"
                f"</head>\n<body>\n{data['html']}</body>\n</html>\n")
        try:
            await client.files_upload_v2(
                channel=channel, thread_ts=thread_ts,
                initial_comment=f"Version {data['version']} exportée : Markdown pour le CMS, HTML prêt à coller.",
                file_uploads=[
                    {"filename": "article.md", "content": front + data["markdown"], "title": "article.md"},
                    {"filename": "article.html", "content": html, "title": "article.html"},
                ])
        except SlackApiError as exc:
            log.warning("files_upload_v2 failed: %s", slack_error(exc))
            await whisper(client, body, f"L’export a échoué ({slack_error(exc)}) : réessayez dans un instant.")
