"""The article as thread messages: head, body split within Slack's limits, meta, checks, buttons."""
from __future__ import annotations

from collections import deque

from slack_sdk.models.blocks import ActionsBlock, ContextActionsBlock, FeedbackButtonsElement
from slack_sdk.models.blocks.basic_components import FeedbackButtonObject

from .base import (
    NBSP,
    _button,
    _capped_list,
    _context,
    _escaped_fit,
    _first_sentence,
    _fr_int,
    _header,
    _markdown,
    _message,
    _plain,
    _plural,
    _score,
    _section,
    _user_mention,
    blocks_size,
    neutralize_markdown,
)
from .ids import (
    _ATOM_LIMIT,
    _CHECKS_TEXT_MAX,
    _GREEN_SCORE,
    ACTION_CHANGE_KEYWORD,
    ACTION_EXPORT,
    ACTION_FEEDBACK,
    ACTION_REGENERATE,
    ACTION_SHORTEN,
    ACTION_SOCIAL,
    ACTION_TITLES,
    ACTION_WORDPRESS,
    BLOCKS_CHAR_BUDGET,
    FALLBACK_TEXT_MAX,
    HEADER_TEXT_MAX,
    MARKDOWN_TEXT_MAX,
    MAX_BLOCKS,
    SECTION_TEXT_MAX,
)
from .split import _atoms

_ISSUE_KINDS = {"quote": "citation", "number": "chiffre", "name": "nom", "link": "lien"}


def article_button_value(article_id: str, version: int) -> str:
    """The value of the four article buttons: f"{article_id}:{version}"."""
    return f"{article_id}:{int(version)}"


# --------------------------------------------------------------------------- article

def _article_head(article: dict, report: dict, *, version: int, requested_by: str | None) -> list[dict]:
    title = _plain(article.get("title")) or "Article sans titre"
    blocks = [_header(title)]
    if len(neutralize_markdown(title)) > HEADER_TEXT_MAX:
        # The header is shortened: the full title opens the body.
        blocks.append(_section(f"*{_escaped_fit(title, SECTION_TEXT_MAX - 2)}*"))
    seo = report.get("seo") or {}
    readability = report.get("readability") or {}
    words = report.get("word_count")
    keyword = _escaped_fit(_plain(article.get("focus_keyword")) or "–", 150)
    facts = [
        f"Mot-clé principal{NBSP}: *{keyword}*",
        f"{_fr_int(words)} {_plural(words, 'mot', 'mots')}",
        f"SEO {_score(seo.get('score'))}/100",
        f"Lisibilité {_score(readability.get('score'))}/100",
        f"Version {int(version)}",
    ]
    if requested_by:
        facts.append(f"Demandé par {_user_mention(requested_by)}")
    blocks.append(_context(" · ".join(facts)))
    return blocks


def _continuation_head(index: int, total: int) -> list[dict]:
    return [_context(f"Suite de l’article ({index}/{total})")]


def _meta_section(article: dict) -> dict:
    def line(label: str, value: str, cap: int, code: bool = False) -> str:
        shown = _escaped_fit(value, cap) if value else "_(vide)_"
        if value and code:
            shown = f"`{shown}`"
        return f"*{label}{NBSP}:* {shown} ({_fr_int(len(value))} car.)"

    meta_title = _plain(article.get("meta_title"))
    meta_description = _plain(article.get("meta_description"))
    slug = _plain(article.get("slug"))
    lines = [
        line("Titre SEO", meta_title, 400),
        line("Méta-description", meta_description, 800),
        line("Slug", slug, 400, code=True),
    ]
    secondary = [_plain(k) for k in article.get("secondary_keywords") or [] if _plain(k)]
    if secondary:
        lines.append(f"*Mots-clés secondaires{NBSP}:* {_escaped_fit(', '.join(secondary), 600)}")
    credit = _plain(article.get("credit"))
    if credit:
        lines.append(f"*Crédit{NBSP}:* {_escaped_fit(credit, 300)}")
    return _section("\n".join(lines))



