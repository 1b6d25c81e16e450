"""externalLinks: links to other sites (Yoast's OutboundLinksAssessment).

Run only when the page's links are known (Document.links). Our only outbound link is the
source's page, never nofollowed.
"""
from . import Check

SCORE_NONE, SCORE_ALL_NOFOLLOWED, SCORE_SOME_NOFOLLOWED, SCORE_ALL_FOLLOWED = 3, 7, 8, 9


class OutboundLinks(Check):
    ID = "externalLinks"
    KIND = "seo"
    ORDER = 17

    def assess(self, paper):
        stats = paper.link_statistics
        if stats is None:
            return None
        if stats["externalTotal"] == 0:
            return SCORE_NONE, "Liens sortants : aucun lien sortant n'apparaît sur cette page. Ajoutez-en !"
        if stats["externalNofollow"] == stats["externalTotal"]:
            return SCORE_ALL_NOFOLLOWED, ("Liens sortants : tous les liens sortants de cette page sont en "
                                          "nofollow. Ajoutez quelques liens normaux.")
        if stats["externalDofollow"] == stats["externalTotal"]:
            return SCORE_ALL_FOLLOWED, "Liens sortants : bon travail !"
        return SCORE_SOME_NOFOLLOWED, ("Liens sortants : il y a à la fois des liens sortants en nofollow et des "
                                       "liens sortants normaux sur cette page. Bon travail !")
