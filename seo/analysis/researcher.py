"""The French "researcher": word lists and morphology used by the checks.

Like Yoast's language researchers, this module holds everything that is specific
to French (besides the function words of function_words.py): transition words, the forms
of "être" that build a passive, the participles, the sentence-beginning
exceptions and the syllable rules used by the Flesch score. The lists are our own,
written to behave like Yoast's French lists on ordinary news copy; they are
frozensets built once at import time.
"""
from __future__ import annotations

import re
from functools import lru_cache


def _words(text: str) -> frozenset[str]:
    return frozenset(w for w in text.split() if w)


# Function words (left out of keyphrases) live in function_words.py.

# Transition words (single and multi-word, lower case). A sentence that holds one
# counts for textTransitionWords.
TRANSITION_WORDS = frozenset(
    w.strip() for w in """
ainsi|alors|aussi|car|cependant|certainement|certes|conséquemment|d'abord|d'ailleurs|d'après|
davantage|désormais|deuxièmement|donc|dorénavant|effectivement|également|enfin|ensuite|
entre-temps|essentiellement|excepté|finalement|globalement|jusqu'ici|là-dessus|lorsque|mais|
malgré|néanmoins|notamment|partant|plutôt|pourtant|précédemment|premièrement|probablement|
puis|puisque|quoique|sauf|selon|sinon|suivant|toutefois|troisièmement|
à cause de|à ce jour|à ce propos|à ce sujet|à cet égard|à cette fin|à compter de|
à condition que|à défaut de|à force de|à juste titre|à la lumière de|à la suite de|à l'aide de|
à l'exception de|à l'heure actuelle|à l'image de|à l'instar de|à l'inverse|à l'opposé|
à mesure que|à moins que|à nouveau|à partir de|à première vue|à savoir|à supposer que|
à tel point que|à vrai dire|afin de|afin que|ainsi donc|ainsi que|alors que|après cela|
après quoi|après que|à propos de|après tout|attendu que|au cas où|au contraire|au fond|
au fur et à mesure|au lieu de|au moment où|au moyen de|au point que|au risque de|au total|
aussi bien que|aussitôt que|autant que|autrement dit|avant que|avant tout|bien que|
c'est pourquoi|c'est-à-dire|c'est ainsi que|cela dit|cela étant|compte tenu|comme si|
conformément à|contrairement à|d'autant plus|d'autant que|d'autre part|d'ici là|d'où|
d'un autre côté|d'un côté|dans ce cas|dans ces conditions|dans l'ensemble|dans la mesure où|
dans le but de|dans le cadre de|dans le cas où|de ce fait|de cette façon|de crainte que|
de façon à|de façon que|de fait|de la même manière|de manière que|de même|de même que|
de nos jours|de peur que|de prime abord|de sorte que|de surcroît|de toute évidence|
de toute façon|de toute manière|depuis que|dès lors que|dès que|du fait que|du moins|
du reste|d'ores et déjà|en admettant que|en attendant que|en bref|en cas de|en ce moment|
en ce qui concerne|en ce sens|en cela|en conclusion|en conséquence|en d'autres termes|
en définitive|en dépit de|pour cela|en dernier lieu|en effet|en face de|en fait|
en fin de compte|en général|en matière de|en même temps que|en outre|en particulier|en plus|
en premier lieu|en principe|en raison de|en réalité|en résumé|en revanche|en second lieu|
en somme|en sorte que|en supposant que|en tant que|en théorie|en tout cas|en un mot|
encore que|encore une fois|entre autres|et même|et puis|étant donné que|face à|grâce à|
il est vrai que|jusqu'à ce que|jusqu'à présent|jusqu'à maintenant|malgré cela|malgré tout|
même si|notons que|ou bien|par ailleurs|par conséquent|par contre|par exemple|par la suite|
par rapport à|par suite|parce que|pareillement|pendant que|plus précisément|plus tard|
pour ainsi dire|pour autant que|pour ce qui est de|pour cette raison|pour commencer|
pour conclure|pour le moment|pour l'instant|pour que|pour terminer|pourvu que|
quand bien même|quand même|quant à|qui plus est|quoi qu'il en soit|quoi que|sans doute|
sans tarder|sauf si|selon que|si bien que|sitôt que|somme toute|sur ce point|surtout si|
sous prétexte que|sous réserve de|suivant que|tandis que|tant que|tel que|tout à fait|
tout compte fait|tout d'abord|tout de même|une fois de plus|vu que
""".replace("\n", "").split("|") if w.strip()
)

