"""Short copy around the article: a push alert, a post for X, one for Facebook / LinkedIn and a
newsletter blurb.

One LLM call writes the four; code enforces what a desk would otherwise count by hand (lengths,
at most two hashtags, sentences of the blurb), applies French typography and the cleaning of
every model field (no mention, link or markup), and runs the fidelity guard over each text.
A text that is not a real one (seo/substance.py: empty, placeholder, a few words, a copy of the
instructions or of another of the four) gets one repair call naming it; if one is still missing,
IncompleteReply: nothing is shown as ready.
"""
from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field

from pydantic import BaseModel, ConfigDict, Field

from .article import Article
from .checks import clean_field, trim_at_word
from .cleaning import Dispatch
from .fidelity import FidelityGuard
from . import observe
from .llm import LLMClient, Usage
from .prompts import SYSTEM_PROMPT, fence_dispatch, house_style_section
from .substance import Gap, IncompleteReply, Instructions, Rule, descriptions, duplicates, gap, repair_section

PUSH_MAX = 120
X_MAX = 280
X_HASHTAGS_MAX = 2
FACEBOOK_MAX = 600
NEWSLETTER_SENTENCES = (2, 3)
NEWSLETTER_MAX = 600

# (field, French label, limit) in the order they are shown.
FIELDS = (
    ("push", "Alerte push", PUSH_MAX),
    ("x_post", "Post pour X", X_MAX),
    ("facebook", "Post Facebook / LinkedIn", FACEBOOK_MAX),
    ("newsletter", "Newsletter", NEWSLETTER_MAX),
)


# What a real text of each field is: far below these, it is missing, not short.
RULES = {
    "push": Rule("l’alerte push (push)", 5, 25, f"l’essentiel de l’information en {PUSH_MAX} caractères au plus"),
    "x_post": Rule("le post pour X (x_post)", 6, 40, f"{X_MAX} caractères au plus, {X_HASHTAGS_MAX} hashtags au plus"),
    "facebook": Rule("le post Facebook / LinkedIn (facebook)", 12, 60, "2 à 4 phrases"),
    "newsletter": Rule("la présentation pour la newsletter (newsletter)", 12, 60, "2 ou 3 phrases"),
}
LABELS = ("alerte push", "push", "notification", "post pour X", "post X", "tweet", "post Facebook", "Facebook",
          "LinkedIn", "post Facebook / LinkedIn", "post LinkedIn", "newsletter", "présentation pour la newsletter")


class SocialDraft(BaseModel):
    model_config = ConfigDict(extra="forbid")

    push: str = Field(description=f"Alerte push de {PUSH_MAX} caractères au plus, l’essentiel de l’information")
    x_post: str = Field(description=f"Post pour X de {X_MAX} caractères au plus, deux hashtags au plus")
    facebook: str = Field(description=f"Post pour Facebook et LinkedIn, 2 à 4 phrases, {FACEBOOK_MAX} caractères au plus")
    newsletter: str = Field(description="Présentation de l’article pour la newsletter, 2 ou 3 phrases")


@dataclass
class SocialCopy:
    texts: dict[str, str]
    issues: list[dict] = field(default_factory=list)
    usage: Usage = field(default_factory=Usage)

    def to_dict(self) -> dict:
        return {"texts": dict(self.texts), "issues": list(self.issues)}


TASK = (
    "Rédigez, pour faire connaître l’article ci-dessous : une alerte push "
    f"({PUSH_MAX} caractères au plus) ; un post pour X ({X_MAX} caractères au plus, "
    f"{X_HASHTAGS_MAX} hashtags au plus) ; un post pour Facebook et LinkedIn (2 à 4 phrases) ; "
    "une présentation pour la newsletter (2 ou 3 phrases). Aucun fait, chiffre, nom ni citation "
    "qui ne soit dans la dépêche ; une citation entre « » reprend mot pour mot la dépêche ; "
    "pas de lien, pas d’emoji, pas de mention @."
)


