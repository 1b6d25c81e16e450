"""Modals: the dispatch form, the keyword change and the channel settings."""
from __future__ import annotations

import re

from slack_sdk.models.blocks import (
    CheckboxesElement,
    ContextBlock,
    InputBlock,
    MarkdownTextObject,
    NumberInputElement,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    RadioButtonsElement,
    SectionBlock,
)
from slack_sdk.models.views import View

from .base import NBSP, _escaped_fit, _fr_int, _plain, shorten
from .ids import (
    IMAGE_ACTION,
    IMAGE_BLOCK,
    IMAGE_INPUT_MAX,
    BYLINE_ACTION,
    BYLINE_BLOCK,
    BYLINE_MAX,
    DISCLOSURE_ACTION,
    DISCLOSURE_BLOCK,
    DISCLOSURE_OPTION,
    SOURCE_PAGE_ACTION,
    SOURCE_PAGE_BLOCK,
    SOURCE_PAGE_MAX,
    CREDIT_ACTION,
    CREDIT_BLOCK,
    CREDIT_INPUT_MAX,
    DISPATCH_ACTION,
    DISPATCH_BLOCK,
    DISPATCH_INPUT_MAX,
    DISPATCH_MODAL,
    HOUSE_STYLE_ACTION,
    HOUSE_STYLE_BLOCK,
    HOUSE_STYLE_MAX,
    KEYWORD_ACTION,
    KEYWORD_BLOCK,
    KEYWORD_INPUT_MAX,
    KEYWORD_MODAL,
    MIN_WORDS_ACTION,
    MIN_WORDS_BLOCK,
    MIN_WORDS_RANGE,
    OPTION_TEXT_MAX,
    OPTION_VALUE_MAX,
    RADIO_OPTIONS_MAX,
    SETTINGS_MODAL,
    SUGGESTION_ACTION,
    SUGGESTION_BLOCK,
    VIEW_TITLE_MAX,
    WATCH_ACTION,
    WATCH_BLOCK,
    WATCH_OPTION,
    WORDPRESS_ACTION,
    WORDPRESS_BLOCK,
    WORDPRESS_OPTION,
)


def _title(text: str) -> PlainTextObject:
    return PlainTextObject(text=shorten(text, VIEW_TITLE_MAX), emoji=True)


def _modal(callback_id: str, title: str, submit: str, blocks: list, private_metadata: str) -> dict:
    return View(
        type="modal",
        callback_id=callback_id,
        title=_title(title),
        submit=_title(submit),
        close=_title("Annuler"),
        blocks=blocks,
        private_metadata=private_metadata or None,
    ).to_dict()


def _keyword_input(label: str, hint: str | None = None, initial: str | None = None) -> InputBlock:
    return InputBlock(
        block_id=KEYWORD_BLOCK,
        optional=True,
        label=PlainTextObject(text=label),
        hint=PlainTextObject(text=hint) if hint else None,
        element=PlainTextInputElement(
            action_id=KEYWORD_ACTION,
            max_length=KEYWORD_INPUT_MAX,
            initial_value=initial or None,
            placeholder=PlainTextObject(text="ex. sommet de l’Otan"),
        ),
    )


def dispatch_modal(private_metadata: str = "") -> dict:
    """`/seo-fr` alone: the dispatch (multiline, required) and an optional focus keyword.

    Slack caps a plain_text_input at 3 000 characters (max_length 1..3000), so a longer
    dispatch has to come by DM or mention; the hint says so.
    """
    blocks = [
        InputBlock(
            block_id=DISPATCH_BLOCK,
            label=PlainTextObject(text="Dépêche"),
            hint=PlainTextObject(
                text="3 000 caractères au plus ici. Pour une dépêche plus longue, envoyez-la au bot "
                     "en message privé ou dans un message qui le mentionne."),
            element=PlainTextInputElement(
                action_id=DISPATCH_ACTION,
                multiline=True,
                max_length=DISPATCH_INPUT_MAX,
                focus_on_load=True,
                placeholder=PlainTextObject(text="Collez ici la dépêche AFP, Reuters ou le communiqué…"),
            ),
        ),
        _keyword_input("Mot-clé principal (facultatif)",
                       hint="Laissez vide pour que le bot le choisisse."),
        InputBlock(
            block_id=IMAGE_BLOCK,
            optional=True,
            label=PlainTextObject(text="Image (facultatif)"),
            hint=PlainTextObject(text="Adresse https de la photo de l’article : donnée aux moteurs de recherche "
                                      "(Google Actualités, Discover)."),
            element=PlainTextInputElement(action_id=IMAGE_ACTION, max_length=IMAGE_INPUT_MAX,
                                          placeholder=PlainTextObject(text="https://…/photo.jpg")),
        ),
    ]
    return _modal(DISPATCH_MODAL, "Réécriture SEO", "Lancer", blocks, private_metadata)


