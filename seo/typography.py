"""French typography and Slack-safe text.

``french_typography`` is applied to every user-visible text field of an article
(title, lead, headings, bodies, meta fields). It works on plain text or light
Markdown and never touches what must stay byte-exact: URLs, Markdown link targets,
autolinks and HTML tags, inline code and code fences, e-mail addresses, HTML
entities and times such as ``14:30``.

Choices
-------
* **One no-break space: U+00A0.** It is used before ``: ; ! ?`` and ``»``, after
  ``«``, before ``%`` and currency signs and as the thousands separator
  (``8 000``). The narrow no-break space (U+202F) is typographically finer but is
  missing from some fonts, is turned into ``&#8239;`` or dropped by some CMS
  pipelines, and is not treated as a space by every word counter; U+00A0 is what
  WordPress (``&nbsp;``) and Yoast handle everywhere. Any U+202F met in the
  input is turned into U+00A0, so the output is consistent.
* **One apostrophe: ’ (U+2019)**, between letters (``aujourd’hui``, ``l’OTAN``)
  and before an opening quote (``l’« exception »``).
* **Quotes**: top-level quotations use ``« … »`` with U+00A0 inside; quotations
  nested inside them use ``“ … ”`` (no inner spaces). Straight ``"…"`` and curly
  ``“…”`` at top level become ``« … »``.
* **Numbers**: numbers of 5 digits and more are grouped (``12 000``); 4-digit
  numbers are grouped too (``8 000``) except 1000–2099, which are taken for
  years, unless a unit or a counted noun follows (``1500 soldats`` →
  ``1 500 soldats``, ``2022`` stays). Numbers with a leading zero, glued to
  letters (``A320``), part of a date (``12/06/2023``, ``12.06.2023``), of a
  range's second half, or 5-digit postal codes before a place name
  (``75008 Paris``) are left alone. ``7.5`` becomes ``7,5`` unless it looks like
  a version or an article number (``version 2.1``, ``article 49.3``, ``v1.2``,
  ``1.2.3``).

Runs of spaces are collapsed to one (a regular space if the run holds one, else
U+00A0); leading indentation and line breaks are kept, so Markdown structure
(``## ``, ``- ``, ``1. ``, ``> ``) is preserved.

Known limits: a 4-digit quantity between 1000 and 2099 not followed by a known
unit or counted noun stays ungrouped (``1500 Ukrainiens``); a number right next
to another number (``8000 12000``) is left as is; ``3.11`` after a word that is
not a known product/version word becomes ``3,11``; straight quotes are paired by
position, so an unbalanced ``"`` may pair with the wrong one; a URL directly
followed by ``...`` loses the dots to the ellipsis rule.

The function is idempotent: ``french_typography(french_typography(x)) ==
french_typography(x)``.

Slack
-----
``neutralise_mentions`` turns every Slack construct that can notify people into
plain text a journalist can paste into a CMS:

==============================  ==========================
``<!here>`` / ``@here``         ``here``
``<!channel>`` / ``@channel``   ``channel``
``<!everyone>`` / ``@everyone`` ``everyone``
``<!subteam^S1|@equipe>``       ``equipe``
``<@U123>`` / ``<@W123>``       ``@utilisateur``
``<@U123|marie>``               ``@marie``
``<#C123>`` / ``<#C123|general>`` ``#canal`` / ``#general``
``<!date^…|texte>``             ``texte``
==============================  ==========================

Plain ``@name`` text does not notify anyone in Slack (user mentions need the
``<@U…>`` syntax); ``@here``/``@channel``/``@everyone`` and user-group handles do,
which is why they lose their ``@``. ``slack_to_plain`` also turns Slack links
``<http://x|lien>`` into ``lien (http://x)`` and decodes ``&lt; &gt; &amp;``; it is
meant for text pasted from Slack.
"""
from __future__ import annotations

import re

__all__ = ["NBSP", "french_typography", "neutralise_mentions", "slack_to_plain"]

