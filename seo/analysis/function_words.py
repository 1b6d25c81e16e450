"""French function words: the words a keyphrase does not need to be found.

Yoast SEO drops these words from a keyphrase before matching it ("la réforme des
retraites" is matched as "réforme" + "retraites"; "petite-bourgeoise" as
"bourgeoise"), lets them come before the keyphrase at the start of an SEO title,
and counts a subheading as reflecting the keyphrase when more than half of its
content words are in it. Agreement with Yoast therefore depends on which words
are function words, so the list follows the same grammatical classes as Yoast's
French researcher (including its broad ones: vague nouns, time words, common
adjectives that precede the noun, reporting verbs). The lists are written here by
class.

Keyphrase words are split on hyphens and spaces first, so only single words
matter here (the parts of "au-delà" or "a-t-il" are listed on their own).
"""
from __future__ import annotations


def _w(text: str) -> set[str]:
    return set(text.split())


def _inflect(text: str) -> set[str]:
    """Adjectives given as "masc/fem" stems: regular plurals added (-s, or none after s/x)."""
    out: set[str] = set()
    for entry in text.split():
        for form in entry.split("/"):
            out.add(form)
            if not form.endswith(("s", "x")):
                out.add(form + "s")
    return out


ARTICLES = _w("le la les un une des du au aux d'un d'une l'un l'une")
NUMERALS = _w("""
deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize
vingt trente quarante cinquante soixante septante huitante octante nonante cent mille million milliard
second secondes deuxième troisième quatrième cinquième sixième septième huitième neuvième dixième
onzième douzième treizième quatorzième quinzième seizième vingtième
deuxièmes troisièmes quatrièmes cinquièmes sixièmes septièmes huitièmes neuvièmes dixièmes
onzièmes douzièmes treizièmes quatorzièmes quinzièmes seizièmes vingtièmes
""")
# "premier" is a content word ("premier ministre"), as for Yoast.
PERSONAL_PRONOUNS = _w("je tu il elle on nous vous ils elles qu'il qu'elle qu'ils qu'elles qu'on d'elle d'elles")
STRESSED_PRONOUNS = _w("moi toi lui soi eux d'eux qu'eux")
OBJECT_PRONOUNS = _w("me te")
REFLEXIVE_PRONOUNS = _w("se")
DEMONSTRATIVES = _w("celui celle ceux celles ce ceci cela ça cette cet ces ci là")
POSSESSIVES = _w("mon ton son ma ta sa mes tes ses notre votre leur nos vos leurs")
RELATIVE_PRONOUNS = _w("qui que quoi dont où lequel laquelle auquel auxquels auxquelles duquel desquels desquelles")
INTERROGATIVE_ADVERBS = _w("combien comment pourquoi d'où")
INTERROGATIVE_ADJECTIVES = _w("quel quels quelle")
INDEFINITE_PRONOUNS = _w("""
aucun aucune autre autres d'autres certain certaine certaines certains chacun chacune même mêmes
quelqu'un quelqu'une autrui nul nuls nules personne quiconque rien d'aucuns d'aucunes l'autre
tel telle tels telles
""")
ADVERBIAL_PRONOUNS = _w("y n'y")
PRONOUNS = (PERSONAL_PRONOUNS | STRESSED_PRONOUNS | OBJECT_PRONOUNS | REFLEXIVE_PRONOUNS | DEMONSTRATIVES
            | POSSESSIVES | RELATIVE_PRONOUNS | INTERROGATIVE_ADVERBS | INTERROGATIVE_ADJECTIVES
            | INDEFINITE_PRONOUNS | ADVERBIAL_PRONOUNS)
