"""Varied French sentences for the passive-voice check, grouped into articles.

    python tests/analysis/make_passives.py > tests/analysis/fixtures/passives.json
    python tests/analysis/yoast_input.py tests/analysis/fixtures/passives.json \\
        | node tools/yoast/record.cjs --brief > tests/analysis/fixtures/passives_yoast.json

Each sentence puts a participle-looking word after a form of être, avoir or a
semi-auxiliary: regular participles in -é, irregular ones (pris, mis, fait,
atteint, ouvert, élu…) with their agreement, verbs conjugated with être (arrivé,
né, devenu), adjectives and nouns in -é/-ée, reflexives (s'est, se sont),
elisions (c'est, qu'est, n'est, l'est), negations, adverbs in between, "être"
followed by an article, clause breaks (commas, qui, et, mais) and agents (par…).
Yoast's verdict for each sentence is in the recorded debug "passive" list.
"""
from __future__ import annotations

import json
import random

SUBJECTS = [("Le projet", "m", "s"), ("La loi", "f", "s"), ("Les accords", "m", "p"), ("Les mesures", "f", "p"),
            ("Le suspect", "m", "s"), ("La ville", "f", "s"), ("Les députés", "m", "p"), ("Les victimes", "f", "p"),
            ("Il", "m", "s"), ("Elle", "f", "s"), ("Ils", "m", "p"), ("Elles", "f", "p"), ("Le maire", "m", "s"),
            ("L’usine", "f", "s"), ("Les habitants", "m", "p"), ("La réforme", "f", "s")]
REGULAR = """annoncé signé adopté arrêté interpellé blessé tué évacué reporté annulé bloqué fermé rejeté voté
critiqué condamné accusé soupçonné placé libéré nommé désigné chargé concerné situé touché frappé visé
retrouvé publié diffusé confirmé organisé lancé présenté examiné validé approuvé financé menacé attaqué
bombardé endommagé épargné sauvé hospitalisé transféré interrogé jugé fixé limité autorisé imposé exigé
levé prolongé renouvelé marqué fragilisé inquiété préoccupé occupé habité peuplé âgé décédé arrivé tombé
resté entré passé monté retourné désolé fatigué épuisé pressé doué aisé fâché habitué obligé engagé
opposé animé composé consacré destiné basé fondé lié équipé doté installé implanté classé considéré
estimé évalué chiffré recensé enregistré déposé adressé envoyé livré remis rapporté relayé démantelé
saisi créé proposé mené réalisé utilisé appelé nécessité invité employé délégué allié réfugié retraité
salarié député comité marché côté degré""".split()
IRREGULAR = """pris repris mis remis promis soumis permis compris fait dit écrit inscrit construit détruit produit
réduit conduit ouvert couvert découvert offert atteint craint joint rejoint contraint éteint peint élu lu
vu prévu reçu perçu conçu connu reconnu tenu détenu obtenu retenu soutenu maintenu vendu rendu défendu
entendu attendu perdu suspendu interrompu battu abattu convaincu vaincu fini choisi réuni puni trahi envahi
accueilli suivi poursuivi servi nourri garanti investi établi bâti averti subi aboli accompli rempli
affaibli enrichi élargi agrandi franchi fourni né mort parti sorti venu devenu revenu intervenu survenu
apparu disparu paru descendu assis acquis conquis requis inclus exclu conclu dû pu su bu cru vécu""".split()
NOUNS = """année journée armée entrée arrivée soirée durée idée assemblée musée lycée trophée allée pensée
tournée rentrée montée percée été santé liberté société sécurité communauté cité moitié""".split()
# A second vocabulary of rarer words, kept apart: the first set tuned the word lists,
# this one measured how they carry over to words they were not written from.
RARE_REGULAR = """dénoncé salué soutenu encadré renforcé réformé relancé maintenu déployé mobilisé sanctionné
perquisitionné écroué inculpé relaxé acquitté expulsé rapatrié indemnisé dédommagé récompensé licencié
embauché recruté muté promu démis élu réélu investi remanié dissous prorogé ratifié promulgué censuré
amendé adopté retoqué reporté ajourné différé avancé révisé corrigé modifié simplifié durci assoupli
étendu généralisé expérimenté testé évalué mesuré observé constaté relevé signalé rapporté dévoilé
révélé divulgué démenti nuancé précisé clarifié détaillé illustré justifié motivé argumenté contesté
décrié plébiscité acclamé hué sifflé applaudi félicité remercié honoré décoré cité invité convié
accueilli reçu hébergé logé relogé nourri soigné vacciné dépisté testé confiné isolé évacué secouru
rescapé retrouvé identifié localisé géolocalisé filmé photographié enregistré inondé submergé dévasté
ravagé incendié calciné effondré fissuré fragilisé consolidé sécurisé protégé gardé surveillé contrôlé
verbalisé flashé interpellé gardé-à-vue""".split()
RARE_IRREGULAR = """inscrit décrit souscrit traduit séduit instruit cuit enduit offert souffert recouvert entrouvert
aperçu déçu conçu perçu atteint perdu rompu corrompu battu combattu débattu rebattu abattu entendu
sous-entendu pendu descendu fendu tondu pondu vendu revendu dissous résolu absous moulu cousu exclu
inclus émis omis clos admis commis démis requis enquis conquis reconquis acquis assis sursis
bâti rebâti blanchi noirci rougi jauni verdi pâli vieilli rajeuni grandi maigri grossi guéri péri
ouvert rouvert découvert redécouvert""".split()
RARE_NOUNS = """allée cheminée poupée dictée rosée gelée araignée bouée corvée fée giroflée lignée mêlée mosquée
nausée orchidée pincée plongée randonnée renommée risée traversée veillée vallée chaussée comté
député délégué employé allié marché côté""".split()
# (singular, plural) forms of what comes between the subject and the participle.
AUX = [("est", "sont"), ("était", "étaient"), ("sera", "seront"), ("serait", "seraient"), ("fut", "furent"),
       ("a été", "ont été"), ("avait été", "avaient été"), ("aurait été", "auraient été"),
       ("n’est pas", "ne sont pas"), ("n'a pas été", "n'ont pas été"), ("ne sera pas", "ne seront pas"),
       ("est-il", "sont-ils"), ("pourrait être", "pourraient être"), ("doit être", "doivent être"),
       ("vient d’être", "viennent d’être"), ("semble être", "semblent être"), ("a", "ont"), ("avait", "avaient"),
       ("s’est", "se sont"), ("est déjà", "sont déjà"), ("est très", "sont très"), ("est aussitôt", "sont aussitôt"),
       ("est toujours", "sont toujours"), ("est le", "sont les"), ("est la", "sont des"), ("est une", "sont des"),
       ("est un", "sont de"), ("n’était plus", "n’étaient plus"), ("serait-elle", "seraient-elles"),
       ("c’est", "ce sont"), ("qu’est", "qu’étaient"), ("l’est", "le sont"), ("est en", "sont en"),
       ("est par", "sont par"), ("est à", "sont à"), ("a bien été", "ont bien été"), ("va être", "vont être"),
       ("est alors", "sont tous"), ("est l’", "sont les"), ("d’être", "d’être"), ("s’était", "s’étaient"),
       ("est d’abord", "sont d’abord"), ("est, dit-on,", "sont, dit-on,"), ("n’en est pas moins", "n’en sont pas moins")]
