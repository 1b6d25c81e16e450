"""A dispatch pasted as a text snippet or a text file (Slack turns long pastes into one)."""
from __future__ import annotations

import logging
from urllib.parse import urlparse

import aiohttp

log = logging.getLogger(__name__)

MAX_BYTES = 200_000  # far above the 60 000-character limit, so the engine says "too long" itself
TEXT_TYPES = {"text", "post", "markdown", "html", "txt", "plain", "md"}


def _is_text(f: dict) -> bool:
    mime = (f.get("mimetype") or "").split(";")[0]
    return (mime.startswith("text/") or (f.get("filetype") or "") in TEXT_TYPES) and \
        (f.get("size") or 0) <= MAX_BYTES


def _trusted(url: str, api_url: str | None) -> bool:
    """Our token goes only to Slack's file host (or the Slack API host configured for tests)."""
    host = urlparse(url).hostname or ""
    allowed = {"files.slack.com"}
    if api_url:
        allowed.add(urlparse(api_url).hostname or "")
    return host in allowed or host.endswith(".slack.com")


async def text_of_files(client, event: dict) -> str:
    """The text of the event's text files, in order; what cannot be read is skipped."""
    parts = []
    for f in event.get("files") or []:
        url = f.get("url_private_download") or f.get("url_private")
        if not url or not _is_text(f) or not _trusted(url, client.base_url):
            continue
        try:
            timeout = aiohttp.ClientTimeout(total=15)
            async with aiohttp.ClientSession(timeout=timeout) as session:
                async with session.get(url, headers={"Authorization": f"Bearer {client.token}"}) as resp:
                    if resp.status != 200:
                        log.warning("file download refused: HTTP %s", resp.status)
                        continue
                    data = await resp.content.read(MAX_BYTES + 1)
        except (aiohttp.ClientError, TimeoutError) as exc:
            log.warning("file download failed: %s", type(exc).__name__)
            continue
        parts.append(data[:MAX_BYTES].decode("utf-8", "replace"))
    return "\n\n".join(p.strip() for p in parts if p.strip())