NBSP = "\u00a0"
NNBSP = "\u202f"
_HSPACE = " \t\u00a0\u202f\u2009"

# --------------------------------------------------------------------------- #
# Protection of spans that must stay byte-exact
# --------------------------------------------------------------------------- #

_PROTECT_RE = re.compile(
    r"""
      ```[\s\S]*?```                                   # code fence
    | `[^`\n]+`                                        # inline code
    | (?<=\])\((?:[^()\s]|\([^()\s]*\))*(?:\s+"[^"\n]*")?\)   # Markdown link target
    | ^[ ]{0,3}\[[^\]\n]+\]:[ \t]*\S+.*$               # Markdown reference definition
    | <(?:https?://|mailto:|tel:|ftp://|[@#!])[^<>\n]*>  # autolink / Slack token
    | </?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>\n]*)?/?>       # HTML tag
    | (?:https?://|ftp://|www\.)[^\s<>"«»“”„‘’…\[\]]*[^\s<>"«»“”„‘’…\[\].,;:!?)']   # bare URL
    | [\w.+-]+@[\w-]+(?:\.[\w-]+)+                     # e-mail
    | &(?:[A-Za-z][A-Za-z0-9]*|\#\d+|\#[xX][0-9a-fA-F]+);   # HTML entity
    | (?<![\d:])\d{1,2}:\d{2}(?::\d{2})?(?!\d|:\d)    # time 14:30
    """,
    re.VERBOSE | re.MULTILINE,
)

_PH_OPEN, _PH_CLOSE = "\ue000", "\ue001"
_PH_DIGITS = "".join(chr(0xE010 + i) for i in range(10))
_PH_RE = re.compile(_PH_OPEN + "([" + _PH_DIGITS + "]+)" + _PH_CLOSE)


def _protect(text: str) -> tuple[str, list[str]]:
    saved: list[str] = []

    def keep(m: re.Match) -> str:
        saved.append(m.group(0))
        code = "".join(_PH_DIGITS[int(d)] for d in str(len(saved) - 1))
        return _PH_OPEN + code + _PH_CLOSE

    return _PROTECT_RE.sub(keep, text), saved


def _restore(text: str, saved: list[str]) -> str:
    if not saved:
        return text

    def back(m: re.Match) -> str:
        idx = int("".join(str(_PH_DIGITS.index(c)) for c in m.group(1)))
        return saved[idx]

    return _PH_RE.sub(back, text)


# --------------------------------------------------------------------------- #
# Rules
# --------------------------------------------------------------------------- #

_APOS_RE = re.compile(r"(?<=[^\W_])['ʼ‘´](?=[^\W_]|[«\"“])")
_ELLIPSIS_RE = re.compile(r"(?<!\.)\.\.\.(?!\.)")


_QUOTE_EVENT_RE = re.compile(r'["«»“”„]|\n[ \t\u00a0\u202f\u2009]*(?=\n)')


