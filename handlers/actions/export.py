"""Exporter: article.md and article.html uploaded in the thread."""
from __future__ import annotations

import logging
import secrets

from slack_sdk.errors import SlackApiError

import blockkit as blocks
from jobs.publisher import slack_error
from seo.article import Article
from seo.news import PageMeta, web_url
from seo.render import export_files

from ..patience import patiently
from ..replies import EXPIRED, UNAVAILABLE, WAITING, queue_errors
from ..services import Services
from .common import allowed_click, article_here, delivery_key, parse_value, whisper

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
            if parsed is None or await article_here(svc, client, body, parsed[0]) is None:
                return False  # told already: expired, or another thread's article
            if not await svc.state.first_delivery(key, owner):
                return False
            data = await svc.state.version(*parsed)
            if data is not None:  # the permalink of its WordPress draft, when known by now
                data["wordpress"] = await svc.state.wordpress_post(parsed[0]) or {}
            return data

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
        page = PageMeta.from_dict(data.get("page"))
        page.canonical = web_url(data["wordpress"].get("permalink")) or page.canonical
        files = export_files(Article(**data["article"]), data["markdown"], data["html"], page)
        try:
            await client.files_upload_v2(
                channel=channel, thread_ts=thread_ts,
                initial_comment=f"Version {data['version']} exportée : Markdown pour le CMS, HTML prêt à coller.",
                file_uploads=[{"filename": name, "content": content, "title": name}
                              for name, content in files.items()])
        except SlackApiError as exc:
            log.warning("files_upload_v2 failed: %s", slack_error(exc))
            await whisper(client, body, f"L’export a échoué ({slack_error(exc)}) : réessayez dans un instant.")
