"""A deterministic "good model" for the fake OpenAI server.

``write(request_json) -> dict`` reads a Chat Completions request built by the
project's prompt builder and returns the article JSON (the ``Draft`` schema of
``seo/article.py``) that a well-behaved model would write:

* faithful by construction: the body reuses the dispatch's own sentences
  verbatim (quotes, numbers and names untouched, in their original order) and
  pads with generic French connecting sentences that contain no digit and no
  proper name;
* the requested length: at least the minimum ("Au moins N mots"), about the
  target ("Visez environ N mots") or minimum + 15 % when no target is given;
* the SEO rules: keyword at the start of title and meta title, meta title
  <= 60 chars, meta description 120-156 chars containing the keyword, keyword
  in the lead (2 sentences) and in about half the headings, >= 4 sections.

Words are counted conservatively (whitespace tokens that contain at least one
letter or digit, over lead + headings + bodies), so the whitespace-split count
is always at least as large.

Prompt contract (parsed tolerantly, every section optional)::

    ## Mot-clé principal imposé
    <keyword>
    ## Longueur
    Au moins 700 mots dans le corps (chapô + sections). Visez environ 850 mots.
    ## Article actuel (JSON)
    {...}
    ## Dépêche source
    <depeche>
    ...
    </depeche>

With "## Article actuel (JSON)" the current article is revised instead of
written from scratch: its fields are kept, the length is fixed (shrunk towards
the target but never under the minimum, or expanded when under the minimum),
an imposed keyword is applied, and SEO constraints that are violated are fixed.
"""
from __future__ import annotations

import copy
import functools
import json
import math
import re
import unicodedata
from collections import Counter
from typing import Any

DEFAULT_MIN_WORDS = 700
APOS = "’"

# --------------------------------------------------------------------------- text

_GENERIC_CORES = [
    "Ce point mérite d’être souligné pour comprendre la portée de cette annonce.",
    "Il est utile de replacer ces propos dans leur contexte.",
    "Cet élément aide à mieux cerner les enjeux du dossier.",
    "La suite des événements permettra d’en mesurer la portée réelle.",
    "Il faudra suivre avec attention l’évolution de la situation.",
    "Ces informations éclairent la manière dont le dossier est abordé.",
    "Chaque détail compte pour saisir la logique de cette prise de position.",
    "Ce passage retient particulièrement l’attention.",
    "Il s’agit d’un élément central pour comprendre la suite.",
    "Cette précision apporte un éclairage utile sur la situation.",
    "Le lecteur peut ainsi mieux mesurer ce qui est en jeu.",
    "Ces propos s’inscrivent dans une séquence plus large.",
    "Cette étape pourrait peser sur la suite du dossier.",
    "Les enjeux de cette annonce méritent d’être examinés de près.",
    "Plusieurs questions peuvent se poser à ce stade.",
    "Il convient de lire ces déclarations avec attention.",
    "Ce contexte permet de mieux comprendre les positions exprimées.",
    "Les mots choisis ont leur importance dans ce type de dossier.",
    "Cette information complète le tableau d’ensemble.",
    "Il est encore trop tôt pour en tirer des conclusions définitives.",
    "La portée de ces annonces reste à mesurer dans la durée.",
    "Ces éléments donnent une idée plus précise de la situation.",
    "Il s’agit d’un aspect important pour saisir l’ensemble du dossier.",
    "Ce rappel permet de situer les enjeux avec plus de clarté.",
    "Chacun de ces points mérite une lecture attentive.",
    "Le sujet soulève des questions légitimes.",
    "Ce dossier demande de la nuance et de la précision.",
    "Les faits rapportés ici permettent de se faire une opinion éclairée.",
    "Cette séquence illustre la complexité du dossier.",
    "Il est important de distinguer les faits des interprétations.",
    "Ces éléments seront utiles pour suivre la suite de l’actualité.",
    "La prudence reste de mise dans l’analyse de ces annonces.",
    "Cet aspect pourrait prendre de l’importance dans la suite du dossier.",
    "Ce point éclaire les choix exprimés dans cette affaire.",
    "Les prochaines étapes diront si ces orientations se confirment.",
    "Chaque prise de parole apporte ici un élément de compréhension.",
]
_GENERIC_OPENERS = [  # all in the analysis' transition-word list
    "Par ailleurs, ",
    "En outre, ",
    "Ainsi, ",
    "À cet égard, ",
    "Du reste, ",
    "En effet, ",
    "Au fond, ",
    "De fait, ",
    "Toutefois, ",
    "À ce sujet, ",
]
# Sentences that carry the keyword in the body. {ref} = keyword with its article.
_KW_BODY_REF = [
    "Ce point est essentiel pour comprendre l’actualité concernant {ref}.",
    "Les informations disponibles sur {ref} méritent une lecture attentive.",
    "Ce volet éclaire la situation concernant {ref}.",
    "Il s’agit d’un élément clé du dossier concernant {ref}.",
    "Ce développement compte pour qui suit l’actualité concernant {ref}.",
]
_KW_BODY_COLON = [
    "{Kw} : ce point est essentiel pour comprendre l’actualité.",
    "{Kw} : les informations disponibles méritent une lecture attentive.",
    "{Kw} : ce volet éclaire la situation.",
    "{Kw} : il s’agit d’un élément clé du dossier.",
    "{Kw} : ce développement compte pour qui suit l’actualité.",
]
_HEADINGS = [
    "Le contexte de l’annonce",
    "Les principales déclarations",
    "Les enjeux du dossier",
    "Les points à retenir",
    "Les perspectives",
    "Ce qu’il faut surveiller",
    "Les questions en suspens",
    "Les prochaines étapes",
    "Les éléments de contexte",
    "Les points de vigilance",
    "Une situation à suivre",
    "En résumé",
]
SECTION_MAX_WORDS = 280  # the prompt asks for sections under 300 words
_META_DESC_TAIL = (
    "découvrez l’essentiel de cette actualité, les déclarations clés, le contexte, "
    "les enjeux et les prochaines étapes à suivre, expliqués simplement dans notre "
    "article complet et détaillé sur ce dossier d’actualité"
)
_DANGLING = {"et", "de", "du", "des", "à", "les", "le", "la", "l’", "dans", "sur", "notre", "sur", "d’"}