QUANTIFIERS = _w("""
beaucoup peu quelque quelques tous tout toute toutes plusieurs plein chaque faible moins tant plus
suffisant suffisante suffisants suffisantes divers diverse diverses
""")
PREPOSITIONS = _w("""
à après d'après au avant avec concernant chez contre dans de depuis derrière dès
devant durant en entre envers environ hormis hors jusque jusqu'à jusqu'au jusqu'aux loin moyennant
outre par parmi pendant pour près quant sans sous sur travers vers voilà
""")
# Place words, and the parts of au-delà, au-dessous, au-dessus.
LOCATIVES = _w("voici ici d'ici delà dessous dessus")
CONJUNCTIONS = _w("""
et ni or ou non pas seulement sitôt aussitôt d'autre
afin autant comme d'autant quand lors parce si tandis
""")
# Single-word connectives (they also count as transition words).
CONNECTIVES = _w("""
ainsi alors aussi car cependant certainement certes conséquemment d'abord d'ailleurs davantage désormais
deuxièmement donc dorénavant effectivement également enfin ensuite entre temps essentiellement excepté
finalement globalement jusqu'ici dessus lorsque mais malgré néanmoins notamment partant plutôt pourtant
précédemment premièrement probablement puis puisque quoique sauf selon semblablement sinon suivant
toutefois troisièmement
encore éternellement immédiatement compris comprenant inclus naturellement particulièrement notablement
actuellement maintenant ordinairement généralement habituellement d'habitude vraiment uniquement peut
initialement déjà souvent fréquemment régulièrement simplement éventuellement quelquefois parfois
probable plausible jamais toujours incidemment accidentellement récemment dernièrement relativement
clairement évidemment apparemment pourvu
assez trop tellement presque très absolument extrêmement quasi quasiment fort
""")
# être (the copula).
COPULA = _w("""
être d'être suis es est sommes êtes sont étais était étions étiez étaient serai seras sera serons serez
seront serais serait serions seriez seraient sois soit soyons soyez soient été n'es n'est n'êtes n'était
n'étais n'étions n'étiez n'étaient qu'est
""")
# avoir and the verbs that work as auxiliaries or semi-auxiliaries.
OTHER_AUXILIARIES = _w("""
avoir d'avoir n'avoir l'avoir ai as a avons avez ont avais avait avions aviez avaient aurai auras aura
aurons aurez auront aurais aurait auriez auraient aie ait ayons ayez eu eus eut eûmes eûtes eurent
j'ai j'aurai j'avais j'eus n'a n'ai n'aie n'as n'aura n'aurai n'auraient n'aurais n'aurait n'auras
n'aurez n'auriez n'aurons n'auront n'avaient n'avais n'avait n'avez n'aviez n'avions n'avons n'ayez
n'ayons n'ont
aller vais vas va allons allez vont allé allés allai allas alla allâmes allâtes allèrent allais allait
allions alliez allaient iras ira irons irez iront aille ailles aillent irais irait irions iriez
iraient allant allasse allasses allât allassions allassiez allassent j'allai j'allais j'irai j'aille
j'allasse j'irais n'allons n'allez n'allais n'allait n'allions n'alliez n'allaient n'ira n'iras n'irons
n'irez n'iront
venir viens vient venons venez viennent vins vint vînmes vîntes vinrent venu venus venais venait venions
veniez venaient viendrai viendras viendra viendrons viendrez viendront vienne viennes vinsse vinsses vînt
vinssions vinssiez vinssent viendrais viendrait viendrions viendriez viendraient venant
devoir dois doit devons devez doivent dus dut dûmes dûtes durent dû devais devait devions deviez devaient
devrai devras devra devrons devrez devront doive doives dusse dusses dût dussions dussiez dussent
devrais devrait devrions devriez devraient
pouvoir peux peut pouvons pouvez peuvent pus put pûmes pûtes purent pu pouvais pouvait pouvions pouviez
pouvaient pourrai pourras pourra pourrons pourrez pourront puisse puisses puissions puissiez puissent
pusse pusses pût pussions pussiez pussent pourrais pourrait pourrions pourriez pourraient pouvant
sembler paraître paraitre parais paraît paraissons paraissez paraissent parus parut parûmes parûtes
parurent paraissais paraissait paraissions paraissiez paraissaient paraîtrai paraîtras paraîtra
paraîtrons paraîtrez paraîtront paru paraisse paraisses parusse parusses parût parussions parussiez
parussent paraîtrais paraîtrait paraîtrions paraîtriez paraîtraient paraitrais paraitrait paraitrions
paraitriez paraitraient paraissant
mettre mets met mettons mettez mettent mis mit mîmes mîtes mirent mettais mettait mettions mettiez
mettaient mettrai mettras mettra mettrons mettrez mettront mette mettes misse misses mît missions
missiez missent mettrais mettrait mettrions mettriez mettraient mettant
finir finis finit finissons finissez finissent finîmes finîtes finirent finissais finissait finissions
finissiez finissaient finirai finiras finira finirons finirez finiront fini finisse finisses finît
finirais finirait finirions finiriez finiraient finissant
""") | {"sembl" + e for e in ("e", "es", "ons", "ez", "ent", "ai", "as", "a", "âmes", "âtes", "èrent",
                           "ais", "ait", "ions", "iez", "aient", "erai", "eras", "era", "erons", "erez",
                           "eront", "é", "asse", "asses", "ât", "assions", "assiez", "assent",
                           "erais", "erait", "erions", "eriez", "eraient")}
