"""Names: proper names of the article must be held by the source."""
from __future__ import annotations

import re
from functools import lru_cache

from .issues import FidelityIssue
from .normalise import fold
from .numbers import _ROMAN_ORD_RE, _roman

_TOKEN_RE = re.compile(r"[^\W_][\w]*(?:[-'’ʼ][^\W_][\w]*)*")
_ELIDED_RE = re.compile(r"^(?:l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu|quoiqu)['’ʼ](.+)$", re.IGNORECASE)
_UPPER = "".join(chr(i) for i in range(0x250) if chr(i).isupper() and chr(i).isalpha())
_CAP_RE = re.compile(
    r"(?<![\w'’ʼ‘-])(?:(?:[lLdDjJmMnNsStTcC]|[qQ]u|[jJ]usqu|[lL]orsqu|[pP]uisqu|[qQ]uoiqu)['’ʼ‘])?"
    r"(?P<w>[" + re.escape(_UPPER) + r"]\w*(?:[-'’ʼ][^\W_]\w*)*)"
)
_PARTICLE_GAP_RE = re.compile(
    r"[ \u00a0](?:(?:de|du|des|von|van|der|den|di|da|del|della|dos|das|le|la|ben|bin|al|el|y)[ \u00a0]|d['’])"
)
RECOMBINED = "Nom recomposé : la dépêche ne donne pas ce prénom (ou cette initiale) à cette personne"
_MONTHS_DAYS = {
    "janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout", "septembre",
    "octobre", "novembre", "decembre", "lundi", "mardi", "mercredi", "jeudi", "vendredi",
    "samedi", "dimanche",
}
_IGNORED_CAPS = {
    "m", "mm", "mme", "mmes", "mlle", "mlles", "dr", "pr", "me", "mgr", "st", "ste",
    "etat", "etats", "occident", "premier", "premiere", "internet", "web", "nord", "sud",
    "est", "ouest", "terre", "histoire", "ndlr", "video", "photo", "direct", "bourse",
    "md", "mds", "mrd", "mio",  # scale abbreviations after a figure (2 Mds €)
}
_ABBREVIATIONS = {"m", "mm", "mme", "dr", "pr", "me", "mgr", "st", "ste", "mr", "mrs", "gen", "col", "cdt"}
_STOPWORDS = set(
    """le la les l un une des du de d au aux ce cet cette ces son sa ses leur leurs mon ma mes
    notre nos votre vos il elle ils elles on nous vous je tu y en et ou mais donc or ni car que qui
    quoi dont où ou quand comme si selon pour par avec sans sous sur dans entre vers chez après avant
    depuis pendant lors malgré contre dès face hier demain alors ainsi aussi encore enfin puis
    toutefois cependant pourtant néanmoins désormais déjà même tous tout toute toutes plus moins
    très trop peu beaucoup certains certaines plusieurs chaque aucun aucune autre autres quel quelle
    quels quelles cela ceci ça voici voilà lorsque puisque tandis parmi outre côté concernant
    suite grâce afin là ici non oui seul seule seuls seules cet selon à a dans lors c'est ce
    face près loin jusqu'à jusque""".split()
)
_STOPWORDS_FOLDED = {fold(w) for w in _STOPWORDS}
_SUFFIXES = sorted(
    """iennes ienne iens ien aises aise ais oises oise ois aines aine ains ain iques ique ques que
    ennes enne ens istes iste ites ite ies ie ees ee es e s ans an anes ane iotes iote ards ard
    iaques iaque""".split(),
    key=len,
    reverse=True,
)


@lru_cache(maxsize=8192)
def _stem(w: str) -> str:
    for suf in _SUFFIXES:
        if w.endswith(suf) and len(w) - len(suf) >= 4:
            return w[: -len(suf)]
    return w


def _common_prefix(a: str, b: str) -> int:
    k = 0
    for x, y in zip(a, b):
        if x != y:
            break
        k += 1
    return k


@lru_cache(maxsize=8192)
def _is_acronym(tok: str) -> bool:
    letters = [c for c in tok if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)