def generic_sentence(i: int) -> str:
    """The i-th generic connecting sentence (no digit, no proper name)."""
    n = len(_GENERIC_CORES)
    core = _GENERIC_CORES[i % n]
    k = len(_GENERIC_OPENERS) + 1
    o = (i % n + (i // n) % k) % k  # distinct for each (core, round): sentences never repeat
    if o == 0:
        return core
    return _GENERIC_OPENERS[o - 1] + core[0].lower() + core[1:]


def _all_generic() -> set[str]:
    n = len(_GENERIC_CORES) * (len(_GENERIC_OPENERS) + 1)
    return {generic_sentence(i) for i in range(n)}


_GENERIC_SET = _all_generic()


_ALNUM = re.compile(r"[^\W_]")


@functools.lru_cache(maxsize=65536)
def count_words(text: str) -> int:
    """Conservative word count: whitespace tokens with at least one letter/digit."""
    return sum(1 for t in text.split() if _ALNUM.search(t))


def article_words(article: dict) -> int:
    n = count_words(article.get("lead", "") or "")
    for s in article.get("sections", []) or []:
        n += count_words(s.get("heading", "") or "") + count_words(s.get("body", "") or "")
    return n


def _fold(s: str) -> str:
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if not unicodedata.combining(c)).lower()


def _norm_apos(s: str) -> str:
    return s.replace("'", APOS)


def _contains(hay: str, needle: str) -> bool:
    return bool(needle) and _norm_apos(needle).casefold() in _norm_apos(hay).casefold()


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:] if s else s


# --------------------------------------------------------------------------- sentences

_ABBREV = {"m", "mm", "mme", "mmes", "mlle", "dr", "pr", "st", "ste", "me", "mgr", "cf", "p", "av", "n°", "no", "vol", "art", "gén", "col", "cdt", "lt", "sgt"}


def split_sentences(par: str) -> list[str]:
    """Split a paragraph into sentences, never inside « » / “ ” quotes."""
    out: list[str] = []
    depth = 0
    straight = False
    start = 0
    i = 0
    n = len(par)
    while i < n:
        c = par[i]
        boundary_end = -1
        if c in "«“":
            depth += 1
        elif c in "»”":
            depth = max(0, depth - 1)
            if depth == 0:
                prev = par[start:i].rstrip()
                if prev and prev[-1] in ".!?…":
                    boundary_end = i + 1
        elif c == '"':
            straight = not straight
            if not straight:
                prev = par[start:i].rstrip()
                if prev and prev[-1] in ".!?…":
                    boundary_end = i + 1
        elif c in ".!?…" and depth == 0 and not straight:
            j = i + 1
            while j < n and par[j] in ".!?…)":
                j += 1
            boundary_end = j
            word = re.findall(r"[\wÀ-ÿ°\.-]+$", par[start:i])
            last = word[0].split(".")[-1] if word else ""
            if c == "." and (last.lower() in _ABBREV or (len(last) == 1 and last.isupper())):
                boundary_end = -1
        if boundary_end > 0:
            k = boundary_end
            while k < n and par[k].isspace():
                k += 1
            if k >= n:
                break
            if k > boundary_end and (par[k].isupper() or par[k] in "«“\"–—-(" or par[k].isdigit()):
                s = par[start:boundary_end].strip()
                if s:
                    out.append(s)
                start = k
                i = k
                continue
        i += 1
    tail = par[start:].strip()
    if tail:
        out.append(tail)
    return out


_EN_WORDS = {
    "the", "be", "make", "this", "that", "article", "let", "there", "for", "create", "at", "least",
    "words", "word", "in", "and", "of", "to", "is", "it", "please", "write", "with", "seo",
    "compatible", "should", "an", "subheadings", "french", "english", "into", "rewrite",
    "translate", "you", "your", "must", "use", "keyword", "keywords", "headings", "from",
}
_FR_WORDS = {
    "le", "la", "les", "de", "des", "du", "et", "est", "un", "une", "en", "à", "que", "qui",
    "pour", "dans", "sur", "au", "aux", "pas", "il", "elle", "ils", "a", "été", "son", "sa", "ses",
}
_DATELINE = re.compile(
    r"^\s*[A-ZÀ-Ý][^()\n]{0,60}\((?:AFP|Reuters|AP|Belga|ATS|Xinhua|dpa|DPA|ANSA|EFE)\)\s*[-–—:,]\s*"
)
_BOILER = re.compile(r"^\s*(publié le|modifié le|mis à jour|©|\(c\)|copyright|lire aussi|crédit|photo\s*:)", re.I)


def _is_english(line: str) -> bool:
    toks = re.findall(r"[a-zA-Zàâçéèêëîïôûùüÿœ’']+", line.lower())
    en = sum(1 for t in toks if t in _EN_WORDS)
    fr = sum(1 for t in toks if t in _FR_WORDS)
    return en >= 3 and en > 2 * fr


