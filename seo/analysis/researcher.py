"""The French "researcher": word lists and morphology used by the checks.

Like Yoast's language researchers, this module holds everything that is specific
to French (besides the function words of function_words.py): transition words, the forms
of "être" that build a passive, the participles, the sentence-beginning
exceptions (syllables are counted in syllables.py). The transition words are
Yoast's own (transition_words_fr.py, generated from yoastseo); the passive-voice
lists are ours, written to behave like Yoast's on news copy. All are frozensets
built once at import time.
"""
from __future__ import annotations

import re

from . import function_words as fw
from . import transition_words_fr as tw


def _words(text: str) -> frozenset[str]:
    return frozenset(w for w in text.split() if w)


# Function words (left out of keyphrases) live in function_words.py.

# Transition words (single and multi-word, lower case) and two-part pairs: Yoast's French
# lists, generated into transition_words_fr.py. A sentence that holds one counts for
# textTransitionWords.
TRANSITION_WORDS = frozenset(tw.SINGLE_WORDS + tw.MULTIPLE_WORDS)
TWO_PART_TRANSITION_WORDS = tw.TWO_PART_WORDS

# Sentence beginnings: these words are skipped to the next one when comparing
# consecutive sentence openings ("Le président…" and "Le ministre…" differ).
FIRST_WORD_EXCEPTIONS = _words("""
le la les un une deux trois quatre cinq six sept huit neuf dix
celui celle ceux celles celui-ci celle-là celui-là celle-ci
""")

# --- passive voice --------------------------------------------------------
# Forms of "être" that can build a French passive ("l'accord a été signé"). A form
# of être starts a clause; the clause is passive when a participle follows in it.
_ETRE = """
être d'être suis es est sommes êtes sont n'est n'es n'êtes été j'étais étais était étions
étiez étaient c'était n'étais n'était n'étions n'étiez n'étaient serai seras sera serons serez
seront sois soit soyons soyez soient fusse fusses fût fussions fussiez fussent serais serait
serions seriez seraient fus fut fûmes fûtes furent
"""
# Inverted forms (est-il, sera-t-on, était-ce): the subject pronoun joined by a hyphen.
_INVERSIONS = (("est", "il elle on ce"), ("sont", "ils elles"), ("était", "il elle on ce"),
               ("étaient", "ils elles"), ("sera", "t-il t-elle t-on ce"), ("seront", "ils elles"),
               ("serait", "il elle on ce"), ("seraient", "ils elles"), ("fut", "il elle on ce"),
               ("furent", "ils elles"), ("suis", "je"), ("es", "tu"), ("sommes", "nous"), ("êtes", "vous"),
               ("étais", "je tu"), ("étions", "nous"), ("étiez", "vous"), ("serai", "je"), ("seras", "tu"),
               ("serons", "nous"), ("serez", "vous"), ("serais", "je tu"), ("serions", "nous"),
               ("seriez", "vous"), ("fus", "je tu"), ("fûmes", "nous"), ("fûtes", "vous"))
PASSIVE_AUXILIARIES = _words(_ETRE) | frozenset(
    f"{verb}-{subject}" for verb, subjects in _INVERSIONS for subject in subjects.split())

# Verbs conjugated with être that are never passive: their participle ends a clause
# ("il est devenu ministre" holds no passive).
_ETRE_VERBS = "allé entré resté retombé apparu réapparu devenu redevenu intervenu provenu survenu resurvenu"
_ELIDED_SUBJECTS = "il ils elle elles on un une"
# A clause also ends at a conjunction, a relative pronoun, a colon and ", ".
CLAUSE_STOP_WORDS = _words("""
et ou car or puisque quand lorsque quoique si s'il s'ils pourquoi après avant sinon sitôt :
dont lequel laquelle lesquels lesquelles auquel auxquels auxquelles duquel desquels desquelles qui où d'où
""") | frozenset(f"{head}'{subject}" for head in ("qu", "puisqu", "lorsqu", "quoiqu")
                 for subject in _ELIDED_SUBJECTS.split()) | frozenset(
    ("quand bien même", "afin de", "compte tenu de", "pour ne pas dire", "une fois")) | frozenset(
    p + e for p in _ETRE_VERBS.split() for e in ("", "s", "e", "es"))
