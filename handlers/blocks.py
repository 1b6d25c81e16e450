"""Pure Block Kit rendering: messages, modals and the App Home view.

No network, no Slack client, no business logic: every function takes plain data
and returns plain dicts (``{"text": ..., "blocks": [...]}`` for messages, a view
dict for modals and the Home tab), built with slack_sdk's Block Kit models.

Slack limits honoured here (DESIGN.md, "Slack behaviour"): 50 blocks per
message, 3 000 chars per section text, 150 per header, 75 per button label,
2 000 per button value, 10 elements per context block (2 000 chars each),
12 000 chars of ``markdown`` blocks per message and, to stay clear of
``msg_blocks_too_long`` (about 13 000), at most ``BLOCKS_CHAR_BUDGET`` chars of
serialised blocks per message (``json.dumps(blocks, ensure_ascii=False)``).
A longer article is split across several thread messages; text is never cut.

Escaping: user or LLM text that goes into ``mrkdwn`` (sections, contexts, the
``text`` fallback) has ``&``, ``<`` and ``>`` escaped, so nothing becomes a
mention or a link; in ``markdown`` blocks, ``<!``, ``<@`` and a bare
``@here``/``@channel``/``@everyone`` are broken with a zero-width space.

French typography of the interface strings: typographic apostrophe (’),
« » with no-break spaces inside, a no-break space (U+00A0) before ``: ; ! ?``.
A bold label keeps its colon inside the asterisks (``*Slug :*``) so Slack's
bold markers always touch ordinary spaces.
"""
from __future__ import annotations

import json
import re
from collections import deque
from datetime import datetime, timezone
from typing import Any, Callable, Iterable

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    CheckboxesElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    InputBlock,
    MarkdownBlock,
    MarkdownTextObject,
    NumberInputElement,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    RadioButtonsElement,
    SectionBlock,
)
from slack_sdk.models.views import View

__all__ = [
    # action ids (messages)
    "ACTION_REGENERATE", "ACTION_SHORTEN", "ACTION_CHANGE_KEYWORD", "ACTION_EXPORT", "ACTION_RETRY",
    "ARTICLE_ACTIONS",
    # view callback ids
    "DISPATCH_MODAL", "KEYWORD_MODAL", "SETTINGS_MODAL",
    # block / action ids inside modals
    "DISPATCH_BLOCK", "DISPATCH_ACTION", "KEYWORD_BLOCK", "KEYWORD_ACTION",
    "SUGGESTION_BLOCK", "SUGGESTION_ACTION", "MIN_WORDS_BLOCK", "MIN_WORDS_ACTION",
    "CREDIT_BLOCK", "CREDIT_ACTION", "WATCH_BLOCK", "WATCH_ACTION", "WATCH_OPTION",
    # limits
    "MAX_BLOCKS", "SECTION_TEXT_MAX", "HEADER_TEXT_MAX", "BUTTON_LABEL_MAX", "BUTTON_VALUE_MAX",
    "CONTEXT_ELEMENTS_MAX", "CONTEXT_TEXT_MAX", "MARKDOWN_TEXT_MAX", "BLOCKS_CHAR_BUDGET",
    "FALLBACK_TEXT_MAX", "DISPATCH_INPUT_MAX", "MIN_WORDS_RANGE", "STATUS_STEPS", "COMMAND",
    # functions
    "article_messages", "parent_message", "status_message", "error_message", "notice_message",
    "dispatch_modal", "keyword_modal", "settings_modal", "help_blocks", "home_view",
    "split_markdown", "escape_mrkdwn", "neutralize_markdown", "article_button_value", "blocks_size",
]

# --------------------------------------------------------------------------- contract ids

COMMAND = "/seo-fr"

