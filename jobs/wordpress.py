"""The WordPress button's job: send one version of an article to its WordPress draft.

Runs on the worker (never in a listener). Idempotent: the draft's post id is recorded as soon
as WordPress answers, a re-run updates the same draft, and the thread message is posted once.
"""
from __future__ import annotations

import json
import logging

import blockkit as blocks
from integrations.wordpress import WordPressClient, WordPressError, WordPressSettings, send_draft
from seo.article import Article
from seo.news import PageMeta

from .publisher import Publisher
from .spec import JobSpec
from .state import State

log = logging.getLogger(__name__)

NOT_CONFIGURED = ("WordPress n’est pas configuré sur ce serveur (WORDPRESS_URL, WORDPRESS_USER, "
                  "WORDPRESS_APP_PASSWORD) : prévenez l’équipe technique.")


class WordPressJob:
    def __init__(self, settings: WordPressSettings | None, state: State, publisher: Publisher, sites=None):
        self.client = WordPressClient(settings) if settings else None
        self.state = state
        self.publisher = publisher
        self.sites = sites  # OAuth mode: tenancy.wordpress.TeamSites (a site per workspace)

    async def available(self) -> bool:
        """Does the current workspace send drafts somewhere (its own site, or WORDPRESS_*)?"""
        return self.client is not None or (self.sites is not None and await self.sites.describe() is not None)

    async def close(self) -> None:
        if self.client is not None:
            await self.client.close()

    async def run(self, spec: JobSpec) -> None:
        own = await self.sites.settings() if self.sites is not None else None
        if own is None:
            await self._run(spec, self.client)
            return
        client = WordPressClient(own)  # the workspace's own site (its password decrypted here only)
        try:
            await self._run(spec, client)
        finally:
            await client.close()

    async def _run(self, spec: JobSpec, wp: WordPressClient | None) -> None:
        if wp is None:
            await self._notice(spec, NOT_CONFIGURED)
            return
        data = await self.state.version(spec.article_id, spec.base_version)
        if data is None:
            await self._notice(spec, "Cette version de l’article a expiré : relancez une réécriture.")
            return
        # What the draft held before this job, fixed at its first run so a re-run says the same.
        await self.state.job_claim(spec.id, "wp_before", json.dumps(await self.state.wordpress_post(spec.article_id)))
        before = json.loads(await self.state.job_get(spec.id, "wp_before") or "null")
        version = int(data["version"])

        async def record(post_id: int) -> None:
            await self.state.save_wordpress_post(spec.article_id, post_id, version)

        try:
            result = await send_draft(wp, Article(**data["article"]), data["body_markdown"],
                                      article_id=spec.article_id,
                                      known_post_id=(before or {}).get("post_id"), record=record,
                                      page=PageMeta.from_dict(data.get("page")))
        except WordPressError as exc:
            log.warning("job %s: WordPress %s (HTTP %s, %s)", spec.id, exc.kind, exc.status, exc.code)
            if exc.kind == "published":
                await self._notice(spec, exc.message)
            else:
                await self.failed(spec, exc.message)
            return
        if result.permalink:
            await self.state.save_wordpress_post(spec.article_id, result.post_id, version, result.permalink)
        # No draft known when this job began: whatever run made it (this one, or an earlier one that
        # died before recording it), the thread has not been told yet that it was created.
        created = result.created or before is None
        if not result.seo_fields_saved:
            await self.state.job_set(spec.id, "spec", spec.model_dump_json())  # for Réessayer
        msg = blocks.wordpress_message(
            edit_link=result.edit_link, created=created, version=version,
            previous_version=None if created else (before or {}).get("version"),
            seo_fields_saved=result.seo_fields_saved,
            retry_value=None if result.seo_fields_saved else spec.id)
        await self.publisher.post_once(spec.id, "wordpress", channel=spec.channel, thread_ts=spec.thread_ts, **msg)
        await self.state.job_set(spec.id, "done", "ok" if result.seo_fields_saved else "no_seo_fields")

    async def failed(self, spec: JobSpec, message: str) -> None:
        """A French message in the thread with Réessayer; the article and its versions stay."""
        await self.state.job_set(spec.id, "spec", spec.model_dump_json())
        await self.state.unlock_wordpress(spec.article_id, spec.id)  # Réessayer must not find it busy
        msg = blocks.error_message(f"Envoi vers WordPress impossible. {message}", retry_value=spec.id)
        await self.publisher.post_once(spec.id, "wordpress_error", channel=spec.channel,
                                       thread_ts=spec.thread_ts, **msg)
        await self.state.job_set(spec.id, "done", "failed")

    async def _notice(self, spec: JobSpec, message: str) -> None:
        await self.publisher.post_once(spec.id, "wordpress_notice", channel=spec.channel,
                                       thread_ts=spec.thread_ts, **blocks.notice_message(message))
        await self.state.job_set(spec.id, "done", "notice")