# "est le/la/les…": the verb is a copula, not an auxiliary.
FOLLOWING_AUXILIARY_EXCEPTIONS = ("le", "la", "les", "une", "l'un", "l'une")
# "se sont", "s'y est", "nous nous sommes": a reflexive verb, not a passive.
REFLEXIVE_BEFORE_AUXILIARY = ("se", "me", "te", "s'y", "m'y", "t'y", "nous nous", "vous vous")
# "c'est", "s'est", "peut-être": être glued to these is not an auxiliary.
ELIDED_BEFORE_AUXILIARY = ("c'", "s'", "peut-")
# Words that, directly before a participle, show it is a noun or an adjective
# ("est un blessé", "est par ailleurs"), or that it is another verb's ("fait", "dit").
CANNOT_DIRECTLY_PRECEDE_PARTICIPLE = (
    fw.ARTICLES | fw.PREPOSITIONS | fw.STRESSED_PRONOUNS | fw.OBJECT_PRONOUNS | fw.POSSESSIVES
    | fw.REFLEXIVE_PRONOUNS | fw.INDEFINITE_PRONOUNS | fw.INTERROGATIVE_ADVERBS | fw.INTERROGATIVE_ADJECTIVES
    | fw.NUMERALS | fw.LIGHT_VERBS | (fw.REPORTING_VERBS - fw.REPORTING_INFINITIVES))
# avoir, aller and the semi-auxiliaries between être and the participle rule the passive
# out ("il est clair qu'il a signé").
CANNOT_BE_BETWEEN_AUXILIARY_AND_PARTICIPLE = fw.OTHER_AUXILIARIES | frozenset(
    ("a-t-il", "a-t-elle", "a-t-on", "ont-ils", "ont-elles", "va-t-il", "va-t-elle", "va-t-on"))

# Participles of verbs conjugated with être, and adjectives in -é: never a passive.
ACTIVE_PARTICIPLES = _words("""
allé arrivé décédé demeuré entré monté remonté né passé rentré resté retombé retourné tombé été
âgé aisé malaisé aîné censé lié inchangé illimité erroné infondé momentané spontané simultané
instantané prématuré sinistré impayé inexpliqué injustifié inespéré insensé sensé effréné forcené
fortuné infortuné illettré lettré inanimé inhabité inoccupé inadapté inapproprié inexploité inachevé
incontesté incontrôlé inconsidéré indéterminé inopiné surpeuplé sous-développé soussigné zélé éhonté
""")
# Nouns in -é/-ée (a participle-looking word that is a noun). Words in -ité and -iété
# are nouns too (see is_active_exception), except the participles of verbs in -iter, -iéter.
NOUN_EXCEPTIONS = _words("""
côté comité député degré café clé thé pâté santé liberté volonté pitié amitié fierté procédé
canapé bébé blé fossé gré lycée trophée idée année journée soirée matinée vallée épée odyssée épopée
comté mosquée poupée araignée corvée nausée risée bouée fée orchidée giroflée
""")
OTHER_PARTICIPLE_EXCEPTIONS = _words("é hé bé ohé olé malgré")
PARTICIPLES_LIKE_NOUNS = _words("""
cité récité incité suscité excité habité cohabité limité délimité nécessité invité retraité hérité visité
revisité mérité démérité profité précipité exploité édité réédité sollicité évité imité irrité médité inquiété
félicité
hésité facilité débité crédité discrédité agité abrité milité plébiscité réhabilité ébruité palpité
""")

