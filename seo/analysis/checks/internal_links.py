"""internalLinks: links to the site's own pages (Yoast's InternalLinksAssessment).

Run only when the page's links are known (Document.links). Our links are never nofollowed, so
the "all nofollowed" (7) and "some nofollowed" (8) cases of Yoast cannot occur.
"""
from . import Check

RECOMMENDED_MINIMUM = 1
SCORE_ALL_FOLLOWED, SCORE_SOME_FOLLOWED, SCORE_NONE_FOLLOWED, SCORE_NONE = 9, 8, 7, 3


class InternalLinks(Check):
    ID = "internalLinks"
    KIND = "seo"
    ORDER = 16

    def assess(self, paper):
        stats = paper.link_statistics
        if stats is None:
            return None
        if stats["internalTotal"] < RECOMMENDED_MINIMUM:
            return SCORE_NONE, ("Liens internes : aucun lien interne n'apparaît sur cette page, "
                                "assurez-vous d'en ajouter !")
        if stats["internalNofollow"] == stats["internalTotal"]:
            return SCORE_NONE_FOLLOWED, ("Liens internes : les liens internes de cette page sont tous en "
                                         "nofollow. Ajoutez quelques bons liens internes.")
        if stats["internalDofollow"] == stats["internalTotal"]:
            return SCORE_ALL_FOLLOWED, "Liens internes : vous avez suffisamment de liens internes. Bon travail !"
        return SCORE_SOME_FOLLOWED, ("Liens internes : il y a à la fois des liens internes en nofollow et des "
                                     "liens internes normaux sur cette page. Bon travail !")
