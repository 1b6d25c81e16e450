"""Links chosen by code, never by the model: internal links to the newsroom's own posts and the
source's own page.

Pure functions, no I/O. The candidates come from the site's REST API (integrations/wordpress/
related.py), already limited to published posts on the site's host; this module ranks them
against the article, picks for each an anchor (an exact phrase of a body paragraph that matches
the post's subject, never inside a quotation, never in a heading, never the article's own
keyphrase: Yoast calls a link whose text holds the keyphrase a "competing link") and renders
the links into the Markdown body. The stored article keeps its text plain; links are applied
at rendering (seo/render.py), where only these URLs become <a> elements.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from .analysis import matching
from .analysis.function_words import FUNCTION_WORDS
from .article import Article, Link
from .fidelity.links import find_urls

MAX_LINKS = 4
MAX_ANCHOR_WORDS = 6
MAX_QUERIES = 6

_WORD_RE = re.compile(r"\w+(?:-\w+)*")
# What may stand between two words of an anchor: spaces or an apostrophe (l’OTAN).
_GAP_RE = re.compile(r"[ \u00a0\u202f’']+")
_QUOTE_RE = re.compile(r"«[^»]*»|“[^”]*”|\"[^\"\n]*\"|„[^“”]*[“”]")
_ELISION_RE = re.compile(r"^(?:[ldjmnstc]|qu|jusqu|lorsqu|puisqu)['’]", re.IGNORECASE)
# Hosts whose pages are not a dispatch's source (share buttons, shorteners, social posts).
_NOT_A_SOURCE = ("twitter.com", "x.com", "t.co", "facebook.com", "fb.me", "instagram.com", "linkedin.com",
                 "youtube.com", "youtu.be", "tiktok.com", "bit.ly", "whatsapp.com", "threads.net")
_IMAGE_EXT = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".avif")


@dataclass(frozen=True)
class Related:
    """A published post of the site, as its API returned it (title as plain text)."""

    post_id: int
    url: str
    title: str
    date: str = ""  # ISO 8601 as WordPress gives it; newer sorts higher


def stem(word: str) -> str:
    """A crude French stem for matching a post's title with the article: lower case, no accent,
    no plural, the first six letters ("Ukrainiens" and "Ukraine" meet, "Russie" and "russes" not)."""
    w = matching.plain_latin(word.lower())
    w = _ELISION_RE.sub("", w)
    if len(w) > 3 and w[-1] in "sx":
        w = w[:-1]
    return w[:6]


def _is_content(word: str) -> bool:
    w = _ELISION_RE.sub("", word.lower().replace("’", "'"))
    return len(w) > 2 and not w.isdigit() and w not in FUNCTION_WORDS


def content_stems(text: str) -> list[str]:
    out = []
    for m in _WORD_RE.finditer(text or ""):
        for part in m.group(0).split("-"):
            if _is_content(part):
                out.append(stem(part))
    return out


def paragraphs(article: Article) -> list[str]:
    """Where anchors may be: the lead and the paragraphs of the sections (no heading, no credit)."""
    out = [article.lead] if article.lead.strip() else []
    for s in article.sections:
        out += [p for p in s.body.split("\n\n") if p.strip()]
    return out


def main_names(article: Article, limit: int = 4) -> list[str]:
    """Proper names the body repeats: capitalised words that do not open a sentence."""
    counts: Counter[str] = Counter()
    for text in paragraphs(article):
        for m in re.finditer(r"(?<![.!?«“\"]\s)(?<!^)\b([A-ZÀ-Ý][\w’'-]{2,})", text):
            name = _ELISION_RE.sub("", m.group(1))
            if name.lower() not in FUNCTION_WORDS:
                counts[name] += 1
    return [n for n, c in counts.most_common() if c >= 2][:limit]


def query_terms(article: Article) -> list[str]:
    """What to ask the site's search for: the focus keyword, the secondary keywords, main names."""
    out: list[str] = []
    for term in [article.focus_keyword, *article.secondary_keywords, *main_names(article)]:
        term = " ".join(str(term or "").split())
        if term and term.lower() not in {t.lower() for t in out}:
            out.append(term)
    return out[:MAX_QUERIES]


def _quote_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _QUOTE_RE.finditer(text)]


def _inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(start < b and a < end for a, b in spans)


def _windows(text: str):
    """(start, end) of every run of 1..MAX_ANCHOR_WORDS words outside quotations, opening and
    closing on a content word, its words joined only by spaces or apostrophes."""
    quotes = _quote_spans(text)
    words = [m for m in _WORD_RE.finditer(text) if not _inside(quotes, *m.span())]
    for i, first in enumerate(words):
        if not _is_content(first.group(0)):
            continue
        for j in range(i, min(i + MAX_ANCHOR_WORDS, len(words))):
            if j > i and not _GAP_RE.fullmatch(text[words[j - 1].end():words[j].start()]):
                break
            if _is_content(words[j].group(0)):
                yield first.start(), words[j].end()


def _competing(anchor: str, article: Article) -> bool:
    """Would Yoast see the article's keyphrase in this link text (a "competing link")?"""
    forms = matching.keyphrase_forms(article.focus_keyword) if article.focus_keyword.strip() else []
    return bool(forms) and matching.percent_found(anchor, forms) == 100