def dispatch_sentences(dispatch: str) -> list[str]:
    """The usable sentences of a dispatch, in order (instructions, boilerplate and
    intertitles dropped, dateline stripped)."""
    sentences: list[str] = []
    blocks = re.split(r"\n\s*\n", dispatch.replace("\r\n", "\n").replace("\r", "\n"))
    first = True
    for block in blocks:
        lines = [ln.strip() for ln in block.split("\n") if ln.strip()]
        merged: list[str] = []
        for ln in lines:
            if merged and merged[-1] and merged[-1][-1] not in ".!?…»\"”:" and ln[:1].islower():
                merged[-1] += " " + ln
            else:
                merged.append(ln)
        for ln in merged:
            if _is_english(ln) or _BOILER.match(ln):
                continue
            if len(ln.split()) <= 8 and ln[-1] not in ".!?…»\"”":
                continue  # intertitle, byline, "Publié le: Modifié:" ...
            if first:
                ln = _DATELINE.sub("", ln, count=1)
                ln = _cap(ln)
            first = False
            sentences.extend(s for s in split_sentences(ln) if count_words(s) >= 1)
    return sentences


# --------------------------------------------------------------------------- keyword

_CAP_STOP = {
    "le", "la", "les", "l", "un", "une", "des", "de", "du", "d", "il", "elle", "ils", "elles", "nous",
    "vous", "je", "tu", "on", "mais", "et", "ou", "donc", "or", "ni", "car", "plus", "moins", "pendant",
    "lors", "se", "ce", "cela", "ceci", "cette", "ces", "cet", "selon", "pour", "dans", "en", "au", "aux",
    "avec", "sans", "sur", "sous", "si", "tout", "tous", "toute", "toutes", "après", "avant", "depuis",
    "alors", "ainsi", "enfin", "mon", "ma", "mes", "notre", "nos", "leur", "leurs", "son", "sa", "ses",
    "quand", "comme", "publié", "modifié", "qui", "que", "quoi", "où", "à", "a", "y", "c", "qu", "j",
    "s", "n", "m", "t", "lorsque", "puis", "parce", "aussi", "même", "encore", "déjà", "voici",
    "afp", "reuters", "ap", "belga", "ats", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi",
    "dimanche", "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
    "octobre", "novembre", "décembre", "oui", "non", "monsieur", "madame", "président", "m", "mme",
}
_ELISION = re.compile(r"^(?:l|d|qu|n|s|j|m|t|c|jusqu|lorsqu|puisqu|quoiqu)[’']", re.I)
_WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿœŒ’'\-]+")
_ARTICLES = {"l’": "l’", "l'": "l’", "le": "le ", "la": "la ", "les": "les ", "du": "le ",
             "des": "les ", "au": "le ", "aux": "les "}
_CONTENT_STOP = _CAP_STOP | {
    "avait", "avaient", "était", "étaient", "serait", "seront", "sont", "ont", "fait", "faire",
    "entre", "contre", "également", "dont", "très", "leurs", "autres", "autre", "cette", "déclaré",
    "affirmant", "notamment", "lequel", "laquelle", "quelque", "chaque", "aucune", "aucun",
}


def _tokens(sentence: str) -> list[tuple[str, bool]]:
    """(word without elided prefix, is_sentence_or_quote_initial)."""
    out = []
    initial = True
    for m in re.finditer(r"«|“|\"|:|[A-Za-zÀ-ÖØ-öø-ÿœŒ’'\-]+|\S", sentence):
        t = m.group(0)
        if t in ("«", "“", '"', ":"):
            initial = True
            continue
        if not _WORD.fullmatch(t):
            continue
        w = _ELISION.sub("", t).strip("-’'")
        if w:
            out.append((w, initial))
        initial = False
    return out


def _proper_nouns(sentences: list[str]) -> list[str]:
    counts: Counter[str] = Counter()
    first_seen: dict[str, int] = {}
    pos = 0
    for s in sentences:
        for w, initial in _tokens(s):
            pos += 1
            if not w[0].isupper() or w.lower() in _CAP_STOP or len(w) < 2:
                continue
            acronym = w.isupper() and len(w) >= 2
            if initial and not acronym:
                continue
            counts[w] += 1
            first_seen.setdefault(w, pos)
    return sorted(counts, key=lambda w: (-counts[w], first_seen[w]))


def _content_words(sentences: list[str]) -> list[str]:
    counts: Counter[str] = Counter()
    first_seen: dict[str, int] = {}
    pos = 0
    for s in sentences:
        for w, _ in _tokens(s):
            pos += 1
            lw = w.lower()
            if len(lw) < 6 or lw in _CONTENT_STOP or not w.islower():
                continue
            counts[lw] += 1
            first_seen.setdefault(lw, pos)
    return sorted(counts, key=lambda w: (-counts[w], first_seen[w]))


def _article_for(keyword: str, text: str) -> str | None:
    """The article most often seen before `keyword` in `text` ('' if none, None if
    the keyword never appears)."""
    pat = re.compile(r"(?:(?<=\s)|(?<=^)|(?<=«))((?:l[’']|le\s|la\s|les\s|du\s|des\s|au\s|aux\s)?)"
                     + re.escape(_norm_apos(keyword)) + r"(?![\w])", re.I | re.M)
    c: Counter[str] = Counter()
    for m in pat.finditer(_norm_apos(text)):
        art = m.group(1).strip().lower()
        c[_ARTICLES.get(art, "")] += 1
    if not c:
        return None
    return sorted(c, key=lambda a: (-c[a], a == ""))[0]


def _phrases_with(p: str, sentences: list[str]) -> list[tuple[str, int]]:
    pat = re.compile(r"\b([a-zà-ÿœ]{4,})\s+(de la|de l[’']|du|des|de|d[’'])\s*" + re.escape(p) + r"\b")
    c: Counter[str] = Counter()
    order: dict[str, int] = {}
    for s in sentences:
        for m in pat.finditer(s):
            if m.group(1) in _CONTENT_STOP:
                continue
            joiner = m.group(2)
            phrase = f"{m.group(1)} {joiner}{'' if joiner.endswith(('’', chr(39))) else ' '}{p}"
            c[phrase] += 1
            order.setdefault(phrase, len(order))
    return sorted(c.items(), key=lambda kv: (-kv[1], order[kv[0]]))