def _quotes(text: str) -> str:
    """Normalise double quotes: « » at top level, “ ” nested, U+00A0 inside « »."""
    if not any(c in text for c in '"«»“”„'):
        return text
    out: list[str] = []  # pieces of output
    stack: list[str] = []
    n = len(text)
    pos = 0  # next index of `text` to copy

    def last_char() -> str:
        for piece in reversed(out):
            if piece:
                return piece[-1]
        return ""

    def strip_tail() -> None:
        while out:
            stripped = out[-1].rstrip(_HSPACE)
            if stripped:
                out[-1] = stripped
                return
            out.pop()

    def at_line_start() -> bool:
        for piece in reversed(out):
            stripped = piece.rstrip(_HSPACE)
            if stripped:
                return stripped[-1] == "\n"
        return True

    def skip_spaces(i: int) -> int:
        while i < n and text[i] in _HSPACE:
            i += 1
        return i

    def open_quote(i: int, kind: str) -> int:
        if not stack:
            if last_char().isalnum():
                out.append(" ")
            out.append("«" + NBSP)
        else:
            out.append("“")
        stack.append(kind)
        return skip_spaces(i + 1)

    def close_quote(i: int) -> int:
        stack.pop()
        strip_tail()
        out.append(NBSP + "»" if not stack else "”")
        if i + 1 < n and text[i + 1].isalnum():
            out.append(" ")
        return i + 1

    for m in _QUOTE_EVENT_RE.finditer(text):
        i = m.start()
        if i < pos:
            continue  # inside spaces already skipped
        out.append(text[pos:i])
        c = text[i]
        if c == "\n":
            stack.clear()  # a blank line ends the paragraph: forget unclosed quotes
            pos = i
        elif c in "«“„":
            pos = open_quote(i, c)
        elif c in "»”":
            if stack:
                pos = close_quote(i)
            else:
                if c == "»" and not at_line_start():
                    strip_tail()
                    out.append(NBSP)
                out.append(c)
                pos = i + 1
        else:  # straight double quote
            prev = last_char()
            nxt = text[i + 1] if i + 1 < n else ""
            prev_solid = prev != "" and not prev.isspace()
            nxt_free = nxt == "" or nxt.isspace() or nxt in ".,;:!?)]…»"
            opener_like = (not prev_solid or prev in "([{«“‘*_/") and nxt != "" and not nxt.isspace()
            if stack and stack[-1] == '"' and not opener_like:
                pos = close_quote(i)
            elif stack and prev_solid and nxt_free:
                pos = close_quote(i)
            elif not stack and prev_solid and prev not in "([{«“‘'’*_/-—–" and nxt_free:
                out.append(c)  # a stray closing mark: leave it
                pos = i + 1
            else:
                pos = open_quote(i, '"')
    out.append(text[pos:])
    return "".join(out)


_VERSION_WORDS_RE = re.compile(
    r"(?:\b(?:version|versions|v|art|article|articles|alinéa|iOS|Android|Windows|Python|"
    r"Web|Wi-Fi|HTTP|Bluetooth|USB|Linux|macOS|Euro|Ligue)\.?\s*)$",
    re.IGNORECASE,
)
_DECIMAL_RE = re.compile(r"(?<![\w.,])(\d+)\.(\d+)(?![\w]|[.,]\d)")


# Thousands grouped with dots (German, older French: 5.000, 2.000.000) or with several commas
# (English: 1,234,567): a French reader needs spaces. A dot is never a French decimal mark, so
# one dot group is thousands; a single comma group (1,500) is left alone (in French it is a
# decimal, and the fidelity guard reports an English figure copied as such).
_DOT_GROUPS_RE = re.compile(r"(?<![\w.,])(\d{1,3})((?:\.\d{3})+)(?![\w]|[.,]\d)")
_COMMA_GROUPS_RE = re.compile(r"(?<![\w.,])(\d{1,3})((?:,\d{3}){2,})(?![\w]|[.,]\d)")


def _grouped_thousands(text: str) -> str:
    def fix(m: re.Match) -> str:
        before = text[max(0, m.start() - 14) : m.start()]
        if _VERSION_WORDS_RE.search(before):
            return m.group(0)
        return m.group(1) + re.sub(r"[.,]", NBSP, m.group(2))

    text = _DOT_GROUPS_RE.sub(fix, text)
    return _COMMA_GROUPS_RE.sub(fix, text)


def _decimal(text: str) -> str:
    def fix(m: re.Match) -> str:
        before = text[max(0, m.start() - 14) : m.start()]
        if _VERSION_WORDS_RE.search(before):
            return m.group(0)
        return m.group(1) + "," + m.group(2)

    return _DECIMAL_RE.sub(fix, text)


# Already grouped numbers: make the separator a no-break space.
_GROUPED_RE = re.compile(r"(?<![\d,.])(\d{1,3})((?:[ \u202f\u2009\u00a0]\d{3})+)(?![\d])")