def _fidelity_blocks(fidelity: dict) -> list[dict]:
    issues = [i for i in fidelity.get("issues") or [] if isinstance(i, dict)]
    if not issues:
        if fidelity.get("ok", True):
            return [_context(":white_check_mark: Citations, chiffres et noms conformes à la dépêche.")]
        return [_section(":warning: *À vérifier*\nLa vérification de fidélité n’a pas abouti"
                         f"{NBSP}: relisez les citations, les chiffres et les noms.")]
    bullets = []
    for issue in issues:
        kind = _ISSUE_KINDS.get(str(issue.get("kind")), _plain(issue.get("kind")) or "point")
        quoted = _plain(issue.get("text")).strip("«»“”\"" + NBSP + "\u202f ")
        bullet = f"• {kind}{NBSP}: «{NBSP}{_escaped_fit(quoted, 280)}{NBSP}»"
        detail = _plain(issue.get("detail"))
        if detail:
            bullet += f" — {_escaped_fit(detail, 300)}"
        bullets.append(bullet)
    return [_section(_capped_list(":warning: *À vérifier*", bullets, SECTION_TEXT_MAX))]


def _checks_block(report: dict) -> list[dict]:
    checks = []
    for part in ("seo", "readability"):
        for check in (report.get(part) or {}).get("checks") or []:
            if not isinstance(check, dict):
                continue
            try:
                score = int(check.get("score"))
            except (TypeError, ValueError):
                continue
            if score < _GREEN_SCORE:
                checks.append((score, check))
    if not checks:
        return []
    checks.sort(key=lambda sc: sc[0])
    bullets = []
    for score, check in checks:
        emoji = ":red_circle:" if score <= 4 else ":large_orange_circle:"
        message = _plain(check.get("message")) or _plain(check.get("id"))
        bullets.append(f"• {emoji} {_escaped_fit(message, 300)}")
    return [_section(_capped_list("*Points à améliorer (SEO et lisibilité)*", bullets, _CHECKS_TEXT_MAX))]


def _article_actions(article_id: str, version: int, *, wordpress: bool = False) -> dict:
    value = article_button_value(article_id, version)
    elements = [
        _button("Régénérer", ACTION_REGENERATE, value),
        _button("Raccourcir", ACTION_SHORTEN, value),
        _button("Changer le mot-clé", ACTION_CHANGE_KEYWORD, value),
        _button("Exporter", ACTION_EXPORT, value),
        _button("Titres", ACTION_TITLES, value),
        _button("Réseaux sociaux", ACTION_SOCIAL, value),
    ]
    if wordpress:
        elements.append(_button("WordPress", ACTION_WORDPRESS, value))
    return ActionsBlock(elements=elements).to_dict()


def feedback_value(article_id: str, version: int, vote: str) -> str:
    """The value of a 👍 / 👎 button: f"{article_id}:{version}:{vote}", vote "up" or "down"."""
    return f"{article_id}:{int(version)}:{vote}"


def _feedback_block(article_id: str, version: int) -> dict:
    return ContextActionsBlock(elements=[FeedbackButtonsElement(
        action_id=ACTION_FEEDBACK,
        positive_button=FeedbackButtonObject(text=":+1:", accessibility_label="Version utile",
                                             value=feedback_value(article_id, version, "up")),
        negative_button=FeedbackButtonObject(text=":-1:", accessibility_label="Version à revoir",
                                             value=feedback_value(article_id, version, "down")),
    )]).to_dict()


def _footer(article: dict, report: dict, *, version: int, article_id: str, wordpress: bool = False) -> list[dict]:
    footer = [_meta_section(article)]
    footer += _fidelity_blocks(report.get("fidelity") or {})
    footer += _checks_block(report)
    footer.append(_article_actions(article_id, version, wordpress=wordpress))
    footer.append(_feedback_block(article_id, version))
    return footer


