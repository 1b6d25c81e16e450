"""Steps 3 and 4 of the pipeline: check a draft in code, fix what code can fix.

`polish` applies the fixes that need no model (typography, slug, meta lengths,
mentions, near-miss quotes); `find_problems` lists what only the model can fix,
in the exact words the repair prompt sends back.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from .article import Article, Draft, Section
from .fidelity import FidelityGuard, FidelityIssue, strip_links
from .keywords import contains_keyword, make_slug
from .prompts import SYSTEM_PROMPT
from .substance import Gap, Instructions, Rule, descriptions, duplicates, gap, judge, placeholder
from .typography import french_typography, neutralise_mentions

META_TITLE_MAX = 60
META_DESC_MIN, META_DESC_MAX = 120, 156
MIN_SECTIONS = 3
HEADING_KEYWORD_MIN, HEADING_KEYWORD_MAX = 0.30, 0.75


@dataclass(frozen=True)
class Problem:
    code: str
    message: str  # French, sent as is in the repair prompt
    hard: bool = True  # a hard problem triggers a repair call; a soft one only rides along


def _strip_links(text: str, guard: FidelityGuard | None) -> str:
    """No link, image or HTML from the model: labels kept, only the source's own URLs stay as text."""
    return guard.strip_links(text) if guard is not None else strip_links(text)


def _clean_field(text: str, guard: FidelityGuard | None = None) -> str:
    text = _strip_links(neutralise_mentions(text or ""), guard)
    text = re.sub(r"^\s*#+\s*", "", text.strip())  # no Markdown heading marks in single-line fields
    text = re.sub(r"\s+", " ", text).strip()
    return french_typography(text)


clean_field = _clean_field  # public: short texts (titles, social copy) get the same cleaning


def _clean_body(text: str, guard: FidelityGuard | None = None) -> str:
    text = _strip_links(neutralise_mentions(text or "").replace("\r\n", "\n"), guard)
    paragraphs = [re.sub(r"[ \t]+", " ", p).strip() for p in re.split(r"\n\s*\n", text)]
    return "\n\n".join(french_typography(p) for p in paragraphs if p)


def _split_inline_headings(sections: list[Section]) -> list[Section]:
    """A model sometimes writes '## Intertitre' inside a body: make it a real section."""
    out: list[Section] = []
    for s in sections:
        heading, lines = s.heading, []
        for line in s.body.split("\n"):
            m = re.match(r"^\s*#{1,6}\s+(.+)$", line)
            if m:
                if lines or heading:
                    out.append(Section(heading=heading, body="\n".join(lines)))
                heading, lines = m.group(1), []
            else:
                lines.append(line)
        out.append(Section(heading=heading, body="\n".join(lines)))
    return [s for s in out if s.heading.strip() or s.body.strip()]


def trim_at_word(text: str, limit: int, ellipsis: bool = False) -> str:
    """`text` cut at its last word boundary so that it fits `limit` (with « … » if asked); a text
    without any space is cut mid-word rather than overflow."""
    if len(text) <= limit:
        return text
    room = limit - (1 if ellipsis else 0)
    head = text[: room + 1]
    cut = head.rsplit(" ", 1)[0] if " " in head else text[:room]
    return cut.rstrip(" ,;:–—-\u00a0") + ("…" if ellipsis else "")


ARTICLE_RULES = {
    "focus_keyword": Rule("le mot-clé principal (focus_keyword)", 1, 2,
                          "l’expression de 1 à 4 mots qu’un lecteur taperait dans un moteur de recherche"),
    "title": Rule("le titre (title)", 3, 15, "un titre informatif, mot-clé principal au début"),
    "meta_description": Rule("la méta-description (meta_description)", 8, 60,
                             f"entre {META_DESC_MIN} et {META_DESC_MAX} caractères, avec le mot-clé principal"),
    "lead": Rule("le chapô (lead)", 10, 50, "2 ou 3 phrases qui résument l’information et contiennent le mot-clé"),
    "heading": Rule("l’intertitre (heading)", 1, 2, "un intertitre court et informatif"),
    "body": Rule("le texte (body)", 15, 80, "des paragraphes de 2 à 4 phrases tirés de la dépêche"),
}
# Labels a field may answer with instead of a text (« Titre SEO », « Chapô »).
ARTICLE_LABELS = ("titre", "titre SEO", "méta-description", "meta description", "chapô", "chapeau", "intertitre",
                  "mot-clé", "mot-clé principal", "slug", "corps", "corps de l’article", "paragraphe", "section")


@functools.cache
def article_instructions(*task: str) -> Instructions:
    """The wording an article is written from: system prompt, the task, the schema's descriptions."""
    return Instructions(SYSTEM_PROMPT, *task, *descriptions(Draft), labels=ARTICLE_LABELS)


