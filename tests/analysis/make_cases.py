"""Hand-made boundary cases for the unit tests (one document per case).

    python tests/analysis/make_cases.py > tests/analysis/fixtures/cases.json
    python tests/analysis/yoast_input.py tests/analysis/fixtures/cases.json \
        | node tools/yoast/record.cjs > tests/analysis/fixtures/cases_yoast.json
"""
from __future__ import annotations

import json

FILL = "Le conseil municipal se réunit chaque mois dans la grande salle de la mairie"  # 14 words
S10 = "Les élus locaux discutent du budget annuel de la commune."  # 10 words
S22 = ("Les élus locaux discutent depuis plusieurs semaines du budget annuel de la commune, "
       "qui doit être voté avant la fin du mois prochain.")  # 22 words
LEAD = "La réforme des retraites revient au Parlement cette semaine."
PASSIVE = [
    "La ville a été bombardée par l’armée.",
    "Le texte sera examiné par les députés.",
    "Les accords ont été signés à Vilnius.",
    "Le suspect est soupçonné de fraude.",
    "Les habitants furent évacués dans la nuit.",
    "Cette loi est appliquée depuis janvier.",
    "Le pont est construit par une entreprise locale.",
    "Les résultats seront publiés demain.",
    "Le ministre a été reçu par le président.",
    "La décision est prise par le conseil.",
]
ACTIVE = [
    "L’armée a bombardé la ville.",
    "Les députés examineront le texte.",
    "Le président est arrivé à Paris.",
    "Elle est née à Lyon en 1970.",
    "C’est la ville la plus peuplée du pays.",
    "Il s’est rendu au ministère.",
    "Le ministre est allé à Bruxelles.",
    "La situation est la même qu’hier.",
    "Cette société est une référence.",
    "Le débat est très animé.",
    "Le pays est une démocratie.",
    "Les prix sont en hausse.",
]
TRANSITION_SENTENCES = [
    "Cependant, rien n’est joué.", "Par ailleurs, le maire se tait.", "D’abord, il faut attendre.",
    "En effet, le vote approche.", "Le vote approche donc.", "Le maire parle puis il part.",
    "Le maire se tait.", "Il pleut sur la ville.", "Non seulement il pleut, mais aussi il vente.",
    "C’est-à-dire que rien ne bouge.", "Tout d’abord, le contexte.", "Il parle alors que tout le monde écoute.",
]


def words(n: int) -> str:
    """A paragraph of exactly n words made of sentences of at most 14 words."""
    out, left = [], n
    base = FILL.split()
    while left > 0:
        k = min(14, left)
        if left - k in (1, 2):
            k = left - 3 if left > 3 else left
        out.append(" ".join(base[:k]) + ".")
        left -= k
    return " ".join(out)


def case(id_, body, keyword="réforme des retraites", title="Réforme des retraites : le point",
         desc="", slug="reforme-des-retraites", meta_title=None):
    return {"id": id_, "title": title, "meta_title": title if meta_title is None else meta_title,
            "meta_description": desc, "slug": slug, "keyword": keyword, "body_markdown": body}