def streamed_article_blocks(article: dict, report: dict, *, version: int, article_id: str,
                            requested_by: str | None = None, wordpress: bool = False) -> list[dict]:
    """What chat.stopStream adds under a streamed article that passed its checks: the key facts,
    the SEO fields, « À vérifier », the checks that are not green, the buttons and 👍 / 👎 (the
    streamed Markdown above them already holds the title and the body)."""
    report = report or {}
    head = _article_head(article, report, version=version, requested_by=requested_by)
    facts = [b for b in head if b.get("type") == "context"]
    return facts + _footer(article, report, version=version, article_id=article_id, wordpress=wordpress)


def draft_label_blocks() -> list[dict]:
    """Under a streamed draft that the checks sent back for corrections."""
    return [_context(":hourglass_flowing_sand: _Brouillon en cours de vérification…_ "
                     "La version vérifiée le remplacera ici.")]


def _fits_with(prefix: list[dict], text: str, suffix: tuple[dict, ...] = ()) -> bool:
    """Would prefix + a markdown block of `text` + suffix make a valid message?"""
    if len(text) > MARKDOWN_TEXT_MAX:
        return False
    return _fits(list(prefix) + [_markdown(text)] + list(suffix))


def _fits(blocks: list[dict]) -> bool:
    markdown_chars = sum(len(b.get("text", "")) for b in blocks if b.get("type") == "markdown")
    return (len(blocks) <= MAX_BLOCKS and markdown_chars <= MARKDOWN_TEXT_MAX
            and blocks_size(blocks) <= BLOCKS_CHAR_BUDGET)


def article_messages(article: dict, report: dict, markdown_body: str, *, version: int, article_id: str,
                     requested_by: str | None = None, wordpress: bool = False) -> list[dict]:
    """The article as one or more thread messages ({"text", "blocks"}), to post in order.

    First message: header (title, shortened at a word if over 150 chars, the full title
    then opening the body), the key facts, the body in a `markdown` block. Longer bodies
    continue in further messages ("Suite de l’article (2/3)"), split between sections,
    else paragraphs, else sentences; the concatenation of the markdown blocks' texts is
    the (neutralised) body, nothing cut. The last message ends with the SEO fields,
    "À vérifier", the checks that are not green and the four buttons (a fifth, WordPress, when
    `wordpress`).
    """
    report = report or {}
    title = _plain(article.get("title")) or "Article sans titre"
    head = _article_head(article, report, version=version, requested_by=requested_by)
    cont_probe = _continuation_head(999, 999)
    footer = _footer(article, report, version=version, article_id=article_id, wordpress=wordpress)

    body = neutralize_markdown(markdown_body or "")
    atoms = deque(a for a in _atoms(body, _ATOM_LIMIT) if a)
    chunks: list[str] = []
    cur = ""
    while atoms:
        atom = atoms.popleft()
        prefix = head if not chunks else cont_probe
        if cur and _fits_with(prefix, cur + atom):
            cur += atom
            continue
        if cur:
            chunks.append(cur)
            cur = ""
            prefix = cont_probe
        if _fits_with(prefix, atom):
            cur = atom
        else:  # heavy JSON escaping: split this piece finer and retry
            atoms.extendleft(reversed(_atoms(atom, max(len(atom) // 2, 1))))
    if cur:
        chunks.append(cur)

    # Which prefix each message gets (total filled in once known).
    bodies: list[list[dict]] = [[_markdown(c)] for c in chunks] or [[]]
    last_prefix = head if len(bodies) == 1 else cont_probe
    footer_alone = not _fits(last_prefix + bodies[-1] + footer)
    if footer_alone:
        bodies.append([])
    total = len(bodies)

    first_text = _escaped_fit(f"{title} — {_first_sentence(article.get('lead') or '')}".rstrip(" —"),
                              FALLBACK_TEXT_MAX)
    messages = []
    for i, body_blocks in enumerate(bodies):
        if i == 0:
            blocks = head + body_blocks
            text = first_text
        else:
            blocks = _continuation_head(i + 1, total) + body_blocks
            text = _escaped_fit(f"Suite de l’article «{NBSP}{title}{NBSP}» ({i + 1}/{total})",
                                FALLBACK_TEXT_MAX)
        if i == total - 1:
            blocks = blocks + footer
        messages.append(_message(text, blocks))
    return messages