class _Ctx:
    """Everything derived from the prompt: keyword, its article, lengths, dispatch."""

    def __init__(self, keyword: str, sentences: list[str], dispatch: str, min_words: int, target: int):
        self.keyword = keyword.strip()
        self.sentences = sentences
        self.dispatch = dispatch
        self.min_words = min_words
        self.target = target
        art = _article_for(self.keyword, dispatch) if self.keyword else None
        if art == "" and not self.keyword[:1].isupper():
            art = None  # common noun seen without article: gender unknown
        if art is None and self.keyword[:1].isupper():
            art = ""
        self.nouns = _proper_nouns(sentences)
        self.words = _content_words(sentences)
        self.explicit_target = False
        self.article = art  # None: unknown -> use colon forms

    @property
    def Kw(self) -> str:
        return _cap(self.keyword)

    @property
    def ref(self) -> str | None:
        return None if self.article is None else f"{self.article}{self.keyword}"


def choose_keyword(sentences: list[str]) -> str:
    nouns = _proper_nouns(sentences)
    if nouns:
        top = nouns[0]
        phrases = _phrases_with(top, sentences)
        if phrases and phrases[0][1] >= 3:
            return phrases[0][0]
        return top
    words = _content_words(sentences)
    return words[0] if words else "actualité"


# --------------------------------------------------------------------------- prompt parsing


def _message_text(msg: dict) -> str:
    content = msg.get("content")
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "\n".join(p.get("text", "") for p in content if isinstance(p, dict))
    return ""


def _sections(text: str) -> dict[str, str]:
    """Map of folded '## Heading' -> body."""
    out: dict[str, str] = {}
    parts = re.split(r"(?m)^[ \t]*#{2,3}[ \t]*(.+?)[ \t]*$", text)
    # parts = [pre, h1, b1, h2, b2, ...]
    for i in range(1, len(parts) - 1, 2):
        out[_fold(parts[i]).strip(" :")] = parts[i + 1].strip("\n")
    return out


def _find(sections: dict[str, str], *keys: str) -> str | None:
    for name, body in sections.items():
        if any(k in name for k in keys):
            return body
    return None


def _int(s: str) -> int:
    return int(re.sub(r"[^\d]", "", s))


def _lengths(text: str) -> tuple[int | None, int | None]:
    t = text.replace("\u202f", " ").replace("\u00a0", " ")
    mn = re.search(r"(?:au moins|minimum(?: de)?|pas moins de)\s+(\d[\d ]*)\s*mots", t, re.I)
    tg = re.search(r"(?:visez|viser|cible[rz]?|objectif(?: de)?)\s+(?:environ\s+|autour de\s+)?(\d[\d ]*)\s*mots", t, re.I)
    return (_int(mn.group(1)) if mn else None, _int(tg.group(1)) if tg else None)


def _parse_json_object(text: str) -> dict | None:
    text = text.strip()
    m = re.search(r"```(?:json)?\s*(.*?)```", text, re.S)
    if m:
        text = m.group(1)
    a, b = text.find("{"), text.rfind("}")
    if a < 0 or b <= a:
        return None
    try:
        obj = json.loads(text[a : b + 1])
    except ValueError:
        return None
    if isinstance(obj, dict) and isinstance(obj.get("article"), dict) and "sections" not in obj:
        obj = obj["article"]
    return obj if isinstance(obj, dict) else None


_NO_KEYWORD = {"", "aucun", "(aucun)", "aucun.", "-", "—", "none", "néant", "n/a", "(none)"}


def parse_prompt(request_json: dict) -> dict[str, Any]:
    """Extract keyword, min/target words, current article and dispatch from a request."""
    messages = [m for m in request_json.get("messages") or [] if isinstance(m, dict)]
    users = [m for m in messages if m.get("role") == "user"]
    user = _message_text(users[-1]) if users else ""
    system = "\n".join(_message_text(m) for m in messages if m.get("role") in ("system", "developer"))
    secs = _sections(user)

    dispatch_part = _find(secs, "depeche", "source")
    m = re.search(r"<depeche[^>]*>(.*?)(?:</depeche>|$)", user, re.S | re.I)
    if m:
        dispatch = m.group(1)
    elif dispatch_part is not None:
        dispatch = dispatch_part
    elif secs:
        dispatch = ""
    else:
        dispatch = user
    dispatch = dispatch.strip()

    keyword = None
    kw_part = _find(secs, "mot-cle", "mot cle", "keyword")
    if kw_part is not None:
        line = next((ln.strip() for ln in kw_part.splitlines() if ln.strip()), "")
        line = line.strip().strip("«»\"'“”`").strip()
        if _fold(line) not in _NO_KEYWORD:
            keyword = line

    mn = tg = None
    len_part = _find(secs, "longueur", "length")
    for text in (len_part, user.replace(dispatch, "") if dispatch else user, system):
        if text:
            a, b = _lengths(text)
            mn = mn if mn is not None else a
            tg = tg if tg is not None else b
        if mn is not None:
            break

    current = None
    cur_part = _find(secs, "article actuel", "current article")
    if cur_part is not None:
        current = _parse_json_object(cur_part)

    return {"keyword": keyword, "min_words": mn, "target_words": tg, "article": current, "dispatch": dispatch}


# --------------------------------------------------------------------------- article building


def _meta_title(ctx: _Ctx) -> str:
    for cand in (f"{ctx.Kw} : ce qu’il faut retenir", f"{ctx.Kw} : l’essentiel à retenir", f"{ctx.Kw} : l’essentiel"):
        if len(cand) <= 60:
            return cand
    words, out = ctx.Kw.split(), ""
    for w in words:
        if len((out + " " + w).strip()) > 60:
            break
        out = (out + " " + w).strip()
    return out or ctx.Kw[:60]