# Buttons under an article; value = f"{article_id}:{version}" (parse with rsplit(":", 1)).
ACTION_REGENERATE = "seo_regenerate"
ACTION_SHORTEN = "seo_shorten"
ACTION_CHANGE_KEYWORD = "seo_change_keyword"
ACTION_EXPORT = "seo_export"
# Button under an error; value = the opaque job reference given to error_message().
ACTION_RETRY = "seo_retry"
ARTICLE_ACTIONS = (ACTION_REGENERATE, ACTION_SHORTEN, ACTION_CHANGE_KEYWORD, ACTION_EXPORT)

# View callback ids; each modal's private_metadata is the caller's JSON string, untouched.
DISPATCH_MODAL = "seo_dispatch_modal"
KEYWORD_MODAL = "seo_keyword_modal"
SETTINGS_MODAL = "seo_settings_modal"

# Inside modals: view["state"]["values"][BLOCK][ACTION]
#   dispatch modal: DISPATCH_* (plain_text_input, "value"), KEYWORD_* (optional, "value")
#   keyword modal:  SUGGESTION_* (radio_buttons, "selected_option"["value"], optional,
#                   present only when there are suggestions), KEYWORD_* (optional, "value")
#   settings modal: MIN_WORDS_* (number_input, "value" as a string), CREDIT_* (optional,
#                   "value"), WATCH_* (checkboxes, "selected_options"; watch mode on when it
#                   holds WATCH_OPTION)
DISPATCH_BLOCK = "dispatch"
DISPATCH_ACTION = "dispatch_input"
KEYWORD_BLOCK = "keyword"
KEYWORD_ACTION = "keyword_input"
SUGGESTION_BLOCK = "suggestion"
SUGGESTION_ACTION = "suggestion_select"
MIN_WORDS_BLOCK = "min_words"
MIN_WORDS_ACTION = "min_words_input"
CREDIT_BLOCK = "credit"
CREDIT_ACTION = "credit_input"
WATCH_BLOCK = "watch"
WATCH_ACTION = "watch_input"
WATCH_OPTION = "watch"

# --------------------------------------------------------------------------- limits

MAX_BLOCKS = 50
SECTION_TEXT_MAX = 3000
HEADER_TEXT_MAX = 150
BUTTON_LABEL_MAX = 75
BUTTON_VALUE_MAX = 2000
CONTEXT_ELEMENTS_MAX = 10
CONTEXT_TEXT_MAX = 2000
MARKDOWN_TEXT_MAX = 12000          # per message, across its markdown blocks
BLOCKS_CHAR_BUDGET = 12000         # serialised blocks of one message (Slack fails near 13 000)
FALLBACK_TEXT_MAX = 300            # our own cap for the notification `text`
DISPATCH_INPUT_MAX = 3000          # Slack's ceiling for plain_text_input max_length (1..3000)
KEYWORD_INPUT_MAX = 100
CREDIT_INPUT_MAX = 100
MIN_WORDS_RANGE = (300, 3000)
VIEW_TITLE_MAX = 24
RADIO_OPTIONS_MAX = 10
OPTION_TEXT_MAX = 75
OPTION_VALUE_MAX = 150
HOME_RECENT_MAX = 10

_ATOM_LIMIT = 8000                 # first split of the body before packing it into messages
_CHECKS_TEXT_MAX = 2000            # the "points à améliorer" section, kept compact
_GREEN_SCORE = 8                   # Yoast: 8–9 green, 5–7 orange, 0–4 red

NBSP = "\u00a0"
_ZWSP = "\u200b"

STATUS_STEPS = ("queued", "cleaning", "drafting", "checking", "repairing", "revising", "finishing")
_STATUS_LABELS = {
    "queued": ":hourglass_flowing_sand: En file d’attente",
    "cleaning": ":broom: Analyse de la dépêche",
    "drafting": ":pencil2: Rédaction de l’article",
    "checking": ":mag: Vérification des citations et des chiffres",
    "repairing": ":wrench: Corrections",
    "revising": ":arrows_counterclockwise: Préparation de la nouvelle version",
    "finishing": ":sparkles: Mise en forme et analyse SEO",
}
_STATUS_FALLBACK = ":gear: Traitement en cours"