def _best_anchor(article: Article, post: Related, topic: set[str], taken: dict[int, list[tuple[int, int]]],
                 used: set[str]) -> tuple[int, int, int, str] | None:
    """(score, paragraph, start, anchor) of the phrase of the body that best names the post."""
    title = set(content_stems(post.title))
    best = None
    for p, text in enumerate(paragraphs(article)):
        for start, end in _windows(text):
            anchor = text[start:end]
            stems = content_stems(anchor)
            matched = title & set(stems)
            # Every word of the anchor about the post, and about the article's subject too.
            if not matched or len(matched) < len(set(stems)) - 1 or not (matched & topic or len(matched) >= 2):
                continue
            if anchor.lower() in used or _inside(taken.get(p, []), start, end) or _competing(anchor, article):
                continue
            score = len(matched) * 10 - len(stems)
            if best is None or score > best[0]:
                best = (score, p, start, anchor)
    return best


def choose_links(article: Article, candidates: list[Related], *, max_links: int = MAX_LINKS,
                 exclude: set[str] | None = None) -> list[Link]:
    """Up to `max_links` of the candidates, most relevant first (a post whose title holds the
    article's keyphrase, then its secondary keywords and names, then the newest), each with its
    own anchor. A candidate with no anchor in the body is left out."""
    focus = set(content_stems(article.focus_keyword))
    terms = [set(content_stems(t)) for t in query_terms(article)[1:]]
    topic = focus.union(*terms) if terms else set(focus)
    body = Counter(content_stems(" ".join(paragraphs(article))))
    seen: set[str] = set(exclude or ())
    ranked = []
    for post in candidates:
        same_title = " ".join(content_stems(post.title))
        if post.url in seen or same_title in seen:  # a republished or duplicated post: one link
            continue
        seen.update((post.url, same_title))
        title = set(content_stems(post.title))
        if not title & topic:
            continue
        relevance = (3 * bool(focus and focus <= title) + sum(1 for t in terms if t and t <= title)
                     + 0.1 * sum(1 for s in title if body[s]))
        ranked.append((relevance, post.date, post))
    ranked.sort(key=lambda r: (r[0], r[1]), reverse=True)
    links: list[Link] = []
    taken: dict[int, list[tuple[int, int]]] = {}
    used: set[str] = set()
    for _relevance, _date, post in ranked:
        found = _best_anchor(article, post, topic, taken, used)
        if found is None:
            continue
        _, p, start, anchor = found
        taken.setdefault(p, []).append((start, start + len(anchor)))
        used.add(anchor.lower())
        links.append(Link(url=post.url, anchor=anchor, kind="internal", title=post.title, post_id=post.post_id))
        if len(links) >= max_links:
            break
    return links


# --------------------------------------------------------------------------- the source link

def source_url(dispatch: str) -> str | None:
    """The source's own page when the dispatch holds one (a press release's, a report's address):
    its first http(s) URL that is neither a social network, a shortener nor an image."""
    for url in find_urls(dispatch or ""):
        if not re.match(r"https?://", url, re.IGNORECASE):
            continue
        parts = urlsplit(url)
        host = parts.netloc.lower().rsplit("@", 1)[-1].split(":")[0]
        if host.startswith("www."):
            host = host[4:]
        if any(host == h or host.endswith("." + h) for h in _NOT_A_SOURCE):
            continue
        if parts.path.lower().endswith(_IMAGE_EXT):
            continue
        return url
    return None


def host_label(url: str) -> str:
    host = urlsplit(url).netloc.lower().rsplit("@", 1)[-1].split(":")[0]
    return host[4:] if host.startswith("www.") else host


def source_link(dispatch: str, default_page: str | None = None) -> Link | None:
    """The credit line's link: the source's page found in the dispatch, else the channel's default
    source page (e.g. the agency's site), else none."""
    url = source_url(dispatch) or (default_page or "").strip() or None
    if not url or not re.match(r"https?://[^\s/]+", url, re.IGNORECASE):
        return None
    return Link(url=url, anchor=host_label(url), kind="source")


# --------------------------------------------------------------------------- rendering

def find_anchor(text: str, anchor: str, taken: list[tuple[int, int]] = ()) -> int:
    """Position of the first whole-word occurrence of `anchor` in `text` outside quotations and
    outside `taken` spans; -1 when there is none."""
    quotes = _quote_spans(text)
    for m in re.finditer(r"(?<!\w)" + re.escape(anchor) + r"(?!\w)", text):
        if not _inside(quotes, *m.span()) and not _inside(list(taken), *m.span()):
            return m.start()
    return -1


def markdown_url(url: str) -> str:
    """A URL safe as a Markdown link destination: no space, no parenthesis, no angle bracket."""
    return quote(url, safe=":/?#[]@!$&'*+,;=%~-._")


def link_paragraphs(texts: list[str], links: list[Link]) -> tuple[list[str], list[Link]]:
    """The paragraphs with each internal link set on the first occurrence of its anchor, and the
    links placed (a link whose anchor is gone from the text is dropped)."""
    pending = [l for l in links if l.kind == "internal"]
    spans: list[list[tuple[int, int, Link]]] = [[] for _ in texts]
    placed: list[Link] = []
    for link in pending:
        for i, text in enumerate(texts):
            pos = find_anchor(text, link.anchor, [(a, b) for a, b, _ in spans[i]])
            if pos >= 0:
                spans[i].append((pos, pos + len(link.anchor), link))
                placed.append(link)
                break
    out = []
    for text, found in zip(texts, spans):
        for start, end, link in sorted(found, key=lambda s: s[0], reverse=True):
            text = f"{text[:start]}[{text[start:end]}]({markdown_url(link.url)}){text[end:]}"
        out.append(text)
    return out, placed


def keep_placeable(article: Article, links: list[Link]) -> list[Link]:
    """The links that still fit this article: internal ones whose anchor is still in its body,
    and the source link."""
    _, placed = link_paragraphs(paragraphs(article), links)
    return [l for l in links if l.kind == "source"] + placed