def _meta_description(ctx: _Ctx) -> str:
    kw = ctx.Kw if len(ctx.Kw) <= 110 else ctx.Kw[:110].rsplit(" ", 1)[0]
    text = f"{kw} :"
    for w in _META_DESC_TAIL.split():
        if len(text) + 1 + len(w) + 1 > 156:
            break
        text += " " + w
    words = text.split()
    while len(" ".join(words)) > 119 and words[-1].strip(",") in _DANGLING:
        words.pop()
    text = " ".join(words).rstrip(",") + "."
    return text


def _kw_sentence(ctx: _Ctx, i: int) -> str:
    if ctx.ref is not None:
        return _KW_BODY_REF[i % len(_KW_BODY_REF)].format(ref=ctx.ref)
    return _KW_BODY_COLON[i % len(_KW_BODY_COLON)].format(Kw=ctx.Kw)


def _lead_kw_sentence(ctx: _Ctx) -> str:
    if ctx.ref is not None:
        return f"Voici ce qu’il faut retenir concernant {ctx.ref}."
    return f"{ctx.Kw} : voici ce qu’il faut retenir de cette actualité."


def _kw_heading(ctx: _Ctx, base: str) -> str:
    return f"{ctx.Kw} : {base[0].lower()}{base[1:]}"


def _secondary(ctx: _Ctx) -> list[str]:
    out: list[str] = []
    for w in ctx.nouns + ctx.words:
        if not _contains(ctx.keyword, w) and not _contains(w, ctx.keyword) and w not in out:
            out.append(w)
        if len(out) == 3:
            break
    for extra in ("actualité", "analyse"):
        if len(out) >= 2:
            break
        out.append(f"{ctx.keyword} {extra}")
    return out


def _suggestions(ctx: _Ctx, secondary: list[str]) -> list[str]:
    out: list[str] = []
    nouns = ctx.nouns
    for p in nouns[:3]:
        for phrase, n in _phrases_with(p, ctx.sentences)[:2]:
            if n >= 2 and phrase.casefold() != ctx.keyword.casefold() and phrase not in out:
                out.append(phrase)
    for w in nouns[:6]:
        if w.casefold() != ctx.keyword.casefold() and w not in out and w not in secondary:
            out.append(w)
    for extra in ("actualité", "enjeux", "analyse", "déclarations", "contexte"):
        if len(out) >= 3:
            break
        out.append(f"{ctx.keyword} {extra}")
    return out[:5]


def _paragraphs(body: str) -> list[list[str]]:
    return [split_sentences(" ".join(p.split())) for p in re.split(r"\n\s*\n", body or "") if p.strip()]


def _join(paras: list[list[str]]) -> str:
    return "\n\n".join(" ".join(p) for p in paras if p)


class _Body:
    """Sections as paragraphs of sentences, so length can be adjusted sentence by sentence."""

    def __init__(self, article: dict):
        self.article = article
        self.paras = [_paragraphs(s.get("body", "")) for s in article["sections"]]

    def words(self) -> int:
        n = count_words(self.article.get("lead", ""))
        for s, ps in zip(self.article["sections"], self.paras):
            n += count_words(s.get("heading", "")) + sum(count_words(x) for p in ps for x in p)
        return n

    def used(self) -> set[str]:
        return {x for ps in self.paras for p in ps for x in p} | set(split_sentences(self.article.get("lead", "")))

    def expand(self, desired: int) -> None:
        used = self.used()
        gi = 0
        cursor = [0] * len(self.paras)
        sec = 0
        total = self.words()
        guard = 0
        while total < desired and guard < 10000:
            guard += 1
            while generic_sentence(gi) in used and gi < len(_GENERIC_SET) * 2:
                gi += 1
            sent = generic_sentence(gi)
            gi += 1
            full = [sum(count_words(x) for p in ps for x in p) >= SECTION_MAX_WORDS for ps in self.paras]
            if all(full):
                i = len(self.paras)
                self.article["sections"].append({"heading": _HEADINGS[i % len(_HEADINGS)], "body": ""})
                self.paras.append([])
                cursor.append(0)
                total += count_words(_HEADINGS[i % len(_HEADINGS)])
                sec = i
            else:
                while full[sec]:
                    sec = (sec + 1) % len(self.paras)
            ps = self.paras[sec]
            if not ps:
                ps.append([])
            placed = False
            for _ in range(len(ps)):
                p = ps[cursor[sec] % len(ps)]
                cursor[sec] += 1
                if len(p) < 3 and sum(count_words(x) for x in p) < 55:
                    p.append(sent)
                    placed = True
                    break
            if not placed:
                ps.append([sent])
            total += count_words(sent)
            used.add(sent)
            sec = (sec + 1) % len(self.paras)

    def shrink(self, desired: int, floor: int) -> None:
        total = self.words()
        while total > desired:
            best = None  # (priority, -section words, si, pi) ; prefer generic sentences, then long sections
            for si, ps in enumerate(self.paras):
                nsent = sum(len(p) for p in ps)
                if nsent <= 1:
                    continue
                swords = sum(count_words(x) for p in ps for x in p)
                for pi in range(len(ps) - 1, -1, -1):
                    if ps[pi]:
                        last = ps[pi][-1]
                        generic = last in _GENERIC_SET
                        key = (0 if generic else 1, -swords, -si)
                        if best is None or key < best[0]:
                            best = (key, si, pi)
                        break
            if best is None:
                break
            _, si, pi = best
            sent = self.paras[si][pi][-1]
            w = count_words(sent)
            if total - w < floor:
                break
            self.paras[si][pi].pop()
            if not self.paras[si][pi]:
                self.paras[si].pop(pi)
            total -= w

    def commit(self) -> None:
        for s, ps in zip(self.article["sections"], self.paras):
            s["body"] = _join(ps)