_ISSUE_KINDS = {"quote": "citation", "number": "chiffre", "name": "nom"}

# --------------------------------------------------------------------------- escaping

_BARE_BROADCAST = re.compile(r"(?<![\w.@])@(here|channel|everyone)\b", re.IGNORECASE)


def escape_mrkdwn(text: str) -> str:
    """Escape text for a mrkdwn field: &, <, > as entities; bare @here & co. broken."""
    text = str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _BARE_BROADCAST.sub(lambda m: "@" + _ZWSP + m.group(1), text)


def neutralize_markdown(text: str) -> str:
    """Make a `markdown` block's text inert: no <!channel>, <@U…>, @here pings."""
    text = text.replace("<!", "<" + _ZWSP + "!").replace("<@", "<" + _ZWSP + "@")
    return _BARE_BROADCAST.sub(lambda m: "@" + _ZWSP + m.group(1), text)


_SPACES = re.compile(r"[^\S\u00a0\u202f\u2007]+")   # whitespace runs, no-break spaces kept


def _plain(text: Any) -> str:
    """One line of plain text (for headers, labels, options)."""
    return _SPACES.sub(" ", str(text or "")).strip(" ")


def shorten(text: str, limit: int, ellipsis: str = "…") -> str:
    """`text` if it fits, else cut at the last word boundary before `limit` with an ellipsis."""
    if len(text) <= limit:
        return text
    room = max(limit - len(ellipsis), 0)
    cut = text[:room]
    space = cut.rfind(" ")
    if space > room // 2:
        cut = cut[:space]
    cut = cut.rstrip(" ,;:.-–—" + NBSP)
    return cut + ellipsis


def _escaped_fit(text: str, limit: int) -> str:
    """Shorten then escape, so that the *escaped* text is at most `limit` chars."""
    raw_limit = limit
    while True:
        out = escape_mrkdwn(shorten(text, raw_limit))
        if len(out) <= limit or raw_limit <= 1:
            return out[:limit]
        raw_limit -= max(len(out) - limit, 1)


def _fr_int(n: Any) -> str:
    try:
        return f"{int(n):,}".replace(",", NBSP)
    except (TypeError, ValueError):
        return "–"


def _plural(n: Any, singular: str, plural: str) -> str:
    try:
        return singular if abs(int(n)) < 2 else plural
    except (TypeError, ValueError):
        return plural


def _score(value: Any) -> str:
    return "–" if value is None else str(value)


def blocks_size(blocks: list[dict]) -> int:
    """How we measure a message against BLOCKS_CHAR_BUDGET."""
    return len(json.dumps(blocks, ensure_ascii=False))


# --------------------------------------------------------------------------- splitting

_HEADING_START = re.compile(r"(?m)^#{1,6}[ \t]")
_PARAGRAPH_END = re.compile(r"\n[ \t]*\n\s*")
_SENTENCE_END = re.compile(r"[.!?…]+(?:[ \u00a0\u202f]?[»”\"’)])*[ \t\n]+")
_WORD_END = re.compile(r"[ \t\n]+")


def _cut_before(text: str, pattern: re.Pattern) -> list[str]:
    cuts = [m.start() for m in pattern.finditer(text) if m.start() > 0]
    return _cut_at(text, cuts)


def _cut_after(text: str, pattern: re.Pattern) -> list[str]:
    cuts = [m.end() for m in pattern.finditer(text) if 0 < m.end() < len(text)]
    return _cut_at(text, cuts)


def _cut_at(text: str, cuts: list[int]) -> list[str]:
    pieces, start = [], 0
    for c in cuts:
        if c > start:
            pieces.append(text[start:c])
            start = c
    pieces.append(text[start:])
    return [p for p in pieces if p]


