"""The settings modal's part for a workspace admin (OAuth mode): the workspace's WordPress site.
The application password is never put back into the modal."""
from __future__ import annotations

from slack_sdk.models.blocks import ContextBlock, InputBlock, MarkdownTextObject, PlainTextInputElement, PlainTextObject

from .base import _plain

SITE_URL_BLOCK, SITE_URL_ACTION = "wp_site_url", "wp_site_url_input"
SITE_USER_BLOCK, SITE_USER_ACTION = "wp_site_user", "wp_site_user_input"
SITE_PASSWORD_BLOCK, SITE_PASSWORD_ACTION = "wp_site_password", "wp_site_password_input"


def site_blocks(site: dict | None) -> list:
    site = site or {}
    saved = "Un mot de passe est enregistré (chiffré) : laissez vide pour le garder." if site.get("has_password") \
        else "Enregistré chiffré, jamais réaffiché."
    return [
        ContextBlock(elements=[MarkdownTextObject(
            text="*Site WordPress de l’espace de travail* (administrateurs) : les brouillons de tous les canaux "
                 "de cet espace y vont. Adresse vide : le site du serveur, s’il y en a un.")]),
        InputBlock(block_id=SITE_URL_BLOCK, optional=True, label=PlainTextObject(text="Adresse du site WordPress"),
                   element=PlainTextInputElement(action_id=SITE_URL_ACTION, max_length=300,
                                                 initial_value=_plain(site.get("url")) or None,
                                                 placeholder=PlainTextObject(text="https://www.exemple.fr"))),
        InputBlock(block_id=SITE_USER_BLOCK, optional=True, label=PlainTextObject(text="Utilisateur WordPress"),
                   element=PlainTextInputElement(action_id=SITE_USER_ACTION, max_length=100,
                                                 initial_value=_plain(site.get("user")) or None)),
        InputBlock(block_id=SITE_PASSWORD_BLOCK, optional=True,
                   label=PlainTextObject(text="Mot de passe d’application"),
                   hint=PlainTextObject(text=f"WordPress > Utilisateurs > Profil > Mots de passe d’application. {saved}"),
                   element=PlainTextInputElement(action_id=SITE_PASSWORD_ACTION, max_length=200)),
    ]
