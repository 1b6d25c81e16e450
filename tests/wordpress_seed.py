"""A newsroom's archive in the test WordPress: a dozen published posts (some about the NATO
dispatch of tests/fixtures/depeche_otan.txt, some about nothing of it) and unpublished ones
whose titles match it best of all (drafts, pending, private): these must never be linked."""
from __future__ import annotations

PUBLISHED = {
    "ukraine": ("Ukraine : la contre-offensive avance lentement dans le sud", "2026-11-20T09:00:00"),
    "russie": ("La Russie masse des troupes près de la frontière", "2026-12-05T09:00:00"),  # newer, no keyphrase
    "otan": ("Sommet de l’OTAN : Vilnius se prépare à accueillir l’alliance", "2026-11-10T09:00:00"),
    "stoltenberg": ("Jens Stoltenberg quittera la tête de l’OTAN en octobre", "2026-10-02T09:00:00"),
    "biden": ("Joe Biden reçoit le chancelier allemand à la Maison Blanche", "2026-09-15T09:00:00"),
    "pentagone": ("Le Pentagone annonce de nouvelles livraisons de munitions", "2026-08-01T09:00:00"),
    "chine": ("Chine : Pékin répond aux critiques des dirigeants occidentaux", "2026-07-01T09:00:00"),
    "tarte": ("Recette : la tarte aux pommes de grand-mère", "2026-12-01T09:00:00"),
    "psg": ("Football : le PSG s’impose à Lyon", "2026-12-02T09:00:00"),
    "meteo": ("Météo : un week-end ensoleillé en Bretagne", "2026-12-03T09:00:00"),
    "cinema": ("Cinéma : les sorties de la semaine", "2026-12-04T09:00:00"),
    "bourse": ("Bourse : le CAC 40 termine en hausse", "2026-12-06T09:00:00"),
}
UNPUBLISHED = {  # the strongest titles of all: never proposed
    "draft": ("Ukraine, OTAN, Stoltenberg et Biden : le brouillon du sommet", "draft"),
    "draft2": ("Ukraine : Stoltenberg chez Biden, l’OTAN rassure", "draft"),
    "pending": ("Ukraine : Biden et Stoltenberg à la Maison Blanche", "pending"),
    "private": ("Ukraine : note privée sur l’OTAN et Stoltenberg", "private"),
}




def seed_newsroom(wordpress) -> tuple[dict[str, str], dict[str, int]]:
    """({key: permalink} of the published posts, {key: id} of the others), created once per server."""
    if getattr(wordpress, "newsroom", None) is None:
        published = {key: wordpress.create_post(title, date=date)["link"] for key, (title, date) in PUBLISHED.items()}
        hidden = {key: wordpress.create_post(title, status=status)["id"] for key, (title, status) in UNPUBLISHED.items()}
        wordpress.newsroom = (published, hidden)
    return wordpress.newsroom


def published_links(wordpress) -> set[str]:
    """Every published post's address on the site (other tests publish posts of their own)."""
    links: set[str] = set()
    for page in range(1, 20):
        batch = wordpress.rest("GET", f"/posts?status=publish&per_page=100&page={page}&_fields=link")
        links |= {p["link"] for p in batch}
        if len(batch) < 100:
            break
    return links
