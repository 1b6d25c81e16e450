"""Builds French articles whose Markdown holds blockquotes, lists (nested, ordered, loose),
tables, inline code and line breaks (and, in the "edge" articles, containers inside
containers, code blocks, hard breaks, numbers in cells), Yoast's multi-word and two-part transition phrases
and nouns in « -ent », to measure agreement with Yoast on structured documents.

    python tests/analysis/make_structures.py > tests/analysis/fixtures/structures.json

Seeded and reproducible. Yoast leaves blockquotes (and code) out of everything but
Flesch and leaves lists and tables out of sentence beginnings, so each structure is
placed where it changes a rating: a quote that takes the text across 300 words, list
items that open with the same word, a table full of passives, the keyphrase only in a
quote, a transition share near 20 % or 30 %. The Yoast figures are recorded with
tools/yoast/record.cjs (see tools/yoast/README.md).
"""
from __future__ import annotations

import json
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from make_articles import HEADINGS, SHORT, TOPICS, TRANSITION, fill, paragraph  # noqa: E402

# Transition phrases of Yoast's French list that our former list lacked, and two-part pairs.
PHRASES = [
    "Dans un délai de deux semaines, {P} devra rendre sa copie.",
    "Quel que soit le résultat, {A} restera un sujet sensible.",
    "Sur le plan de la méthode, {P} a changé de ton.",
    "En règle générale, les annonces arrivent le lundi.",
    "Nul doute que {P} reviendra sur le sujet.",
    "Par l'intermédiaire de ses avocats, {P} a contesté la décision.",
    "À l'encontre de toutes les prévisions, la hausse se poursuit.",
    "Sans délai, les équipes ont été mobilisées.",
    "Il est à noter que le calendrier a déjà glissé deux fois.",
    "Dans les grandes lignes, le texte reprend le projet initial.",
    "Tout bien pesé, {P} préfère attendre.",
    "Quelque soit la réponse, il faudra que les élus tranchent.",
    "Quelque prudents que soient les experts, ils reconnaissent une amélioration.",
    "D'un côté, {P} promet des moyens ; d'un autre côté, les caisses sont vides.",
    "D'un côté, les syndicats protestent, de l'autre côté, la direction temporise.",
    "Non seulement {P} maintient son projet, mais en outre il accélère le calendrier.",
    "À première vue, tout semble réglé, mais toute réflexion faite, rien n'est acquis.",
    "Mentionnons que {P} avait déjà évoqué cette piste.",
    "Dans l'hypothèse où le vote échoue, un nouveau texte sera présenté.",
    "Comme le souligne {P}, la décision n'est pas définitive.",
]
# Nouns and adjectives in « -ent » whose -ent is heard, and verbs whose -ent is mute.
ENT = [
    "Le confluent des deux rivières attire chaque été des milliers de visiteurs.",
    "Un accident a bloqué la circulation pendant deux heures.",
    "Les parents d'élèves dénoncent un manque de moyens.",
    "Le président du conseil régional reste prudent sur le calendrier.",
    "Un incident a retardé le départ du convoi.",
    "Le continent africain est directement concerné par ces mesures.",
    "Un précédent fâcheux hante encore les négociateurs.",
    "Les habitants réclament un éclairage permanent et fréquent.",
    "Les élus affirment qu'ils surveillent le torrent en permanence.",
    "Ils parlent d'un afflux différent, plus fréquent et plus violent.",
    "Les adhérents votent souvent contre le président sortant.",
    "Le résident permanent paie un impôt différent.",
]
LIST_ITEMS = [
    "Les écoles resteront fermées jusqu'à lundi",
    "Les transports seront perturbés toute la journée.",
    "Les hôpitaux ont déclenché leur plan blanc.",
    "Les commerces pourront rouvrir dès mercredi",
    "Les riverains sont invités à rester chez eux.",
    "La circulation a été interdite sur le pont.",
    "Le numéro vert est ouvert jour et nuit.",
    "Une cellule de crise a été installée à la préfecture.",
    "Des renforts sont attendus dans la soirée",
    "Le bilan a été revu à la hausse par les autorités.",
]
QUOTES = [
    "« Nous ne céderons pas », a déclaré {P} devant les militants réunis en fin de journée.",
    "« La situation a été prise en main par les services de l'État et les secours ont été dépêchés sur place "
    "dès les premières minutes », a assuré {P} dans un communiqué publié dans la nuit.",
    "Les décisions ont été prises trop tard. Les habitants ont été abandonnés. Les élus ont été prévenus "
    "mais rien n'a été fait, selon le texte de la pétition signée par plusieurs centaines de riverains.",
    "Cependant, il faut rappeler que le texte a été voté. Par ailleurs, les moyens ont été débloqués. "
    "En effet, la loi a été appliquée. Ainsi, le calendrier a été respecté.",
    "{K} n'est pas un sujet secondaire, a insisté {P} : {K} concerne chacun d'entre nous.",
]


