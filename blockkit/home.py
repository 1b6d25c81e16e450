"""The App Home tab."""
from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any

from slack_sdk.models.blocks import DividerBlock
from slack_sdk.models.views import View

from .base import (
    NBSP,
    _capped_list,
    _context,
    _escaped_fit,
    _header,
    _plain,
    _section,
    escape_mrkdwn,
    shorten,
)
from .ids import COMMAND, HOME_RECENT_MAX, SECTION_TEXT_MAX
from .notices import _how_to_lines, _revise_lines, house_style_text


def _slack_date(value: Any) -> str:
    """A Slack date token shown in the reader's time zone, with a plain fallback."""
    ts: float | None = None
    if isinstance(value, datetime):
        ts = (value if value.tzinfo else value.replace(tzinfo=timezone.utc)).timestamp()
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        ts = float(value)
    elif isinstance(value, str) and value.strip():
        try:
            ts = float(value)
        except ValueError:
            try:
                parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
            except ValueError:
                return escape_mrkdwn(shorten(_plain(value), 40))
            ts = (parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)).timestamp()
    if ts is None:
        return ""
    fallback = datetime.fromtimestamp(ts, tz=timezone.utc).strftime("%d/%m/%Y %H:%M UTC")
    return f"<!date^{int(ts)}^{{date_short_pretty}} à {{time}}|{fallback}>"


_SAFE_URL = re.compile(r"^https://[^\s<>|]+$")


def home_view(recent: list[dict], house_styles: dict[str, str] | None = None) -> dict:
    """The App Home tab: what the bot does, how to use it, the user's last articles (10 max)."""
    blocks = [
        _header("Réécriture SEO"),
        _section("Collez une dépêche, recevez un article français prêt pour le référencement{0}: "
                 "titre, titre SEO, méta-description, slug, chapô, au moins 700 mots sous des "
                 "intertitres, citations vérifiées mot pour mot.".format(NBSP)),
        _section("*Comment faire*\n" + "\n".join(_how_to_lines("le bot"))),
        _section("*Ensuite*\n" + "\n".join(_revise_lines())),
        DividerBlock().to_dict(),
        _header("Vos derniers articles"),
    ]
    lines = []
    for item in (recent or [])[:HOME_RECENT_MAX]:
        if not isinstance(item, dict):
            continue
        title = _escaped_fit(_plain(item.get("title")) or "Article sans titre", 150)
        link = str(item.get("permalink") or "")
        line = f"• <{link}|{title}>" if _SAFE_URL.match(link) and len(link) < 1000 else f"• {title}"
        extras = []
        if item.get("version") is not None:
            extras.append(f"version {_escaped_fit(_plain(item.get('version')), 10)}")
        when = _slack_date(item.get("created_at"))
        if when:
            extras.append(when)
        if extras:
            line += " — " + " · ".join(extras)
        lines.append(line)
    if lines:
        blocks.append(_section(_capped_list("", lines, SECTION_TEXT_MAX).lstrip("\n")))
    else:
        blocks.append(_context("Aucun article pour l’instant. Essayez "
                               f"`{COMMAND}` dans un canal ou envoyez une dépêche au bot en message privé."))
    styles = [house_style_text(ch, text) for ch, text in (house_styles or {}).items() if text]
    if styles:
        blocks.append(DividerBlock().to_dict())
        blocks.append(_header("Consignes de vos rédactions"))
        for style in styles[:HOME_RECENT_MAX]:
            blocks.append(_section(style))
    return View(type="home", blocks=blocks).to_dict()