_COUNTED_RE = re.compile(
    r"[ \u00a0]*(?:%|€|\$|£|¥|(?:km|kg|m|t|ha|mm|cm|kW|MW|GW|Mo|Go|°)(?![\w])|"
    r"(?:euros?|dollars?|francs?|livres?|yens?|yuans?|roubles?|hryvnias?|personnes?|habitants?|"
    r"morts?|victimes?|blessés?|soldats?|militaires?|hommes?|femmes?|enfants?|emplois?|"
    r"salariés?|réfugiés?|migrants?|manifestants?|policiers?|gendarmes?|élèves?|étudiants?|"
    r"logements?|exemplaires?|voix|cas|kilomètres?|mètres?|tonnes?|hectares?|litres?|"
    r"millions?|milliards?|membres?|participants?|visiteurs?|spectateurs?|abonnés?|"
    r"entreprises?|communes?|km²|mètres carrés|jours|heures|minutes|véhicules?|avions?|"
    r"chars?|obus|missiles?|drones?|familles?|foyers?|lits?|postes?|points?|pages?)(?![\w]))",
)


def _group_digits(digits: str) -> str:
    head = len(digits) % 3 or 3
    parts = [digits[:head]] + [digits[k : k + 3] for k in range(head, len(digits), 3)]
    return NBSP.join(parts)


_BIGNUM_RE = re.compile(r"(?<!\d)\d{4,}(?!\d)")


def _thousands(text: str) -> str:
    text = _GROUPED_RE.sub(lambda m: m.group(1) + re.sub(r"[ \u202f\u2009]", NBSP, m.group(2)), text)

    def fix(m: re.Match) -> str:
        s, e = m.start(), m.end()
        num = m.group(0)
        prev = text[s - 1] if s else ""
        prev2 = text[s - 2] if s > 1 else ""
        nxt = text[e] if e < len(text) else ""
        nxt2 = text[e + 1] if e + 1 < len(text) else ""
        if num[0] == "0":
            return num
        if prev and (prev.isalpha() or prev == "_" or "\ue000" <= prev <= "\ue0ff"):
            return num
        if prev and prev in ".,/:" and (prev2.isdigit() or prev in "/:"):
            return num
        if prev == "-" and (prev2.isalnum()):
            return num
        if nxt and (nxt.isalpha() or nxt == "_"):
            return num
        if nxt and nxt in "./-:" and nxt2.isdigit():
            return num
        if re.match(r"[ \u00a0\u202f\u2009]\d", text[e : e + 2]):
            return num  # another number follows ("800012 000"): ambiguous, leave it
        if re.search(r"(?<!\d)\d{1,3}[ \u00a0\u202f\u2009]$", text[max(0, s - 5) : s]):
            return num  # right after a short number ("8 000 202275"): ambiguous, leave it
        if len(num) == 4 and 1000 <= int(num) <= 2099:
            # Probably a year unless a unit or a counted noun follows (or a currency precedes).
            currency_before = any(ch in "$€£" for ch in text[max(0, s - 2) : s])
            if not (_COUNTED_RE.match(text, e) or currency_before):
                return num
        if len(num) == 5 and not num.endswith("000") and re.match(r"[ \u00a0]+[A-ZÀ-Þ][a-zà-ÿ]", text[e : e + 4]):
            return num  # postal code before a place name
        return _group_digits(num)

    return _BIGNUM_RE.sub(fix, text)


_PERCENT_RE = re.compile(r"(?<=\d)[ \t\u00a0\u202f\u2009]*(%|€|£)")
_PUNCT_RE = re.compile(r"([ \t\u00a0\u202f]*)([;:!?]+)")


