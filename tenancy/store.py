"""Installations and OAuth states on our Redis (slack-sdk ships no Redis store).

Keys (no TTL: an installation lasts until the workspace removes the app):
  seo:install:{client_id}:bot:{E}:{T}                the latest bot of a workspace / org
  seo:install:{client_id}:installation:{E}:{T}       the latest installation
  seo:install:{client_id}:installation:{E}:{T}:user:{U}  one installer's installation
  seo:oauth:state:{state}                            an issued OAuth state (TTL, single use)
E and T are the enterprise and team ids, "-" when absent (an org-wide install has no team).

Tokens (bot, user, refresh) are encrypted at rest with Fernet (SEO_ENCRYPTION_KEY; several keys
separated by commas: the first encrypts, all decrypt, for key rotation) and never logged.
"""
from __future__ import annotations

import json
import logging
import secrets
from typing import Optional

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.installation_store.models.bot import Bot
from slack_sdk.oauth.installation_store.models.installation import Installation
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore

log = logging.getLogger(__name__)

SECRET_FIELDS = ("bot_token", "bot_refresh_token", "user_token", "user_refresh_token")
STATE_TTL = 600  # seconds an OAuth state stays valid (bolt's default)


class Secrets:
    """Fernet encryption of the secrets we keep (tokens, WordPress application passwords)."""

    def __init__(self, keys: str):
        parts = [k.strip() for k in (keys or "").split(",") if k.strip()]
        if not parts:
            raise ValueError("SEO_ENCRYPTION_KEY is empty")
        self._fernet = MultiFernet([Fernet(k.encode()) for k in parts])

    @staticmethod
    def generate() -> str:
        return Fernet.generate_key().decode()

    def encrypt(self, value: str | None) -> str | None:
        return None if value is None else self._fernet.encrypt(value.encode()).decode()

    def decrypt(self, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            return self._fernet.decrypt(value.encode()).decode()
        except InvalidToken:
            log.error("a stored secret cannot be decrypted with SEO_ENCRYPTION_KEY (key changed?)")
            return None


def _ids(enterprise_id: Optional[str], team_id: Optional[str], is_enterprise_install: Optional[bool]) -> str:
    if is_enterprise_install:
        team_id = None  # an org-wide install is the org's, whatever workspace the request came from
    return f"{enterprise_id or '-'}:{team_id or '-'}"


def _redis(url: str):
    import redis.asyncio as aioredis
    from redis.asyncio.retry import Retry
    from redis.backoff import ExponentialBackoff
    from redis.exceptions import ConnectionError as RConnErr
    from redis.exceptions import TimeoutError as RTimeout

    return aioredis.Redis.from_url(url, decode_responses=True, socket_timeout=5, socket_connect_timeout=2,
                                   retry=Retry(ExponentialBackoff(cap=1, base=0.05), 3),
                                   retry_on_error=[RConnErr, RTimeout])


class RedisInstallationStore(AsyncInstallationStore):
    def __init__(self, redis, secrets_: Secrets, *, client_id: str, logger: logging.Logger = log):
        self.redis = _redis(redis) if isinstance(redis, str) else redis
        self.secrets = secrets_
        self.prefix = f"seo:install:{client_id}:"
        self._logger = logger

    @property
    def logger(self) -> logging.Logger:
        return self._logger

    # --- (de)serialisation: secret fields encrypted --------------------------------------
    def _dump(self, obj: Installation | Bot) -> str:
        data = dict(obj.__dict__)
        for f in SECRET_FIELDS:
            if f in data:
                data[f] = self.secrets.encrypt(data[f])
        return json.dumps(data)

    def _load(self, raw: str | None, cls):
        if not raw:
            return None
        data = json.loads(raw)
        for f in SECRET_FIELDS:
            if f in data:
                data[f] = self.secrets.decrypt(data[f])
        return cls(**data)

    def _bot_key(self, e, t, ent=None) -> str:
        return f"{self.prefix}bot:{_ids(e, t, ent)}"

    def _inst_key(self, e, t, ent=None, user_id=None) -> str:
        key = f"{self.prefix}installation:{_ids(e, t, ent)}"
        return f"{key}:user:{user_id}" if user_id else key

    # --- AsyncInstallationStore ------------------------------------------------------------
    async def async_save(self, installation: Installation):
        e, t, ent = installation.enterprise_id, installation.team_id, installation.is_enterprise_install
        raw = self._dump(installation)
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.set(self._inst_key(e, t, ent), raw)
            if installation.user_id:
                pipe.set(self._inst_key(e, t, ent, installation.user_id), raw)
            await pipe.execute()
        if installation.bot_token:
            await self.async_save_bot(installation.to_bot())

    async def async_save_bot(self, bot: Bot):
        """The bot record, and the bot fields of the latest installation (a rotated token must
        not leave the installation with a spent one)."""
        e, t, ent = bot.enterprise_id, bot.team_id, bot.is_enterprise_install
        await self.redis.set(self._bot_key(e, t, ent), self._dump(bot))
        latest = self._load(await self.redis.get(self._inst_key(e, t, ent)), Installation)
        if latest is not None and latest.bot_token != bot.bot_token:
            latest.bot_token = bot.bot_token
            latest.bot_refresh_token = bot.bot_refresh_token
            latest.bot_token_expires_at = bot.bot_token_expires_at
            await self.redis.set(self._inst_key(e, t, ent), self._dump(latest))

    async def async_find_bot(self, *, enterprise_id: Optional[str], team_id: Optional[str],
                             is_enterprise_install: Optional[bool] = False) -> Optional[Bot]:
        return self._load(await self.redis.get(self._bot_key(enterprise_id, team_id, is_enterprise_install)), Bot)

    async def async_find_installation(self, *, enterprise_id: Optional[str], team_id: Optional[str],
                                      user_id: Optional[str] = None,
                                      is_enterprise_install: Optional[bool] = False) -> Optional[Installation]:
        e, t, ent = enterprise_id, team_id, is_enterprise_install
        found = self._load(await self.redis.get(self._inst_key(e, t, ent, user_id)), Installation)
        if found is not None and user_id is not None:
            # a user's own installation, with the workspace's latest bot (rotation updates that one)
            bot = await self.async_find_bot(enterprise_id=e, team_id=t, is_enterprise_install=ent)
            if bot is not None:
                found.bot_token, found.bot_refresh_token = bot.bot_token, bot.bot_refresh_token
                found.bot_token_expires_at, found.bot_id = bot.bot_token_expires_at, bot.bot_id
        return found

    async def async_delete_bot(self, *, enterprise_id: Optional[str], team_id: Optional[str]) -> None:
        await self.redis.delete(self._bot_key(enterprise_id, team_id))

    async def async_delete_installation(self, *, enterprise_id: Optional[str], team_id: Optional[str],
                                        user_id: Optional[str] = None) -> None:
        if user_id is not None:
            await self.redis.delete(self._inst_key(enterprise_id, team_id, None, user_id))
            return
        keys = [self._inst_key(enterprise_id, team_id)]
        async for key in self.redis.scan_iter(match=f"{self._inst_key(enterprise_id, team_id)}:user:*", count=500):
            keys.append(key)
        await self.redis.delete(*keys)

    async def async_delete_all(self, *, enterprise_id: Optional[str], team_id: Optional[str]):
        await self.async_delete_bot(enterprise_id=enterprise_id, team_id=team_id)
        await self.async_delete_installation(enterprise_id=enterprise_id, team_id=team_id)

    async def teams(self) -> list[tuple[Optional[str], Optional[str]]]:
        """(enterprise_id, team_id) of every installed bot (for `bot.py --usage`)."""
        out = []
        async for key in self.redis.scan_iter(match=f"{self.prefix}bot:*", count=500):
            e, t = key.removeprefix(f"{self.prefix}bot:").split(":", 1)
            out.append((None if e == "-" else e, None if t == "-" else t))
        return sorted(out, key=lambda p: (p[0] or "", p[1] or ""))

    async def close(self) -> None:
        await self.redis.aclose()


class RedisOAuthStateStore(AsyncOAuthStateStore):
    """OAuth `state` values: issued with a TTL, consumed once (an atomic DEL)."""

    def __init__(self, redis, *, expiration_seconds: int = STATE_TTL, logger: logging.Logger = log):
        self.redis = _redis(redis) if isinstance(redis, str) else redis
        self.expiration_seconds = expiration_seconds
        self._logger = logger

    @property
    def logger(self) -> logging.Logger:
        return self._logger

    async def async_issue(self, *args, **kwargs) -> str:
        state = secrets.token_urlsafe(24)
        await self.redis.set(f"seo:oauth:state:{state}", "1", ex=self.expiration_seconds, nx=True)
        return state

    async def async_consume(self, state: str) -> bool:
        if not state:
            return False
        return bool(await self.redis.delete(f"seo:oauth:state:{state}"))
