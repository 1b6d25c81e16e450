"""Published posts of the site related to an article: the candidates for internal links.

GET /wp-json/wp/v2/posts?search=…&search_columns=post_title&status=publish&after=… for each of
a few terms (focus keyword, secondary keywords, main names), newest first, with a short timeout
of its own (WORDPRESS_SEARCH_TIMEOUT). WordPress matches words plainly (no French stemming):
seo.linking reranks. Only what the site's own API returns, published, on the site's own host,
can become a link. Failures are silent: no candidates.
"""
from __future__ import annotations

import asyncio
import html
import logging
import re
from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit

import aiohttp

from seo.linking import Related

from .config import WordPressSettings

log = logging.getLogger(__name__)

PER_QUERY = 10
_TAG_RE = re.compile(r"<[^>]*>")


def _plain(rendered: str) -> str:
    return " ".join(html.unescape(_TAG_RE.sub("", rendered or "")).split())


def same_site(url: str, site: str) -> bool:
    """The site's scheme (or https for an http site) and exactly its host and port: no look-alike,
    no credentials, no other host."""
    try:
        parts, own = urlsplit(url), urlsplit(site)
    except ValueError:
        return False
    return (parts.scheme in {own.scheme, "https"} and parts.scheme in ("http", "https")
            and "@" not in parts.netloc and parts.netloc.lower() == own.netloc.lower().rsplit("@", 1)[-1])


def parse_posts(data, site: str) -> list[Related]:
    """The usable posts of one search answer."""
    out = []
    for item in data if isinstance(data, list) else []:
        if not isinstance(item, dict):
            continue
        if item.get("status", "publish") != "publish":
            continue
        url = str(item.get("link") or "")
        title = item.get("title")
        title = _plain(title.get("rendered", "") if isinstance(title, dict) else str(title or ""))
        try:
            post_id = int(item.get("id"))
        except (TypeError, ValueError):
            continue
        if not title or not same_site(url, site):
            continue
        out.append(Related(post_id=post_id, url=url, title=title, date=str(item.get("date") or "")))
    return out


async def related_posts(settings: WordPressSettings, terms: list[str], *, max_age_days: int = 730,
                        session: aiohttp.ClientSession | None = None) -> list[Related]:
    """Candidates for internal links, newest first, deduplicated; [] when the site fails."""
    terms = [t for t in terms if t.strip()]
    if not terms:
        return []
    after = (datetime.now(timezone.utc) - timedelta(days=max_age_days)).strftime("%Y-%m-%dT%H:%M:%S")
    own = session is None
    session = session or aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=settings.search_timeout))
    auth = aiohttp.BasicAuth(settings.user, settings.app_password)

    async def one(term: str) -> list[Related]:
        params = {"search": term, "search_columns": "post_title", "status": "publish", "after": after,
                  "orderby": "date", "order": "desc", "per_page": str(PER_QUERY),
                  "_fields": "id,link,title,date,status"}
        try:
            async with session.get(settings.url + "/wp-json/wp/v2/posts", params=params, auth=auth,
                                   headers={"Accept": "application/json"}) as resp:
                if resp.status != 200:
                    log.info("WordPress search answered HTTP %s", resp.status)
                    return []
                return parse_posts(await resp.json(content_type=None), settings.url)
        except (asyncio.TimeoutError, aiohttp.ClientError, OSError, ValueError) as exc:
            log.info("WordPress search failed: %s", type(exc).__name__)
            return []

    try:
        results = await asyncio.gather(*(one(t) for t in terms))
    finally:
        if own:
            await session.close()
    seen: dict[str, Related] = {}
    for post in (p for batch in results for p in batch):
        seen.setdefault(post.url, post)
    return sorted(seen.values(), key=lambda p: p.date, reverse=True)
