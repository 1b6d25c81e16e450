"""A WordPress site per workspace (OAuth mode), set in `/seo-fr réglages` by a workspace admin.

Kept under the team's prefix (tenancy/kv.py) at `wordpress:site`: the address, the user and the
application password Fernet-encrypted (SEO_ENCRYPTION_KEY). The password is never shown back,
logged or put in a message. A workspace without its own site uses WORDPRESS_* (the default).
"""
from __future__ import annotations

import json
import os

from integrations.wordpress import WordPressSettings
from integrations.wordpress.config import site_url

KEY = "wordpress:site"
TTL = 10 * 365 * 86_400.0  # a setting, not a cache: kept until changed or the app is removed


async def workspace_admin(client, user: str) -> bool:
    """Slack says this person administers (or owns) the workspace (users.info)."""
    try:
        info = (await client.users_info(user=user)).get("user") or {}
    except Exception:  # noqa: BLE001 - no answer: not an admin
        return False
    return bool(info.get("is_admin") or info.get("is_owner") or info.get("is_primary_owner"))


class TeamSites:
    def __init__(self, kv, secrets_):
        self.kv = kv  # a TenantKV: the current team's key
        self.secrets = secrets_

    async def _raw(self) -> dict | None:
        raw = await self.kv.get(KEY)
        return json.loads(raw) if raw else None

    async def describe(self) -> dict | None:
        """What the settings modal may show: {"url", "user", "has_password"} (never the password)."""
        site = await self._raw()
        if not site:
            return None
        return {"url": site.get("url"), "user": site.get("user"), "has_password": bool(site.get("password"))}

    async def settings(self) -> WordPressSettings | None:
        """The current team's site with its password, for the worker; None: use WORDPRESS_*."""
        site = await self._raw()
        if not site or not site.get("url") or not site.get("user"):
            return None
        password = self.secrets.decrypt(site.get("password"))
        if not password:
            return None
        raw_timeout = os.environ.get("WORDPRESS_TIMEOUT", "").strip()
        raw_search = os.environ.get("WORDPRESS_SEARCH_TIMEOUT", "").strip()
        return WordPressSettings(url=site["url"], user=site["user"], app_password=password,
                                 timeout=float(raw_timeout) if raw_timeout else 30.0,
                                 search_timeout=float(raw_search) if raw_search else 3.0)

    async def save(self, *, url: str, user: str, password: str | None) -> None:
        """password None or empty: the stored one is kept."""
        current = await self._raw() or {}
        stored = self.secrets.encrypt(password) if password else current.get("password")
        await self.kv.set(KEY, json.dumps({"url": site_url(url), "user": user, "password": stored}), TTL)

    async def clear(self) -> None:
        await self.kv.delete(KEY)
