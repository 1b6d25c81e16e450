"""WORDPRESS_URL / WORDPRESS_USER / WORDPRESS_APP_PASSWORD (+ WORDPRESS_TIMEOUT)."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit


@dataclass(frozen=True)
class WordPressSettings:
    url: str  # the site's address, e.g. https://www.example.org (no /wp-json, no /wp-admin)
    user: str
    app_password: str = field(repr=False)  # never printed, logged or put in a message
    timeout: float = 30.0
    search_timeout: float = 3.0  # WORDPRESS_SEARCH_TIMEOUT: one search for internal links

    @classmethod
    def from_env(cls) -> "WordPressSettings | None":
        """The settings when all three WORDPRESS_* are set, else None (no WordPress button)."""
        url = os.environ.get("WORDPRESS_URL", "").strip()
        user = os.environ.get("WORDPRESS_USER", "").strip()
        password = os.environ.get("WORDPRESS_APP_PASSWORD", "").strip()
        if not (url and user and password):
            return None
        raw_timeout = os.environ.get("WORDPRESS_TIMEOUT", "").strip()
        raw_search = os.environ.get("WORDPRESS_SEARCH_TIMEOUT", "").strip()
        return cls(url=site_url(url), user=user, app_password=password,
                   timeout=float(raw_timeout) if raw_timeout else 30.0,
                   search_timeout=float(raw_search) if raw_search else 3.0)

    @property
    def host(self) -> str:
        return urlsplit(self.url).netloc.rsplit("@", 1)[-1]


def site_url(url: str) -> str:
    """The site's base address: scheme added if missing, credentials, query and a trailing
    /wp-admin, /wp-json or / removed."""
    if "://" not in url:
        url = "https://" + url
    parts = urlsplit(url)
    path = parts.path.rstrip("/")
    for tail in ("/wp-json", "/wp-admin"):
        if path.endswith(tail):
            path = path[: -len(tail)]
    return urlunsplit((parts.scheme, parts.netloc.rsplit("@", 1)[-1], path, "", ""))