# Irregular participles, with their agreed forms (pris, prise, prises).
IRREGULAR_PARTICIPLES = _words("""
fait dit interdit contredit prédit médit dédit redit écrit décrit inscrit prescrit construit détruit produit réduit traduit conduit introduit
ouvert offert souffert découvert recouvert
vu revu prévu pourvu su connu reconnu reçu perçu aperçu déçu battu abattu combattu vaincu convaincu
tenu détenu maintenu obtenu retenu soutenu contenu entretenu vendu rendu défendu entendu
attendu étendu répandu suspendu tendu mordu tordu fondu répondu confondu interrompu voulu lu élu
prévenu conclu exclu vécu bu paru disparu pu cru pendu moulu cousu fendu tondu secouru promu ému résolu
débattu démenti
cuit enduit instruit séduit souscrit entrouvert
blanchi noirci rougi jauni verdi pâli vieilli rajeuni grandi péri mûri ralenti assoupli durci
peint craint joint rejoint contraint éteint plaint restreint astreint enfreint
fini choisi saisi réuni puni trahi envahi accueilli cueilli suivi poursuivi servi desservi
nourri guéri garanti investi établi rétabli bâti converti subi démoli aboli accompli
rempli affaibli enrichi appauvri élargi agrandi grossi réussi franchi fourni applaudi
""")
# Participles in -s take only -e and -es (pris, prise, prises).
IRREGULAR_PARTICIPLES_IN_S = _words("""
pris repris appris compris surpris entrepris mis admis commis compromis permis promis remis soumis
transmis émis omis démis acquis conquis requis enquis assis sursis inclus clos
""")
# Participles whose agreed forms are irregular themselves.
IRREGULAR_PARTICIPLES_FIXED = _words("dû dus due dues mû absous absoute absoutes dissous dissoute dissoutes")
IRREGULAR_PARTICIPLE_FORMS = (frozenset(p + s for p in IRREGULAR_PARTICIPLES for s in ("", "e", "s", "es"))
                              | frozenset(p + s for p in IRREGULAR_PARTICIPLES_IN_S for s in ("", "e", "es"))
                              | IRREGULAR_PARTICIPLES_FIXED)
# A regular participle: -é, -ée, -és, -ées, at the end of the word or before an
# apostrophe or a hyphen inside it ("député-maire").
REGULAR_PARTICIPLE_RE = re.compile(r"\S+(?:é|ée|és|ées)(?:$|[ \n\r\t.,'()\"+\-;!?:/»«‹›<>])", re.IGNORECASE)


# Prefixes that make a verb from a verb: rebâti, rouvert, réélu, sous-entendu, redécouvert.
_VERB_PREFIXES = ("re", "ré", "r", "sous-", "redé")


def is_participle(word: str) -> bool:
    if REGULAR_PARTICIPLE_RE.search(word) or word in IRREGULAR_PARTICIPLE_FORMS:
        return True
    return any(word.startswith(p) and word[len(p):] in IRREGULAR_PARTICIPLE_FORMS for p in _VERB_PREFIXES)


def is_active_exception(word: str) -> bool:
    """True when a participle-looking word is an adjective, a noun or an interjection."""
    if word in OTHER_PARTICIPLE_EXCEPTIONS or word.startswith(("l'", "d'")):
        return True
    stem = word[:-2] if word.endswith("es") else word[:-1] if word.endswith(("e", "s")) else word
    if word in ACTIVE_PARTICIPLES or stem in ACTIVE_PARTICIPLES:
        return True
    if word in NOUN_EXCEPTIONS or (word.endswith("s") and word[:-1] in NOUN_EXCEPTIONS):
        return True
    # Nouns in -ité / -iété / -auté (sécurité, société, communauté…), not the verbs in -iter.
    singular = word[:-1] if word.endswith("s") else word
    return singular.endswith(("ité", "iété", "auté")) and singular not in PARTICIPLES_LIKE_NOUNS


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
