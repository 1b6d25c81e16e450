"""The rewrite pipeline: clean, draft, check, repair, finish (DESIGN.md).

A first draft that passes the checks costs exactly one LLM call; otherwise one
targeted repair call lists the exact problems, at most two rounds, and the best
candidate seen is kept.

With `on_text`, every LLM call of the job is streamed and the job's first call (the draft,
or the revision) feeds `on_text` with the article's Markdown as it is written
(seo/streaming.py): only appended text, never resent when a broken stream is retried (a retry
that writes another text stops the feed), at most about four times a second. Repair calls
never feed it, and `progress("repairing", …)` comes first. `on_text` is awaited while the
stream is read: it should hand the text over and return (an exception from it is logged and
stops the feed, the job goes on). Without `on_text` nothing streams: today's requests.
"""
from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from .analysis import Document, analyze, count_words
from .article import Article, Draft, Link
from .checks import (MIN_SECTIONS, Problem, article_gaps, article_instructions, fidelity_issues, find_problems,
                     looks_french, polish)
from .cleaning import Dispatch, clean
from .config import EngineSettings
from .errors import InputError, LLMError
from .fidelity import FidelityGuard
from . import observe
from .glossary import french_names_for
from .llm import LLMClient, Usage
from .headlines import TitleSet, suggest_titles
from .prompts import draft_messages, repair_messages, revision_messages
from .social import SocialCopy, write_social
from .linking import keep_placeable
from .render import allowed_urls, body_markdown, to_html, to_markdown
from .streaming import MarkdownStream, OnText
from .substance import Gap, IncompleteReply

log = logging.getLogger(__name__)

MAX_REPAIR_ROUNDS = 2
Progress = Callable[[str, str | None], Awaitable[None]]


async def _no_progress(step: str, detail: str | None = None) -> None:
    return None


@dataclass
class Result:
    """A checked article.

    `streamed_draft_shipped`: the job streamed (`on_text` given), `on_text` received the whole
    Markdown of the first call's reply (nothing stopped the feed) and the shipped article is
    that reply with no LLM repair: only code fixes (typography, near-miss quotes, meta
    lengths, slug, credit line) tell it from what was streamed. Also True when repair rounds
    ran but the streamed draft stayed the best candidate (a repair that was worse, or failed).
    False when nothing or part was streamed, or when a repair's article ships instead.
    `streamed_markdown`: the concatenation of what `on_text` received ("" when nothing).
    """

    article: Article
    markdown: str
    body_markdown: str
    html: str
    report: dict
    usage: Usage
    streamed_draft_shipped: bool = False
    streamed_markdown: str = ""

    def to_contract(self) -> dict:
        return {
            "article": self.article.to_contract(),
            "markdown": self.markdown,
            "html": self.html,
            "report": self.report,
            "usage": self.usage.to_contract(),
        }


@dataclass
class _Candidate:
    article: Article
    words: int
    issues: list
    analysis: dict
    hard: int
    round_no: int = 0
    gaps: list[Gap] = field(default_factory=list)

    def rank(self, min_words: int) -> tuple:
        # Real texts in every field first, then fidelity, then length, then the other rules.
        return (len(self.gaps), len(self.issues), self.words < min_words, self.hard)


def guard_for(dispatch: Dispatch) -> FidelityGuard:
    """The fidelity guard of a dispatch: its facts, and French names vouched for by a foreign source."""
    facts = dispatch.fact_source
    if not looks_french(dispatch.text):
        facts += "\n" + french_names_for(dispatch.text)  # NATO vouches for OTAN
    return FidelityGuard(facts)


# The guard is built while the model writes the draft, not after: under a burst, 50 drafts end
# within a second and their checks queue on one core. Past the first words (their start is the
# latency people see), the worker's loop mostly waits on the model. Spread at random over a few
# seconds, so that 50 jobs started together do not build theirs in the same instant (that held
# their streams' appends back by a quarter of a second).
GUARD_AFTER = 2.0  # seconds into the draft's LLM call, at the earliest
GUARD_SPREAD = 4.0  # and up to this much later


