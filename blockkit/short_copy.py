"""Short copy in the thread: the five alternative titles (each one click from a new version)
and the social posts, laid out to be copied."""
from __future__ import annotations

from slack_sdk.models.blocks import ButtonElement, PlainTextObject, SectionBlock, MarkdownTextObject

from .article import _ISSUE_KINDS
from .base import NBSP, _context, _escaped_fit, _fr_int, _message, _plain, _section, escape_mrkdwn
from .ids import ACTION_PICK_TITLE, FALLBACK_TEXT_MAX

_GREEN_SCORE = 8


def pick_title_value(article_id: str, version: int, job_id: str, index: int) -> str:
    """« Choisir »: the article, its version, the job that proposed the titles, the title's rank."""
    return f"{article_id}:{int(version)}:{job_id}:{int(index)}"


def _issue_line(issues: list[dict]) -> str:
    shown = []
    for issue in issues[:4]:
        kind = _ISSUE_KINDS.get(str(issue.get("kind")), "point")
        shown.append(f"{kind} «{NBSP}{_escaped_fit(_plain(issue.get('text')), 120)}{NBSP}»")
    return f":warning: *À vérifier{NBSP}:* " + ", ".join(shown)


def _light(checks: list[dict]) -> str:
    scores = [int(c.get("score") or 0) for c in checks if isinstance(c, dict)]
    if not scores:
        return ""
    worst = min(scores)
    return ":large_green_circle:" if worst >= _GREEN_SCORE else (":large_orange_circle:" if worst > 4 else ":red_circle:")


def titles_message(variants: list[dict], *, article_id: str, version: int, job_id: str) -> dict:
    """One section per title with its SEO title, angle, checks and a « Choisir » button."""
    intro = f"*Titres possibles pour la version {int(version)}*{NBSP}: choisissez-en un pour créer une " \
            "nouvelle version avec ce titre et son titre SEO, sans réécrire le corps."
    blocks = [_section(intro)]
    for i, v in enumerate(variants):
        title = _escaped_fit(_plain(v.get("title")), 300)
        meta = _plain(v.get("meta_title"))
        angle = _escaped_fit(_plain(v.get("angle")), 40)
        lines = [f"*{i + 1}. {title}*",
                 f"Titre SEO{NBSP}: {_escaped_fit(meta, 200)} ({_fr_int(len(meta))} car.) "
                 f"{_light(v.get('checks') or [])}".rstrip()]
        if angle:
            lines.append(f"_Angle{NBSP}: {angle}_")
        bad = [c for c in v.get("checks") or [] if int(c.get("score") or 0) < _GREEN_SCORE]
        for c in bad:
            lines.append(f"• {_escaped_fit(_plain(c.get('message')), 200)}")
        if v.get("issues"):
            lines.append(_issue_line(v["issues"]))
        blocks.append(SectionBlock(
            text=MarkdownTextObject(text="\n".join(lines)),
            accessory=ButtonElement(text=PlainTextObject(text="Choisir", emoji=True), action_id=ACTION_PICK_TITLE,
                                    value=pick_title_value(article_id, version, job_id, i)),
        ).to_dict())
    if not variants:
        blocks.append(_context("Le modèle n’a proposé aucun titre utilisable : cliquez à nouveau sur *Titres*."))
    return _message(f"Titres possibles pour la version {int(version)}", blocks)


def social_message(texts: dict, fields: tuple, issues: list[dict], *, version: int) -> dict:
    """Each text in a code block (one click to copy in Slack), with its length and limit."""
    blocks = [_section(f"*Textes pour les réseaux sociaux (version {int(version)})*")]
    for name, label, limit in fields:
        text = _plain(texts.get(name))
        body = escape_mrkdwn(text).replace("```", "ʼʼʼ")
        blocks.append(_section(f"*{label}* ({_fr_int(len(text))}/{_fr_int(limit)} car.)\n```{body}```"))
    if issues:
        blocks.append(_section(_issue_line(issues)))
    elif all(_plain(texts.get(name)).strip() for name, _label, _limit in fields):  # never over nothing
        blocks.append(_context(":white_check_mark: Chiffres, noms et citations conformes à la dépêche."))
    return _message(_escaped_fit(f"Textes pour les réseaux sociaux (version {int(version)})", FALLBACK_TEXT_MAX),
                    blocks)