TWO_PART_TRANSITION_WORDS = (
    ("aussi", "que"), ("autant de", "que"), ("certes", "mais"), ("d'un côté", "de l'autre"),
    ("d'une part", "d'autre part"), ("moins de", "que"), ("non seulement", "mais aussi"),
    ("non seulement", "mais encore"), ("plus de", "que"), ("si", "que"), ("soit", "soit"),
    ("tantôt", "tantôt"), ("tout d'abord", "ensuite"), ("tout", "que"),
)

# Sentence beginnings: these words are skipped to the next one when comparing
# consecutive sentence openings ("Le président…" and "Le ministre…" differ).
FIRST_WORD_EXCEPTIONS = _words("""
le la les un une deux trois quatre cinq six sept huit neuf dix
celui celle ceux celles celui-ci celle-là celui-là celle-ci
""")

# --- passive voice --------------------------------------------------------
# Forms of "être" that can build a French passive ("l'accord a été signé").
PASSIVE_AUXILIARIES = _words("""
être d'être suis es est sommes êtes sont n'est n'es n'êtes été j'étais étais était étions
étiez étaient c'était n'étais n'était n'étions n'étiez n'étaient serai seras sera serons serez
seront sois soit soyons soyez soient fusse fusses fût fussions fussiez fussent serais serait
serions seriez seraient fus fut fûmes fûtes furent est-il est-elle est-on sont-ils sont-elles
était-il était-elle sera-t-il sera-t-elle serait-il serait-elle fut-il fut-elle
""")
# A clause ends at these words (conjunctions, relatives) and at ", ".
CLAUSE_STOP_WORDS = _words("""
et ou car or puisque quand lorsque quoique qu'il qu'elle qu'ils qu'elles qu'on qu'un qu'une
si s'il s'ils pourquoi après avant sinon sitôt dont lequel laquelle lesquels lesquelles auquel
auxquels auxquelles duquel desquels desquelles qui où d'où :
""")
# "est le/la/les…": the verb is a copula, not an auxiliary.
FOLLOWING_AUXILIARY_EXCEPTIONS = _words("le la les une l'un l'une")
REFLEXIVE_PRONOUNS = _words("se me te")
# Words that, directly before a participle, show it is a noun or an adjective.
CANNOT_DIRECTLY_PRECEDE_PARTICIPLE = _words("""
le la les un une des du au aux mon ton son ma ta sa mes tes ses notre votre
leur nos vos leurs d'un d'une l'un l'une de à en par pour sur sous dans avec sans chez entre
quel quelle quels
""")
# (Adverbs such as "très" do not rule a passive out: Yoast reads "le débat est très
# animé" as passive, and so do we.)
# Forms of avoir/aller between "être" and the participle rule the passive out.
CANNOT_BE_BETWEEN_AUXILIARY_AND_PARTICIPLE = _words("""
a ai as avons avez ont avait avais avaient avions aviez aura aurai auront aurait auraient
eu eut j'ai a-t-il a-t-elle ont-ils va vais vont allait allé ira
""")
# Past participles conjugated with être that are not passives, and adjectives in -é.
ACTIVE_PARTICIPLES = _words("""
allé arrivé décédé demeuré entré été né resté retombé tombé parvenu venu devenu revenu
intervenu survenu apparu mort parti sorti rentré passé monté descendu âgé aisé aîné désolé
habitué obligé occupé préoccupé fâché pressé situé prévu chargé concerné doué déterminé
engagé opposé exposé épuisé inquiet inquiété fatigué intéressé persuadé convaincu
""")
# Nouns in -é/-ée (a participle-looking word that is a noun).
NOUN_EXCEPTIONS = _words("""
côté marché comité député degré café clé thé pâté santé liberté volonté moitié pitié amitié
fierté cité été procédé résumé canapé bébé blé curé fossé gré légué lycée musée trophée idée
année journée armée entrée arrivée soirée matinée durée pensée vallée allée fusée épée chaussée
tranchée mosquée portée poignée assemblée rentrée tournée montée percée odyssée épopée
employé délégué allié invité blessé condamné accusé salarié retraité réfugié émigré
""")
OTHER_PARTICIPLE_EXCEPTIONS = _words("é hé malgré")