def _punctuation(text: str) -> str:
    def fix(m: re.Match) -> str:
        spaces, punct = m.group(1), m.group(2)
        s = m.start()
        e = m.end()
        prev = text[s - 1] if s else ""
        nxt = text[e] if e < len(text) else ""
        if prev == "" or prev == "\n":
            return m.group(0)  # nothing before it on the line
        if prev in "([{":
            return m.group(0)
        if not spaces and prev.isalnum() and (nxt.isalnum() or nxt == "_"):
            return m.group(0)  # a:b, 3:1, x?y — not prose punctuation
        if punct[0] == "!" and not spaces and nxt == "[":
            return m.group(0)  # Markdown image
        after = ""
        if punct in (":", ";") and nxt and (nxt.isalpha() or nxt == "«"):
            after = " "
        return NBSP + punct + after

    return _PUNCT_RE.sub(fix, text)


_MULTISPACE_RE = re.compile(r"(?<=\S)[ \t\u00a0\u202f]{2,}(?=\S)")


def _collapse(text: str) -> str:
    return _MULTISPACE_RE.sub(lambda m: " " if (" " in m.group(0) or "\t" in m.group(0)) else NBSP, text)


def french_typography(text: str) -> str:
    """Apply French typography to plain text or light Markdown (idempotent)."""
    if not text:
        return text
    work, saved = _protect(text)
    work = work.replace(NNBSP, NBSP)
    work = _APOS_RE.sub("’", work)
    work = _ELLIPSIS_RE.sub("…", work)
    work = _collapse(work)
    work = _quotes(work)
    work = _grouped_thousands(work)
    work = _decimal(work)
    work = _thousands(work)
    work = _PERCENT_RE.sub(NBSP + r"\1", work)
    work = re.sub(r"(?<=\d)[ \t\u202f]+(?=\$)", NBSP, work)
    work = _punctuation(work)
    work = _collapse(work)
    return _restore(work, saved)


# --------------------------------------------------------------------------- #
# Slack
# --------------------------------------------------------------------------- #

_SLACK_TOKEN_RE = re.compile(r"<([@#!])([^<>|\s]*)(?:\|([^<>]*))?>")
_BROADCAST_RE = re.compile(r"(?<![\w.+-])[@＠](here|channel|everyone|group)\b", re.IGNORECASE)
_BROADCASTS = {"here", "channel", "everyone", "group"}


def _token_to_text(m: re.Match) -> str:
    sigil, target, label = m.group(1), m.group(2), (m.group(3) or "").strip()
    if sigil == "@":
        name = label.lstrip("@＠").strip()
        return "@" + name if name else "@utilisateur"
    if sigil == "#":
        name = label.lstrip("#").strip()
        return "#" + name if name else "#canal"
    # "!" special mentions
    name = label.lstrip("@＠").strip()
    if target.lower() in _BROADCASTS:
        return target.lower()
    if target.startswith("subteam^"):
        return name or "équipe"
    if target.startswith("date"):
        return label
    return name or target.split("^")[0]


def neutralise_mentions(text: str) -> str:
    """Make Slack mentions harmless (no notification), keeping readable text."""
    if not text:
        return text
    text = _SLACK_TOKEN_RE.sub(_token_to_text, text)
    return _BROADCAST_RE.sub(lambda m: m.group(1).lower(), text)


_SLACK_LINK_RE = re.compile(r"<((?:https?|ftp)://[^<>|\s]*|mailto:[^<>|\s]*|tel:[^<>|\s]*)(?:\|([^<>]*))?>")


def _link_to_text(m: re.Match) -> str:
    url, label = m.group(1), (m.group(2) or "").strip()
    if url.startswith(("mailto:", "tel:")):
        return label or url.split(":", 1)[1]
    if not label:
        return url
    bare = re.sub(r"^(?:https?|ftp)://", "", url).rstrip("/")
    if label.rstrip("/") in (url.rstrip("/"), bare):
        return url
    return f"{label} ({url})"


def slack_to_plain(text: str) -> str:
    """Text pasted from Slack -> plain text: links unfolded, mentions neutralised, entities decoded."""
    if not text:
        return text
    text = _SLACK_LINK_RE.sub(_link_to_text, text)
    text = neutralise_mentions(text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