def article_gaps(article: Article, instructions: Instructions | None = None) -> list[Gap]:
    """The fields of a polished article that are not real texts (seo/substance.py): keyword, title,
    meta description, lead, every heading and body; the SEO title and the slug are derived (polish)."""
    r = ARTICLE_RULES
    found = [g for g in (gap(name, getattr(article, name), r[name], instructions)
                         for name in ("focus_keyword", "title", "meta_description", "lead")) if g]
    if not article.sections:
        found.append(Gap("sections", "les sections (sections)", "sont absentes",
                         "au moins 4 sections, chacune avec un intertitre"))
    for i, s in enumerate(article.sections, 1):
        for part, text in (("heading", s.heading), ("body", s.body)):
            rule = r[part]
            label = f"{rule.label.split(' (')[0]} de la section {i} ({part})"
            g = gap(f"sections.{i}.{part}", text, Rule(label, rule.min_words, rule.min_chars, rule.expect),
                    instructions)
            if g:
                found.append(g)
    if not found and not article.slug.strip("-"):
        found.append(Gap("slug", "le slug", "est vide"))
    bad = {g.field for g in found}
    items = [("title", "le titre", article.title), ("lead", "le chapô", article.lead)]
    items += [(f"sections.{i}.body", f"le texte de la section {i}", s.body) for i, s in enumerate(article.sections, 1)]
    found += [d for d in duplicates(items) if d.field not in bad]
    headings = [(f"sections.{i}.heading", f"l’intertitre de la section {i}", s.heading)
                for i, s in enumerate(article.sections, 1)]
    found += [d for d in duplicates(headings) if d.field not in bad]
    return found


def polish(article: Article, guard: FidelityGuard, *, keyword: str | None = None,
           credit: str | None = None) -> Article:
    """Everything code can fix, without a model. Returns a new Article."""
    a = article.model_copy(deep=True)
    if keyword:
        a.focus_keyword = keyword
    a.focus_keyword = re.sub(r"\s+", " ", strip_links(neutralise_mentions(a.focus_keyword))).strip().strip("«»\"'").strip()
    a.title = guard.fix_quotes(_clean_field(a.title, guard))
    # The SEO title can be derived: an empty, placeholder or fragmentary one falls back to the title.
    a.meta_title = _clean_field(a.meta_title, guard)
    if judge(a.meta_title, ARTICLE_RULES["title"], article_instructions()):
        a.meta_title = a.title
    a.meta_description = guard.fix_quotes(_clean_field(a.meta_description, guard))
    a.lead = guard.fix_quotes(_clean_body(a.lead, guard))
    sections = _split_inline_headings(a.sections)
    a.sections = [
        Section(heading=guard.fix_quotes(_clean_field(s.heading, guard)),
                body=guard.fix_quotes(_clean_body(s.body, guard)))
        for s in sections
    ]
    a.secondary_keywords = [k for k in (_clean_field(k, guard) for k in a.secondary_keywords)
                            if k and not placeholder(k)][:6]
    a.keyword_suggestions = [k for k in (_clean_field(k, guard) for k in a.keyword_suggestions)
                             if k and not placeholder(k) and k.lower() != a.focus_keyword.lower()][:5]
    # Meta fields: trim at a word boundary when that keeps the keyword.
    if len(a.meta_title) > META_TITLE_MAX:
        trimmed = trim_at_word(a.meta_title, META_TITLE_MAX)
        if not a.focus_keyword or contains_keyword(trimmed, a.focus_keyword) or not contains_keyword(a.meta_title, a.focus_keyword):
            a.meta_title = trimmed
    if len(a.meta_description) > META_DESC_MAX:
        trimmed = trim_at_word(a.meta_description, META_DESC_MAX, ellipsis=True)
        if len(trimmed) >= META_DESC_MIN:
            a.meta_description = trimmed
    a.slug = make_slug(a.focus_keyword or a.title, a.title)
    a.credit = strip_links(credit) if credit else credit
    return a


def _draft_texts(draft: Draft) -> list[str]:
    texts = [draft.focus_keyword, draft.title, draft.meta_title, draft.meta_description, draft.lead,
             *draft.secondary_keywords, *draft.keyword_suggestions]
    for s in draft.sections:
        texts += [s.heading, s.body]
    return texts


def fidelity_issues(article: Article, guard: FidelityGuard, draft: Draft | None = None) -> list[FidelityIssue]:
    """Issues of the polished article; with the model's `draft`, also the links polish stripped
    from it that the source does not hold (kind "link")."""
    texts = [article.title, article.meta_title, article.meta_description, article.lead]
    for s in article.sections:
        texts += [s.heading, s.body]
    found = [issue for text in _draft_texts(draft) for issue in guard.link_issues(text, removed=True)] if draft else []
    found += [issue for text in texts for issue in guard.issues(text)]
    seen: set[tuple[str, str]] = set()
    issues: list[FidelityIssue] = []
    for issue in found:
        key = (issue.kind, issue.text)
        if key not in seen:
            seen.add(key)
            issues.append(issue)
    return issues


