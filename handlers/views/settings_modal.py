"""/seo-fr réglages: per-channel minimum words, credit line, house style, watch mode and the WordPress
button."""
from __future__ import annotations

import blockkit as blocks

from ..patience import patiently
from ..replies import UNAVAILABLE, queue_errors
from ..services import Services
from seo.news import web_url

from ..workspace import save_site, site_errors, submitted_site
from .common import field, metadata, text_value


def register(app, svc: Services) -> None:
    @app.view(blocks.SETTINGS_MODAL)
    async def submitted(ack, body, view, client):
        raw = text_value(view, blocks.MIN_WORDS_BLOCK, blocks.MIN_WORDS_ACTION)
        low, high = blocks.MIN_WORDS_RANGE
        try:
            min_words = int(raw)
        except ValueError:
            min_words = -1
        if not low <= min_words <= high:
            await ack(response_action="errors",
                      errors={blocks.MIN_WORDS_BLOCK: f"Entrez un nombre entier entre {low} et {high}."})
            return
        credit = text_value(view, blocks.CREDIT_BLOCK, blocks.CREDIT_ACTION)
        house_style = text_value(view, blocks.HOUSE_STYLE_BLOCK, blocks.HOUSE_STYLE_ACTION)
        if len(house_style) > blocks.HOUSE_STYLE_MAX:  # Slack enforces max_length; a forged payload may not
            await ack(response_action="errors", errors={
                blocks.HOUSE_STYLE_BLOCK: f"{blocks.HOUSE_STYLE_MAX} caractères au plus."})
            return
        source_page = text_value(view, blocks.SOURCE_PAGE_BLOCK, blocks.SOURCE_PAGE_ACTION)
        if source_page and not web_url(source_page):
            await ack(response_action="errors", errors={
                blocks.SOURCE_PAGE_BLOCK: "Entrez une adresse qui commence par https:// (ou laissez vide)."})
            return
        byline = " ".join(text_value(view, blocks.BYLINE_BLOCK, blocks.BYLINE_ACTION).split())[:blocks.BYLINE_MAX]
        disclosure = any(o.get("value") == blocks.DISCLOSURE_OPTION for o in
                         field(view, blocks.DISCLOSURE_BLOCK, blocks.DISCLOSURE_ACTION).get("selected_options") or [])
        watch = any(o.get("value") == blocks.WATCH_OPTION
                    for o in field(view, blocks.WATCH_BLOCK, blocks.WATCH_ACTION).get("selected_options") or [])
        wordpress_field = field(view, blocks.WORDPRESS_BLOCK, blocks.WORDPRESS_ACTION)
        wordpress = any(o.get("value") == blocks.WORDPRESS_OPTION
                        for o in wordpress_field.get("selected_options") or []) if wordpress_field else None
        site = submitted_site(view) if svc.tenancy is not None else None
        if site is not None and (errors := await site_errors(svc, site)):
            await ack(response_action="errors", errors=errors)
            return
        await ack()
        user = body["user"]["id"]
        meta = metadata(view, svc.settings)
        channel = meta.get("channel")
        if not channel or meta.get("user") != user or not svc.settings.allowed(user, channel):
            return
        try:
            if wordpress is None:  # the modal had no WordPress field: keep the channel's choice
                wordpress = (await patiently(lambda: svc.state.channel_settings(channel),
                                             svc.settings.queue_patience)).get("wordpress", True) is not False
            await patiently(lambda: svc.state.save_channel_settings(
                channel, {"min_words": min_words, "credit": credit or None, "house_style": house_style or None,
                          "watch": watch, "wordpress": wordpress, "source_page": source_page or None,
                          "byline": byline or None, "disclosure": disclosure}),
                svc.settings.queue_patience)
            site_note = await save_site(svc, client, user, site) if site is not None else ""
        except queue_errors():
            await client.chat_postEphemeral(channel=channel, user=user, text=UNAVAILABLE)
            return
        wordpress_shown = svc.settings.wordpress or bool(site_note) or (
            svc.tenancy is not None and await svc.tenancy.sites.describe() is not None)
        await client.chat_postEphemeral(
            channel=channel, user=user,
            text=(f"Réglages enregistrés pour <#{channel}> : {min_words} mots minimum"
                  f"{', crédit « ' + credit + ' »' if credit else ''}, "
                  f"{'consignes de la rédaction enregistrées' if house_style else 'sans consignes de la rédaction'}, "
                  f"surveillance {'activée' if watch else 'désactivée'}"
                  f"{', page source ' + source_page if source_page else ''}"
                  f"{', signature « ' + byline + ' »' if byline else ''}"
                  f", mention IA {'affichée' if disclosure else 'non affichée'}"
                  f"{(', bouton WordPress ' + ('affiché' if wordpress else 'masqué')) if wordpress_shown else ''}."
                  f"{site_note}"))