def _glue_headings(parts: list[str], limit: int) -> list[str]:
    """Keep a lone heading paragraph with the paragraph that follows it."""
    out: list[str] = []
    i = 0
    while i < len(parts):
        p = parts[i]
        if _HEADING_START.match(p) and i + 1 < len(parts) and len(p) + len(parts[i + 1]) <= limit:
            out.append(p + parts[i + 1])
            i += 2
        else:
            out.append(p)
            i += 1
    return out


_LEVELS: list[Callable[[str], list[str]]] = [
    lambda t: _cut_before(t, _HEADING_START),   # sections
    lambda t: _cut_after(t, _PARAGRAPH_END),    # paragraphs
    lambda t: _cut_after(t, _SENTENCE_END),     # sentences
    lambda t: _cut_after(t, _WORD_END),         # words
]


def _atoms(text: str, limit: int, level: int = 0) -> list[str]:
    """Lossless split into pieces of at most `limit` chars, coarsest boundaries first."""
    if len(text) <= limit:
        return [text] if text else []
    if level >= len(_LEVELS):
        return [text[i:i + limit] for i in range(0, len(text), limit)]
    parts = _LEVELS[level](text)
    if len(parts) <= 1:
        return _atoms(text, limit, level + 1)
    if level == 1:
        parts = _glue_headings(parts, limit)
    out: list[str] = []
    for p in parts:
        out += _atoms(p, limit, level + 1)
    return out


def split_markdown(markdown_body: str, limit: int) -> list[str]:
    """Split Markdown into chunks of at most `limit` chars, never losing a character.

    ``"".join(split_markdown(s, n)) == s`` always holds: separators stay at the end of
    the chunk they follow. Cuts fall between sections (before a ``#`` heading line);
    a section longer than `limit` is cut between paragraphs (a heading stays with its
    first paragraph), a paragraph longer than `limit` between sentences, then words.
    """
    if limit < 1:
        raise ValueError("limit must be positive")
    chunks: list[str] = []
    cur = ""
    for atom in _atoms(markdown_body, limit):
        if cur and len(cur) + len(atom) <= limit:
            cur += atom
        else:
            if cur:
                chunks.append(cur)
            cur = atom
    if cur:
        chunks.append(cur)
    return chunks


# --------------------------------------------------------------------------- small builders

def _section(text: str) -> dict:
    return SectionBlock(text=MarkdownTextObject(text=text)).to_dict()


def _context(*texts: str) -> dict:
    return ContextBlock(elements=[MarkdownTextObject(text=t) for t in texts]).to_dict()


def _header(text: str) -> dict:
    # plain_text is not parsed for mentions; neutralised anyway, invisibly.
    return HeaderBlock(text=PlainTextObject(text=neutralize_markdown(text), emoji=True)).to_dict()


def _markdown(text: str) -> dict:
    return MarkdownBlock(text=text).to_dict()


def _button(label: str, action_id: str, value: str, style: str | None = None) -> ButtonElement:
    if len(value) > BUTTON_VALUE_MAX:
        raise ValueError(f"button value longer than {BUTTON_VALUE_MAX} chars")
    return ButtonElement(text=PlainTextObject(text=label, emoji=True), action_id=action_id,
                         value=value, style=style)


def _message(text: str, blocks: list[dict]) -> dict:
    return {"text": text, "blocks": blocks}


def _first_sentence(text: str) -> str:
    text = _plain(text)
    m = _SENTENCE_END.search(text + " ")
    return text[:m.end()].strip() if m else text


def article_button_value(article_id: str, version: int) -> str:
    """The value of the four article buttons: f"{article_id}:{version}"."""
    return f"{article_id}:{int(version)}"


# --------------------------------------------------------------------------- article

def _article_head(article: dict, report: dict, *, version: int, requested_by: str | None) -> list[dict]:
    title = _plain(article.get("title")) or "Article sans titre"
    blocks = [_header(shorten(title, HEADER_TEXT_MAX))]
    if len(title) > HEADER_TEXT_MAX:
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


