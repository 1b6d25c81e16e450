"""Links and images: the article carries text only; a URL the source does not hold is an issue.

A model can write Markdown links and images (``[Lire la dépêche](https://…)``,
``![](https://…/pixel.gif)``), autolinks (``<https://…>``), Slack links
(``<https://…|AFP>``), raw HTML (``<a href>``, ``<img>``, ``<script>``…) and bare URLs.
Any of them would reach Slack and the exported HTML as a link or a tracking pixel the
newsroom never chose. ``strip_links`` turns them into their text: the label of a link, the
alt text of an image, the content of a harmless tag; scripts, styles, frames and their content
go. A bare URL stays as plain text only when the source holds it (a press release's own
address is a fact of the source); any other URL is removed. ``LinkChecker.issues`` lists
the URLs of a text that the source does not hold.

Known limits: a domain written without scheme or ``www.`` (``afp.com``) is not taken for a
URL; HTML written with entities (``&lt;a&gt;``) is left as text (it renders as text).
"""
from __future__ import annotations

import re
from collections.abc import Callable

from .issues import FidelityIssue

# A URL's characters stop at spaces, quotes, angle brackets and guillemets; trailing
# sentence punctuation is not part of it.
_URL_CHARS = r"[^\s<>\"«»“”„‘’…\[\]]"
_URL_END = r"[^\s<>\"«»“”„‘’…\[\].,;:!?)'’]"
_BARE_URL = r"(?:https?://|ftp://|www\.)" + _URL_CHARS + "*" + _URL_END
# An e-mail address becomes a mailto: link in Slack and in most CMS: treated like a URL.
_EMAIL = r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}(?![\w-])"
_BARE_RE = re.compile(r"(?<![\w/@.])" + _BARE_URL + "|" + _EMAIL, re.IGNORECASE)

# Markdown: [label](target "title") and ![alt](target); the target may hold one level of ( ).
_MD_TARGET = r"\(\s*(?P<target><[^<>\n]*>|(?:[^()\s]|\([^()\s]*\))*)(?:\s+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^()\n]*\)))?\s*\)"
_MD_LINK_RE = re.compile(r"(?P<bang>!?)\[(?P<label>[^\[\]\n]*(?:\[[^\[\]\n]*\][^\[\]\n]*)*)\]" + _MD_TARGET)
_MD_REF_LINK_RE = re.compile(r"(?P<bang>!?)\[(?P<label>[^\[\]\n]+)\]\[(?P<ref>[^\[\]\n]*)\]")
_MD_REF_DEF_RE = re.compile(r"^[ ]{0,3}\[[^\]\n]+\]:[ \t]*(?P<target>\S+).*(?:\n|$)", re.MULTILINE)
# <https://…>, <https://…|label> (Slack), <mailto:…|label>, <a@b.fr>
_ANGLE_LINK_RE = re.compile(
    r"<(?P<target>(?:https?|ftp|mailto|tel|javascript|data):[^<>|\s]*|www\.[^<>|\s]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+)"
    r"(?:\|(?P<label>[^<>]*))?>",
    re.IGNORECASE,
)
# Raw HTML: elements dropped with their content, then any tag (content kept).
_HTML_DROP_RE = re.compile(
    r"<(?P<tag>script|style|iframe|object|embed|noscript|template|svg|math|audio|video|canvas|form|select|textarea)"
    r"\b[^>]*>.*?</(?P=tag)\s*>",
    re.IGNORECASE | re.DOTALL,
)
_HTML_TAG_RE = re.compile(r"</?[A-Za-z][A-Za-z0-9:-]*(?:\s+[^<>]*?)?/?>")
_HTML_COMMENT_RE = re.compile(r"<!--.*?-->", re.DOTALL)
_ATTR_URL_RE = re.compile(r"""\b(?:href|src|srcset|action|data|poster|background|formaction)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""",
                          re.IGNORECASE)