# Irregular participles (and -i/-u/-t/-s participles the -é rule misses).
IRREGULAR_PARTICIPLES = _words("""
fait dit écrit décrit inscrit prescrit construit détruit produit réduit traduit conduit introduit
ouvert couvert découvert offert souffert mis admis commis compris permis pris promis remis repris
soumis transmis appris surpris acquis conquis requis assis inclus exclu conclu élu lu vu revu
prévu pourvu su connu reconnu reçu perçu conçu déçu aperçu battu abattu combattu vaincu convaincu
tenu détenu maintenu obtenu retenu soutenu contenu entretenu venu vendu rendu défendu entendu
attendu étendu perdu répandu suspendu tendu mordu tordu fondu répondu confondu interrompu rompu
corrompu voulu fallu pu dû cru bu vécu valu paru disparu apparu
atteint peint craint joint rejoint contraint éteint plaint feint restreint astreint enfreint
fini choisi saisi réuni puni trahi envahi accueilli cueilli suivi poursuivi servi desservi
nourri guéri garanti investi établi rétabli bâti averti converti subi démoli aboli accompli
rempli affaibli enrichi appauvri élargi agrandi grossi réussi franchi fourni trahi applaudi
""")
# Forms built on these stems: fait, faite, faits, faites.
_PARTICIPLE_SUFFIXES = ("", "e", "s", "es")
IRREGULAR_PARTICIPLE_FORMS = frozenset(p + s for p in IRREGULAR_PARTICIPLES for s in _PARTICIPLE_SUFFIXES)
REGULAR_PARTICIPLE_RE = re.compile(r"\S+(?:é|ée|és|ées)$")


def is_participle(word: str) -> bool:
    return bool(REGULAR_PARTICIPLE_RE.match(word)) or word in IRREGULAR_PARTICIPLE_FORMS


def is_active_exception(word: str) -> bool:
    """True when a participle-looking word is an adjective, a noun or an intransitive verb."""
    if word in OTHER_PARTICIPLE_EXCEPTIONS or word.startswith(("l'", "d'")):
        return True
    for cand in (word, word[:-2] if word.endswith("es") else word[:-1] if word.endswith(("e", "s")) else word):
        if cand in ACTIVE_PARTICIPLES:
            return True
    if word in NOUN_EXCEPTIONS or (word.endswith("s") and word[:-1] in NOUN_EXCEPTIONS):
        return True
    # Nouns in -ité / -té (société, sécurité, communauté…).
    return word.endswith(("ité", "ités", "auté", "autés"))


# --- keyphrase morphology ---------------------------------------------------

def word_forms(word: str, morphology: bool = False) -> list[str]:
    """The forms of one keyphrase word that count as a match.

    Yoast SEO free (the reference of the tests) matches the word itself, case-
    insensitively, with or without accents, also after an elided article
    (l'Ukraine, d'Ukraine, qu'Ukraine: the apostrophe is a word boundary). With
    ``morphology=True`` we add the plural and feminine forms Yoast Premium's
    French morphology finds (otan -> otans is harmless; sanction -> sanctions,
    allié -> alliée, alliés, alliées; travail -> travaux; national -> nationaux).
    """
    forms = [word]
    if not morphology or len(word) < 3:
        return forms
    extra: list[str] = []
    if word.endswith(("s", "x", "z")):
        extra.append(word[:-1] if word.endswith("s") else word)
    else:
        extra.append(word + "s")
    if word.endswith("al"):
        extra.append(word[:-2] + "aux")
    if word.endswith("ail"):
        extra.append(word[:-3] + "aux")
    if word.endswith(("eau", "eu", "au")):
        extra.append(word + "x")
    if word.endswith("é") or word.endswith(("i", "u", "t", "nt", "ais", "is")):
        extra += [word + "e", word + "es"]
    if word.endswith("e") and not word.endswith("ée"):
        extra.append(word + "s")
    if word.endswith("ien"):
        extra += [word + "ne", word + "nes"]
    if word.endswith("eux"):
        extra += [word[:-1] + "se", word[:-1] + "ses"]
    if word.endswith("if"):
        extra += [word[:-1] + "ve", word[:-1] + "ves"]
    for e in extra:
        if e not in forms:
            forms.append(e)
    return forms


