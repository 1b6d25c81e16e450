"""App Home: what the bot does, how to use it, the user's last articles."""
from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError

import blockkit as blocks
from jobs.publisher import slack_error

from ..replies import queue_errors
from ..services import Services

log = logging.getLogger(__name__)


def register(app, svc: Services) -> None:
    @app.event("app_home_opened")
    async def on_home(event, client):
        if event.get("tab", "home") != "home":
            return
        user = event.get("user")
        house_styles: dict[str, str] = {}
        try:
            recent = await svc.state.recent_for_user(user)
            # The house style of each channel where the user has articles.
            for channel in dict.fromkeys(str(r.get("channel") or "") for r in recent if isinstance(r, dict)):
                style = (await svc.state.channel_settings(channel)).get("house_style") if channel else None
                if style:
                    house_styles[channel] = style
        except queue_errors():
            recent = []
        try:
            await client.views_publish(user_id=user, view=blocks.home_view(recent, house_styles))
        except SlackApiError as exc:
            log.warning("views.publish failed: %s", slack_error(exc))
