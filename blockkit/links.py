"""« Liens internes »: the posts of the newsroom's site proposed for an article, each with the
phrase of the article that would become its link, and one « Insérer » button."""
from __future__ import annotations

from slack_sdk.models.blocks import ActionsBlock

from .base import NBSP, _button, _context, _escaped_fit, _message, _plain, _section
from .ids import ACTION_INSERT_LINKS
from .wordpress import _link


def insert_links_value(article_id: str, version: int, job_id: str) -> str:
    """« Insérer »: the article, its version and the job that stored the proposal (never a URL)."""
    return f"{article_id}:{int(version)}:{job_id}"


def links_message(links: list[dict], *, article_id: str, version: int, job_id: str) -> dict:
    """`links`: [{"url", "title", "anchor"}], URLs verified on the site's own host."""
    lines = [f"*Liens internes* (version {int(version)}){NBSP}: des articles publiés du site, et la phrase de "
             "l’article qui deviendrait chaque lien."]
    for link in links:
        title = _escaped_fit(_plain(link.get("title")).replace("|", "¦"), 150)
        anchor = _escaped_fit(_plain(link.get("anchor")), 100)
        lines.append(f"• {_link(str(link.get('url')), title)} — ancre{NBSP}: «{NBSP}{anchor}{NBSP}»")
    blocks = [_section("\n".join(lines)),
              ActionsBlock(elements=[_button("Insérer", ACTION_INSERT_LINKS,
                                             insert_links_value(article_id, version, job_id),
                                             style="primary")]).to_dict(),
              _context("Insérer crée une nouvelle version avec ces liens, sans rien réécrire.")]
    n = len(links)
    return _message(f"Liens internes proposés pour la version {int(version)} ({n} lien{'s' if n > 1 else ''})",
                    blocks)
