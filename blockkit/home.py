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


def home_view(recent: list[dict], usage: list[dict] | None = None,
              house_styles: dict[str, str] | None = None) -> dict:
    """The App Home tab: what the bot does, how to use it, the user's last articles (10 max), and,
    when given, usage and cost in the user's channels (`usage`: ops.usage.UsageStore.summary())
    and the house style of the channels where the user has articles."""
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
    if usage is not None:
        blocks.extend(usage_blocks(usage))
    styles = [house_style_text(ch, text) for ch, text in (house_styles or {}).items() if text]
    if styles:
        blocks.append(DividerBlock().to_dict())
        blocks.append(_header("Consignes de vos rédactions"))
        for style in styles[:HOME_RECENT_MAX]:
            blocks.append(_section(style))
    return View(type="home", blocks=blocks).to_dict()


USAGE_CHANNELS_MAX = 10


def usage_blocks(months: list[dict]) -> list[dict]:
    """Usage and cost, this month and the last, in the reader's channels (totals, then per channel)."""
    blocks = [DividerBlock().to_dict(), _header("Utilisation et coût")]
    for month in months:
        title = ("Ce mois-ci" if month.get("current") else "Le mois dernier") + f" ({_plain(month.get('label'))})"
        total = month.get("total") or {}
        if not month.get("channels"):
            blocks.append(_section(f"*{escape_mrkdwn(title)}*\nAucun article dans vos canaux."))
            continue
        blocks.append(_section(f"*{escape_mrkdwn(title)}*\n" + _usage_lines(total.get("text") or {})))
        lines = []
        for r in month["channels"][:USAGE_CHANNELS_MAX]:
            t = r.get("text") or {}
            channel = str(r.get("channel") or "")
            where = f"<#{channel}>" if re.fullmatch(r"[CG][A-Z0-9]{2,20}", channel) else (
                "message privé" if channel.startswith("D") else escape_mrkdwn(channel))
            articles, versions = r.get("articles", 0), r.get("versions", 0)
            lines.append(f"• {where}{NBSP}: {t.get('articles', '0')} article{'s' if articles > 1 else ''}, "
                         f"{t.get('versions', '0')} version{'s' if versions > 1 else ''}, "
                         f"{escape_mrkdwn(t.get('cost', '—'))}")
        if len(month["channels"]) > 1:
            blocks.append(_context(_capped_list("", lines, 2000).lstrip("\n")))
    blocks.append(_context("Premiers jets validés : part des rédactions (ou régénérations) publiées sans appel "
                           "de réparation. Coût selon les prix SEO_PRICE_* configurés."))
    return blocks


def _usage_lines(t: dict) -> str:
    lines = [
        f"Articles{NBSP}: *{t.get('articles', '0')}* · versions{NBSP}: *{t.get('versions', '0')}* · "
        f"premiers jets validés sans réparation{NBSP}: *{t.get('first_pass', '—')}*",
        f"Appels au modèle par article{NBSP}: {t.get('calls_per_article', '—')} · jetons en entrée{NBSP}: "
        f"{t.get('prompt_tokens', '0')} (dont {t.get('cached_tokens', '0')} en cache) · en sortie{NBSP}: "
        f"{t.get('completion_tokens', '0')}",
        f"Coût{NBSP}: *{escape_mrkdwn(t.get('cost', '—'))}*",
    ]
    if t.get("up") is not None:
        lines.append(f":+1: {t['up']} · :-1: {t.get('down') or '0'}")
    return "\n".join(lines)