_IMG_ALT_RE = re.compile(r"""\balt\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)

_EMPTY_BRACKETS_RE = re.compile(r"[ \t\u00a0]*(?:\([ \t\u00a0:]*\)|\[[ \t\u00a0]*\]|<[ \t\u00a0]*>)")
_SPACE_BEFORE_PUNCT_RE = re.compile(r"[ \t]+(?=[.,)])")
_DOUBLE_SPACES_RE = re.compile(r"(?<=\S)[ \t]{2,}(?=\S)")


def normalise_url(url: str) -> str:
    """A URL as compared with the source's: no scheme, no www., host in lower case, no trailing / or <>."""
    u = url.strip().strip("<>").rstrip("/")
    u = re.sub(r"^(?:https?|ftp)://|^mailto:", "", u, flags=re.IGNORECASE)
    u = re.sub(r"^www\.", "", u, flags=re.IGNORECASE)
    host, sep, rest = u.partition("/")
    return host.lower() + sep + rest.rstrip("/")


def find_urls(text: str) -> list[str]:
    """Every URL of `text`, in whatever markup: Markdown, autolink, Slack link, HTML attribute, bare."""
    if not text:
        return []
    urls: list[str] = []
    rest = text
    for _ in range(3):  # [![alt](img)](href): the link around, then the image inside
        found = [m.group("target").strip("<>") for m in _MD_LINK_RE.finditer(rest)]
        if not found:
            break
        urls.extend(found)
        rest = _MD_LINK_RE.sub(lambda m: m.group("label"), rest)
    for m in _MD_REF_DEF_RE.finditer(text):
        urls.append(m.group("target").strip("<>"))
    for m in _ANGLE_LINK_RE.finditer(text):
        urls.append(m.group("target"))
    for m in _HTML_TAG_RE.finditer(text):
        for a in _ATTR_URL_RE.finditer(m.group(0)):
            value = next(g for g in a.groups() if g is not None)
            urls.extend(v.strip().split(" ")[0] for v in value.split(",") if v.strip())
    # Bare URLs not already counted inside markup.
    rest = _MD_REF_DEF_RE.sub(" ", rest)
    rest = _ANGLE_LINK_RE.sub(" ", rest)
    rest = _HTML_TAG_RE.sub(" ", rest)
    urls.extend(m.group(0) for m in _BARE_RE.finditer(rest))
    out: list[str] = []
    for u in urls:
        if u and u not in out:
            out.append(u)
    return out


def strip_links(text: str, keep: Callable[[str], bool] | None = None) -> str:
    """`text` without link, image or HTML markup: labels kept; a bare URL kept only if keep(url)."""
    if not text:
        return text
    keep = keep or (lambda _url: False)
    out = _HTML_COMMENT_RE.sub("", text)
    out = _HTML_DROP_RE.sub("", out)

    def tag(m: re.Match) -> str:
        if m.group(0)[1:4].lower() == "img":
            alt = _IMG_ALT_RE.search(m.group(0))
            return next((g for g in alt.groups() if g is not None), "") if alt else ""
        if re.match(r"</?(?:br|p|div|li|h[1-6]|tr|blockquote)\b", m.group(0), re.IGNORECASE):
            return " "
        return ""

    out = _HTML_TAG_RE.sub(tag, out)
    out = _MD_REF_DEF_RE.sub("", out)
    for _ in range(3):  # [![alt](img)](href): the image first, then the link around it
        new = _MD_LINK_RE.sub(lambda m: m.group("label"), out)
        new = _MD_REF_LINK_RE.sub(lambda m: m.group("label"), new)
        if new == out:
            break
        out = new

    def angle(m: re.Match) -> str:
        label = (m.group("label") or "").strip()
        if label:
            return label
        target = m.group("target")
        return target if _BARE_RE.fullmatch(target) and keep(target) else ""

    out = _ANGLE_LINK_RE.sub(angle, out)
    out = _BARE_RE.sub(lambda m: m.group(0) if keep(m.group(0)) else "", out)
    if out != text:
        out = _EMPTY_BRACKETS_RE.sub("", out)
        out = _SPACE_BEFORE_PUNCT_RE.sub("", out)
        out = _DOUBLE_SPACES_RE.sub(" ", out)
        out = "\n".join(line.rstrip(" \t") for line in out.split("\n"))
        out = re.sub(r"\n{3,}", "\n\n", out)
        if text == text.rstrip():
            out = out.rstrip()
    return out


LINK_ABSENT = "Lien absent de la dépêche"
LINK_REMOVED = "Lien absent de la dépêche, retiré de l’article"


class LinkChecker:
    """The source's URLs, indexed once."""

    def __init__(self, source: str):
        self._urls = {normalise_url(u) for u in find_urls(source)}

    def holds(self, url: str) -> bool:
        return normalise_url(url) in self._urls

    def strip(self, text: str) -> str:
        """`text` as plain text: markup gone, the source's own URLs kept as text, others removed."""
        return strip_links(text, keep=self.holds)

    def issues(self, text: str, *, removed: bool = False) -> list[FidelityIssue]:
        """URLs of `text` (in any markup) that the source does not hold."""
        detail = LINK_REMOVED if removed else LINK_ABSENT
        return [FidelityIssue(kind="link", text=u, detail=detail) for u in find_urls(text) if not self.holds(u)]