def keyword_modal(suggestions: list[str], current: str, private_metadata: str) -> dict:
    """"Changer le mot-clé": suggested keywords (radio buttons) and a free field, both optional.

    The caller checks that one of them is filled (a free keyword wins over a suggestion).
    """
    current = _plain(current)
    seen = {current.casefold()} if current else set()
    options = []
    for s in suggestions or []:
        s = _plain(s)
        if not s or s.casefold() in seen or len(s) > OPTION_VALUE_MAX:
            continue
        seen.add(s.casefold())
        options.append(Option(value=s, text=PlainTextObject(text=shorten(s, OPTION_TEXT_MAX))))
        if len(options) == RADIO_OPTIONS_MAX:
            break
    blocks: list = []
    if current:
        blocks.append(SectionBlock(text=MarkdownTextObject(
            text=f"Mot-clé actuel{NBSP}: *{_escaped_fit(current, 200)}*")))
    if options:
        blocks.append(InputBlock(
            block_id=SUGGESTION_BLOCK,
            optional=True,
            label=PlainTextObject(text="Mots-clés suggérés"),
            element=RadioButtonsElement(action_id=SUGGESTION_ACTION, options=options),
        ))
        blocks.append(_keyword_input("Ou un autre mot-clé",
                                     hint="S’il est rempli, ce champ l’emporte sur la suggestion choisie."))
    else:
        blocks.append(_keyword_input("Nouveau mot-clé principal"))
    return _modal(KEYWORD_MODAL, "Changer le mot-clé", "Appliquer", blocks, private_metadata)


def settings_modal(current: dict, private_metadata: str) -> dict:
    """Settings: minimum words (300–3000), credit line, house style, watch mode for the channel.

    `current`: {"min_words": int, "credit": str | None, "house_style": str | None, "watch": bool,
    "channel_id": str (optional), "wordpress_available": bool (WordPress configured: show its on/off),
    "wordpress": bool (default on)}.
    """
    current = current or {}
    low, high = MIN_WORDS_RANGE
    try:
        min_words = min(max(int(current.get("min_words") or 700), low), high)
    except (TypeError, ValueError):
        min_words = 700
    watch_option = Option(value=WATCH_OPTION, text=PlainTextObject(
        text="Réécrire toute dépêche collée dans ce canal, sans mention"))
    blocks: list = []
    channel_id = str(current.get("channel_id") or "")
    if re.match(r"^[CGD][A-Z0-9]+$", channel_id):
        blocks.append(ContextBlock(elements=[MarkdownTextObject(
            text=f"Ces réglages valent pour le canal <#{channel_id}>.")]))
    blocks += [
        InputBlock(
            block_id=MIN_WORDS_BLOCK,
            label=PlainTextObject(text="Nombre minimal de mots"),
            hint=PlainTextObject(text=f"Entre {_fr_int(low)} et {_fr_int(high)}, sans compter le titre."),
            element=NumberInputElement(action_id=MIN_WORDS_ACTION, is_decimal_allowed=False,
                                       initial_value=str(min_words), min_value=str(low),
                                       max_value=str(high)),
        ),
        InputBlock(
            block_id=CREDIT_BLOCK,
            optional=True,
            label=PlainTextObject(text="Ligne de crédit"),
            hint=PlainTextObject(text="Ajoutée à la fin de chaque article."),
            element=PlainTextInputElement(action_id=CREDIT_ACTION, max_length=CREDIT_INPUT_MAX,
                                          initial_value=_plain(current.get("credit")) or None,
                                          placeholder=PlainTextObject(text="(Avec AFP)")),
        ),
        InputBlock(
            block_id=HOUSE_STYLE_BLOCK,
            optional=True,
            label=PlainTextObject(text="Consignes de la rédaction"),
            hint=PlainTextObject(text="Orthographes, ton, mots à éviter, manière de créditer… Données au modèle "
                                      "avec chaque demande de ce canal, jamais au-dessus de la fidélité à la "
                                      "dépêche (1 000 caractères au plus)."),
            element=PlainTextInputElement(action_id=HOUSE_STYLE_ACTION, multiline=True, max_length=HOUSE_STYLE_MAX,
                                          initial_value=(str(current.get("house_style") or "").strip()
                                                         [:HOUSE_STYLE_MAX] or None),
                                          placeholder=PlainTextObject(text="ex. Écrire « Otan », jamais « OTAN ». "
                                                                           "Pas de « pour rappel ».")),
        ),
        InputBlock(
            block_id=WATCH_BLOCK,
            optional=True,
            label=PlainTextObject(text="Surveillance du canal"),
            element=CheckboxesElement(action_id=WATCH_ACTION, options=[watch_option],
                                      initial_options=[watch_option] if current.get("watch") else None),
        ),
    ]
    blocks += _news_page_inputs(current)
    if current.get("wordpress_available"):
        blocks.append(_wordpress_checkbox(current.get("wordpress", True) is not False))
    if "workspace_site" in current:  # a workspace admin, OAuth mode: the workspace's WordPress site
        from .workspace_site import site_blocks

        blocks += site_blocks(current["workspace_site"])
    return _modal(SETTINGS_MODAL, "Réglages SEO", "Enregistrer", blocks, private_metadata)