_INITIALS_GAP_RE = re.compile(r"[ \u00a0]((?:[A-Z]\.-?)+)[ \u00a0]")
_INITIALS_BEFORE_RE = re.compile(r"(?<![\w.])((?:[A-Z]\.-?)+)[ \u00a0]$")
_PARTICLES_GAP_RE = re.compile(
    r"[ \u00a0](?:(?:de|du|des|von|van|der|den|di|da|del|della|dos|das|le|la|ben|bin|al|el|y|zu)[ \u00a0])*"
    r"(?:(?:de|du|des|von|van|der|den|di|da|del|della|dos|das|le|la|ben|bin|al|el|y|zu)[ \u00a0]|d['’])"
)
_PARTICLE_WORDS = {"le", "la", "de", "du", "des", "von", "van", "der", "den", "di", "da", "del", "della", "dos", "das",
                   "ben", "bin", "al", "el", "y", "zu", "mac", "mc", "o"}
_CIVILITY_INITIALS = {"M."}
# Titles written with a capital before a name (« US President Joe Biden », « le Président Macron »):
# never a first name.
_TITLES = {
    "president", "presidente", "vice", "secretary", "secretaire", "general", "generale", "minister", "ministre",
    "prime", "premier", "premiere", "chancellor", "chancelier", "chanceliere", "king", "roi", "queen", "reine",
    "pope", "pape", "prince", "princesse", "princess", "senator", "senateur", "senatrice", "governor",
    "gouverneur", "mayor", "maire", "judge", "juge", "colonel", "captain", "capitaine", "commander",
    "commandant", "lieutenant", "sergeant", "sergent", "marshal", "marechal", "admiral", "amiral", "sir", "lord",
    "lady", "dame", "saint", "sainte", "mr", "mrs", "ms", "miss", "professor", "professeur", "chief", "chef",
    "ambassador", "ambassadeur", "ambassadrice", "director", "directeur", "directrice", "commissioner",
    "commissaire", "cardinal", "bishop", "eveque", "archbishop", "archeveque", "sheikh", "cheikh", "emir",
    "sultan", "ayatollah", "imam", "rabbi", "rabbin", "father", "pere", "sister", "soeur", "brother", "frere",
    "monsieur", "madame", "mademoiselle", "maitre", "deputy", "depute", "deputee", "spokesman", "spokeswoman",
    "spokesperson", "porte-parole", "ceo", "chairman", "chairwoman", "president-directeur", "patron", "patronne",
    "defense", "defence", "foreign", "interior", "finance", "health", "state", "attorney", "speaker", "leader",
    "representative", "officer", "inspector", "inspecteur", "doctor", "docteur", "dr", "pr", "mgr",
}  # « M. Houry » is Monsieur Houry


def _person_groups(text: str) -> list[list[tuple[str, int, int, str]]]:
    """Runs of capitalised words that can make a person's name: joined by a space, by initials
    (« Ole J. Solvang ») or by a particle (« Luca de Meo », « Ursula von der Leyen »).

    Each item: (folded word, start, end, initials written right before it). Acronyms, civilities
    and months break a run; leading function words and titles (« Le Pentagone », « US President Joe
    Biden ») are dropped.
    """
    groups: list[list[tuple[str, int, int, str]]] = []
    cur: list[tuple[str, int, int, str]] = []
    prev_end = -1
    for m in _CAP_RE.finditer(text):
        tok = m.group("w")
        if len(tok) == 1 and text[m.end() : m.end() + 1] == "." and m.start() == m.start("w"):
            continue  # an initial: part of the gap between two words of the name
        if not NameChecker._candidate(tok) or _is_acronym(tok):
            if cur:
                groups.append(cur)
            cur = []
            continue
        start = m.start("w")
        initials = ""
        joined = False
        if cur:
            gap = text[prev_end:start]
            if m.start() == start and gap in (" ", "\u00a0"):
                joined = True
            elif m.start() == start and (g := _INITIALS_GAP_RE.fullmatch(gap)):
                joined, initials = True, g.group(1)
            elif _PARTICLES_GAP_RE.fullmatch(gap):
                joined = True
        if not joined:
            if cur:
                groups.append(cur)
            cur = []
            if m.start() == start:
                b = _INITIALS_BEFORE_RE.search(text, max(0, start - 12), start)
                initials = b.group(1) if b else ""
        cur.append((fold(tok), start, m.end(), initials))
        prev_end = m.end()
    if cur:
        groups.append(cur)
    out = []
    for g in groups:
        while g and (g[0][0] in _STOPWORDS_FOLDED or g[0][0] in _TITLES):
            g = g[1:]
        if g:
            out.append(g)
    return out


