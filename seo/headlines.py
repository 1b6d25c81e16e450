"""Alternative titles: five angles on the same story, each with its SEO title.

One cheap LLM call writes them; code then does what code can (typography, quotes put back
to the source's words, SEO title trimmed at a word boundary keeping the keyword) and checks
each one like the article: the fidelity guard (no figure, name or quotation that the source
does not hold) and the analysis's title checks (keyphrase in the SEO title, its width).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import BaseModel, ConfigDict, Field

from .analysis import Document, analyze
from .article import Article
from .checks import META_TITLE_MAX, clean_field, trim_at_word
from .cleaning import Dispatch
from .fidelity import FidelityGuard
from .keywords import contains_keyword
from .llm import LLMClient, Usage
from .prompts import SYSTEM_PROMPT, fence_dispatch, house_style_section

TITLE_COUNT = 5
TITLE_MAX = 110  # a title is a line, not a paragraph
TITLE_CHECKS = ("keyphraseInSEOTitle", "titleWidth")
ANGLES = ("factuel", "explicatif", "citation", "enjeux", "chiffre ou question")


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


def title_messages(dispatch: Dispatch, article: Article, *, house_style: str | None = None) -> list[dict]:
    task = (
        f"Proposez {TITLE_COUNT} titres pour l’article ci-dessous, chacun avec son titre SEO, "
        f"sous des angles différents ({', '.join(ANGLES)}). Règles : mot-clé principal "
        f"« {article.focus_keyword} » au début du titre et du titre SEO ; titre SEO de "
        f"{META_TITLE_MAX} caractères au plus ; titre de moins de {TITLE_MAX} caractères ; "
        "aucun fait, chiffre, nom ni citation qui ne soit dans la dépêche ; une citation entre « » "
        "reprend mot pour mot la dépêche ; pas de point final ni de point d’exclamation ; "
        "majuscule au premier mot et aux noms propres seulement."
    )
    parts = ["## Dépêche source", fence_dispatch(dispatch)]
    parts += house_style_section(house_style)
    parts += ["## Tâche", task, "## Article actuel",
              f"Titre : {article.title}\nChapô : {article.lead}\n"
              "Intertitres : " + " ; ".join(s.heading for s in article.sections)]
    return [{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": "\n".join(parts)}]


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
    return TitleVariant(angle=clean_field(idea.angle)[:40], title=title, meta_title=meta_title,
                        checks=checks, issues=issues)


async def suggest_titles(llm: LLMClient, dispatch: Dispatch, article: Article, guard: FidelityGuard, *,
                         house_style: str | None = None) -> TitleSet:
    usage = Usage()
    ideas = await llm.complete(title_messages(dispatch, article, house_style=house_style), TitleIdeas, usage,
                               name="titres", temperature=0.8)
    variants: list[TitleVariant] = []
    seen: set[str] = {article.title.casefold()}
    for idea in ideas.titles:
        v = check_variant(idea, article, guard)
        if not v.title or v.title.casefold() in seen:
            continue
        seen.add(v.title.casefold())
        variants.append(v)
        if len(variants) == TITLE_COUNT:
            break
    return TitleSet(variants=variants, usage=usage)
