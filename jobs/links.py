"""Links on the worker: the verified links of every new version, the « Liens internes » proposal
after an article is posted, and « Insérer » (a new version with those links, no LLM call).

Internal links come only from the site's own REST API (integrations/wordpress/related.py: published,
same host) and are stored server side under the proposing job; the « Insérer » button carries
only that job's id. The source link comes only from the dispatch itself or the channel's
« page source » setting. A site down or a search with nothing relevant: no block, silently.
"""
from __future__ import annotations

import logging

import blockkit as blocks
from integrations.wordpress.related import related_posts
from seo.article import Article, Link
from seo.errors import InputError
from seo.linking import choose_links, query_terms, source_link
from seo.pipeline import Result

log = logging.getLogger(__name__)

EXPIRED_LINKS = "Ces liens internes ont expiré ou ne correspondent pas à cette version : rien n’a été inséré."


class LinkStep:
    def __init__(self, runner):
        self.runner = runner  # engine, state, publisher, wordpress (its client's settings)

    async def site(self):
        """The WordPress of the job's workspace (its own site in OAuth mode, else WORDPRESS_*)."""
        wp = self.runner.wordpress
        own = await wp.sites.settings() if getattr(wp, "sites", None) is not None else None
        return own or (wp.client.settings if wp.client is not None else None)

    async def settle(self, spec, source: str, result: Result) -> Result:
        """A version from the engine, with the links that still fit it: the internal links of the
        version it came from (when their anchors are still in the text) and the source link."""
        state = self.runner.state
        carried = [l for l in result.article.links if l.kind == "internal"]
        if not carried and spec.base_version:
            base = await state.version(spec.article_id, spec.base_version)
            if base:
                carried = [l for l in Article(**base["article"]).links if l.kind == "internal"]
        page = (await state.channel_settings(spec.settings_channel or spec.channel)).get("source_page")
        src = source_link(source, page)
        links = carried + ([src] if src else [])
        site = await self.site()
        if not links and site is None:
            return result
        linked = self.runner.engine.with_links(result.article, links, fidelity=result.report["fidelity"],
                                               usage=result.usage, site_url=site.url if site else None)
        linked.streamed_draft_shipped = result.streamed_draft_shipped
        linked.streamed_markdown = result.streamed_markdown
        return linked

    async def insert(self, spec) -> Result:
        """« Insérer »: the base version with the proposal's links set on their anchors."""
        state = self.runner.state
        base = await state.version(spec.article_id, spec.base_version)
        proposal = await state.link_proposal(spec.proposal or "", spec.article_id, spec.base_version)
        if base is None or not proposal:
            raise InputError(EXPIRED_LINKS)
        article = Article(**base["article"])
        internal = [Link(url=l["url"], anchor=l["anchor"], title=l.get("title") or "", post_id=l.get("post_id"))
                    for l in proposal]
        links = [l for l in article.links if l.kind == "source"] + internal
        site = await self.site()
        return self.runner.engine.with_links(article, links, fidelity=base["report"]["fidelity"],
                                             site_url=site.url if site else None)

    async def propose(self, spec, data: dict, *, wordpress_on: bool) -> None:
        """Post « Liens internes » under a new version, once; nothing when there is nothing to say."""
        if not wordpress_on or spec.kind == "links":
            return
        site = await self.site()
        if site is None:
            return
        article = Article(**data["article"])
        if any(l.kind == "internal" for l in article.links):
            return  # its links came with it from the version it revises
        state, version = self.runner.state, int(data["version"])
        stored = await state.link_proposal(spec.id, spec.article_id)
        if stored is None:
            candidates = await related_posts(site, query_terms(article))
            stored = [l.model_dump() for l in choose_links(article, candidates)]
            await state.save_link_proposal(spec.id, spec.article_id, version, stored)
        if not stored:
            return
        msg = blocks.links_message(stored, article_id=spec.article_id, version=version, job_id=spec.id)
        await self.runner.publisher.post_once(spec.id, "links", channel=spec.channel, thread_ts=spec.thread_ts,
                                              **msg)