class NameChecker:
    """The source's words (folded) and their stems, indexed once."""

    def __init__(self, source: str):
        self._known_cache: dict[str, bool] = {}
        self._words: set[str] = set()
        for m in _TOKEN_RE.finditer(source):
            tok = m.group(0)
            e = _ELIDED_RE.match(tok)
            if e:
                tok = e.group(1)
            f = fold(tok)
            self._words.add(f)
            if "-" in f:
                self._words.update(p for p in f.split("-") if p)
        self._stems: dict[str, list[str]] = {}
        for w in self._words:
            if len(w) >= 4 and "-" not in w:
                s = _stem(w)
                self._stems.setdefault(s[:4], []).append(s)
        # People's names: which words open a name (first names), which words follow which,
        # and the initials each surname is known with.
        self._firsts: set[str] = set()
        self._pairs: set[tuple[str, str]] = set()
        self._initials: dict[str, set[str]] = {}
        for g in _person_groups(source):
            words = [item[0] for item in g]
            self._pairs.update(zip(words, words[1:]))
            for word, _a, _b, initials in g:
                if initials:
                    self._initials.setdefault(word, set()).add(initials[0].lower())
            if len(words) >= 2:
                self._firsts.add(words[0])
                self._firsts.update(p for p in words[0].split("-") if p)
                for word in words[1:]:
                    self._initials.setdefault(word, set()).add(words[0][0])

    def _known(self, tok: str) -> bool:
        known = self._known_cache.get(tok)
        if known is None:
            known = self._known_cache[tok] = self._known_uncached(tok)
        return known

    def _known_uncached(self, tok: str) -> bool:
        f = fold(tok)
        if f in self._words or f in _IGNORED_CAPS or f in _MONTHS_DAYS:
            return True
        if "-" in f:
            parts = [p for p in f.split("-") if p]
            if parts and all(self._known(p) for p in parts):
                return True
        if _is_acronym(tok):
            return False
        f = f.replace("'", "")
        if len(f) < 4:
            return False
        s = _stem(f)
        for t in self._stems.get(s[:4], ()):
            if s == t:
                return True
            shorter = min(len(s), len(t))
            if shorter >= 4 and (s.startswith(t) or t.startswith(s)) and abs(len(s) - len(t)) <= 2:
                return True
            if _common_prefix(s, t) >= max(5, shorter - 2):
                return True
        return False

    @staticmethod
    @lru_cache(maxsize=8192)
    def _candidate(tok: str) -> bool:
        """A capitalised word that could be a proper name."""
        if not (tok[0].isupper() and tok[0].isalpha()):
            return False
        if sum(1 for c in tok if c.isalpha()) < 2:
            return False  # initials, "article V"
        f = fold(tok)
        if f in _MONTHS_DAYS or f in _IGNORED_CAPS:
            return False
        return not _ROMAN_ORD_RE.fullmatch(tok) and not (
            all(c in "IVX" for c in tok) and _roman(tok)
        )

    @staticmethod
    def _sentence_initial(text: str, start: int) -> bool:
        j = start - 1
        while j >= 0 and text[j] in " \t\u00a0\u202f*_[(":
            j -= 1
        if j < 0:
            return True
        c = text[j]
        if c in "»”)":
            # « … fin de phrase. » Suite : a closing mark after a full stop ends the sentence
            k = j - 1
            while k >= 0 and text[k] in " \t\u00a0\u202f":
                k -= 1
            return k >= 0 and text[k] in ".!?…"
        if c == "\n" or c in "!?…:«“\"„–—#>|":
            return True
        if c == ".":
            k = j - 1
            while k >= 0 and text[k].isalpha():
                k -= 1
            word = text[k + 1 : j]
            return fold(word) not in _ABBREVIATIONS
        if c in "-+" or c.isdigit():
            # list marker at line start ("- ", "* ", "1. ")
            k = j
            while k >= 0 and (text[k] in "-+*.) \t" or text[k].isdigit()):
                k -= 1
            return k < 0 or text[k] == "\n"
        return False

    @staticmethod
    def _title_case_lines(text: str) -> list[tuple[int, int]]:
        """Short lines (titles, headings) written in Title Case ("Ce Que Prépare Le Kremlin").

        Told from a sentence full of names by its function words: in Title Case they
        are capitalised too ("Le", "Pour", "Que"), in a sentence they are not.
        """
        spans = []
        pos = 0
        for line in text.split("\n"):
            stripped = line.strip().rstrip("*_ ")
            if not stripped or stripped.endswith(".") or stripped.count(" ") > 20 or len(line.split()) > 16:
                pos += len(line) + 1
                continue
            words = re.findall(r"[^\W\d_][\w'’-]*", line)[1:]
            if words:
                func = [w for w in words if fold(w) in _STOPWORDS_FOLDED]
                caps_func = sum(1 for w in func if w[0].isupper())
                long = [w for w in words if len(w) >= 4]
                if func:
                    title = caps_func >= 1 and caps_func == len(func)
                else:
                    title = len(long) >= 3 and sum(1 for w in long if w[0].isupper()) >= 0.8 * len(long)
                if title:
                    spans.append((pos, pos + len(line)))
            pos += len(line) + 1
        return spans

    def recombined(self, masked: str) -> list[FidelityIssue]:
        """First name and surname of two different people of the source (« Ole Houry » for Ole
        Solvang and Nadim Houry), or a wrong initial (« O. Houry »)."""
        issues: list[FidelityIssue] = []
        for g in _person_groups(masked):
            words = [item[0] for item in g]
            for i in range(len(words) - 1):
                first, last = g[i], g[i + 1]
                if (words[i] in self._firsts and (words[i], words[i + 1]) not in self._pairs
                        and self._known(masked[first[1] : first[2]]) and self._known(masked[last[1] : last[2]])):
                    j = i + 1
                    while j + 1 < len(words) and words[j] in _PARTICLE_WORDS:
                        j += 1  # « Jean Le Pen »: the whole surname
                    text = masked[first[1] : g[j][2]]
                    issues.append(FidelityIssue(kind="name", text=text, detail=RECOMBINED))
                    break
            for word, start, end, initials in g:
                known = self._initials.get(word)
                if initials and initials not in _CIVILITY_INITIALS and known and initials[0].lower() not in known:
                    issues.append(FidelityIssue(kind="name", text=f"{initials} {masked[start:end]}", detail=RECOMBINED))
        return issues

    def issues(self, masked: str) -> list[FidelityIssue]:
        title_lines = self._title_case_lines(masked)

        def in_title_line(p: int) -> bool:
            return any(a <= p < b for a, b in title_lines)

        # Capitalised tokens only: (start of the match, start of the word, end, word)
        toks = []
        for m in _CAP_RE.finditer(masked):
            tok = m.group("w")
            if self._candidate(tok):
                toks.append((m.start(), m.start("w"), m.end(), tok))
        issues: list[FidelityIssue] = []
        i = 0
        n = len(toks)
        while i < n:
            # A group: capitalised words separated by one space, or by a particle ("de", "d’")
            # when the words around it are unknown ("Charles de Gaulle").
            group = [i]
            j = i + 1
            while j < n:
                prev_end = toks[j - 1][2]
                gap = masked[prev_end : toks[j][1]]
                if gap in (" ", "\u00a0") and toks[j][0] == toks[j][1]:
                    group.append(j)
                    j += 1
                    continue
                pm = _PARTICLE_GAP_RE.fullmatch(gap)
                if pm and not self._known(toks[j - 1][3]) and not self._known(toks[j][3]):
                    group.append(j)
                    j += 1
                    continue
                break
            i = j
            first = group[0]
            start = toks[first][1]
            if in_title_line(start):
                for k in group:
                    t = toks[k][3]
                    if _is_acronym(t) and not self._known(t):
                        issues.append(FidelityIssue(kind="name", text=t, detail="Nom absent de la dépêche"))
                continue
            checked = group
            if self._sentence_initial(masked, toks[first][0]):
                if len(group) == 1:
                    t = toks[first][3]
                    if _is_acronym(t) and not self._known(t):
                        issues.append(FidelityIssue(kind="name", text=t, detail="Nom absent de la dépêche"))
                    continue
                checked = group[1:]
                if fold(toks[first][3]) in _STOPWORDS_FOLDED:
                    group = group[1:]
            if any(not self._known(toks[k][3]) for k in checked):
                a, b = toks[group[0]][1], toks[group[-1]][2]
                issues.append(FidelityIssue(kind="name", text=masked[a:b], detail="Nom absent de la dépêche"))
        return issues
