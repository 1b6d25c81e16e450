"""Is a generated text a real one? The one judgement every schema applies to the model's fields.

A field is a gap when it is empty or blank, a placeholder (« ... », « N/A », « [titre] »,
« TODO », « Lorem ipsum »), far below its minimum (a three-word push, a two-word title, a
ten-character meta description), a fragment (it stops on « de », « et », a colon, an open
« quotation), a copy of the instructions it was written from, or the same text as a field that
must differ from it. Each gap says, in French, which field and what is wrong: the repair prompt
sends that sentence as is, and the failure message shown to the editor lists them.

Length *targets* (120–156 characters for a meta description, 700 words for a body) stay with the
checks (seo/checks.py): a text between « far below » and its target is a real draft to improve,
not a missing one.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from pydantic import BaseModel

from .errors import LLMError

# Whole-field answers that stand for « nothing » (compared folded, without outer punctuation).
_PLACEHOLDERS = frozenset("""
n/a|na|n.a|nc|n.c|none|null|nil|undefined|nan|tbd|tba|todo|to do|fixme|xxx|xx|x|placeholder|lorem|
lorem ipsum|à compléter|a completer|à remplir|a remplir|à venir|a venir|à définir|a definir|
non disponible|non renseigné|non renseigne|non communiqué|non communique|sans objet|néant|neant|
aucun|aucune|rien|vide|texte|text|titre|title|string|exemple|example|test|sample|votre texte|
votre titre|votre texte ici|texte ici|titre ici|insert text here|your text here""".replace("\n", "").split("|"))
# Placeholder marks inside a longer text.
_PLACEHOLDER_MARK = re.compile(
    r"lorem\s+ipsum|\b(?:TODO|TBD|FIXME|XXX)\b|\{\{[^}]*\}\}|\{\s*[a-z_]+\s*\}"
    r"|\[\s*(?:titre|title|nom|name|texte|text|lieu|date|chiffre|nombre|mot[- ]cl[ée]|keyword|citation|"
    r"intertitre|à compléter|a completer|ins[ée]rer[^\]]*|placeholder|todo|\.{3}\s*\w[^\]]*)\s*\]",
    re.I)
_BRACKETED = re.compile(r"^\s*[\[<{(](.*)[\]>})]\s*$", re.S)
_IDENTIFIER = re.compile(r"^[a-z]+(?:_[a-z]+)+$")  # a schema field name (« meta_title »)
# Generic labels standing for a heading, with an optional number (« Section 2 », « Intertitre »).
_LABEL = re.compile(r"^(?:section|partie|intertitre|sous-titre|heading|chapitre|paragraphe|titre|point)"
                    r"(?:\s*(?:n°|no|#)?\s*\d+)?$")
# A text that stops on one of these words was cut in the middle of a phrase.
_DANGLING = frozenset("""de du des la le les un une et ou au aux à pour par sur avec dans vers chez sans
sous entre mais car donc ni dont son sa ses leur leurs ce cette ces cet mon ma mes notre nos votre vos""".split())
_ELIDED_END = re.compile(r"(?<![^\W\d_])(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu)['’]\s*$", re.I)  # « … de l’ »
_WORD = re.compile(r"[^\W_]+(?:[’'\-][^\W_]+)*")
_TOKEN = re.compile(r"[^\W_]+")


def words(text: str) -> list[str]:
    """The words of `text` (« l’Otan », « a-t-il », « 300 » are one word each)."""
    return _WORD.findall(text or "")


def fold(text: str) -> str:
    """Case, apostrophes, spaces and outer punctuation folded: how two texts are compared."""
    text = unicodedata.normalize("NFKC", text or "").replace("’", "'").replace("\u00a0", " ").replace("\u202f", " ")
    return " ".join(_TOKEN.findall(text.casefold()))


def _tokens(text: str) -> list[str]:
    return fold(text).split()


def _plain_fold(text: str) -> str:
    """Folded but keeping inner punctuation (« n/a », « n.a. »), outer punctuation stripped."""
    text = unicodedata.normalize("NFKC", text or "").casefold().replace("’", "'")
    return re.sub(r"\s+", " ", text).strip(" \t\n.…!?;:,-–—_*\"'«»“”()[]{}<>")


@dataclass(frozen=True)
class Rule:
    """What a real text of one field is. `label`: French, with its article (« le titre »);
    `expect`: what is asked of it, French, sent in the repair prompt (« 2 ou 3 phrases »)."""

    label: str
    min_words: int = 1
    min_chars: int = 2
    expect: str = ""


@dataclass(frozen=True)
class Gap:
    """One field that is not a real text, and why (French)."""

    field: str
    label: str
    reason: str
    expect: str = ""

    @property
    def message(self) -> str:
        """The sentence for the repair prompt: « L’alerte push est vide : attendu … »."""
        text = f"{self.label[:1].upper()}{self.label[1:]} {self.reason}"
        return f"{text} (attendu : {self.expect})." if self.expect else f"{text}."

    @property
    def short(self) -> str:
        """For the editor: « le titre est vide » (without the JSON name the model is given)."""
        return re.sub(r" \([a-z_]+\)", "", f"{self.label} {self.reason}")


class Instructions:
    """The wording a reply was written from (system prompt, task, schema descriptions): a field
    whose text is mostly that wording, or one of the field labels, copied it instead of applying it."""

    def __init__(self, *texts: str, labels: Iterable[str] = ()):
        self._grams: set[tuple[str, ...]] = set()
        for text in texts:
            toks = _tokens(text)
            self._grams.update(zip(toks, toks[1:], toks[2:]))
        self._labels = {fold(label) for label in labels if fold(label)}

    def copied(self, text: str) -> bool:
        toks = _tokens(text)
        if " ".join(toks) in self._labels:
            return True
        grams = list(zip(toks, toks[1:], toks[2:]))
        if len(grams) < 2:
            return False
        return sum(g in self._grams for g in grams) / len(grams) >= 0.6


def descriptions(model: type[BaseModel]) -> list[str]:
    """The Field descriptions of a pydantic model and of the models it holds (the schema's wording)."""
    out: list[str] = []

    def walk(node) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("description"), str):
                out.append(node["description"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(model.model_json_schema())
    return out


def placeholder(text: str) -> bool:
    """A text that stands for nothing: no letter or digit, a placeholder word, a bracketed
    template, a schema field name, one word repeated, or a placeholder mark inside."""
    s = (text or "").strip()
    if not re.search(r"[^\W_]", s):
        return True
    plain = _plain_fold(s)
    if plain in _PLACEHOLDERS or fold(s) in _PLACEHOLDERS or _IDENTIFIER.match(plain) or _LABEL.match(fold(s)):
        return True
    m = _BRACKETED.match(s)
    if m and len(words(m.group(1))) <= 6:
        return True
    toks = _tokens(s)
    if len(toks) >= 2 and len(set(toks)) == 1:
        return True
    return bool(_PLACEHOLDER_MARK.search(s))


def fragment(text: str) -> str | None:
    """Why `text` stops mid-phrase (French), or None."""
    s = (text or "").rstrip()
    if "«" in s and "»" not in s[s.rindex("«"):]:  # (a quote over paragraphs reopens each: « … « … »)
        return "ouvre une citation sans la fermer"
    if re.search(r"[,:;(\[«–—-]\s*$", s):
        return "s’arrête au milieu d’une phrase"
    cut = re.sub(r"(?:\.\.\.|…)\s*$", "", s)  # an ellipsis does not end the phrase it cuts
    toks = words(cut)  # « Faites-le » is one word: it ends on « Faites-le », not on « le »
    if len(toks) >= 2 and _ELIDED_END.search(cut):
        return f"s’arrête au milieu d’une phrase (sur « {cut.split()[-1]} »)"
    if len(toks) >= 2 and toks[-1].casefold() in _DANGLING and not re.search(r"[.!?]\s*$", cut):
        return f"s’arrête au milieu d’une phrase (sur « {toks[-1]} »)"
    return None


def judge(text: str | None, rule: Rule, instructions: Instructions | None = None) -> str | None:
    """None when `text` is a real text for `rule`; otherwise the reason, French, after the label."""
    s = re.sub(r"\s+", " ", text or "").strip()
    if not s:
        return "est vide"
    if placeholder(s):
        return f"n’est qu’un texte de remplissage (« {s[:40]} »)"
    if instructions is not None and instructions.copied(s):
        return "recopie la consigne au lieu de l’appliquer"
    n = len(words(s))
    if n < rule.min_words:
        return f"ne compte {'qu’un mot' if n == 1 else f'que {n} mots'}, il en faut au moins {rule.min_words}"
    if len(s) < rule.min_chars:
        return f"ne fait que {len(s)} caractères, il en faut au moins {rule.min_chars}"
    return fragment(s)


def gap(field: str, text: str | None, rule: Rule, instructions: Instructions | None = None) -> Gap | None:
    reason = judge(text, rule, instructions)
    return Gap(field, rule.label, reason, rule.expect) if reason else None


def duplicates(items: Iterable[tuple[str, str, str]]) -> list[Gap]:
    """(field, label, text) in order: each text equal (folded) to an earlier one is a gap."""
    seen: dict[str, str] = {}
    out: list[Gap] = []
    for field, label, text in items:
        key = fold(text)
        if not key:
            continue
        if key in seen:
            out.append(Gap(field, label, f"reprend mot pour mot {seen[key]}"))
        else:
            seen[key] = label
    return out


def repair_section(gaps: list[Gap], *, intro: str) -> str:
    """The French « ## Correction demandée » part of a repair prompt."""
    return "\n".join(["## Correction demandée", intro, *(f"- {g.message}" for g in gaps)])


class IncompleteReply(LLMError):
    """The model left fields without a real text, even after one repair call naming them."""

    def __init__(self, what: str, gaps: list[Gap]):
        """`what`: French, « un article incomplet », « des titres incomplets »."""
        self.gaps = list(gaps)
        listed = " ; ".join(g.short for g in gaps[:6]) + (" ; …" if len(gaps) > 6 else "")
        super().__init__(
            f"Le modèle a rendu {what}, même après une demande de correction : {listed}. "
            "Rien n’a été publié. Réessayez ; si cela se reproduit, le modèle configuré ne suit pas le "
            "format demandé.")