def _news_page_inputs(current: dict) -> list:
    """Source page of the credit line, byline and AI-assistance disclosure (NewsArticle)."""
    disclosure = Option(value=DISCLOSURE_OPTION, text=PlainTextObject(
        text="Mention « rédigé avec l’aide d’une IA » sous l’article exporté ou envoyé"))
    return [
        InputBlock(
            block_id=SOURCE_PAGE_BLOCK,
            optional=True,
            label=PlainTextObject(text="Page source par défaut"),
            hint=PlainTextObject(text="Lien de la ligne de crédit quand la dépêche ne contient pas l’adresse "
                                      "de sa source (ex. le site de l’agence)."),
            element=PlainTextInputElement(action_id=SOURCE_PAGE_ACTION, max_length=SOURCE_PAGE_MAX,
                                          initial_value=_plain(current.get("source_page")) or None,
                                          placeholder=PlainTextObject(text="https://www.afp.com/fr")),
        ),
        InputBlock(
            block_id=BYLINE_BLOCK,
            optional=True,
            label=PlainTextObject(text="Signature"),
            hint=PlainTextObject(text="Auteur indiqué aux moteurs de recherche. Vide : le nom Slack de la "
                                      "personne qui a demandé l’article."),
            element=PlainTextInputElement(action_id=BYLINE_ACTION, max_length=BYLINE_MAX,
                                          initial_value=_plain(current.get("byline")) or None,
                                          placeholder=PlainTextObject(text="La rédaction")),
        ),
        InputBlock(
            block_id=DISCLOSURE_BLOCK,
            optional=True,
            label=PlainTextObject(text="Transparence"),
            element=CheckboxesElement(action_id=DISCLOSURE_ACTION, options=[disclosure],
                                      initial_options=[disclosure] if current.get("disclosure") else None),
        ),
    ]


def _wordpress_checkbox(on: bool) -> InputBlock:
    option = Option(value=WORDPRESS_OPTION, text=PlainTextObject(
        text="Bouton WordPress sous les articles (brouillon avec ses champs SEO)"))
    return InputBlock(
        block_id=WORDPRESS_BLOCK,
        optional=True,
        label=PlainTextObject(text="WordPress"),
        element=CheckboxesElement(action_id=WORDPRESS_ACTION, options=[option],
                                  initial_options=[option] if on else None),
    )