# faire and vouloir, which lend their meaning to the noun that follows ("faire une annonce").
LIGHT_VERBS = _w("""
faire fais fait faisons faites font fis fit fîmes fîtes firent faisais faisait faisions faisiez
faisaient ferai feras fera ferons ferez feront
vouloir veux veut voulons voulez veulent voulus voulut voulûmes voulûtes voulurent voulais voulait
voulions vouliez voulaient voudrai voudras voudra voudrons voudrez voudront voulu voudrais voudrait
voudrions voudriez voudraient voulant
""")
# Verbs that introduce reported speech.
REPORTING_INFINITIVES = _w("""
dire penser demander concéder continuer confier déclamer déclarer déplorer expliquer lancer narrer raconter
rappeler réagir répondre rétorquer souligner affirmer ajouter analyser avancer écrire indiquer poursuivre
préciser résumer témoigner
""")
REPORTING_VERBS = REPORTING_INFINITIVES | _w("""
dit disent disait disaient dirent disant écrit répond répondu réagi réagit poursuit
demande demandent demandait demandaient demanda demandé
penser pense pensent pensait pensaient pensa pensé
affirmer affirme affirmé avoue avoué concéder concède concédé confier confie confié
continuer continue continué déclamer déclame déclamé déclarer déclare déclaré déplorer déplore déploré
expliquer explique expliqué lancer lance lancé narrer narre narré raconter raconte raconté
rappeler rappelle rappelé rétorquer rétorque rétorqué souligner souligne souligné
ajouter ajoute analyser analyse avancer avance indiquer indique préciser précise résumer résume
témoigner témoigne souvient
""")
# Adjectives and adverbs too general to carry a topic ("petite", "nouvelle", "prochain").
GENERAL_ADJECTIVES = _inflect("""
antérieur/antérieure précédent/précédente facile simple vite vitesse difficile propre
long/longue/longe bas/basse ordinaire bref/brève sûr/sûre/sure habituel/habituelle
récent/récente totale totaux complet/complète possible dernier/dernière différent/différente
similaire pareil/pareille pire suivant/suivante prochain/prochaine proche
nouvelle vieille belle bon/bonne grand/grande
haut/haute petit/petite meilleur/meilleure joli/jolie gros/grosse mauvais/mauvaise
""") | _w("""
soi disant surtout communément constamment facilement continuellement directement légèrement
largement mal super bien fur surs sures total c. qu'a d'aller
nouveau nouvel nouveaux vieux vieil beau bel
""")
# Time words, vague nouns, units, interjections, titles and the rest.
OTHER = _w("""
minute minutes heure heures journée journées semaine semaines mois année années aujourd'hui demain hier
chose choses façon façons pièce pièces truc trucs fois cas aspect aspects objet objets idée idées
thème thèmes sujet sujets personnes manière manières sorte sortes
mg g kg ml dl cl l grammes gram once onces oz lbs càc cc càd càs càt cd cs ct
ah ha oh ho bis plouf vlan ciel pouf paf crac hurrah allo stop bravo ô eh hé aïe oef ahi fi zest hem
holà chut
ne oui d'accord amen euro euros etc mme mmes mlle mlles mm dr pr jr sr à d t
""")

FUNCTION_WORDS: frozenset[str] = frozenset().union(
    ARTICLES, NUMERALS, PRONOUNS, QUANTIFIERS, PREPOSITIONS, LOCATIVES, CONJUNCTIONS, CONNECTIVES, COPULA,
    OTHER_AUXILIARIES, LIGHT_VERBS,
    REPORTING_VERBS, GENERAL_ADJECTIVES, OTHER)
