"""Builds the varied French article set used to measure agreement with Yoast.

    python tests/analysis/make_articles.py > tests/analysis/fixtures/agreement.json

Articles are assembled (seeded, reproducible) from a pool of French news sentences
with different topics, keyphrases, lengths, passives, transition words, sentence
lengths, meta descriptions and slugs, so that every check sees good, ok and bad
cases. The Yoast scores for them are recorded with tools/yoast/record.cjs.
"""
from __future__ import annotations

import json
import random

TOPICS = [
    ("otan ukraine", "l’OTAN", "l’Ukraine", ["Stoltenberg", "Biden", "Kiev", "Vilnius"]),
    ("réforme des retraites", "la réforme", "des retraites", ["Matignon", "les syndicats", "le Sénat"]),
    ("prix de l'électricité", "le prix", "de l’électricité", ["EDF", "la Commission", "les ménages"]),
    ("incendie marseille", "l’incendie", "de Marseille", ["les pompiers", "la préfecture", "le maire"]),
    ("grève sncf", "la grève", "à la SNCF", ["les cheminots", "la direction", "le ministre"]),
    ("vaccin grippe", "le vaccin", "contre la grippe", ["les pharmacies", "l’Assurance maladie", "les médecins"]),
]

SHORT = [
    "{A} reste au centre des débats.",
    "Le calendrier n’est pas encore fixé.",
    "{P} a confirmé l’information mardi.",
    "Les chiffres seront publiés jeudi.",
    "La situation évolue vite.",
    "Personne ne s’attendait à une telle issue.",
    "Le dossier sera examiné la semaine prochaine.",
    "Les discussions ont repris lundi matin.",
    "{P} n’a pas souhaité commenter.",
    "Une réunion est prévue vendredi.",
    "Le texte a été adopté en première lecture.",
    "La décision a été annoncée par {P}.",
    "Les habitants ont été prévenus dès l’aube.",
    "Plus de 8 000 personnes sont concernées.",
    "La hausse atteint 7,5 % sur un an.",
    "Il faudra attendre l’été pour un bilan.",
]
TRANSITION = [
    "Cependant, {A} divise toujours la majorité.",
    "Par ailleurs, {P} promet des mesures rapides.",
    "En effet, les négociations piétinent depuis des semaines.",
    "Ainsi, le gouvernement espère calmer les esprits.",
    "Toutefois, rien n’est encore joué.",
    "Néanmoins, les experts restent prudents sur la suite.",
    "En revanche, l’opposition dénonce un passage en force.",
    "Par conséquent, le vote pourrait être reporté.",
    "De plus, les délais paraissent très courts.",
    "Enfin, {P} doit rendre ses conclusions avant l’automne.",
    "D’abord, il faut rappeler le contexte.",
    "Pourtant, les premiers signaux étaient encourageants.",
]
LONG = [
    "Selon plusieurs sources proches du dossier, {A} {B} pourrait connaître de nouveaux rebondissements dans les prochains jours, alors que {P} multiplie les consultations avec les différents acteurs concernés.",
    "Les responsables interrogés estiment que la question de {A} {B} ne pourra pas être réglée sans un accord large, qui associerait à la fois les élus locaux, les partenaires sociaux et les représentants de l’État.",
    "Dans un communiqué publié en fin de journée, {P} a rappelé que les engagements pris au printemps dernier devaient être tenus, faute de quoi la confiance des citoyens risquerait de s’effriter durablement.",
    "Cette décision, qui a été longuement discutée lors d’une réunion à huis clos, intervient après plusieurs mois de tensions entre les différentes parties et une série de manifestations dans tout le pays.",
    "Les observateurs soulignent que le sujet de {A} {B} revient régulièrement dans l’actualité depuis plusieurs années, sans que les gouvernements successifs ne parviennent à proposer une réponse vraiment durable.",
    "« Nous avons renforcé notre dispositif et nous continuerons à le faire tant que la situation l’exigera », a déclaré {P} devant la presse, en insistant sur la nécessité d’agir vite et de manière coordonnée.",
]
KEY = [
    "{K} est au cœur des discussions cette semaine.",
    "Le dossier {K} mobilise les équipes depuis lundi.",
    "Sur {K}, les positions restent éloignées.",
]
HEADINGS = [
    "Les enjeux de {K}", "Un calendrier serré", "Ce que prévoit le texte", "Les réactions politiques",
    "{K} : les prochaines étapes", "Des chiffres en hausse", "La position de {P}", "Un débat ancien",
    "Les inquiétudes des habitants", "Pourquoi {K} inquiète",
]


