"""French keyphrases of every kind, in articles that hold them in many forms.

    python tests/analysis/make_keyphrases.py > tests/analysis/fixtures/keyphrases.json
    python tests/analysis/yoast_input.py tests/analysis/fixtures/keyphrases.json \\
        | node tools/yoast/record.cjs --brief > tests/analysis/fixtures/keyphrases_yoast.json

Each keyphrase (hyphenated words and names, elisions with ’ and ', particles,
capitals and accents, function words inside, plurals, exact-match quotes) gets
articles where it appears as written and transformed: other case, accents
dropped, hyphens as spaces, the other apostrophe, plural, elided after l’/d’,
words apart or reordered, one word missing; in the lead, the body, subheadings,
meta description, SEO title and slug, a varying number of times. Seeded, so the
file is reproducible.
"""
from __future__ import annotations

import json
import random
import re
import unicodedata

KEYPHRASES = [
    # hyphenated words and names
    "contre-offensive ukrainienne", "petite-bourgeoise", "Jean-Marie Le Pen", "cessez-le-feu",
    "Seine-Saint-Denis", "après-guerre", "sans-papiers", "porte-parole du gouvernement",
    "Île-de-France", "couple franco-allemand", "week-end de Pâques", "Aix-en-Provence", "vis-à-vis",
    "haut-commissaire au plan", "grand-mère", "arc-en-ciel", "États-Unis", "Saint-Étienne", "état-major",
    "anti-inflation", "après-midi", "porte-avions", "Covid-19",
    # elisions
    "prix de l'électricité", "prix de l’électricité", "l'Ukraine", "Côte d’Ivoire", "Val-d'Oise",
    "loi d'orientation agricole", "aujourd'hui", "l’Assemblée nationale", "qu'importe", "chef d’État",
    "c'est-à-dire", "qu’est-ce que",
    # particles
    "Charles de Gaulle", "Marine Le Pen", "La Rochelle", "Le Havre", "Jean de La Fontaine",
    "Ursula von der Leyen", "Du Guesclin", "Le Mans", "M. Macron", "Mme Borne",
    # capitals and accents
    "Élysée", "élections européennes", "Assemblée nationale", "réforme des retraites", "Noël",
    "cœur de ville", "ÉCOLE PUBLIQUE", "maïs transgénique", "Boeing", "Ça", "JO de Paris 2024", "5G",
    # function words inside the phrase
    "guerre en Ukraine", "grève à la SNCF", "baisse des prix", "nouveau gouvernement", "premier ministre",
    "plan de relance", "semaine de quatre jours", "petite enfance", "grand Paris", "sans domicile fixe",
    "tout le monde", "loi sur l'immigration", "fin de vie", "dernière minute", "prochaine élection",
    # plurals as Yoast free treats them (no forms: the word as written)
    "retraite", "élections", "prix", "travaux", "cheval",
    # exact match
    "\"réforme des retraites\"", "“guerre en Ukraine”", "«guerre en Ukraine»", "„contre-offensive ukrainienne“",
]

FILLER = [
    "Les discussions se poursuivent dans la capitale depuis le début de la semaine.",
    "Le calendrier reste flou malgré les annonces du matin.",
    "Plusieurs responsables ont pris la parole devant la presse.",
    "Les habitants attendent des réponses concrètes et rapides.",
    "Un premier bilan est attendu dans les prochains jours.",
    "Les associations réclament davantage de moyens pour agir sur le terrain.",
    "La situation a beaucoup évolué au cours des derniers mois.",
    "Personne ne s’attendait à un tel retournement de situation.",
    "Les experts appellent à la prudence face aux chiffres provisoires.",
    "Une réunion de crise s’est tenue jeudi soir à huis clos.",
    "Les syndicats ont annoncé une nouvelle journée de mobilisation.",
    "Le texte doit encore être examiné par les sénateurs.",
    "Les élus locaux dénoncent un manque de concertation.",
    "Cette décision a surpris jusque dans les rangs de la majorité.",
    "Les négociations reprendront lundi, selon une source proche du dossier.",
    "La question divise profondément l’opinion publique.",
]
SENTENCE_WITH = [
    "{X} occupe tous les esprits cette semaine.",
    "Les observateurs parlent de {x} depuis des mois.",
    "Selon les spécialistes, {x} marque un tournant.",
    "Au cœur du débat, {x} fait toujours réagir.",
    "Le dossier de {x} revient sur la table.",
    "« C’est {x} qui compte », a-t-il lancé.",
]
HEADINGS = ["Un débat qui s’installe", "Les réactions politiques", "Ce que disent les chiffres", "La suite du calendrier"]