async def _guard_meanwhile(dispatch: Dispatch) -> FidelityGuard:
    await asyncio.sleep(GUARD_AFTER + random.random() * GUARD_SPREAD)
    return guard_for(dispatch)


def _ready(task: asyncio.Future) -> FidelityGuard | None:
    """The guard built meanwhile, or None (the call was shorter than GUARD_AFTER, or failed)."""
    if task.done() and not task.cancelled() and task.exception() is None:
        return task.result()
    task.cancel()
    return None


def document_for(article: Article, site_url: str | None = None) -> Document:
    """The analysed page. Its links are known (and the two link checks run) when the site it goes
    to is known or the article has links: the body's anchors and the credit line's source link."""
    known = bool(site_url) or bool(article.links)
    return Document(
        title=article.title,
        body_markdown=body_markdown(article.model_copy(update={"credit": None, "links": []})),
        keyword=article.focus_keyword,
        meta_title=article.meta_title,
        meta_description=article.meta_description,
        slug=article.slug,
        links=tuple(l.url for l in article.links) if known else None,
        site_url=site_url,
    )


class Engine:
    """Stateless between calls; one per process, shared by concurrent jobs."""

    def __init__(self, settings: EngineSettings | None = None, llm: LLMClient | None = None):
        self.settings = settings or EngineSettings.from_env()
        self._llm = llm

    @property
    def llm(self) -> LLMClient:
        if self._llm is None:
            self._llm = LLMClient(self.settings)
        return self._llm

    async def close(self) -> None:
        if self._llm is not None:
            await self._llm.close()

    async def rewrite(self, raw: str, *, keyword: str | None = None, min_words: int | None = None,
                      credit: str | None = None, progress: Progress | None = None,
                      temperature: float = 0.4, house_style: str | None = None,
                      on_text: OnText | None = None) -> Result:
        """A checked article from a dispatch. `on_text`: see the module docstring and Result."""
        started = time.perf_counter()
        progress = progress or _no_progress
        min_words = min_words or self.settings.min_words
        await progress("cleaning", None)
        dispatch = clean(raw)
        min_words = max(min_words, dispatch.requested_min_words or 0)  # "create at least 900 words"
        usage = Usage()
        await progress("drafting", None)
        messages = draft_messages(dispatch, min_words=min_words, keyword=keyword, house_style=house_style)
        streamer = MarkdownStream(on_text) if on_text is not None else None
        meanwhile = asyncio.ensure_future(_guard_meanwhile(dispatch))
        try:
            draft = await self.llm.complete(messages, Draft, usage, temperature=temperature,
                                            stream=streamer is not None, sink=streamer)
        finally:
            guard = _ready(meanwhile)
        return await self._check_and_repair(dispatch, draft, usage, keyword=keyword, min_words=min_words,
                                            credit=credit, progress=progress, started=started,
                                            streamer=streamer, house_style=house_style, guard=guard)

    async def revise(self, raw: str, article: Article, *, instruction: str, keyword: str | None = None,
                     min_words: int | None = None, target_words: int | None = None,
                     credit: str | None = None, progress: Progress | None = None,
                     house_style: str | None = None, on_text: OnText | None = None) -> Result:
        """A new version of `article` following an editor's instruction, with the same checks.
        `on_text` is fed by the revision call (see the module docstring and Result)."""
        started = time.perf_counter()
        progress = progress or _no_progress
        min_words = min_words or self.settings.min_words
        dispatch = clean(raw)
        usage = Usage()
        await progress("revising", None)
        kw = keyword or article.focus_keyword
        messages = revision_messages(dispatch, article, instruction, min_words=min_words, keyword=kw,
                                     target=target_words, house_style=house_style)
        streamer = MarkdownStream(on_text) if on_text is not None else None
        draft = await self.llm.complete(messages, Draft, usage, stream=streamer is not None, sink=streamer)
        # Never a ceiling at or under the floor: that problem could not be repaired.
        max_words = max(round(target_words * 1.1), min_words + 30) if target_words else None
        return await self._check_and_repair(dispatch, draft, usage, keyword=kw, min_words=min_words,
                                            credit=credit if credit is not None else article.credit,
                                            progress=progress, max_words=max_words, target=target_words,
                                            started=started, streamer=streamer, house_style=house_style)

    async def shorten(self, raw: str, article: Article, *, min_words: int | None = None,
                      credit: str | None = None, progress: Progress | None = None,
                      house_style: str | None = None, on_text: OnText | None = None) -> Result:
        min_words = min_words or self.settings.min_words
        words = count_words(article.body_text())
        target = max(min_words + 10, round(words * 0.8))
        if words <= min_words * 1.05 or target >= words:
            raise InputError(
                f"L’article compte déjà {words} mots, au plus près du minimum de {min_words} : "
                "impossible de le raccourcir davantage."
            )
        return await self.revise(
            raw, article, min_words=min_words, target_words=target, credit=credit, progress=progress,
            house_style=house_style, on_text=on_text,
            instruction=f"Raccourcissez l’article à environ {target} mots (jamais moins de {min_words}) : "
                        "resserrez les phrases et retirez les redites, gardez les faits essentiels, "
                        "les citations clés et les intertitres.",
        )

    async def change_keyword(self, raw: str, article: Article, keyword: str, *, min_words: int | None = None,
                             credit: str | None = None, progress: Progress | None = None,
                             house_style: str | None = None, on_text: OnText | None = None) -> Result:
        keyword = keyword.strip()
        if not keyword:
            raise InputError("Indiquez un mot-clé.")
        return await self.revise(
            raw, article, keyword=keyword, min_words=min_words, credit=credit, progress=progress,
            house_style=house_style, on_text=on_text,
            instruction=f"Optimisez l’article pour le nouveau mot-clé principal « {keyword} » : titre, titre SEO, "
                        "chapô, méta-description et une partie des intertitres le contiennent ; focus_keyword "
                        "vaut exactement ce mot-clé.",
        )

    async def _check_and_repair(self, dispatch: Dispatch, draft: Draft, usage: Usage, *, keyword: str | None,
                                min_words: int, credit: str | None, progress: Progress,
                                max_words: int | None = None, target: int | None = None,
                                started: float, streamer: MarkdownStream | None = None,
                                house_style: str | None = None, guard: FidelityGuard | None = None) -> Result:
        guard = guard or guard_for(dispatch)
        credit = credit if credit is not None else dispatch.credit
        best: _Candidate | None = None
        instructions = article_instructions()
        for round_no in range(MAX_REPAIR_ROUNDS + 1):
            await progress("checking", None)
            article = polish(Article(**draft.model_dump()), guard, keyword=keyword, credit=credit)
            words = count_words(article.body_text())
            issues = fidelity_issues(article, guard, draft)
            analysis = analyze(document_for(article))
            gaps = article_gaps(article, instructions)
            problems = [Problem(f"gap:{g.field}", g.message) for g in gaps]
            problems += find_problems(article, body_words=words, min_words=min_words, issues=issues,
                                      analysis=analysis, max_words=max_words)
            hard = [p for p in problems if p.hard]
            cand = _Candidate(article, words, issues, analysis, len(hard), round_no, gaps)
            if best is None or cand.rank(min_words) <= best.rank(min_words):
                best = cand
            log.info("round %d: %d words, %d hard problems (%s)", round_no, words, len(hard),
                     ", ".join(p.code for p in hard) or "none")
            # A field left without a real text gets one repair call naming it, not two.
            if not hard or round_no == MAX_REPAIR_ROUNDS or (gaps and round_no >= 1):
                break
            await progress("repairing", f"{round_no + 1}/{MAX_REPAIR_ROUNDS}")
            observe.repair_round()
            messages = repair_messages(dispatch, article, [p.message for p in problems], min_words=min_words,
                                       keyword=keyword, target=target, house_style=house_style)
            try:
                # Streamed too when the job streams (no idle read timeout on a long reply), but
                # never into on_text: what was streamed stays the draft under verification.
                draft = await self.llm.complete(messages, Draft, usage, stream=streamer is not None)
            except LLMError:
                # The model failed on a repair: an article that is long and structured enough
                # still ships, its unverified items shown as « À vérifier »; otherwise it fails.
                if best.gaps or best.words < min_words or len(best.article.sections) < MIN_SECTIONS:
                    raise
                log.warning("repair call failed; shipping the best draft with its issues shown")
                break
        if best.gaps:  # never a checked article over an empty field
            log.info("fields without a real text after a repair: %s", ", ".join(g.field for g in best.gaps))
            raise IncompleteReply("un article incomplet", best.gaps)
        await progress("finishing", None)
        usage.seconds = time.perf_counter() - started
        result = self._finish(best, usage)
        if streamer is not None:
            result.streamed_markdown = streamer.sent
            result.streamed_draft_shipped = bool(streamer.sent) and streamer.complete and best.round_no == 0
        return result

    async def titles(self, raw: str, article: Article, *, house_style: str | None = None) -> TitleSet:
        """Five alternative titles with their SEO titles, checked like the article (one LLM call)."""
        dispatch = clean(raw)
        return await suggest_titles(self.llm, dispatch, article, guard_for(dispatch), house_style=house_style)

    async def social(self, raw: str, article: Article, *, house_style: str | None = None) -> SocialCopy:
        """Push alert, X post, Facebook / LinkedIn post and newsletter blurb (one LLM call)."""
        dispatch = clean(raw)
        return await write_social(self.llm, dispatch, article, guard_for(dispatch), house_style=house_style)

    def retitle(self, raw: str, article: Article, *, title: str, meta_title: str) -> Result:
        """A new version with another title and SEO title, the same body: no LLM call."""
        started = time.perf_counter()
        guard = guard_for(clean(raw))
        changed = polish(article.model_copy(update={"title": title, "meta_title": meta_title}), guard,
                         keyword=article.focus_keyword, credit=article.credit)
        cand = _Candidate(changed, count_words(changed.body_text()), fidelity_issues(changed, guard),
                          analyze(document_for(changed)), 0)
        return self._finish(cand, Usage(seconds=time.perf_counter() - started))

    def with_links(self, article: Article, links: list[Link], *, fidelity: dict, usage: Usage | None = None,
                   site_url: str | None = None) -> Result:
        """The same article with these verified links (those whose anchor is in its body, and the
        source link), analysed for the site it goes to: no LLM call, the text unchanged."""
        linked = article.model_copy(update={"links": keep_placeable(article, links)})
        analysis = analyze(document_for(linked, site_url))
        cand = _Candidate(linked, count_words(linked.body_text()), [], analysis, 0)
        result = self._finish(cand, usage or Usage())
        result.report["fidelity"] = fidelity
        return result

    @staticmethod
    def _finish(c: _Candidate, usage: Usage) -> Result:
        report = {
            "word_count": c.words,
            "seo": c.analysis["seo"],
            "readability": c.analysis["readability"],
            "fidelity": {"ok": not c.issues, "issues": [i.model_dump() for i in c.issues]},
        }
        markdown = to_markdown(c.article)
        return Result(article=c.article, markdown=markdown, body_markdown=body_markdown(c.article),
                      html=to_html(markdown, allowed_urls(c.article)), report=report, usage=usage)


async def rewrite(raw: str, **kwargs) -> Result:
    """Convenience for scripts: a one-shot engine configured from the environment."""
    engine = Engine()
    try:
        return await engine.rewrite(raw, **kwargs)
    finally:
        await engine.close()