def fill(s: str, topic, rng) -> str:
    kw, a, b, people = topic
    return s.format(A=a[:1].upper() + a[1:] if s.startswith("{A}") else a, B=b, P=rng.choice(people),
                    K=kw if not s.startswith("{K}") else kw[:1].upper() + kw[1:])


def paragraph(topic, rng, n_sent, p_trans, p_long, p_key) -> str:
    out = []
    for _ in range(n_sent):
        r = rng.random()
        if r < p_key:
            pool = KEY
        elif r < p_key + p_trans:
            pool = TRANSITION
        elif r < p_key + p_trans + p_long:
            pool = LONG
        else:
            pool = SHORT
        out.append(fill(rng.choice(pool), topic, rng))
    return " ".join(out)


def article(i: int, rng: random.Random) -> dict:
    topic = TOPICS[i % len(TOPICS)]
    kw = topic[0]
    p_trans = rng.choice([0.05, 0.2, 0.35, 0.5])
    p_long = rng.choice([0.05, 0.15, 0.3, 0.5])
    p_key = rng.choice([0.0, 0.03, 0.08, 0.15, 0.3])
    n_sections = rng.choice([0, 1, 2, 3, 4, 5, 6])
    lead = fill(rng.choice(KEY), topic, rng) if rng.random() < 0.7 else paragraph(topic, rng, 2, 0.2, 0.3, 0)
    if rng.random() < 0.8:
        lead += " " + paragraph(topic, rng, rng.choice([1, 2, 3]), p_trans, p_long, 0)
    parts = [lead]
    heads = rng.sample(HEADINGS, k=min(n_sections, len(HEADINGS)))
    for h in heads:
        parts.append("## " + fill(h, topic, rng))
        for _ in range(rng.choice([1, 2, 3, 4])):
            parts.append(paragraph(topic, rng, rng.choice([2, 4, 6, 9, 14]), p_trans, p_long, p_key))
    if n_sections == 0:
        for _ in range(rng.choice([1, 3, 6])):
            parts.append(paragraph(topic, rng, rng.choice([3, 6, 10]), p_trans, p_long, p_key))
    desc_len = rng.choice([0, 90, 119, 120, 121, 140, 156, 157, 180])
    desc = ""
    if desc_len:
        base = (f"{kw[:1].upper() + kw[1:]} : ce qu’il faut savoir. " if rng.random() < 0.7 else "Ce qu’il faut savoir. ")
        filler = "Les dernières informations, les réactions et les prochaines étapes du dossier expliquées simplement pour nos lecteurs."
        desc = (base + filler + " " + filler)[:desc_len].rstrip()
        desc = desc + "." * (desc_len - len(desc))
    title_kind = rng.choice(["start", "after", "none", "words", "long"])
    cap = kw[:1].upper() + kw[1:]
    meta_title = {
        "start": f"{cap} : ce qui change cette semaine",
        "after": f"Ce qui change cette semaine pour {kw}",
        "none": "Ce qui change cette semaine en France",
        "words": " ".join(w.capitalize() for w in reversed(kw.split())) + " : le point complet",
        "long": f"{cap} : tout ce qui change cette semaine pour les Français et les entreprises concernées",
    }[title_kind]
    slug = rng.choice(["", kw.replace(" ", "-").replace("'", "-"), "actualite-du-jour",
                       kw.split()[0] + "-derniere-minute"])
    keyword = kw if rng.random() > 0.05 else ""
    return {"id": f"art{i:02d}", "title": meta_title, "meta_title": meta_title, "meta_description": desc,
            "slug": slug, "keyword": keyword, "body_markdown": "\n\n".join(parts)}


def main() -> None:
    rng = random.Random(20240605)
    arts = [article(i, rng) for i in range(40)]
    print(json.dumps(arts, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