# --- syllables (Flesch) -------------------------------------------------------
VOWELS = "aeiouyàâéèêëîïûüùôæœ"
_VOWEL_GROUP_RE = re.compile(f"[{VOWELS}]+")
# Yoast-style French deviations: each match adds countModifier syllables.
_SYLLABLE_DEVIATIONS = (
    (re.compile(r"[ptf]aon(ne)?[s]?$"), -1),
    (re.compile(r"aoul|[^eéiïou]e(s|nt)?$|[qg]ue(s|nt)?$"), -1),
    (re.compile(r"o[ëaéèï]"), 1),
    (re.compile(
        r"a[eéèïüo]|é[aâèéiîuo]|ii[oe]|[aeéuo]y[aâeéèoui]|coe[^u]|zoo|coop|coord|poly[ae]|[bcd]ry[oa]"
        r"|[bcdfgptv][rl](ou|u|i)[aéèouâ]|ouez|[blmnt]uio|uoia|ment$|yua"
        r"|[bcdfgptv][rl](i|u|eu)e([ltz]|r[s]?$|n[^t])|[^aeiuyàâéèêëîïûüùôæœqg]uie[rz]$"), 1),
)
# Whole words whose count the rules above get wrong.
_SYLLABLE_WORDS = {
    "que": 1, "ok": 2, "pays": 2, "août": 1, "oye": 1, "business": 2,
}
# Monosyllables in -e/-es (the silent-e rule would give them 0).
_SYLLABLE_WORDS.update(dict.fromkeys("de le je te ce ne re me se ses mes ces des tes les es".split(), 1))
# Words in -ent where "ent" is heard (not the silent verb ending), by syllable count.
for _n, _ws in ((1, "dent gent cent lent vent"),
                (2, "agent argent absent accent content convent couvent décent fervent parent prudent "
                    "récent régent serpent sergent souvent talent torrent trident urgent violent latent "
                    "patent pourcent relent tangent ardent auvent"),
                (3, "accident adjacent apparent cohérent compétent concurrent continent décadent "
                    "différent dissident évident excellent fréquent incident indigent innocent "
                    "intelligent insolent permanent pertinent précédent président présent référent "
                    "résident transparent éminent imprudent opulent turbulent virulent succulent "
                    "conséquent mécontent influent occident impotent indécent"),
                (4, "adolescent équivalent incompétent incohérent indifférent omniprésent antécédent "
                    "polyvalent ambivalent convalescent")):
    _SYLLABLE_WORDS.update(dict.fromkeys(_ws.split(), _n))
# Verbs in -ment (3rd person plural) where "-ment$" should not add a syllable.
for _n, _ws in ((1, "aiment forment ferment dorment nomment calment sèment arment filment fument priment"),
                (2, "affirment confirment estiment expriment informent réclament suppriment transforment "
                    "animent consomment allument résument assument proclament acclament déciment "
                    "enferment renferment programment désarment compriment embaument")):
    _SYLLABLE_WORDS.update(dict.fromkeys(_ws.split(), _n))


@lru_cache(maxsize=65536)
def count_syllables(word: str) -> int:
    """Syllables of one lower-case word, the way Yoast counts French syllables."""
    n = _SYLLABLE_WORDS.get(word)
    if n is not None:
        return n
    count = len(_VOWEL_GROUP_RE.findall(word))
    for regex, modifier in _SYLLABLE_DEVIATIONS:
        count += modifier * sum(1 for _ in regex.finditer(word))
    return count
