"""French names of places and institutions, so a dispatch in English or German can be
checked against a French article: "NATO" in the source vouches for "OTAN" in the article.

Only names whose French form differs (places, institutions, a few transliterated people).
"""
from __future__ import annotations

import re

# source form (English or German, lower case) -> French forms
FRENCH_NAMES: dict[str, tuple[str, ...]] = {
    "nato": ("OTAN", "Alliance atlantique"), "white house": ("Maison-Blanche", "Maison Blanche"),
    "united states": ("États-Unis",), "u.s.": ("États-Unis",), "us": ("États-Unis",),
    "america": ("Amérique",), "american": ("Américain", "Américains", "américain"),
    "united nations": ("ONU", "Nations unies"), "un": ("ONU",), "european union": ("Union européenne", "UE"),
    "eu": ("UE", "Union européenne"), "european commission": ("Commission européenne",),
    "russia": ("Russie",), "russian": ("Russe", "Russes"), "china": ("Chine",), "chinese": ("Chinois",),
    "germany": ("Allemagne",), "deutschland": ("Allemagne",), "german": ("Allemand", "Allemands"),
    "britain": ("Grande-Bretagne", "Royaume-Uni"), "united kingdom": ("Royaume-Uni",), "uk": ("Royaume-Uni",),
    "british": ("Britannique", "Britanniques"), "london": ("Londres",), "moscow": ("Moscou",),
    "moskau": ("Moscou",), "kyiv": ("Kyiv", "Kiev"), "kiew": ("Kiev", "Kyiv"), "beijing": ("Pékin",),
    "peking": ("Pékin",), "brussels": ("Bruxelles",), "brüssel": ("Bruxelles",), "vienna": ("Vienne",),
    "wien": ("Vienne",), "munich": ("Munich",), "münchen": ("Munich",), "cologne": ("Cologne",),
    "köln": ("Cologne",), "geneva": ("Genève",), "genf": ("Genève",), "lithuania": ("Lituanie",),
    "litauen": ("Lituanie",), "poland": ("Pologne",), "polen": ("Pologne",), "spain": ("Espagne",),
    "spanien": ("Espagne",), "italy": ("Italie",), "italien": ("Italie",), "greece": ("Grèce",),
    "switzerland": ("Suisse",), "schweiz": ("Suisse",), "belgium": ("Belgique",), "belgien": ("Belgique",),
    "netherlands": ("Pays-Bas",), "niederlande": ("Pays-Bas",), "austria": ("Autriche",),
    "österreich": ("Autriche",), "frankreich": ("France",), "ukraine": ("Ukraine",), "ukrainian": ("Ukrainien",),
    "israel": ("Israël",), "egypt": ("Égypte",), "turkey": ("Turquie",), "türkei": ("Turquie",),
    "japan": ("Japon",), "india": ("Inde",), "mexico": ("Mexique",), "brazil": ("Brésil",),
    "pentagon": ("Pentagone",), "state department": ("Département d'État", "département d'État"),
    "kremlin": ("Kremlin",), "congress": ("Congrès",), "senate": ("Sénat",), "bundestag": ("Bundestag",),
    "oval office": ("Bureau ovale", "bureau ovale"), "european parliament": ("Parlement européen",),
    "security council": ("Conseil de sécurité",), "world bank": ("Banque mondiale",),
    "imf": ("FMI",), "international monetary fund": ("FMI", "Fonds monétaire international"),
    "who": ("OMS",), "world health organization": ("OMS", "Organisation mondiale de la santé"),
    "middle east": ("Proche-Orient", "Moyen-Orient"), "gaza strip": ("bande de Gaza",),
    "west bank": ("Cisjordanie",), "north korea": ("Corée du Nord",), "south korea": ("Corée du Sud",),
    # people whose French spelling differs
    "putin": ("Poutine",), "zelensky": ("Zelensky", "Zelenski"), "zelenskyy": ("Zelensky", "Zelenski"),
    "netanyahu": ("Netanyahou",), "shoigu": ("Choïgou",), "kim jong un": ("Kim Jong-un",),
    "prigozhin": ("Prigojine",), "navalny": ("Navalny",), "khodorkovsky": ("Khodorkovski",),
    "europe": ("Europe",), "europa": ("Europe",), "africa": ("Afrique",), "afrika": ("Afrique",),
}

_PATTERNS = [(re.compile(r"(?<![\w.])" + re.escape(k) + r"(?![\w])", re.I), v) for k, v in FRENCH_NAMES.items()]


def french_names_for(source: str) -> str:
    """The French forms of the names this source mentions, one per line."""
    found: list[str] = []
    for pattern, names in _PATTERNS:
        if pattern.search(source):
            found.extend(names)
    return "\n".join(dict.fromkeys(found))
