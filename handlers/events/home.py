"""App Home: what the bot does, how to use it, the user's last articles, usage in their channels."""
from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError

import blockkit as blocks
from jobs.publisher import slack_error

from ..replies import queue_errors
from ..services import Services

log = logging.getLogger(__name__)

MAX_PAGES = 5  # 1 000 channels: enough for a newsroom member


async def user_channels(client, user: str, recent: list[dict]) -> set[str]:
    """The channels whose usage this user may see: those Slack says they are in (users.conversations,
    as far as the bot can see), plus their DMs with the bot and, if Slack cannot tell, the channels
    where they asked for articles."""
    seen = {str(r.get("channel")) for r in recent if isinstance(r, dict) and r.get("channel")}
    found: set[str] = {c for c in seen if c.startswith("D")}
    cursor = None
    try:
        for _ in range(MAX_PAGES):
            resp = await client.users_conversations(user=user, types="public_channel,private_channel",
                                                    exclude_archived=True, limit=200, cursor=cursor)
            found.update(c["id"] for c in resp.get("channels") or [] if c.get("id"))
            cursor = (resp.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                break
    except SlackApiError as exc:
        log.info("users.conversations unavailable (%s): channels of the user's own requests", slack_error(exc))
        found.update(seen)
    return found


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
        usage = None
        if svc.usage is not None:
            try:
                usage = await svc.usage.summary(await user_channels(client, user, recent))
            except queue_errors():
                usage = None
        try:
            await client.views_publish(user_id=user, view=blocks.home_view(recent, usage, house_styles))
        except SlackApiError as exc:
            log.warning("views.publish failed: %s", slack_error(exc))