def _capped_list(title: str, items: Iterable[str], limit: int) -> str:
    """`title` then one bullet per item, as many as fit in `limit`, then "… et N autres"."""
    items = list(items)
    text = title
    reserve = len("\n… et 9999 autres")
    for i, item in enumerate(items):
        candidate = f"{text}\n{item}"
        left = len(items) - i - 1
        if len(candidate) + (reserve if left else 0) > limit:
            rest = len(items) - i
            return f"{text}\n… et {rest} {_plural(rest, 'autre', 'autres')}"
        text = candidate
    return text


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


def _article_actions(article_id: str, version: int) -> dict:
    value = article_button_value(article_id, version)
    return ActionsBlock(elements=[
        _button("Régénérer", ACTION_REGENERATE, value),
        _button("Raccourcir", ACTION_SHORTEN, value),
        _button("Changer le mot-clé", ACTION_CHANGE_KEYWORD, value),
        _button("Exporter", ACTION_EXPORT, value),
    ]).to_dict()


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
                     requested_by: str | None = None) -> list[dict]:
    """The article as one or more thread messages ({"text", "blocks"}), to post in order.

    First message: header (title, shortened at a word if over 150 chars, the full title
    then opening the body), the key facts, the body in a `markdown` block. Longer bodies
    continue in further messages ("Suite de l’article (2/3)"), split between sections,
    else paragraphs, else sentences; the concatenation of the markdown blocks' texts is
    the (neutralised) body, nothing cut. The last message ends with the SEO fields,
    "À vérifier", the checks that are not green and the four buttons.
    """
    report = report or {}
    title = _plain(article.get("title")) or "Article sans titre"
    head = _article_head(article, report, version=version, requested_by=requested_by)
    cont_probe = _continuation_head(999, 999)
    footer = [_meta_section(article)]
    footer += _fidelity_blocks(report.get("fidelity") or {})
    footer += _checks_block(report)
    footer.append(_article_actions(article_id, version))

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


# --------------------------------------------------------------------------- thread messages

_USER_ID = re.compile(r"^[UWB][A-Z0-9]+$")


def _user_mention(user_id: str) -> str:
    user_id = str(user_id or "").strip()
    return f"<@{user_id}>" if _USER_ID.match(user_id) else escape_mrkdwn(user_id or "?")


def parent_message(user_id: str, dispatch_excerpt: str) -> dict:
    """The channel message that opens the thread: who asked, and the dispatch's first words."""
    intro = f"Réécriture SEO demandée par {_user_mention(user_id)}"
    words = _plain(dispatch_excerpt).split(" ")
    excerpt = " ".join(words[:25]) + ("…" if len(words) > 25 else "")
    excerpt = _escaped_fit(excerpt, 1500) if excerpt else ""
    blocks = [_section(f"{intro}\n>{excerpt}" if excerpt else intro)]
    return _message(intro, blocks)


def status_message(step: str, *, detail: str | None = None) -> dict:
    """The status line updated while the job runs (steps: STATUS_STEPS)."""
    label = _STATUS_LABELS.get(step, _STATUS_FALLBACK)
    if detail:
        label += f" ({_escaped_fit(_plain(detail), 500)})"
    label += "…"
    return _message(label, [_section(label)])


def error_message(message: str, *, retry_value: str | None) -> dict:
    """A failure in the thread: ":x:" and the French message, with "Réessayer" if retry_value."""
    text = f":x: {_escaped_fit(str(message or '').strip(), SECTION_TEXT_MAX - 10)}"
    blocks = [_section(text)]
    if retry_value:
        blocks.append(ActionsBlock(elements=[
            _button("Réessayer", ACTION_RETRY, retry_value, style="primary"),
        ]).to_dict())
    return _message(_escaped_fit(f":x: {_plain(message)}", FALLBACK_TEXT_MAX), blocks)


def notice_message(message: str) -> dict:
    """A simple information (ephemerals, "already running", …); the text is escaped."""
    text = _escaped_fit(str(message or "").strip(), SECTION_TEXT_MAX)
    return _message(_escaped_fit(_plain(message), FALLBACK_TEXT_MAX), [_section(text)])