def quote_block(topic, rng, n_paragraphs: int) -> str:
    paras = [" ".join(fill(rng.choice(QUOTES), topic, rng) for _ in range(rng.choice([1, 2, 3])))
             for _ in range(n_paragraphs)]
    lines = []
    for i, p in enumerate(paras):
        if i:
            lines.append(">")
        if rng.random() < 0.3 and ". " in p:  # a soft line break inside the quote
            head, tail = p.split(". ", 1)
            lines += ["> " + head + ".", "> " + tail]
        else:
            lines.append("> " + p)
    return "\n".join(lines)


def list_block(topic, rng, nested: bool, ordered: bool, loose: bool) -> str:
    n = rng.choice([3, 4, 5, 6])
    items = rng.sample(LIST_ITEMS, k=n)
    lines = []
    for i, item in enumerate(items):
        marker = f"{i + 1}." if ordered else rng.choice(["-", "*"])
        lines.append(f"{marker} {item}")
        if nested and i == 1:
            for j, sub in enumerate(rng.sample(LIST_ITEMS, k=rng.choice([2, 3]))):
                sub_marker = f"{j + 1}." if ordered and rng.random() < 0.5 else "-"
                lines.append(" " * (len(marker) + 1) + f"{sub_marker} {sub}")
                if j == 0 and rng.random() < 0.5:  # a third level
                    indent = " " * (len(marker) + 1 + len(sub_marker) + 1)
                    lines.append(indent + "- " + fill(rng.choice(SHORT), topic, rng))
        if loose and i < n - 1:
            lines.append("")
    return "\n".join(lines)


def table_block(topic, rng) -> str:
    cols = rng.choice([2, 3, 4])
    header = rng.sample(["Ville", "Date", "Bilan", "Mesure", "Statut", "Commentaire"], k=cols)
    align = [rng.choice(["---", ":---", "---:", ":---:"]) for _ in range(cols)]
    rows = []
    for _ in range(rng.choice([1, 2, 3, 5])):
        cells = []
        for _ in range(cols):
            r = rng.random()
            if r < 0.15:
                cells.append("")
            elif r < 0.4:
                cells.append(rng.choice(["Marseille", "Lyon", "12 mars", "En cours", "**Fermé**", "8 000"]))
            elif r < 0.75:
                cells.append(fill(rng.choice(SHORT), topic, rng))
            else:
                cells.append(fill(rng.choice(SHORT + TRANSITION), topic, rng).rstrip("."))
        rows.append(cells)
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(align) + "|"]
    lines += ["| " + " | ".join(c for c in cells) + " |" for cells in rows]
    return "\n".join(lines)


def prose(topic, rng, p_trans, p_long, p_key, p_phrase, p_ent, n_sent) -> str:
    out = []
    for _ in range(n_sent):
        r = rng.random()
        if r < p_phrase:
            out.append(fill(rng.choice(PHRASES), topic, rng))
        elif r < p_phrase + p_ent:
            out.append(rng.choice(ENT))
        else:
            out.append(paragraph(topic, rng, 1, p_trans, p_long, p_key))
    return " ".join(out)


