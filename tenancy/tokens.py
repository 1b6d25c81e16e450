"""A workspace's bot token, for the web side and the workers alike.

StaticTokens: single-workspace mode (SLACK_BOT_TOKEN), the same token whatever the team.
InstalledTokens: OAuth mode. The installation store's bot (async_find_bot), cached briefly (a
rotated token makes a copy stale), rotated `minutes_before` its expiry and whenever Slack answers
token_expired / invalid_auth. Rotation spends a single-use refresh token: it runs under a Redis
lock (SET NX), and whoever waits for the lock re-reads the store, so two processes never spend
the same refresh token. No installation: InstallationGone.
"""
from __future__ import annotations

import asyncio
import logging
import secrets
import time
from dataclasses import dataclass

from slack_sdk.errors import SlackApiError
from slack_sdk.oauth.installation_store.models.bot import Bot

from .context import Tenant

log = logging.getLogger(__name__)

CACHE_SECONDS = 60.0
LOCK_SECONDS = 15.0
GONE_ERRORS = {"invalid_refresh_token", "token_revoked", "account_inactive", "invalid_grant",
               "app_uninstalled", "team_not_found"}


class InstallationGone(Exception):
    """The app is no longer installed for this workspace (removed, tokens revoked)."""

    def __init__(self, tenant: Tenant | None, why: str = "no installation"):
        super().__init__(f"{tenant}: {why}")
        self.tenant = tenant
        self.why = why


class StaticTokens:
    oauth = False

    def __init__(self, token: str):
        self._token = token

    async def token(self, tenant: Tenant | None) -> str:
        return self._token

    async def refresh(self, tenant: Tenant | None, stale: str | None) -> str:
        raise InstallationGone(tenant, "the static token was refused")

    def forget(self, tenant: Tenant | None) -> None:
        return None


@dataclass
class _Cached:
    bot: Bot
    at: float


class InstalledTokens:
    oauth = True

    def __init__(self, store, *, client_id: str, client_secret: str, client, minutes_before: int = 120,
                 cache_seconds: float = CACHE_SECONDS, clock=time.time):
        self.store = store  # RedisInstallationStore (its .redis takes the rotation lock)
        self.client_id, self.client_secret = client_id, client_secret
        self.client = client  # a tokenless AsyncWebClient (oauth.v2.access)
        self.margin = minutes_before * 60
        self.cache_seconds = cache_seconds
        self.clock = clock
        self._cache: dict[str, _Cached] = {}
        self.rotations = 0  # refresh tokens this process spent (tests, metrics)

    def forget(self, tenant: Tenant | None) -> None:
        if tenant is not None:
            self._cache.pop(tenant.key, None)

    async def _find(self, tenant: Tenant) -> Bot | None:
        return await self.store.async_find_bot(enterprise_id=tenant.enterprise_id, team_id=tenant.team_id,
                                               is_enterprise_install=tenant.is_enterprise_install)

    def _expiring(self, bot: Bot) -> bool:
        return (bot.bot_refresh_token is not None and bot.bot_token_expires_at is not None
                and bot.bot_token_expires_at <= self.clock() + self.margin)

    async def bot(self, tenant: Tenant | None) -> Bot:
        if tenant is None:
            raise InstallationGone(None, "no workspace in this context")
        cached = self._cache.get(tenant.key)
        now = self.clock()
        if cached is not None and now - cached.at < self.cache_seconds and not self._expiring(cached.bot):
            return cached.bot
        bot = await self._find(tenant)
        if bot is None or not bot.bot_token:
            self.forget(tenant)
            raise InstallationGone(tenant)
        if self._expiring(bot):
            try:
                bot = await self._rotate(tenant, stale=None)
            except InstallationGone:
                raise
            except Exception as exc:  # Slack or Redis hiccup: the token still works until it expires
                if not bot.bot_token_expires_at or bot.bot_token_expires_at <= self.clock():
                    raise
                log.warning("token rotation for %s failed (%s): the current token is used meanwhile",
                            tenant, type(exc).__name__)
                return bot  # not cached: the next call tries again
        self._cache[tenant.key] = _Cached(bot, self.clock())
        return bot

    async def token(self, tenant: Tenant | None) -> str:
        return (await self.bot(tenant)).bot_token

    async def refresh(self, tenant: Tenant | None, stale: str | None) -> str:
        """Slack refused `stale` (token_expired, invalid_auth): a fresh token, or InstallationGone."""
        if tenant is None:
            raise InstallationGone(None, "no workspace in this context")
        self.forget(tenant)
        bot = await self._find(tenant)
        if bot is None or not bot.bot_token:
            raise InstallationGone(tenant)
        if bot.bot_token != stale:  # another process (or the store) already has a newer one
            self._cache[tenant.key] = _Cached(bot, self.clock())
            return bot.bot_token
        if bot.bot_refresh_token is None:
            raise InstallationGone(tenant, "token refused and no refresh token")
        bot = await self._rotate(tenant, stale=stale)
        self._cache[tenant.key] = _Cached(bot, self.clock())
        return bot.bot_token

    def _done(self, bot: Bot | None, stale: str | None) -> bool:
        """Someone rotated already (or nothing to do)."""
        if bot is None:
            return False
        return bot.bot_token != stale if stale else not self._expiring(bot)

    async def _rotate(self, tenant: Tenant, *, stale: str | None) -> Bot:
        redis = self.store.redis
        lock = f"seo:install:lock:{tenant.key}"
        owner = secrets.token_hex(8)
        deadline = time.monotonic() + 2 * LOCK_SECONDS
        while True:
            if await redis.set(lock, owner, nx=True, px=int(LOCK_SECONDS * 1000)):
                try:
                    bot = await self._find(tenant)  # re-read under the lock
                    if bot is None:
                        raise InstallationGone(tenant)
                    if self._done(bot, stale):
                        return bot
                    return await self._spend(tenant, bot)
                finally:
                    await redis.eval("if redis.call('GET', KEYS[1]) == ARGV[1] then "
                                     "return redis.call('DEL', KEYS[1]) else return 0 end", 1, lock, owner)
            await asyncio.sleep(0.05)
            bot = await self._find(tenant)
            if bot is None:
                raise InstallationGone(tenant)
            if self._done(bot, stale):
                return bot
            if time.monotonic() > deadline:
                if bot.bot_token_expires_at and bot.bot_token_expires_at > self.clock():
                    log.warning("token rotation for %s still locked elsewhere: the current token is used", tenant)
                    return bot
                raise TimeoutError(f"token rotation for {tenant} is locked elsewhere")

    async def _spend(self, tenant: Tenant, bot: Bot) -> Bot:
        try:
            resp = await self.client.oauth_v2_access(client_id=self.client_id, client_secret=self.client_secret,
                                                     grant_type="refresh_token", refresh_token=bot.bot_refresh_token)
        except SlackApiError as exc:
            error = exc.response.get("error") if exc.response is not None else None
            if error in GONE_ERRORS:
                raise InstallationGone(tenant, f"refresh refused ({error})") from None
            raise
        self.rotations += 1
        fresh = Bot(**bot.to_dict_for_copying())
        fresh.bot_token = resp["access_token"]
        fresh.bot_refresh_token = resp.get("refresh_token") or bot.bot_refresh_token
        fresh.bot_token_expires_at = int(self.clock()) + int(resp.get("expires_in") or 0)
        await self.store.async_save_bot(fresh)
        log.info("bot token of %s rotated (expires in %s s)", tenant, resp.get("expires_in"))
        return fresh