# --------------------------------------------------------------------------- help & home

def _how_to_lines(bot: str) -> list[str]:
    return [
        f"• `{COMMAND} &lt;dépêche&gt;`{NBSP}: collez la dépêche après la commande{NBSP}; "
        "l’article arrive dans un fil sous le message.",
        f"• `{COMMAND}` seul{NBSP}: ouvre un formulaire (dépêche, mot-clé facultatif).",
        f"• Mentionnez {bot} dans un message qui contient la dépêche, ou envoyez-la-lui "
        "en message privé, en texte ou, pour une dépêche longue, en extrait de texte (snippet).",
        "• Dans un canal surveillé, toute dépêche collée est réécrite, sans mention.",
    ]


def _revise_lines() -> list[str]:
    return [
        "• Répondez dans le fil de l’article, par exemple «\u00a0ajoute un intertitre sur la "
        "Russie\u00a0», «\u00a0plus court\u00a0» ou «\u00a0mot-clé\u00a0: sommet de Vilnius\u00a0»\u00a0: "
        "vous obtenez une nouvelle version. Les commandes slash ne fonctionnent pas dans les fils.",
        "• *Régénérer*\u00a0: une nouvelle version. *Raccourcir*\u00a0: plus court, jamais sous "
        "le minimum de mots. *Changer le mot-clé*\u00a0: une version optimisée pour un autre "
        "mot-clé. *Exporter*\u00a0: fichiers `.md` et `.html` dans le fil.",
        "• Les citations sont reprises mot pour mot et les chiffres et les noms vérifiés "
        "dans la dépêche{0}; ce qui ne l’est pas est signalé sous «\u00a0À vérifier\u00a0».".format(NBSP),
    ]


def help_blocks(*, bot_user_id: str | None = None) -> dict:
    """`/seo-fr aide`: how to use the bot (text + blocks, for an ephemeral answer)."""
    bot = _user_mention(bot_user_id) if bot_user_id else "le bot"
    blocks = [
        _header(f"Réécriture SEO{NBSP}: mode d’emploi"),
        _section("Le bot réécrit une dépêche (AFP, Reuters, communiqué) en article français "
                 "optimisé pour le référencement{0}: titre, titre SEO, méta-description, slug, "
                 "mot-clé principal, chapô et intertitres.".format(NBSP)),
        _section("*Lancer une réécriture*\n" + "\n".join(_how_to_lines(bot))),
        _section("*Réviser l’article*\n" + "\n".join(_revise_lines())),
        _section("*Réglages et aide*\n"
                 f"• `{COMMAND} réglages`{NBSP}: nombre minimal de mots, ligne de crédit, "
                 "surveillance du canal.\n"
                 f"• `{COMMAND} aide`{NBSP}: ce message."),
    ]
    return _message(f"Réécriture SEO{NBSP}: mode d’emploi", blocks)


def _slack_date(value: Any) -> str:
    """A Slack date token shown in the reader's time zone, with a plain fallback."""
    ts: float | None = None
    if isinstance(value, datetime):
        ts = (value if value.tzinfo else value.replace(tzinfo=timezone.utc)).timestamp()
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        ts = float(value)
    elif isinstance(value, str) and value.strip():
        try:
            ts = float(value)
        except ValueError:
            try:
                parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
            except ValueError:
                return escape_mrkdwn(shorten(_plain(value), 40))
            ts = (parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)).timestamp()
    if ts is None:
        return ""
    fallback = datetime.fromtimestamp(ts, tz=timezone.utc).strftime("%d/%m/%Y %H:%M UTC")
    return f"<!date^{int(ts)}^{{date_short_pretty}} à {{time}}|{fallback}>"


_SAFE_URL = re.compile(r"^https://[^\s<>|]+$")


