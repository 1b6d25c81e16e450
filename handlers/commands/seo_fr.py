"""/seo-fr <dépêche> | /seo-fr (modal) | /seo-fr aide | /seo-fr réglages."""
from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError

import blockkit as blocks
from jobs.publisher import slack_error

from ..replies import NOT_ALLOWED, queue_errors, text_from_slack
from ..services import Services
from ..workspace import workspace_site_fields
from ..start import start_rewrite
from ..views.common import seal

log = logging.getLogger(__name__)

HELP_WORDS = {"aide", "help", "?", "-h", "--help"}
SETTINGS_WORDS = {"réglages", "reglages", "paramètres", "parametres", "settings"}


def register(app, svc: Services) -> None:
    @app.command("/seo-fr")
    async def seo_fr(ack, command, client, respond):
        await ack()  # first, always: Slack gives us 3 s, we take milliseconds
        user, channel = command.get("user_id"), command.get("channel_id")

        async def tell(text: str | None = None, **message) -> None:
            """Visible only to the caller: response_url first, chat.postEphemeral if that fails."""
            try:
                resp = await respond(text=text, response_type="ephemeral", **message)
                if getattr(resp, "status_code", 200) >= 400:
                    raise RuntimeError(f"HTTP {resp.status_code}")
            except Exception as exc:  # response_url expired or unreachable
                log.warning("respond() failed (%s); falling back to chat.postEphemeral", exc)
                try:
                    await client.chat_postEphemeral(channel=channel, user=user, text=text or message.get("text", ""),
                                                    blocks=message.get("blocks"))
                except SlackApiError as exc2:
                    log.warning("chat.postEphemeral failed: %s", slack_error(exc2))

        text = (command.get("text") or "").strip()
        word = text.lower()
        if not svc.settings.allowed(user, channel):
            await tell(NOT_ALLOWED)
            return
        if word in HELP_WORDS:
            try:
                house_style = (await svc.state.channel_settings(channel)).get("house_style")
            except queue_errors():
                house_style = None
            await tell(**blocks.help_blocks(channel=channel, house_style=house_style))
            return
        if not text or word in SETTINGS_WORDS:
            meta = seal({"channel": channel, "user": user}, svc.settings)
            try:
                if not text:
                    view = blocks.dispatch_modal(private_metadata=meta)
                else:
                    try:
                        current = await svc.state.channel_settings(channel)
                    except queue_errors():
                        current = {}
                    current.setdefault("min_words", svc.settings.min_words)
                    current.setdefault("watch", channel in svc.settings.watch_channels)
                    current["wordpress_available"] = svc.settings.wordpress
                    if svc.tenancy is not None:  # OAuth mode: the workspace may have its own WordPress
                        current.update(await workspace_site_fields(svc, client, user))
                    view = blocks.settings_modal(current, private_metadata=meta)
                await client.views_open(trigger_id=command["trigger_id"], view=view)
            except SlackApiError as exc:
                log.warning("views.open failed: %s", slack_error(exc))
                await tell("Impossible d’ouvrir la fenêtre : relancez la commande.")
            return
        started = await start_rewrite(
            client, svc, delivery_key=f"cmd:{command.get('trigger_id') or command.get('team_id')}:{channel}:{text[:64]}",
            channel=channel, user=user, source=text_from_slack(text), waiting=tell, team=command.get("team_id"))
        if not started.ok:
            await tell(started.message)
