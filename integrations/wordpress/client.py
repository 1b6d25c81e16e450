"""A small WordPress REST API client (aiohttp, Application Password basic auth).

Every failure becomes a WordPressError whose message is French, for the thread, and holds
neither the password nor the Authorization header: aiohttp's own exceptions (whose request
info carries the headers) are never raised or chained from here.
"""
from __future__ import annotations

import asyncio
import html
import json
import logging

import aiohttp

from .config import WordPressSettings

log = logging.getLogger(__name__)

NBSP = "\u00a0"


class WordPressError(Exception):
    """kind: auth | forbidden | not_found | unreachable | timeout | server | refused | invalid."""

    def __init__(self, kind: str, message: str, status: int | None = None, code: str | None = None,
                 data: dict | None = None):
        super().__init__(message)
        self.kind, self.message, self.status, self.code = kind, message, status, code
        self.data = data or {}  # WordPress's "data" object of the error (e.g. term_id)

    def __repr__(self) -> str:
        return f"WordPressError({self.kind!r}, status={self.status!r}, code={self.code!r})"


class WordPressClient:
    def __init__(self, settings: WordPressSettings):
        self.settings = settings
        self._auth = aiohttp.BasicAuth(settings.user, settings.app_password)
        self._session: aiohttp.ClientSession | None = None

    def __repr__(self) -> str:
        return f"WordPressClient(url={self.settings.url!r}, user={self.settings.user!r})"

    @property
    def api(self) -> str:
        return self.settings.url + "/wp-json/wp/v2"

    def edit_link(self, post_id: int) -> str:
        return f"{self.settings.url}/wp-admin/post.php?post={int(post_id)}&action=edit"

    async def _sess(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self.settings.timeout))
        return self._session

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()

    async def request(self, method: str, path: str, *, params: dict | None = None, body: dict | None = None):
        """JSON in, JSON out; a French WordPressError for anything else."""
        session = await self._sess()
        url = self.api + path
        failure: WordPressError | None = None
        try:
            async with session.request(method, url, params=params, auth=self._auth,
                                       data=json.dumps(body, ensure_ascii=False).encode() if body is not None else None,
                                       headers={"Content-Type": "application/json; charset=utf-8",
                                                "Accept": "application/json"}) as resp:
                raw = await resp.read()
                status = resp.status
        except asyncio.TimeoutError:
            failure = WordPressError("timeout", (
                f"Le site WordPress {self.settings.host} n’a pas répondu à temps ({self.settings.timeout:g}{NBSP}s)"
                f"{NBSP}: réessayez dans un instant."))
        except (aiohttp.ClientError, OSError) as exc:
            log.warning("WordPress unreachable: %s", type(exc).__name__)
            failure = WordPressError("unreachable", (
                f"Le site WordPress {self.settings.host} est injoignable{NBSP}: vérifiez WORDPRESS_URL, "
                "ou réessayez quand le site répond."))
        if failure is not None:
            raise failure  # outside the except block: nothing of aiohttp's is chained to it
        try:
            data = json.loads(raw) if raw else None
        except ValueError:
            data = None
        if 200 <= status < 300:
            if data is None and raw:
                raise WordPressError("invalid", (
                    f"{self.settings.url} ne répond pas comme l’API REST de WordPress{NBSP}: vérifiez "
                    "WORDPRESS_URL (l’adresse du site, sans /wp-admin)."), status)
            return data
        raise self._http_error(status, data if isinstance(data, dict) else {})

    def _http_error(self, status: int, data: dict) -> WordPressError:
        code = str(data.get("code") or "") or None
        detail = html.unescape(str(data.get("message") or ""))[:300]
        user = self.settings.user
        if status == 401:
            return WordPressError("auth", (
                f"WordPress refuse l’identification du compte «{NBSP}{user}{NBSP}»{NBSP}: vérifiez "
                "WORDPRESS_USER et WORDPRESS_APP_PASSWORD (un mot de passe d’application, créé dans "
                "Comptes > Profil, pas le mot de passe de connexion)."), status, code)
        if status == 403:
            return WordPressError("forbidden", (
                f"Le compte WordPress «{NBSP}{user}{NBSP}» n’a pas les droits nécessaires (créer et modifier "
                f"des articles, créer des étiquettes){NBSP}: donnez-lui le rôle Auteur ou Éditeur."),
                status, code)
        if status == 404 and code in (None, "rest_no_route"):
            return WordPressError("not_found", (
                f"L’API REST de WordPress est introuvable à {self.settings.url}{NBSP}: vérifiez WORDPRESS_URL "
                "(l’adresse du site, sans /wp-admin)."), status, code)
        if status >= 500 or status == 429:
            return WordPressError("server", (
                f"Le site WordPress {self.settings.host} a renvoyé une erreur (HTTP {status}){NBSP}: "
                "réessayez dans un instant."), status, code)
        return WordPressError("refused", (
            f"WordPress a refusé la demande (HTTP {status}{', ' + code if code else ''})"
            f"{NBSP}: {detail or 'sans détail'}."), status, code,
            data.get("data") if isinstance(data.get("data"), dict) else None)

    # --- the few calls we need ------------------------------------------------
    async def create_post(self, payload: dict) -> dict:
        return await self.request("POST", "/posts", params={"context": "edit"}, body=payload)

    async def update_post(self, post_id: int, payload: dict) -> dict:
        return await self.request("POST", f"/posts/{int(post_id)}", params={"context": "edit"}, body=payload)

    async def get_post(self, post_id: int) -> dict | None:
        """The post (raw fields), or None when it no longer exists."""
        try:
            return await self.request("GET", f"/posts/{int(post_id)}", params={"context": "edit"})
        except WordPressError as exc:
            if exc.status in (404, 410) and exc.code != "rest_no_route":
                return None
            raise

    async def find_posts(self, search: str) -> list[dict]:
        """Posts of any status but trash whose text holds `search` (raw content included)."""
        data = await self.request("GET", "/posts", params={
            "search": search, "status": "draft,pending,private,publish,future", "context": "edit",
            "per_page": "20", "_fields": "id,status,content"})
        return data if isinstance(data, list) else []

    async def tag_ids(self, names: list[str]) -> list[int]:
        """The ids of these tags, each created when missing: one request a tag, as WordPress
        answers "term_exists" with the id of a tag of that name or slug ("OTAN" is "Otan")."""
        ids: list[int] = []
        for name in names:
            name = " ".join(str(name).split())
            if not name:
                continue
            try:
                tag_id = int((await self.request("POST", "/tags", body={"name": name}))["id"])
            except WordPressError as exc:
                if exc.code != "term_exists" or not exc.data.get("term_id"):
                    raise
                tag_id = int(exc.data["term_id"])
            if tag_id not in ids:
                ids.append(tag_id)
        return ids