def home_view(recent: list[dict]) -> dict:
    """The App Home tab: what the bot does, how to use it, the user's last articles (10 max)."""
    blocks = [
        _header("Réécriture SEO"),
        _section("Collez une dépêche, recevez un article français prêt pour le référencement{0}: "
                 "titre, titre SEO, méta-description, slug, chapô, au moins 700 mots sous des "
                 "intertitres, citations vérifiées mot pour mot.".format(NBSP)),
        _section("*Comment faire*\n" + "\n".join(_how_to_lines("le bot"))),
        _section("*Ensuite*\n" + "\n".join(_revise_lines())),
        DividerBlock().to_dict(),
        _header("Vos derniers articles"),
    ]
    lines = []
    for item in (recent or [])[:HOME_RECENT_MAX]:
        if not isinstance(item, dict):
            continue
        title = _escaped_fit(_plain(item.get("title")) or "Article sans titre", 150)
        link = str(item.get("permalink") or "")
        line = f"• <{link}|{title}>" if _SAFE_URL.match(link) and len(link) < 1000 else f"• {title}"
        extras = []
        if item.get("version") is not None:
            extras.append(f"version {_escaped_fit(_plain(item.get('version')), 10)}")
        when = _slack_date(item.get("created_at"))
        if when:
            extras.append(when)
        if extras:
            line += " — " + " · ".join(extras)
        lines.append(line)
    if lines:
        blocks.append(_section(_capped_list("", lines, SECTION_TEXT_MAX).lstrip("\n")))
    else:
        blocks.append(_context("Aucun article pour l’instant. Essayez "
                               f"`{COMMAND}` dans un canal ou envoyez une dépêche au bot en message privé."))
    return View(type="home", blocks=blocks).to_dict()


# --------------------------------------------------------------------------- modals

def _title(text: str) -> PlainTextObject:
    return PlainTextObject(text=shorten(text, VIEW_TITLE_MAX), emoji=True)


def _modal(callback_id: str, title: str, submit: str, blocks: list, private_metadata: str) -> dict:
    return View(
        type="modal",
        callback_id=callback_id,
        title=_title(title),
        submit=_title(submit),
        close=_title("Annuler"),
        blocks=blocks,
        private_metadata=private_metadata or None,
    ).to_dict()


def _keyword_input(label: str, hint: str | None = None, initial: str | None = None) -> InputBlock:
    return InputBlock(
        block_id=KEYWORD_BLOCK,
        optional=True,
        label=PlainTextObject(text=label),
        hint=PlainTextObject(text=hint) if hint else None,
        element=PlainTextInputElement(
            action_id=KEYWORD_ACTION,
            max_length=KEYWORD_INPUT_MAX,
            initial_value=initial or None,
            placeholder=PlainTextObject(text="ex. sommet de l’Otan"),
        ),
    )


def dispatch_modal(private_metadata: str = "") -> dict:
    """`/seo-fr` alone: the dispatch (multiline, required) and an optional focus keyword.

    Slack caps a plain_text_input at 3 000 characters (max_length 1..3000), so a longer
    dispatch has to come by DM or mention; the hint says so.
    """
    blocks = [
        InputBlock(
            block_id=DISPATCH_BLOCK,
            label=PlainTextObject(text="Dépêche"),
            hint=PlainTextObject(
                text="3 000 caractères au plus ici. Pour une dépêche plus longue, envoyez-la au bot "
                     "en message privé ou dans un message qui le mentionne."),
            element=PlainTextInputElement(
                action_id=DISPATCH_ACTION,
                multiline=True,
                max_length=DISPATCH_INPUT_MAX,
                focus_on_load=True,
                placeholder=PlainTextObject(text="Collez ici la dépêche AFP, Reuters ou le communiqué…"),
            ),
        ),
        _keyword_input("Mot-clé principal (facultatif)",
                       hint="Laissez vide pour que le bot le choisisse."),
    ]
    return _modal(DISPATCH_MODAL, "Réécriture SEO", "Lancer", blocks, private_metadata)


