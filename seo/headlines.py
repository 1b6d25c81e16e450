"""Alternative titles: five angles on the same story, each with its SEO title.

One cheap LLM call writes them; code then does what code can (typography, quotes put back
to the source's words, SEO title trimmed at a word boundary keeping the keyword) and checks
each one like the article: the fidelity guard (no figure, name or quotation that the source
does not hold) and the analysis's title checks (keyphrase in the SEO title, its width).
All five must be real, distinct titles (seo/substance.py): an empty, placeholder, fragmentary or
repeated one (or the article's own title) gets one repair call naming it, the real ones kept; if
five are still not there, IncompleteReply. An empty SEO title falls back to its title.
"""
from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field

from pydantic import BaseModel, ConfigDict, Field

from .analysis import Document, analyze
from .article import Article
from .checks import META_TITLE_MAX, clean_field, trim_at_word
from .cleaning import Dispatch
from .fidelity import FidelityGuard
from .keywords import contains_keyword
from . import observe
from .llm import LLMClient, Usage
from .prompts import SYSTEM_PROMPT, fence_dispatch, house_style_section
from .substance import Gap, IncompleteReply, Instructions, Rule, descriptions, fold, gap, judge, repair_section

TITLE_COUNT = 5
TITLE_MAX = 110  # a title is a line, not a paragraph
TITLE_CHECKS = ("keyphraseInSEOTitle", "titleWidth")
ANGLES = ("factuel", "explicatif", "citation", "enjeux", "chiffre ou question")
TITLE_RULE = Rule("le titre", 3, 15, "un titre informatif, mot-clé principal au début")
LABELS = ("titre", "titre SEO", "titre de l’article", "angle", *ANGLES)


class TitleIdea(BaseModel):
    model_config = ConfigDict(extra="forbid")

    angle: str = Field(description="L’angle du titre en un ou deux mots (factuel, explicatif, citation…)")
    title: str = Field(description="Le titre de l’article, informatif, mot-clé principal au début")
    meta_title: str = Field(description="Le titre SEO, 60 caractères au plus, mot-clé principal au début")


class TitleIdeas(BaseModel):
    model_config = ConfigDict(extra="forbid")

    titles: list[TitleIdea] = Field(description="Cinq titres d’angles différents")


@dataclass
class TitleVariant:
    angle: str
    title: str
    meta_title: str
    checks: list[dict] = field(default_factory=list)  # the analysis's title checks (id, score, message)
    issues: list[dict] = field(default_factory=list)  # fidelity issues, shown as « À vérifier »

    def to_dict(self) -> dict:
        return {"angle": self.angle, "title": self.title, "meta_title": self.meta_title,
                "checks": self.checks, "issues": self.issues}


@dataclass
class TitleSet:
    variants: list[TitleVariant]
    usage: Usage


def _task(keyword: str) -> str:
    return (
        f"Proposez {TITLE_COUNT} titres pour l’article ci-dessous, chacun avec son titre SEO, "
        f"sous des angles différents ({', '.join(ANGLES)}). Règles : mot-clé principal "
        f"« {keyword} » au début du titre et du titre SEO ; titre SEO de "
        f"{META_TITLE_MAX} caractères au plus ; titre de moins de {TITLE_MAX} caractères ; "
        "aucun fait, chiffre, nom ni citation qui ne soit dans la dépêche ; une citation entre « » "
        "reprend mot pour mot la dépêche ; pas de point final ni de point d’exclamation ; "
        "majuscule au premier mot et aux noms propres seulement."
    )