def strip_accents(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn")


def bare(kw: str) -> str:
    return kw.strip("\"“”„«»")


def variants(kw: str) -> list[str]:
    """Forms in which an article may hold the keyphrase."""
    k = bare(kw)
    words = k.split(" ")
    out = {
        "same": k,
        "capitalized": k[:1].upper() + k[1:],
        "lower": k.lower(),
        "upper": k.upper(),
        "title": " ".join(w[:1].upper() + w[1:] for w in words),
        "no_accents": strip_accents(k),
        "hyphens_as_spaces": k.replace("-", " "),
        "spaces_as_hyphens": k.replace(" ", "-"),
        "en_dash": k.replace("-", "–"),
        "curly": k.replace("'", "’"),
        "straight": k.replace("’", "'"),
        "plural": re.sub(r"(\w)$", r"\1s", k),
        "plural_each": " ".join(re.sub(r"(\w)$", r"\1s", w) for w in words),
        "elided_l": "l’" + k, "elided_d": "d'" + k, "elided_qu": "qu’" + k,
        "apart": words[0] + " et la question de " + " ".join(words[1:]) if len(words) > 1 else k + " et la suite",
        "reordered": " ".join(reversed(words)),
        "first_missing": " ".join(words[1:]) or k[: max(1, len(k) // 2)],
        "last_missing": " ".join(words[:-1]) or k + "e",
        "no_function_words": " ".join(w for w in words if w.lower() not in ("de", "du", "des", "la", "le", "les", "en", "à", "au", "sur", "l'", "d'")),
    }
    return list(dict.fromkeys(v for v in out.values() if v.strip()))


def sentence_with(form: str, rng: random.Random) -> str:
    tpl = rng.choice(SENTENCE_WITH)
    return tpl.format(X=form[:1].upper() + form[1:], x=form)


def paragraph(rng: random.Random, n: int, forms: list[str], k: int) -> str:
    sents = [rng.choice(FILLER) for _ in range(n)]
    for _ in range(k):
        sents.insert(rng.randrange(len(sents) + 1), sentence_with(rng.choice(forms), rng))
    return " ".join(sents)


def slugify(s: str) -> str:
    s = strip_accents(s.lower()).replace("’", "-").replace("'", "-")
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-")


def article(i: int, kw: str, rng: random.Random) -> dict:
    forms_all = variants(kw)
    main = rng.choice(forms_all)
    forms = [main] + ([rng.choice(forms_all)] if rng.random() < 0.3 else [])
    lead_kind = rng.choice(["one_sentence", "split", "absent", "other_form"])
    if lead_kind == "one_sentence":
        lead = sentence_with(main, rng) + " " + rng.choice(FILLER)
    elif lead_kind == "split":
        ws = bare(kw).split(" ")
        lead = f"{ws[0].capitalize()} : le mot revient. " + rng.choice(FILLER) + " " + (" ".join(ws[1:]) or "Rien") + " aussi."
    elif lead_kind == "absent":
        lead = rng.choice(FILLER) + " " + rng.choice(FILLER)
    else:
        lead = sentence_with(rng.choice(forms_all), rng)
    parts = [lead]
    n_sections = rng.choice([0, 2, 3, 4])
    per = rng.choice([0, 1, 2, 3, 5])
    for h in rng.sample(HEADINGS, n_sections):
        if rng.random() < 0.45:
            h = h + " : " + rng.choice(forms_all)
        parts.append("## " + h)
        parts.append(paragraph(rng, rng.choice([4, 6, 9]), forms, rng.choice([0, per, per + 1])))
    if n_sections == 0:
        for _ in range(rng.choice([2, 4])):
            parts.append(paragraph(rng, rng.choice([5, 8]), forms, per))
    desc_k = rng.choice([0, 1, 1, 2, 3])
    desc = "Ce qu’il faut savoir. " + " ".join(sentence_with(rng.choice(forms_all), rng) for _ in range(desc_k))
    desc = (desc + " Les dernières informations et les réactions, expliquées pour nos lecteurs.")[:156]
    cap = main[:1].upper() + main[1:]
    title = rng.choice([f"{cap} : ce qui change", f"La {main} en question", f"Ce qui change avec {main}",
                        f"L’{main} au menu", "Ce qui change cette semaine", f"{rng.choice(forms_all)} : le point"])
    slug = rng.choice([slugify(bare(kw)), slugify(main), slugify(rng.choice(forms_all)), "actualite-du-jour",
                       bare(kw).lower().replace(" ", "-")])
    return {"id": f"kp{i:03d}", "title": title, "meta_title": title, "meta_description": desc, "slug": slug,
            "keyword": kw, "body_markdown": "\n\n".join(parts)}


def main() -> None:
    rng = random.Random(20261202)
    arts = []
    for kw in KEYPHRASES:
        for _ in range(6):
            arts.append(article(len(arts), kw, rng))
    # One article per line: small, and a regenerated file diffs article by article.
    print("[\n" + ",\n".join(json.dumps(a, ensure_ascii=False) for a in arts) + "\n]")


if __name__ == "__main__":
    main()