def keyword_modal(suggestions: list[str], current: str, private_metadata: str) -> dict:
    """"Changer le mot-clé": suggested keywords (radio buttons) and a free field, both optional.

    The caller checks that one of them is filled (a free keyword wins over a suggestion).
    """
    current = _plain(current)
    seen = {current.casefold()} if current else set()
    options = []
    for s in suggestions or []:
        s = _plain(s)
        if not s or s.casefold() in seen or len(s) > OPTION_VALUE_MAX:
            continue
        seen.add(s.casefold())
        options.append(Option(value=s, text=PlainTextObject(text=shorten(s, OPTION_TEXT_MAX))))
        if len(options) == RADIO_OPTIONS_MAX:
            break
    blocks: list = []
    if current:
        blocks.append(SectionBlock(text=MarkdownTextObject(
            text=f"Mot-clé actuel{NBSP}: *{_escaped_fit(current, 200)}*")))
    if options:
        blocks.append(InputBlock(
            block_id=SUGGESTION_BLOCK,
            optional=True,
            label=PlainTextObject(text="Mots-clés suggérés"),
            element=RadioButtonsElement(action_id=SUGGESTION_ACTION, options=options),
        ))
        blocks.append(_keyword_input("Ou un autre mot-clé",
                                     hint="S’il est rempli, ce champ l’emporte sur la suggestion choisie."))
    else:
        blocks.append(_keyword_input("Nouveau mot-clé principal"))
    return _modal(KEYWORD_MODAL, "Changer le mot-clé", "Appliquer", blocks, private_metadata)


def settings_modal(current: dict, private_metadata: str) -> dict:
    """Settings: minimum words (300–3000), credit line, watch mode for the channel.

    `current`: {"min_words": int, "credit": str | None, "watch": bool, "channel_id": str (optional)}.
    """
    current = current or {}
    low, high = MIN_WORDS_RANGE
    try:
        min_words = min(max(int(current.get("min_words") or 700), low), high)
    except (TypeError, ValueError):
        min_words = 700
    watch_option = Option(value=WATCH_OPTION, text=PlainTextObject(
        text="Réécrire toute dépêche collée dans ce canal, sans mention"))
    blocks: list = []
    channel_id = str(current.get("channel_id") or "")
    if re.match(r"^[CGD][A-Z0-9]+$", channel_id):
        blocks.append(ContextBlock(elements=[MarkdownTextObject(
            text=f"Ces réglages valent pour le canal <#{channel_id}>.")]))
    blocks += [
        InputBlock(
            block_id=MIN_WORDS_BLOCK,
            label=PlainTextObject(text="Nombre minimal de mots"),
            hint=PlainTextObject(text=f"Entre {_fr_int(low)} et {_fr_int(high)}, sans compter le titre."),
            element=NumberInputElement(action_id=MIN_WORDS_ACTION, is_decimal_allowed=False,
                                       initial_value=str(min_words), min_value=str(low),
                                       max_value=str(high)),
        ),
        InputBlock(
            block_id=CREDIT_BLOCK,
            optional=True,
            label=PlainTextObject(text="Ligne de crédit"),
            hint=PlainTextObject(text="Ajoutée à la fin de chaque article."),
            element=PlainTextInputElement(action_id=CREDIT_ACTION, max_length=CREDIT_INPUT_MAX,
                                          initial_value=_plain(current.get("credit")) or None,
                                          placeholder=PlainTextObject(text="(Avec AFP)")),
        ),
        InputBlock(
            block_id=WATCH_BLOCK,
            optional=True,
            label=PlainTextObject(text="Surveillance du canal"),
            element=CheckboxesElement(action_id=WATCH_ACTION, options=[watch_option],
                                      initial_options=[watch_option] if current.get("watch") else None),
        ),
    ]
    return _modal(SETTINGS_MODAL, "Réglages SEO", "Enregistrer", blocks, private_metadata)
