"""A dispatch pasted as a text snippet or a text file (Slack turns long pastes into one)."""
from __future__ import annotations

import logging
from urllib.parse import urlsplit

import aiohttp

log = logging.getLogger(__name__)

MAX_BYTES = 200_000  # far above the 60 000-character limit, so the engine says "too long" itself
TEXT_TYPES = {"text", "post", "markdown", "html", "txt", "plain", "md"}
# Slack's own file hosts (commercial and GovSlack), exactly: our bot token goes nowhere else.
SLACK_FILE_HOSTS = {"files.slack.com", "files.slack-gov.com"}
_HTML_START = (b"<!doctype html", b"<html", b"<head", b"<body")


def _is_text(f: dict) -> bool:
    mime = (f.get("mimetype") or "").split(";")[0]
    return (mime.startswith("text/") or (f.get("filetype") or "") in TEXT_TYPES) and \
        (f.get("size") or 0) <= MAX_BYTES


def _is_html_file(f: dict) -> bool:
    return (f.get("filetype") or "") == "html" or (f.get("mimetype") or "").split(";")[0] == "text/html"


def _origin(url: str) -> tuple[str, str, int | None] | None:
    try:
        parts = urlsplit(url)
        port = parts.port or {"https": 443, "http": 80}.get(parts.scheme)
    except ValueError:  # a garbage port
        return None
    return parts.scheme, (parts.hostname or ""), port


def _trusted(url: str, api_url: str | None) -> bool:
    """Our token goes only to Slack's file hosts over https, or to the exact origin (scheme, host and
    port) of the Slack API configured with SLACK_API_URL (tests, GovSlack)."""
    origin = _origin(url)
    if origin is None or not origin[1]:
        return False
    if api_url and origin == _origin(api_url):
        return True
    return origin[0] == "https" and origin[1] in SLACK_FILE_HOSTS and origin[2] == 443


def _looks_like_html(content_type: str, data: bytes) -> bool:
    return content_type.split(";")[0].strip().lower() == "text/html" or \
        data.lstrip()[:20].lower().startswith(_HTML_START)


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
                # No redirect followed: Slack answers a refused token with a redirect to its sign-in page.
                async with session.get(url, headers={"Authorization": f"Bearer {client.token}"},
                                       allow_redirects=False) as resp:
                    if resp.status != 200:
                        log.warning("file download refused: HTTP %s", resp.status)
                        continue
                    data = await resp.content.read(MAX_BYTES + 1)
                    content_type = resp.headers.get("Content-Type", "")
        except (aiohttp.ClientError, TimeoutError) as exc:
            log.warning("file download failed: %s", type(exc).__name__)
            continue
        if _looks_like_html(content_type, data) and not _is_html_file(f):
            log.warning("file download answered with an HTML page, not the file: skipped")
            continue
        parts.append(data[:MAX_BYTES].decode("utf-8", "replace"))
    return "\n\n".join(p.strip() for p in parts if p.strip())