TAILS = ["", " par la police", " par les autorités", " dans la nuit", " hier soir", ", a indiqué la préfecture",
         " et les habitants ont été prévenus", " mais rien n’a changé", " qui a tout vu", ", selon le ministère",
         " depuis lundi", " à Paris", " lors du vote", " pour la première fois", " sans surprise", " de justesse"]
PREFIXES = ["", "", "", "Selon la préfecture, ", "Hier, ", "D’après nos informations, ", "Le texte qui ",
            "Quand la nuit tombe, ", "Bien que tout soit prêt, "]


def agree(word: str, g: str, n: str, irregular: bool) -> str:
    if word.endswith(("s", "x")) and n == "p" and g == "m":
        return word
    suffix = ("e" if g == "f" else "") + ("s" if n == "p" and not (word.endswith("s") and g == "m") else "")
    if irregular and word.endswith("s") and g == "m":
        suffix = ""
    return word + suffix


def sentence(rng: random.Random, rare: bool = False) -> str:
    regular, irregular, nouns = (RARE_REGULAR, RARE_IRREGULAR, RARE_NOUNS) if rare else (REGULAR, IRREGULAR, NOUNS)
    prefix = rng.choice(PREFIXES)
    subj, g, n = ("Le texte", "m", "s") if prefix == "Le texte qui " else rng.choice(SUBJECTS)
    kind = rng.random()
    if kind < 0.45:
        word, irr = rng.choice(regular), False
    elif kind < 0.85:
        word, irr = rng.choice(irregular), True
    else:
        word, irr = rng.choice(nouns), False
    if rng.random() < 0.85:  # mostly agreed, sometimes not (a common typo)
        word = agree(word, g, n, irr)
    aux = rng.choice(AUX)[n == "p"]
    if prefix == "Le texte qui ":
        return f"Le texte qui {aux} {word}{rng.choice(TAILS)} reste en suspens.".replace("’ ", "’")
    if prefix:
        subj = subj.lower() if subj in ("Il", "Elle", "Ils", "Elles") else subj[:1].lower() + subj[1:]
    s = f"{prefix}{subj} {aux} {word}{rng.choice(TAILS)}.".replace("’ ", "’")
    return s[:1].upper() + s[1:]


def main() -> None:
    rng = random.Random(1505)
    arts = []
    for i in range(100):
        sents: list[str] = []
        while len(sents) < 25:
            s = sentence(rng, rare=i >= 60)
            if s not in sents:
                sents.append(s)
        body = "\n\n".join(" ".join(sents[k:k + 5]) for k in range(0, 25, 5))
        arts.append({"id": f"pv{i:02d}", "title": "Voix passive", "meta_title": "Voix passive",
                     "meta_description": "", "slug": "voix-passive", "keyword": "voix passive",
                     "body_markdown": body})
    print("[\n" + ",\n".join(json.dumps(a, ensure_ascii=False) for a in arts) + "\n]")


if __name__ == "__main__":
    main()