_FR = frozenset("le la les des du de et est une un dans pour que qui pas sur au aux avec ce cette il elle ont a été".split())
_EN = frozenset("the and of to is in that for with was on are as by it this have has be from".split())
_DE = frozenset("der die das und ist nicht mit von zu den ein eine auf für dem sich".split())


def looks_french(text: str) -> bool:
    words = re.findall(r"[a-zàâçéèêëîïôûùüÿœ]+", text.lower())
    if len(words) < 20:
        return True
    fr = sum(w in _FR for w in words)
    other = max(sum(w in _EN for w in words), sum(w in _DE for w in words))
    return fr >= other * 1.5


def find_problems(article: Article, *, body_words: int, min_words: int,
                  issues: list[FidelityIssue], analysis: dict | None = None,
                  max_words: int | None = None) -> list[Problem]:
    kw = article.focus_keyword
    p: list[Problem] = []
    if body_words < min_words:
        p.append(Problem("too_short", f"Le corps compte {body_words} mots : il en faut au moins {min_words}. "
                         "Développez le contexte donné par la dépêche (rappels, réactions citées, enjeux), "
                         "sans aucun fait nouveau."))
    if max_words and body_words > max_words:
        p.append(Problem("too_long", f"Le corps compte {body_words} mots : ramenez-le à {max_words} mots au plus "
                         f"(jamais moins de {min_words})."))
    n = len(article.sections)
    if n < MIN_SECTIONS:
        p.append(Problem("few_headings", f"L’article n’a que {n} intertitre(s) : il en faut au moins 4."))
    if kw.strip():  # an empty keyword is a gap (article_gaps)
        for field, label in (("title", "le titre"), ("meta_title", "le titre SEO"), ("lead", "le chapô"),
                             ("meta_description", "la méta-description")):
            if not contains_keyword(getattr(article, field), kw):
                p.append(Problem(f"keyword_{field}", f"Le mot-clé principal « {kw} » manque dans {label}."))
        if n:
            ratio = sum(contains_keyword(s.heading, kw) for s in article.sections) / n
            if ratio < HEADING_KEYWORD_MIN:
                p.append(Problem("keyword_headings", f"Le mot-clé « {kw} » (ou une forme proche) doit figurer dans "
                                 f"au moins un tiers des intertitres (actuellement {ratio:.0%})."))
            elif ratio > HEADING_KEYWORD_MAX:
                p.append(Problem("keyword_headings_many", f"Le mot-clé « {kw} » est dans {ratio:.0%} des intertitres : "
                                 "retirez-le de certains (75 % au plus)."))
    if len(article.meta_title) > META_TITLE_MAX:
        p.append(Problem("meta_title_long", f"Le titre SEO fait {len(article.meta_title)} caractères : 60 au plus."))
    md = len(article.meta_description)
    if not META_DESC_MIN <= md <= META_DESC_MAX:
        p.append(Problem("meta_description_length", f"La méta-description fait {md} caractères : il en faut entre "
                         f"{META_DESC_MIN} et {META_DESC_MAX}."))
    if not looks_french(article.body_text()):
        p.append(Problem("not_french", "L’article n’est pas en français : rédigez-le entièrement en français."))
    for issue in issues:
        if issue.kind == "quote":
            msg = (f"Citation non conforme à la dépêche : {issue.text}. Citez les mots exacts de la dépêche "
                   "ou passez au style indirect sans guillemets.")
        elif issue.kind == "link":
            msg = (f"Lien ou image absent de la dépêche : {issue.text}. N’écrivez aucun lien, aucune image "
                   "ni balise HTML : du texte seul, sans adresse web.")
        elif issue.kind == "number":
            msg = f"Chiffre absent de la dépêche : {issue.text}. Supprimez-le ou reprenez le chiffre exact de la dépêche."
            if issue.detail.startswith("Chiffre mal transcrit"):
                msg += f" {issue.detail}."
        else:
            msg = f"Nom absent de la dépêche : {issue.text}. Supprimez-le : aucun nom extérieur à la dépêche."
            if issue.detail.startswith("Nom recomposé"):
                msg += " (Prénom et nom de deux personnes différentes : reprenez le nom complet de la dépêche.)"
        p.append(Problem(f"fidelity_{issue.kind}", msg))
    # Readability and density advice rides along with a repair that happens anyway.
    for check in (analysis or {}).get("readability", {}).get("checks", []) + \
            (analysis or {}).get("seo", {}).get("checks", []):
        if check.get("id") in _SOFT_CHECKS and check.get("score", 9) < 7:
            p.append(Problem(f"yoast_{check['id']}", check.get("message", ""), hard=False))
    return p


_SOFT_CHECKS = {"textSentenceLength", "textTransitionWords", "passiveVoice", "textParagraphTooLong",
                "subheadingsTooLong", "sentenceBeginnings", "keyphraseDensity", "fleschReadingEase"}