def title_messages(dispatch: Dispatch, article: Article, *, house_style: str | None = None,
                   repair: tuple[TitleIdeas, list[Gap]] | None = None) -> list[dict]:
    """The request; with `repair` (the previous reply and its gaps), the same request followed by
    what is missing in it (the dispatch still first: the cached prefix holds)."""
    parts = ["## Dépêche source", fence_dispatch(dispatch)]
    parts += house_style_section(house_style)
    parts += ["## Tâche", _task(article.focus_keyword), "## Article actuel",
              f"Titre : {article.title}\nChapô : {article.lead}\n"
              "Intertitres : " + " ; ".join(s.heading for s in article.sections)]
    if repair is not None:
        previous, gaps = repair
        parts += [repair_section(gaps, intro=f"Votre réponse précédente ne donne pas {TITLE_COUNT} titres "
                                             "utilisables. Renvoyez les cinq, complets, tous différents entre eux "
                                             "et du titre actuel :"),
                  "## Réponse précédente (JSON)", json.dumps(previous.model_dump(), ensure_ascii=False)]
    return [{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": "\n".join(parts)}]


@functools.cache
def instructions() -> Instructions:
    return Instructions(SYSTEM_PROMPT, _task(""), *descriptions(TitleIdeas), labels=LABELS)


def _fit_meta_title(meta_title: str, title: str, keyword: str) -> str:
    meta_title = meta_title or title
    if len(meta_title) <= META_TITLE_MAX:
        return meta_title
    trimmed = trim_at_word(meta_title, META_TITLE_MAX)
    if keyword and not contains_keyword(trimmed, keyword) and contains_keyword(title, keyword):
        trimmed = trim_at_word(title, META_TITLE_MAX)
    return trimmed


def check_variant(idea: TitleIdea, article: Article, guard: FidelityGuard) -> TitleVariant:
    """Code fixes, then the fidelity guard and the analysis's title checks."""
    title = guard.fix_quotes(clean_field(idea.title, guard)).rstrip(" .")
    title = trim_at_word(title, TITLE_MAX)
    meta_title = guard.fix_quotes(clean_field(idea.meta_title, guard)).rstrip(" .")
    if judge(meta_title, TITLE_RULE, instructions()):  # derived: an empty or placeholder one becomes the title
        meta_title = ""
    meta_title = _fit_meta_title(meta_title, title, article.focus_keyword)
    seen: set[tuple[str, str]] = set()
    issues = []
    for text in (title, meta_title):
        for issue in guard.issues(text):
            if (issue.kind, issue.text) not in seen:
                seen.add((issue.kind, issue.text))
                issues.append(issue.model_dump())
    doc = Document(title=title, body_markdown="", keyword=article.focus_keyword, meta_title=meta_title,
                   meta_description=article.meta_description, slug=article.slug)
    report = analyze(doc)
    checks = [c for c in report["seo"]["checks"] if c.get("id") in TITLE_CHECKS]
    angle = clean_field(idea.angle)
    angle = "" if judge(angle, Rule("l’angle"), instructions()) else angle[:40]  # none rather than « N/A »
    return TitleVariant(angle=angle, title=title, meta_title=meta_title, checks=checks, issues=issues)


def usable(ideas: TitleIdeas, article: Article, guard: FidelityGuard, kept: list[TitleVariant],
           wording: Instructions | None = None) -> tuple[list[TitleVariant], list[Gap]]:
    """The real titles of `ideas` that differ from the article's title and from `kept`, and the
    gaps: each title that is not a real one or repeats another, five missing ones named too."""
    seen = {fold(article.title): "le titre actuel de l’article"}
    seen.update({fold(v.title): f"le titre « {v.title} »" for v in kept})
    found: list[TitleVariant] = []
    gaps: list[Gap] = []
    for i, idea in enumerate(ideas.titles, 1):
        label = f"le titre {i}"
        raw = clean_field(idea.title, guard).rstrip(" .")
        g = gap(f"titles.{i}", raw, Rule(label, TITLE_RULE.min_words, TITLE_RULE.min_chars, TITLE_RULE.expect),
                wording)
        if g:
            gaps.append(g)
            continue
        v = check_variant(idea, article, guard)
        key = fold(v.title)
        if key in seen:
            gaps.append(Gap(f"titles.{i}", label, f"reprend mot pour mot {seen[key]}"))
            continue
        seen[key] = f"le titre {i}"
        if len(kept) + len(found) < TITLE_COUNT:
            found.append(v)
    missing = TITLE_COUNT - len(kept) - len(found)
    if missing > 0 and len(ideas.titles) < TITLE_COUNT:
        gaps.append(Gap("titles", "la réponse", f"ne propose que {len(ideas.titles)} titre"
                        f"{'s' if len(ideas.titles) > 1 else ''} sur {TITLE_COUNT}"))
    return found, (gaps if missing > 0 else [])


async def suggest_titles(llm: LLMClient, dispatch: Dispatch, article: Article, guard: FidelityGuard, *,
                         house_style: str | None = None) -> TitleSet:
    usage = Usage()
    wording = instructions()
    ideas = await llm.complete(title_messages(dispatch, article, house_style=house_style), TitleIdeas, usage,
                               name="titres", temperature=0.8)
    variants, gaps = usable(ideas, article, guard, [], wording)
    if gaps:
        observe.repair_round()
        ideas = await llm.complete(title_messages(dispatch, article, house_style=house_style, repair=(ideas, gaps)),
                                   TitleIdeas, usage, name="titres", temperature=0.8)
        more, gaps = usable(ideas, article, guard, variants, wording)
        variants += more
        if len(variants) < TITLE_COUNT:
            raise IncompleteReply("des titres incomplets", gaps)
    return TitleSet(variants=variants, usage=usage)