def article(i: int, rng: random.Random) -> dict:
    topic = TOPICS[i % len(TOPICS)]
    kw = topic[0]
    p_trans = rng.choice([0.0, 0.1, 0.2, 0.3])
    p_long = rng.choice([0.05, 0.2, 0.4])
    p_key = rng.choice([0.0, 0.05, 0.12])
    p_phrase = rng.choice([0.0, 0.1, 0.2, 0.35])
    p_ent = rng.choice([0.0, 0.15, 0.3])
    # Which structures this article holds (every one appears in many articles).
    kinds = ["quote", "list", "nested", "ordered", "table", "code", "break"]
    has = {k: rng.random() < 0.45 for k in kinds}
    has[kinds[i % len(kinds)]] = True
    parts = []
    if rng.random() < 0.2:  # the article opens with a quote or a list: not the introduction for Yoast
        parts.append(quote_block(topic, rng, 1) if rng.random() < 0.5 else list_block(topic, rng, False, False, False))
    lead = prose(topic, rng, p_trans, p_long, 0.0, p_phrase, p_ent, rng.choice([1, 2, 3]))
    if rng.random() < 0.6:
        lead = fill(rng.choice(["{K} est au cœur des discussions cette semaine.",
                                "Sur {K}, les positions restent éloignées."]), topic, rng) + " " + lead
    parts.append(lead)
    heads = rng.sample(HEADINGS, k=rng.choice([0, 1, 2, 3, 4]))
    sections = [None] + heads
    for j, h in enumerate(sections):
        if h is not None:
            parts.append("## " + fill(h, topic, rng))
        for _ in range(rng.choice([1, 2, 3])):
            text = prose(topic, rng, p_trans, p_long, p_key, p_phrase, p_ent, rng.choice([2, 3, 5, 8]))
            if has["break"] and rng.random() < 0.3 and ". " in text:
                text = text.replace(". ", ".\n", 1)
            if has["code"] and rng.random() < 0.3:
                text += rng.choice([" Le mot-clé `#grève` circule.", " Le code `A320-neo-2024` est cité.",
                                    " Le fichier `bilan_final.pdf` a été publié."])
            words = text.split(" ", 2)
            if rng.random() < 0.2 and len(words) == 3:  # bold, as an editor emphasises a word
                text = f"{words[0]} **{words[1]}** {words[2]}"
            parts.append(text)
        if has["quote"] and rng.random() < 0.6:
            parts.append(quote_block(topic, rng, rng.choice([1, 1, 2, 3])))
        if (has["list"] or has["nested"] or has["ordered"]) and rng.random() < 0.6:
            parts.append(list_block(topic, rng, has["nested"], has["ordered"] and rng.random() < 0.7,
                                    rng.random() < 0.3))
        if has["table"] and rng.random() < 0.5:
            parts.append(table_block(topic, rng))
    if has["quote"] and not any(p.startswith(">") for p in parts):
        parts.insert(rng.randrange(1, len(parts) + 1), quote_block(topic, rng, 2))
    if has["table"] and not any(p.startswith("|") for p in parts):
        parts.append(table_block(topic, rng))
    if (has["list"] or has["nested"]) and not any(p[:2] in ("- ", "* ", "1.") for p in parts):
        parts.append(list_block(topic, rng, has["nested"], has["ordered"], False))
    cap = kw[:1].upper() + kw[1:]
    meta_title = rng.choice([f"{cap} : ce qui change cette semaine", "Ce qui change cette semaine en France"])
    desc = rng.choice(["", f"{cap} : ce qu’il faut savoir sur les dernières annonces, les réactions et les "
                           f"prochaines étapes du dossier."])
    slug = rng.choice(["", kw.replace(" ", "-").replace("'", "-"), "actualite-du-jour"])
    return {"id": f"struct{i:02d}", "title": meta_title, "meta_title": meta_title, "meta_description": desc,
            "slug": slug, "keyword": kw, "body_markdown": "\n\n".join(parts)}


def nested_block(topic, rng) -> str:
    """Containers inside containers, code blocks, hard breaks, numbers in cells."""
    kind = rng.choice(["list_in_quote", "quote_in_list", "heading_in_quote", "fence", "indented",
                       "loose_item", "hard_break", "table_in_quote", "numbers_table", "quote_in_quote"])
    s1, s2, s3 = (fill(rng.choice(SHORT + TRANSITION + PHRASES), topic, rng) for _ in range(3))
    if kind == "list_in_quote":
        return f"> {s1}\n>\n> - {s2}\n> - {s3}\n>   - {fill(rng.choice(LIST_ITEMS), topic, rng)}"
    if kind == "quote_in_list":
        return f"- {s1}\n\n  > {s2}\n- {s3}"
    if kind == "heading_in_quote":
        return f"> ## {fill(rng.choice(HEADINGS), topic, rng)}\n>\n> {s1} {s2}"
    if kind == "fence":
        return f"```\n{s1}\n{s2} 2024\n```"
    if kind == "indented":
        return f"    {s1}\n    {s2}"
    if kind == "loose_item":
        return f"1. {s1}\n\n   {s2}\n\n2. {s3}"
    if kind == "hard_break":
        return f"{s1}  \n{s2}\\\n{s3}"
    if kind == "table_in_quote":
        return f"> | Bilan | Date |\n> |---|---|\n> | {s1} | 12 mars |"
    if kind == "numbers_table":
        return f"| Chiffre | Détail |\n|---:|---|\n| 8 000 | {s1} |\n| 7,5 % | {s2} |\n| 2024 | |"
    return f"> {s1}\n>\n> > {s2}\n>\n> {s3}"


def edge_article(i: int, rng: random.Random) -> dict:
    case = article(100 + i, rng)
    parts = case["body_markdown"].split("\n\n")
    for _ in range(rng.choice([2, 3, 4])):
        parts.insert(rng.randrange(0, len(parts) + 1), nested_block(TOPICS[i % len(TOPICS)], rng))
    return dict(case, id=f"edge{i:02d}", body_markdown="\n\n".join(parts))


def main() -> None:
    rng = random.Random(20261207)
    arts = [article(i, rng) for i in range(60)]
    arts += [edge_article(i, rng) for i in range(30)]
    print(json.dumps(arts, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
