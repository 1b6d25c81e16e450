"""The analysed article: structure, sentences and keyphrase matching, computed once.

``Paper`` plays the part of Yoast's Paper plus its researcher's cached researches:
every check reads from it, nothing is computed twice.
"""
from __future__ import annotations

import re
from functools import cached_property
from urllib.parse import urlsplit

from . import matching
from .syllables import count_syllables
from .document import Block, Document, parse_blocks
from .text import get_words, normalize_single_quotes, split_sentences, tokens, words_from_tokens

_NUMBERS_RE = re.compile(r"\b[0-9]+\b", re.ASCII)
_MULTISPACE_RE = re.compile(r"\s{2,}")
_DIGIT_RE = re.compile(r"[0-9]")


class Sentence:
    __slots__ = ("text", "block", "tokens", "words", "split_words")

    def __init__(self, text: str, block: int):
        self.text = text
        self.block = block
        # Yoast's tree normalises typographic apostrophes: l’électricité -> l'électricité.
        self.tokens = tokens(normalize_single_quotes(text))
        self.words = words_from_tokens(self.tokens, split_on_hyphens=False)  # "a-t-il" = 1
        self.split_words = words_from_tokens(self.tokens, split_on_hyphens=True)  # "a-t-il" = 3


class Paper:
    def __init__(self, doc: Document, morphology: bool = False):
        self.doc = doc
        self.morphology = morphology
        # Every block (Flesch reads them all), then the blocks the other assessments read:
        # Yoast leaves blockquotes and code out of them (filterTree, htmlParser).
        self.all_blocks: list[Block] = parse_blocks(doc.body_markdown or "")
        self.blocks: list[Block] = [b for b in self.all_blocks if b.analysed and b.text.strip()]
        self.keyword = (doc.keyword or "").strip()
        # Yoast ignores a keyphrase made only of punctuation.
        if not re.sub(r"[‘’“”\"'.?!:;,¿¡«»&*@#±^%|~`\[\](){}⟨⟩<>/\\–\-\u2014\u00d7+\s]", "", self.keyword):
            self.keyword = ""
        self.seo_title = (doc.meta_title or doc.title or "").strip()
        self.description = doc.meta_description or ""
        self.slug = doc.slug or ""

    # --- text ---------------------------------------------------------------
    @cached_property
    def text(self) -> str:
        return " ".join(b.raw for b in self.all_blocks)

    @cached_property
    def block_words(self) -> list[list[str]]:
        return [get_words(b.text) for b in self.blocks]

    @cached_property
    def block_word_counts(self) -> list[int]:
        return [len(w) for w in self.block_words]

    @cached_property
    def word_count(self) -> int:
        return sum(self.block_word_counts)

    @cached_property
    def sentences(self) -> list[Sentence]:
        out = []
        for i, b in enumerate(self.blocks):
            for s in split_sentences(b.text.replace("\n", " ")):
                out.append(Sentence(s, i))
        return out

    @cached_property
    def beginning_sentences(self) -> list[Sentence]:
        """Sentences outside lists and tables (Yoast's getSentenceBeginnings filters ul, ol, table)."""
        return [s for s in self.sentences if not (self.blocks[s.block].list_item or self.blocks[s.block].cell)]

    @cached_property
    def html_sentences(self) -> tuple[list[str], int]:
        """Sentences as Yoast's HTML-string researches cut them (passive voice): each line of
        the rendered HTML apart, quotes and code left out; and how many more "sentences"
        without words the tables add (their <tr>, <thead> lines, a cell's closing tag)."""
        return _html_sentences(b for b in self.all_blocks if b.analysed)

    @cached_property
    def sentence_lengths(self) -> list[int]:
        return [n for n in (len(s.words) for s in self.sentences) if n > 0]

    @cached_property
    def paragraph_lengths(self) -> list[int]:
        """Words of each paragraph (p blocks only), counted on its sentences' tokens."""
        per_block = [0] * len(self.blocks)
        for s in self.sentences:
            per_block[s.block] += len(s.words)
        return [per_block[i] for i in self.paragraphs if per_block[i] > 0]

    @cached_property
    def density_word_count(self) -> int:
        """Words for the keyphrase density (hyphenated words split, as Yoast's tree does)."""
        return sum(len(s.split_words) for s in self.sentences)

    @cached_property
    def paragraphs(self) -> list[int]:
        return [i for i, b in enumerate(self.blocks) if b.kind == "p"]

    @cached_property
    def subheadings(self) -> list[int]:
        """Indices of h2/h3 blocks (Yoast's top-level subheadings)."""
        return [i for i, b in enumerate(self.blocks) if b.kind in ("h2", "h3")]

    @cached_property
    def has_any_heading(self) -> bool:
        return any(b.kind.startswith("h") for b in self.blocks)

    @cached_property
    def flesch_stats(self) -> tuple[int, int, int]:
        """(sentences, words, syllables) of the whole body, quotes and code included, numbers
        removed, as Yoast's getFleschReadingScore counts them on the raw HTML."""
        n_sent = n_words = n_syl = 0
        texts = []
        for b in self.all_blocks:
            t = b.raw
            if _DIGIT_RE.search(t):
                t = _MULTISPACE_RE.sub(" ", _NUMBERS_RE.sub("", t)).strip()
            texts.append((t, b))
        sentences, extra = _html_sentences(texts)
        n_sent = len(sentences) + extra
        for t, _ in texts:
            words = get_words(t)
            n_words += len(words)
            n_syl += sum(count_syllables(w.lower()) for w in words)
        return n_sent, n_words, n_syl

    # --- links ----------------------------------------------------------------
    @cached_property
    def link_statistics(self) -> dict[str, int] | None:
        """Yoast's getLinkStatistics, for the links we write (all followed): a link to the site's
        own host (or a relative one) is internal, any other http(s) link outbound. None when the
        page's links are unknown."""
        if self.doc.links is None:
            return None
        site = urlsplit(self.doc.site_url or "").netloc.lower()
        internal = external = 0
        for href in self.doc.links:
            parts = urlsplit(href.strip())
            if not parts.netloc:
                internal += not href.startswith("#")
            elif site and parts.netloc.lower() == site:
                internal += 1
            elif parts.scheme in ("http", "https"):
                external += 1
        return {"internalTotal": internal, "internalDofollow": internal, "internalNofollow": 0,
                "externalTotal": external, "externalDofollow": external, "externalNofollow": 0}

    # --- keyphrase ------------------------------------------------------------
    @cached_property
    def exact_match(self) -> bool:
        return matching.is_exact(self.keyword)

    @cached_property
    def keyphrase_forms(self) -> list[list[str]]:
        """One list of accepted forms per keyphrase word that must be found (see matching)."""
        if not self.keyword:
            return []
        return matching.keyphrase_forms(self.keyword, self.morphology)

    def percent_word_matches(self, text: str, forms: list[list[str]] | None = None) -> int:
        return matching.percent_found(text, self.keyphrase_forms if forms is None else forms)

    def count_in_sentence(self, sentence: Sentence) -> int:
        """Full keyphrase occurrences in a body sentence: its rarest word's token matches."""
        forms = self.keyphrase_forms
        if self.exact_match:
            return matching.count_exact_in_tokens(sentence.tokens, forms[0][0])
        counts = []
        for fs in forms:
            c = matching.count_in_tokens(sentence.tokens, fs)
            if c == 0:
                return 0
            counts.append(c)
        return min(counts) if counts else 0

    @cached_property
    def keyphrase_count(self) -> int:
        if not self.keyphrase_forms:
            return 0
        return sum(self.count_in_sentence(s) for s in self.sentences)


_SENTENCE_END_RE = re.compile(r"[.?!\u2026]$")


def _html_sentences(blocks) -> tuple[list[str], int]:
    """Sentences of blocks (or of (text, block) pairs) the way Yoast's getSentences cuts the
    rendered HTML: line by line; a table cell is one line "<td>…</td>", whose closing tag
    is a sentence of its own after a full stop, and an empty cell one empty sentence; a
    code block ends with a "</code></pre>" line."""
    out: list[str] = []
    extra = 0
    for item in blocks:
        text, b = item if isinstance(item, tuple) else (item.text, item)
        if b.kind == "pre":  # "<pre><code>first line" … "</code></pre>": the closing line is one more
            extra += 1
        if b.cell:
            extra += b.table_lines
            found = split_sentences(text)
            out += found
            extra += 1 if not found or _SENTENCE_END_RE.search(found[-1]) else 0
            continue
        for line in text.split("\n"):
            out += split_sentences(line)
    return out, extra
