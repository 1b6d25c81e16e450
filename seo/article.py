"""The article model shared by the pipeline, the renderers and the front ends."""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid")

    heading: str = Field(description="Intertitre, en minuscules sauf la première lettre et les noms propres")
    body: str = Field(description="Paragraphes de la section, séparés par une ligne vide")


class Draft(BaseModel):
    """What the LLM writes (structured output). Slug and credit are set by code."""

    model_config = ConfigDict(extra="forbid")

    focus_keyword: str = Field(description="Mot-clé principal, 1 à 4 mots, tel qu'un lecteur le chercherait")
    title: str = Field(description="Titre de l'article, mot-clé principal au début")
    meta_title: str = Field(description="Titre SEO, 60 caractères au plus, mot-clé au début")
    meta_description: str = Field(description="Méta-description de 120 à 156 caractères contenant le mot-clé")
    secondary_keywords: list[str] = Field(description="2 à 4 mots-clés secondaires")
    keyword_suggestions: list[str] = Field(description="3 à 5 autres mots-clés principaux possibles")
    lead: str = Field(description="Chapô : 2 ou 3 phrases qui contiennent le mot-clé principal")
    sections: list[Section] = Field(description="Au moins 4 sections, chacune avec un intertitre")


class Link(BaseModel):
    """A link that code verified (never one the model wrote): an internal post of the newsroom's
    WordPress, or the source's own page. `anchor` is an exact phrase of the body (internal) or
    the text of the source line (source)."""

    model_config = ConfigDict(extra="forbid")

    url: str
    anchor: str
    kind: Literal["internal", "source"] = "internal"
    title: str = ""  # the linked post's title, as the site gives it
    post_id: int | None = None


class Article(Draft):
    slug: str = ""
    credit: str | None = None
    links: list[Link] = Field(default_factory=list)  # set by code only, never by the model

    def body_text(self) -> str:
        """Lead, subheadings and paragraphs: what counts as the body."""
        parts = [self.lead]
        for s in self.sections:
            parts += [s.heading, s.body]
        return "\n\n".join(p for p in parts if p)

    def to_contract(self) -> dict:
        """The `article` object of the JSON contract (DESIGN.md), fields in order."""
        return {
            "title": self.title,
            "meta_title": self.meta_title,
            "meta_description": self.meta_description,
            "slug": self.slug,
            "focus_keyword": self.focus_keyword,
            "secondary_keywords": list(self.secondary_keywords),
            "keyword_suggestions": list(self.keyword_suggestions),
            "lead": self.lead,
            "sections": [{"heading": s.heading, "body": s.body} for s in self.sections],
            "credit": self.credit,
            "links": [link.model_dump() for link in self.links],
        }