def social_messages(dispatch: Dispatch, article: Article, *, house_style: str | None = None,
                    repair: tuple[SocialDraft, list[Gap]] | None = None) -> list[dict]:
    """The request; with `repair` (the previous reply and its gaps), the same request followed
    by what is missing in it (the dispatch still first: the cached prefix holds)."""
    parts = ["## Dépêche source", fence_dispatch(dispatch), *house_style_section(house_style),
             "## Tâche", TASK, "## Article actuel",
             f"Titre : {article.title}\nMot-clé principal : {article.focus_keyword}\nChapô : {article.lead}"]
    if repair is not None:
        previous, gaps = repair
        parts += [repair_section(gaps, intro="Votre réponse précédente est incomplète. Renvoyez les quatre "
                                             "textes, complets et différents les uns des autres :"),
                  "## Réponse précédente (JSON)", json.dumps(previous.model_dump(), ensure_ascii=False)]
    return [{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": "\n".join(parts)}]


@functools.cache
def instructions() -> Instructions:
    return Instructions(SYSTEM_PROMPT, TASK, *descriptions(SocialDraft), labels=LABELS)


def gaps_of(draft: SocialDraft, guard: FidelityGuard | None = None,
            wording: Instructions | None = None) -> list[Gap]:
    """The texts of `draft` that are not real ones, judged on the model's cleaned words (before
    code cuts them to their limits)."""
    cleaned = {name: clean_field(getattr(draft, name) or "", guard) for name, _label, _limit in FIELDS}
    found = [g for g in (gap(name, cleaned[name], RULES[name], wording) for name, _l, _m in FIELDS) if g]
    bad = {g.field for g in found}
    found += [d for d in duplicates((name, RULES[name].label.split(" (")[0], cleaned[name]) for name, _l, _m in FIELDS)
              if d.field not in bad]
    return found


_SENTENCE = re.compile(r".+?(?:[.!?…]+(?:[\s\u00a0\u202f]*[»”])?(?=\s|$)|$)", re.S)
_HASHTAG = re.compile(r"(?<![\w&])#(\w[\w-]*)")


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.findall(text) if s.strip()]


def fit(text: str, limit: int) -> str:
    """`text` within `limit` characters: whole sentences if they fit, else cut at a word with « … »."""
    text = text.strip()
    if len(text) <= limit:
        return text
    kept = ""
    for s in sentences(text):
        candidate = f"{kept} {s}".strip()
        if len(candidate) > limit:
            break
        kept = candidate
    return kept or trim_at_word(text, limit, ellipsis=True)


def enforce(draft: SocialDraft, guard: FidelityGuard) -> tuple[dict[str, str], list[dict]]:
    texts: dict[str, str] = {}
    for name, _label, limit in FIELDS:
        raw = getattr(draft, name) or ""
        if name == "x_post":
            raw = _drop_extra_hashtags(raw)
        text = guard.fix_quotes(clean_field(raw, guard))
        if name == "newsletter":
            text = " ".join(sentences(text)[: NEWSLETTER_SENTENCES[1]])
        texts[name] = fit(text, limit)
    issues, seen = [], set()
    for name, _label, _limit in FIELDS:
        for issue in guard.issues(texts[name]):
            if (issue.kind, issue.text) not in seen:
                seen.add((issue.kind, issue.text))
                issues.append(issue.model_dump() | {"field": name})
    return texts, issues


def _drop_extra_hashtags(text: str) -> str:
    """At most two hashtags: extra inline ones keep their word, extra trailing ones go."""
    tags = list(_HASHTAG.finditer(text))
    if len(tags) <= X_HASHTAGS_MAX:
        return text
    out, last = [], 0
    tail_start = len(text.rstrip())
    # Trailing run of hashtags (only spaces between them, up to the end).
    for m in reversed(tags):
        if text[m.end():tail_start].strip() == "":
            tail_start = m.start()
        else:
            break
    for i, m in enumerate(tags):
        out.append(text[last:m.start()])
        if i < X_HASHTAGS_MAX:
            out.append(m.group(0))
        elif m.start() < tail_start:
            out.append(m.group(1))
        last = m.end()
    out.append(text[last:])
    return re.sub(r"[ \t]{2,}", " ", "".join(out)).strip()


async def write_social(llm: LLMClient, dispatch: Dispatch, article: Article, guard: FidelityGuard, *,
                       house_style: str | None = None) -> SocialCopy:
    usage = Usage()
    wording = instructions()
    draft = await llm.complete(social_messages(dispatch, article, house_style=house_style), SocialDraft, usage,
                               name="reseaux_sociaux", temperature=0.6)
    gaps = gaps_of(draft, guard, wording)
    if gaps:
        observe.repair_round()
        fixed = await llm.complete(social_messages(dispatch, article, house_style=house_style, repair=(draft, gaps)),
                                   SocialDraft, usage, name="reseaux_sociaux", temperature=0.6)
        # The repaired reply, or the first one's real texts with the repaired ones in the gaps.
        bad = {g.field for g in gaps}
        merged = SocialDraft(**{name: getattr(fixed if name in bad else draft, name) for name, _l, _m in FIELDS})
        draft, gaps = min(((d, gaps_of(d, guard, wording)) for d in (fixed, merged)), key=lambda dg: len(dg[1]))
        if gaps:
            raise IncompleteReply("des textes incomplets pour les réseaux sociaux", gaps)
    texts, issues = enforce(draft, guard)
    return SocialCopy(texts=texts, issues=issues, usage=usage)