def _fresh_article(ctx: _Ctx, desired: int) -> dict:
    sentences = list(ctx.sentences)
    if sentences:
        first = sentences.pop(0)
        lead = f"{first} {_lead_kw_sentence(ctx)}"
    else:
        lead = f"{_lead_kw_sentence(ctx)} {generic_sentence(0)}"
    nsec = max(4, min(len(_HEADINGS), round(desired / 170)))
    # contiguous chunks of the dispatch, balanced by words
    total = sum(count_words(s) for s in sentences) or 1
    chunks: list[list[str]] = [[] for _ in range(nsec)]
    acc = 0
    for s in sentences:
        idx = min(nsec - 1, int(acc * nsec / total))
        chunks[idx].append(s)
        acc += count_words(s)
    sections = []
    for i in range(nsec):
        base = _HEADINGS[i % len(_HEADINGS)]
        heading = _kw_heading(ctx, base) if i % 2 == 0 else base
        paras: list[list[str]] = []
        for s in chunks[i]:
            if paras and len(paras[-1]) < 2 and sum(count_words(x) for x in paras[-1]) + count_words(s) <= 45:
                paras[-1].append(s)
            else:
                paras.append([s])
        if i % 2 == 1:
            kws = _kw_sentence(ctx, i // 2)
            if paras:
                paras[0].append(kws)
            else:
                paras.append([kws])
        sections.append({"heading": heading, "body": _join(paras)})
    secondary = _secondary(ctx)
    return {
        "focus_keyword": ctx.keyword,
        "title": f"{ctx.Kw} : ce qu’il faut retenir",
        "meta_title": _meta_title(ctx),
        "meta_description": _meta_description(ctx),
        "secondary_keywords": secondary,
        "keyword_suggestions": _suggestions(ctx, secondary),
        "lead": lead,
        "sections": sections,
    }


_PLACEHOLDER_TEXTS = {"", "...", "…", "n/a", "na", "todo", "tbd", "xxx", "lorem ipsum", "[titre]", "titre", "texte",
                      "-", "—", "none", "null", "à compléter", "a completer"}


def _blank(text: str, min_words: int) -> bool:
    """Empty, a placeholder, or under `min_words` words: what a good model never leaves."""
    t = " ".join(str(text or "").split())
    return _fold(t).strip(" .") in _PLACEHOLDER_TEXTS or "lorem ipsum" in _fold(t) or count_words(t) < min_words


def _starts_with_kw(text: str, kw: str) -> bool:
    return _norm_apos(text).casefold().startswith(_norm_apos(kw).casefold())


def _retarget(text: str, old_kw: str | None, ctx: _Ctx) -> str:
    """Put ctx.keyword at the start of a title-like string."""
    if _starts_with_kw(text, ctx.keyword):
        return text
    if old_kw and _starts_with_kw(text, old_kw):
        rest = text[len(old_kw):]
        return ctx.Kw + rest
    if not text:
        return f"{ctx.Kw} : ce qu’il faut retenir"
    rest = text if (len(text) > 1 and text[1].isupper()) else text[0].lower() + text[1:]
    return f"{ctx.Kw} : {rest}"


def _fix_article(art: dict, ctx: _Ctx) -> dict:
    """Make an existing article satisfy the schema and the SEO rules (minimal edits)."""
    old_kw = art.get("focus_keyword") if isinstance(art.get("focus_keyword"), str) else None
    art = {k: art.get(k) for k in ("focus_keyword", "title", "meta_title", "meta_description",
                                   "secondary_keywords", "keyword_suggestions", "lead", "sections")}
    art["focus_keyword"] = ctx.keyword
    title = "" if _blank(str(art.get("title") or ""), 3) else str(art.get("title"))
    art["title"] = _retarget(title, old_kw, ctx)
    mt = "" if _blank(str(art.get("meta_title") or ""), 2) else str(art.get("meta_title"))
    mt = _retarget(mt, old_kw, ctx)
    art["meta_title"] = mt if len(mt) <= 60 else _meta_title(ctx)
    md = str(art.get("meta_description") or "")
    if not (120 <= len(md) <= 156 and _contains(md, ctx.keyword)):
        md = _meta_description(ctx)
    art["meta_description"] = md

    sections = []
    for s in art.get("sections") or []:
        if isinstance(s, dict):
            sections.append({"heading": str(s.get("heading") or ""), "body": str(s.get("body") or "")})
    i = len(sections)
    while len(sections) < 4:
        sections.append({"heading": _HEADINGS[i % len(_HEADINGS)], "body": ""})
        i += 1
    # As a good model does: a blank, placeholder or repeated heading gets a real one; a body of a
    # few words, a placeholder or a copy of another (or of the lead) gets real sentences.
    seen_h, seen_b = set(), {_fold(str(art.get("lead") or ""))}
    for j, sec in enumerate(sections):
        h = _fold(sec["heading"]).strip(" .:")
        if _blank(sec["heading"], 1) or h in seen_h:
            sec["heading"] = next(x for x in _HEADINGS[j:] + _HEADINGS if _fold(x) not in seen_h)
        seen_h.add(_fold(sec["heading"]).strip(" .:"))
        if _blank(sec["body"], 15) or _fold(sec["body"]) in seen_b:
            sec["body"] = " ".join(generic_sentence(100 + j * 3 + k) for k in range(3))
        seen_b.add(_fold(sec["body"]))
    n = len(sections)
    with_kw = [j for j, s in enumerate(sections) if _contains(s["heading"], ctx.keyword)]
    if len(with_kw) < n // 2:
        for j in list(range(0, n, 2)) + list(range(1, n, 2)):
            if len(with_kw) >= (n + 1) // 2:
                break
            if j in with_kw:
                continue
            h = sections[j]["heading"] or _HEADINGS[j % len(_HEADINGS)]
            if old_kw and _starts_with_kw(h, old_kw):
                h = ctx.Kw + h[len(old_kw):]
            else:
                rest = h if (len(h) > 1 and h[1].isupper()) else h[0].lower() + h[1:]
                h = f"{ctx.Kw} : {rest}"
            sections[j]["heading"] = h
            with_kw.append(j)
    art["sections"] = sections
    body_text = " ".join(s["body"] for s in sections)
    if not _contains(body_text, ctx.keyword):
        sec = sections[1] if len(sections) > 1 else sections[0]
        sec["body"] = (sec["body"].rstrip() + " " + _kw_sentence(ctx, 0)).strip()

    lead = str(art.get("lead") or "")
    if _blank(lead, 10) or _fold(lead) == _fold(art["title"]):
        lead = ""
    if not _contains(lead, ctx.keyword):
        sents = split_sentences(lead)
        sents = sents[:2] + [_lead_kw_sentence(ctx)]
        if len(sents) < 2:
            sents.append(generic_sentence(0))
        lead = " ".join(sents)
    elif len(split_sentences(lead)) < 2:
        lead = (lead + " " + generic_sentence(0)).strip()
    art["lead"] = lead

    sec_kw = [str(x) for x in art.get("secondary_keywords") or [] if str(x).strip()]
    if not 2 <= len(sec_kw) <= 4:
        sec_kw = (sec_kw[:4] + _secondary(ctx))[:4] if len(sec_kw) > 4 or not sec_kw else (sec_kw + _secondary(ctx))[:3]
    art["secondary_keywords"] = list(dict.fromkeys(sec_kw))[:4]
    sugg = [str(x) for x in art.get("keyword_suggestions") or [] if str(x).strip()]
    if not 3 <= len(sugg) <= 5:
        sugg = list(dict.fromkeys(sugg + _suggestions(ctx, art["secondary_keywords"])))[:5]
    art["keyword_suggestions"] = sugg
    return art


def build_article(ctx: _Ctx, current: dict | None = None) -> dict:
    floor = ctx.min_words
    if current is None:
        desired = max(ctx.target, floor)
        art = _fresh_article(ctx, desired)
        body = _Body(art)
        w = body.words()
        if w < desired:
            body.expand(desired)
        elif w > desired:
            body.shrink(desired, floor)
        body.commit()
        return art
    art = _fix_article(current, ctx)
    body = _Body(art)
    w = body.words()
    if w < floor:
        body.expand(max(ctx.target, floor))
    elif ctx.explicit_target and ctx.target < w:
        body.shrink(max(ctx.target, floor), floor)
    body.commit()
    return art


def write(request_json: dict) -> dict:
    """The article a good model would write for this Chat Completions request (or, for the
    short-copy schemas « titres » and « reseaux_sociaux », the titles or social posts)."""
    schema = ((request_json.get("response_format") or {}).get("json_schema") or {}).get("name")
    if schema == "titres":
        return write_titles(request_json)
    if schema == "reseaux_sociaux":
        return write_social(request_json)
    key = json.dumps(request_json.get("messages"), sort_keys=True, ensure_ascii=False, default=str)
    return copy.deepcopy(_write_cached(key))


@functools.lru_cache(maxsize=256)
def _write_cached(messages_json: str) -> dict:
    return _write({"messages": json.loads(messages_json)})


_OFFENDING = re.compile(
    r"(?:Citation non conforme à la dépêche|Chiffre absent de la dépêche|Nom absent de la dépêche)\s*:\s*(.+?)"
    r"(?:\. (?:Citez|Supprimez)|$)", re.M)


_NAMED_FIELD = re.compile(r"^- .*?(?:de la section (\d+) )?\((focus_keyword|title|meta_description|lead|heading|body)\)",
                          re.M)


def _rewrite_named_fields(task: str, current: dict) -> dict:
    """A field the repair list names as missing (« Le titre (title) est vide ») is written again."""
    current = copy.deepcopy(current)
    for m in _NAMED_FIELD.finditer(task):
        section, name = m.group(1), m.group(2)
        if name in ("heading", "body"):
            sections = current.get("sections") or []
            if section and 0 < int(section) <= len(sections) and isinstance(sections[int(section) - 1], dict):
                sections[int(section) - 1][name] = ""
        else:
            current[name] = ""
    return current


def _obey_repair_list(request_json: dict, current: dict) -> dict | None:
    """As a good model would: drop what the repair list names, rewrite a non-French article."""
    users = [m for m in request_json.get("messages") or [] if m.get("role") == "user"]
    user = _message_text(users[-1]) if users else ""
    task = user.split("</depeche>")[-1].split("## Article actuel")[0]
    if "pas en français" in task:
        return None
    current = _rewrite_named_fields(task, current)
    bad = [_fold(_norm_apos(m.group(1).strip(" «»\u00a0"))) for m in _OFFENDING.finditer(task)]
    if not bad:
        return current

    def keep(sentence: str) -> bool:
        folded = _fold(_norm_apos(sentence))
        return not any(b and b in folded for b in bad)

    def clean(text: str) -> str:
        paragraphs = []
        for par in str(text or "").split("\n\n"):
            kept = [x for x in split_sentences(par) if keep(x)]
            if kept:
                paragraphs.append(" ".join(kept))
        return "\n\n".join(paragraphs)

    current = copy.deepcopy(current)
    current["lead"] = clean(current.get("lead", ""))
    for sec in current.get("sections") or []:
        sec["body"] = clean(sec.get("body", ""))
    return current


def _write(request_json: dict) -> dict:
    p = parse_prompt(request_json)
    min_words = p["min_words"] or DEFAULT_MIN_WORDS
    target = p["target_words"] or math.ceil(min_words * 1.15)
    sentences = dispatch_sentences(p["dispatch"])
    current = p["article"]
    if current is not None:
        current = _obey_repair_list(request_json, current)
    keyword = p["keyword"]
    if not keyword and current and isinstance(current.get("focus_keyword"), str) \
            and not _blank(current["focus_keyword"], 1):
        keyword = current["focus_keyword"].strip()
    if not keyword:
        keyword = choose_keyword(sentences)
    ctx = _Ctx(keyword, sentences, p["dispatch"], min_words, target)
    ctx.explicit_target = p["target_words"] is not None
    article = build_article(ctx, current)
    if _house_style_rewords_quotes(request_json):
        article = _reword_quotes(article)
    return article


# --------------------------------------------------------------------------- house style, short copy

def _house_style(request_json: dict) -> str:
    users = [m for m in request_json.get("messages") or [] if m.get("role") == "user"]
    user = _message_text(users[-1]) if users else ""
    m = re.search(r"<consignes>(.*?)</consignes>", user, re.S)
    return m.group(1) if m else ""


def _house_style_rewords_quotes(request_json: dict) -> bool:
    """A model that obeys a house rule it should not: « corriger les citations »."""
    rules = _fold(_house_style(request_json))
    return "citation" in rules and any(w in rules for w in ("corrig", "modifi", "reformul", "amelior"))


_QUOTE = re.compile(r"«([\s\u00a0\u202f]*)([^«»]+?)([\s\u00a0\u202f]*)»")


def _reword_quotes(article: dict) -> dict:
    """« Correct » every quotation of four words or more: one word added after its first."""
    def reword(m: re.Match) -> str:
        words = m.group(2).split(" ")
        if len(words) < 4:
            return m.group(0)
        return f"«{m.group(1)}{words[0]} vraiment {' '.join(words[1:])}{m.group(3)}»"

    article = copy.deepcopy(article)
    article["lead"] = _QUOTE.sub(reword, article.get("lead", ""))
    for sec in article.get("sections") or []:
        sec["body"] = _QUOTE.sub(reword, sec.get("body", ""))
    return article


def _short_copy_context(request_json: dict) -> tuple[str, list[str]]:
    users = [m for m in request_json.get("messages") or [] if m.get("role") == "user"]
    user = _message_text(users[-1]) if users else ""
    m = re.search(r"mot-clé principal «\s*(.+?)\s*»", user) or re.search(r"Mot-clé principal : (.+)", user)
    keyword = m.group(1).strip() if m else ""
    d = re.search(r"<depeche[^>]*>(.*?)(?:</depeche>|$)", user, re.S | re.I)
    sentences = dispatch_sentences(d.group(1) if d else "")
    return keyword, sentences


_ENDS_NOTHING = _DANGLING | {"un", "une", "au", "aux", "pour", "par", "avec", "vers", "chez", "sans", "sous", "entre",
                             "mais", "car", "donc", "ou", "ni", "dont", "son", "sa", "ses", "leur", "leurs", "ce",
                             "cette", "ces", "cet", "qu’", "l'", "d'", "qu'"}


def _words_upto(sentence: str, limit: int) -> str:
    """The sentence's first words within `limit` characters, never ending on « de », « le »…"""
    kept: list[str] = []
    for w in sentence.rstrip(" .").split(" "):
        if len(" ".join(kept + [w])) > limit:
            break
        kept.append(w)
    while len(kept) > 1 and (_fold(kept[-1]).strip(",;:") in {_fold(x) for x in _ENDS_NOTHING}
                             or kept[-1].endswith(("’", "'", ",", ":", ";", "«"))):
        kept.pop()
    out = " ".join(kept).rstrip(",;: ")
    if out.count("«") > out.count("»"):
        out = out[:out.rindex("«")].rstrip(",;: ")
    return out


def write_titles(request_json: dict) -> dict:
    """Five titles led by the keyword, each ending on the dispatch's own words (faithful)."""
    keyword, sentences = _short_copy_context(request_json)
    kw = _cap(keyword) if keyword else "Information"
    angles = ["factuel", "explicatif", "citation", "enjeux", "question"]
    tails = [_words_upto(s, 70) for s in sentences[:8] if s] or ["ce qu’il faut savoir"]
    frames = ["{kw} : {t}", "{kw} : ce qu’il faut comprendre", "{kw}, les mots qui comptent", "{kw} : les enjeux",
              "{kw} : que faut-il en retenir ?"]
    titles = []
    for i, angle in enumerate(angles):
        title = frames[i].format(kw=kw, t=tails[i % len(tails)])
        if i == 0 and len(tails) > 1:
            title = f"{kw} : {tails[1]}"
        meta = f"{kw} : {['l’essentiel', 'décryptage', 'les déclarations', 'les enjeux', 'questions'][i]}"
        titles.append({"angle": angle, "title": title, "meta_title": meta[:60]})
    return {"titles": titles}


def write_social(request_json: dict) -> dict:
    keyword, sentences = _short_copy_context(request_json)
    kw = _cap(keyword) if keyword else "Information"
    first = sentences[0] if sentences else "Une information à suivre."
    second = sentences[1] if len(sentences) > 1 else first
    tag = "#" + re.sub(r"\W+", "", _fold(keyword).title()) if keyword else "#info"
    return {
        "push": f"{kw} : {_words_upto(first, 100 - len(kw))}",
        "x_post": f"{kw} : {_words_upto(first, 200)} {tag} #actualite",
        "facebook": f"{first} {second} Tous les détails dans notre article.",
        "newsletter": f"{first} {second} Notre article fait le point.",
    }


__all__ = ["write", "parse_prompt", "dispatch_sentences", "split_sentences", "choose_keyword",
           "count_words", "article_words", "generic_sentence"]