def main() -> None:
    cases = []
    long_body = LEAD + "\n\n## La réforme des retraites en débat\n\n" + words(320)
    d = "La réforme des retraites revient au Parlement : calendrier, enjeux et réactions des syndicats, tout ce qu’il faut savoir cette semaine sur ce texte"
    for n in (0, 119, 120, 121, 156, 157):
        desc = (d * 2)[:n]
        cases.append(case(f"meta_len_{n}", long_body, desc=desc))
    # Keyphrase in the meta description 0, 1, 2, 3 times.
    for k in range(4):
        desc = ("Le point complet. " + " ".join(["La réforme des retraites avance."] * k)).strip()
        cases.append(case(f"meta_kw_{k}", long_body, desc=desc))
    # Long sentences: 24 % and 26 %, 30 %, 31 % of 100 sentences... use 50 sentences.
    for pct, n_long in (("24", 12), ("26", 13), ("30", 15), ("32", 16)):
        sents = [S22] * n_long + [S10] * (50 - n_long)
        body = "\n\n".join(" ".join(sents[i:i + 5]) for i in range(0, 50, 5))
        cases.append(case(f"sentences_{pct}", LEAD + "\n\n" + body))
    # Sections of 299, 300, 301, 350, 351 words.
    for n in (299, 300, 301, 350, 351):
        body = LEAD + "\n\n## Les enjeux de la réforme des retraites\n\n" + words(n) + "\n\n## La suite\n\n" + words(100)
        cases.append(case(f"section_{n}", body))
    # Text before the first subheading: 301 and 351 words; no subheading at all.
    for n in (301, 351):
        cases.append(case(f"intro_{n}", LEAD + " " + words(n) + "\n\n## La suite du texte\n\n" + words(50)))
    cases.append(case("no_subheading_long", LEAD + "\n\n" + words(400)))
    cases.append(case("no_subheading_short", LEAD + "\n\n" + words(200)))
    # Paragraphs of 150, 151, 200, 201 words.
    for n in (150, 151, 200, 201):
        cases.append(case(f"paragraph_{n}", LEAD + "\n\n## La réforme des retraites\n\n" + words(n)))
    # Text length boundaries.
    for n in (99, 100, 199, 200, 249, 250, 299, 300):
        cases.append(case(f"text_len_{n}", words(n - 9) + " La réforme des retraites revient."))
    # Keyphrase density just under / within / over thresholds (about 600 words).
    for k in (1, 2, 3, 5, 8, 10, 12, 14, 16, 20):
        paras = [words(60) for _ in range(10)]
        for i in range(k):
            paras[i % 10] += " La réforme des retraites avance."
        cases.append(case(f"density_{k}", LEAD + "\n\n" + "\n\n".join(paras)))
    # Short texts (< 100 words): 0..3 occurrences.
    for k in range(4):
        cases.append(case(f"density_short_{k}", words(60) + " " + " ".join(["La réforme des retraites avance."] * k)))
    # Élision, accents, plurals, case: keyphrase "otan ukraine".
    forms = {
        "elision": "Le chef de l’OTAN soutient l’Ukraine face à la Russie.",
        "elision_straight": "Le chef de l'OTAN soutient l'Ukraine face à la Russie.",
        "de_elision": "Les soldats d’Ukraine rejoignent les rangs de l’Otan.",
        "plural": "Les Ukraines et les Otans ne sont pas des pays.",
        "accents": "La defense de l’Otan et de l’Ukraine reste forte.",
        "split": "L’OTAN se réunit. L’Ukraine attend.",
        "missing": "Le chef de l’OTAN parle à la presse.",
    }
    for name, lead in forms.items():
        body = lead + "\n\n## Les enjeux\n\n" + words(320)
        cases.append(case(f"kw_{name}", body, keyword="otan ukraine", title="OTAN : le point",
                          slug="otan-ukraine"))
    cases.append(case("kw_accented_keyword", "La défense de l’Europe se renforce. " + words(320),
                      keyword="défense europe", title="Défense de l’Europe : le point", slug="defense-europe"))
    cases.append(case("kw_unaccented_text", "La defense de l’Europe se renforce. " + words(320),
                      keyword="défense europe", title="Defense de l’Europe : le point", slug="defense-europe"))
    # SEO title position and slug.
    for name, t in {"start": "Réforme des retraites : ce qui change", "after_function": "La réforme des retraites : ce qui change",
                    "middle": "Ce qui change avec la réforme des retraites", "words": "Retraites : la réforme en débat",
                    "absent": "Ce qui change cette semaine", "long": "Réforme des retraites : tout ce qui change cette semaine pour les Français et les entreprises"}.items():
        cases.append(case(f"title_{name}", long_body, title=t))
    for name, s in {"full": "reforme-des-retraites", "accents": "réforme-des-retraites", "partial": "reforme-2024",
                    "none": "actualite", "empty": ""}.items():
        cases.append(case(f"slug_{name}", long_body, slug=s))
    # Keyphrase length.
    for kw in ("", "retraites", "réforme des retraites en france", "la réforme des retraites du gouvernement en france",
               "réforme des retraites gouvernement france sénat vote juin syndicats grève"):
        cases.append(case(f"kw_len_{len(kw.split())}", long_body, keyword=kw))
    # Subheadings with the keyphrase: 0..4 of 4.
    for k in range(5):
        heads = ["Le débat sur la réforme des retraites" if i < k else f"Un autre sujet {i}" for i in range(4)]
        body = LEAD + "".join(f"\n\n## {h}\n\n" + words(80) for h in heads)
        cases.append(case(f"subheadings_kw_{k}", body))
    # Sentence beginnings: 2 and 3 consecutive.
    for k in (2, 3):
        body = LEAD + " " + " ".join(["Le gouvernement attend la décision du Sénat."] * 0 + ["Ensuite viendra le vote final."] * k) + " Le texte est prêt."
        cases.append(case(f"beginnings_{k}", body))
    cases.append(case("beginnings_exception", LEAD + " Le maire parle. Le préfet écoute. Le ministre répond."))
    # Passive voice: one document with every sentence (per-sentence truth), and ratios.
    cases.append(case("passive_sentences", " ".join(PASSIVE + ACTIVE)))
    for n_pass in (1, 2, 3):  # of 20 sentences: 5 %, 10 %, 15 %
        sents = PASSIVE[:n_pass] + [S10] * (20 - n_pass)
        cases.append(case(f"passive_{n_pass * 5}", LEAD + " " + " ".join(sents[:19])))
    cases.append(case("passive_16", LEAD + " " + " ".join(PASSIVE[:3] + [S10] * 15)))
    # Transition words: per-sentence truth, and 19/20/29/30 % ratios in a long text.
    cases.append(case("transition_sentences", " ".join(TRANSITION_SENTENCES)))
    for pct in (19, 20, 29, 30):
        sents = ["Cependant, les élus locaux discutent du budget de la commune."] * pct + [S10] * (100 - pct)
        body = "\n\n".join(" ".join(sents[i:i + 5]) for i in range(0, 100, 5))
        cases.append(case(f"transition_{pct}", body.replace("Les élus locaux discutent du budget annuel de la commune.", "Les élus locaux discutent du budget annuel de la commune.", 1)))
    # Typography: no-break spaces, guillemets, numbers.
    cases.append(case("typography", "Le gouvernement a promis 8\u00a0000 postes, soit 7,5\u00a0% de plus\u202f: « c’est historique », a-t-il dit. "
                      "Ensuite — et c’est une première — le texte passera au Sénat. " + words(40)))
    print(json.dumps(cases, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
