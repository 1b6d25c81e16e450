"""Escaping, fitting and the small Block Kit builders every renderer uses."""
from __future__ import annotations

import json
import re
from typing import Any, Iterable

from slack_sdk.models.blocks import (
    ButtonElement,
    ContextBlock,
    HeaderBlock,
    MarkdownBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

from .ids import BUTTON_VALUE_MAX, HEADER_TEXT_MAX
from .split import _SENTENCE_END

NBSP = "\u00a0"
_ZWSP = "\u200b"

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



# --------------------------------------------------------------------------- small builders

def _section(text: str) -> dict:
    return SectionBlock(text=MarkdownTextObject(text=text)).to_dict()


def _context(*texts: str) -> dict:
    return ContextBlock(elements=[MarkdownTextObject(text=t) for t in texts]).to_dict()


def header_text(text: str) -> str:
    """`text` neutralised, then fitted to a header's 150 characters (neutralising adds characters:
    fitting first made Block Kit refuse the message)."""
    limit = raw_limit = HEADER_TEXT_MAX
    while True:
        out = neutralize_markdown(shorten(text, raw_limit))
        if len(out) <= limit or raw_limit <= 1:
            return out[:limit]
        raw_limit -= max(len(out) - limit, 1)


def _header(text: str) -> dict:
    # plain_text is not parsed for mentions; neutralised anyway, invisibly.
    return HeaderBlock(text=PlainTextObject(text=header_text(text), emoji=True)).to_dict()


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


_USER_ID = re.compile(r"^[UWB][A-Z0-9]+$")


def _user_mention(user_id: str) -> str:
    user_id = str(user_id or "").strip()
    return f"<@{user_id}>" if _USER_ID.match(user_id) else escape_mrkdwn(user_id or "?")

