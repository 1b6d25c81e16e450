"""The facts of a version's page for its NewsArticle metadata (seo/news.py): times in
SEO_TIMEZONE, the byline (the channel's, else the requesting editor's name from users.info),
the publisher (SEO_PUBLISHER_NAME / SEO_PUBLISHER_LOGO_URL), the editor's image, the channel's
AI-assistance disclosure, the WordPress permalink once known."""
from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError

from seo.news import PageMeta, iso_time, web_url

from .publisher import slack_error

log = logging.getLogger(__name__)


async def editor_name(client, user: str | None) -> str | None:
    """The editor's name as Slack shows it (users.info: real name, else display name)."""
    if not user:
        return None
    try:
        resp = await client.users_info(user=user)
    except SlackApiError as exc:
        log.info("users.info failed: %s", slack_error(exc))
        return None
    u = resp.get("user") or {}
    profile = u.get("profile") or {}
    for name in (profile.get("real_name"), u.get("real_name"), profile.get("display_name"), u.get("name")):
        if name and str(name).strip():
            return " ".join(str(name).split())[:200]
    return None


async def page_meta(runner, spec, record, created_at: float) -> dict:
    state, settings = runner.state, runner.settings
    channel = await state.channel_settings(spec.settings_channel or spec.channel)
    author = (channel.get("byline") or "").strip() or await editor_name(runner.publisher.client, record.requested_by)
    wp = await state.wordpress_post(spec.article_id) or {}
    return PageMeta(
        published=iso_time(record.created_at, settings.seo_timezone),
        modified=iso_time(created_at, settings.seo_timezone),
        author=author or None,
        publisher_name=settings.publisher_name or None,
        publisher_logo=web_url(settings.publisher_logo_url),
        image=web_url(getattr(record, "image", None)),
        canonical=web_url(wp.get("permalink")),
        disclosure=bool(channel.get("disclosure")),
    ).to_dict()
