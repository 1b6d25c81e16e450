"""The thread message that answers the WordPress button."""
from __future__ import annotations

from slack_sdk.models.blocks import ActionsBlock

from .base import NBSP, _button, _message, _section
from .ids import ACTION_RETRY


def _link(url: str, label: str) -> str:
    # Our own URL (configured site + post id); escaped as Slack asks for &, < and >.
    safe = url.replace("&", "&amp;").replace("<", "%3C").replace(">", "%3E").replace("|", "%7C")
    return f"<{safe}|{label}>"


def wordpress_message(*, edit_link: str, created: bool, version: int, previous_version: int | None,
                      seo_fields_saved: bool, retry_value: str | None = None) -> dict:
    """« Brouillon créé dans WordPress » (or updated, saying with which version), the edit link,
    and a warning with Réessayer when the site dropped the SEO fields."""
    if created:
        emoji, head = ":white_check_mark:", f"Brouillon créé dans WordPress (version {int(version)})"
    elif previous_version is not None and int(previous_version) != int(version):
        emoji, head = ":arrows_counterclockwise:", (
            f"Brouillon WordPress mis à jour avec la version {int(version)} "
            f"(il contenait la version {int(previous_version)})")
    else:
        emoji, head = ":arrows_counterclockwise:", f"Brouillon WordPress mis à jour (version {int(version)})"
    text = f"{emoji} {head}{NBSP}: {_link(edit_link, 'ouvrir le brouillon')}"
    blocks = [_section(text)]
    if not seo_fields_saved:
        blocks.append(_section(
            f":warning: *Champs SEO non enregistrés*{NBSP}: le site a ignoré le mot-clé, le titre SEO et la "
            f"méta-description (Yoast SEO, Rank Math). Ils ont besoin de l’extension `seo-fr-meta.php`{NBSP}: "
            "copiez ce fichier du dépôt (`integrations/wordpress/`) dans `wp-content/mu-plugins/` du site, "
            "puis cliquez sur Réessayer."))
        if retry_value:
            blocks.append(ActionsBlock(elements=[
                _button("Réessayer", ACTION_RETRY, retry_value, style="primary")]).to_dict())
    return _message(head if seo_fields_saved else f"{head}, sans les champs SEO", blocks)
