"""Short thread messages: the parent message, the status line, errors, notices and the help."""
from __future__ import annotations

from slack_sdk.models.blocks import ActionsBlock

from .base import (
    NBSP,
    _button,
    _escaped_fit,
    _header,
    _message,
    _plain,
    _section,
    _user_mention,
)
from .ids import ACTION_RETRY, COMMAND, FALLBACK_TEXT_MAX, SECTION_TEXT_MAX

_STATUS_LABELS = {
    "queued": ":hourglass_flowing_sand: En file d’attente",
    "cleaning": ":broom: Analyse de la dépêche",
    "drafting": ":pencil2: Rédaction de l’article",
    "checking": ":mag: Vérification des citations et des chiffres",
    "repairing": ":wrench: Corrections",
    "revising": ":arrows_counterclockwise: Préparation de la nouvelle version",
    "finishing": ":sparkles: Mise en forme et analyse SEO",
    "titles": ":bulb: Recherche de titres",
    "social": ":loudspeaker: Rédaction des textes pour les réseaux sociaux",
}
_STATUS_FALLBACK = ":gear: Traitement en cours"


def parent_message(user_id: str, dispatch_excerpt: str) -> dict:
    """The channel message that opens the thread: who asked, and the dispatch's first words."""
    intro = f"Réécriture SEO demandée par {_user_mention(user_id)}"
    words = _plain(dispatch_excerpt).split(" ")
    excerpt = " ".join(words[:25]) + ("…" if len(words) > 25 else "")
    excerpt = _escaped_fit(excerpt, 1500) if excerpt else ""
    blocks = [_section(f"{intro}\n>{excerpt}" if excerpt else intro)]
    return _message(intro, blocks)


def status_message(step: str, *, detail: str | None = None) -> dict:
    """The status line updated while the job runs (steps: STATUS_STEPS)."""
    label = _STATUS_LABELS.get(step, _STATUS_FALLBACK)
    if detail:
        label += f" ({_escaped_fit(_plain(detail), 500)})"
    label += "…"
    return _message(label, [_section(label)])


def error_message(message: str, *, retry_value: str | None) -> dict:
    """A failure in the thread: ":x:" and the French message, with "Réessayer" if retry_value."""
    text = f":x: {_escaped_fit(str(message or '').strip(), SECTION_TEXT_MAX - 10)}"
    blocks = [_section(text)]
    if retry_value:
        blocks.append(ActionsBlock(elements=[
            _button("Réessayer", ACTION_RETRY, retry_value, style="primary"),
        ]).to_dict())
    return _message(_escaped_fit(f":x: {_plain(message)}", FALLBACK_TEXT_MAX), blocks)


def notice_message(message: str) -> dict:
    """A simple information (ephemerals, "already running", …); the text is escaped."""
    text = _escaped_fit(str(message or "").strip(), SECTION_TEXT_MAX)
    return _message(_escaped_fit(_plain(message), FALLBACK_TEXT_MAX), [_section(text)])


# --------------------------------------------------------------------------- help & home

def _how_to_lines(bot: str) -> list[str]:
    return [
        f"• `{COMMAND} &lt;dépêche&gt;`{NBSP}: collez la dépêche après la commande{NBSP}; "
        "l’article arrive dans un fil sous le message.",
        f"• `{COMMAND}` seul{NBSP}: ouvre un formulaire (dépêche, mot-clé facultatif).",
        f"• Mentionnez {bot} dans un message qui contient la dépêche, ou envoyez-la-lui "
        "en message privé, en texte ou, pour une dépêche longue, en extrait de texte (snippet).",
        "• Dans un canal surveillé, toute dépêche collée est réécrite, sans mention.",
    ]


def _revise_lines() -> list[str]:
    return [
        "• Répondez dans le fil de l’article, par exemple «\u00a0ajoute un intertitre sur la "
        "Russie\u00a0», «\u00a0plus court\u00a0» ou «\u00a0mot-clé\u00a0: sommet de Vilnius\u00a0»\u00a0: "
        "vous obtenez une nouvelle version. Les commandes slash ne fonctionnent pas dans les fils.",
        "• *Régénérer*\u00a0: une nouvelle version. *Raccourcir*\u00a0: plus court, jamais sous "
        "le minimum de mots. *Changer le mot-clé*\u00a0: une version optimisée pour un autre "
        "mot-clé. *Exporter*\u00a0: fichiers `.md` et `.html` dans le fil. *Titres*\u00a0: cinq "
        "titres et leurs titres SEO, un clic pour en faire le titre d’une nouvelle version. "
        "*Réseaux sociaux*\u00a0: alerte push, post pour X, post Facebook / LinkedIn et texte de newsletter.",
        "• Les citations sont reprises mot pour mot et les chiffres et les noms vérifiés "
        "dans la dépêche{0}; ce qui ne l’est pas est signalé sous «\u00a0À vérifier\u00a0».".format(NBSP),
    ]


def house_style_text(channel: str | None, house_style: str | None) -> str:
    """The channel's « consignes de la rédaction » as a quoted mrkdwn paragraph (empty if none)."""
    text = " ".join(str(house_style or "").split())
    if not text:
        return ""
    where = f" de <#{channel}>" if channel and channel[:1] in "CG" and channel[1:].isalnum() else ""
    return f"*Consignes de la rédaction{where}*\n>{_escaped_fit(text, 1500)}"


def help_blocks(*, bot_user_id: str | None = None, channel: str | None = None,
                house_style: str | None = None) -> dict:
    """`/seo-fr aide`: how to use the bot (text + blocks, for an ephemeral answer)."""
    bot = _user_mention(bot_user_id) if bot_user_id else "le bot"
    blocks = [
        _header(f"Réécriture SEO{NBSP}: mode d’emploi"),
        _section("Le bot réécrit une dépêche (AFP, Reuters, communiqué) en article français "
                 "optimisé pour le référencement{0}: titre, titre SEO, méta-description, slug, "
                 "mot-clé principal, chapô et intertitres.".format(NBSP)),
        _section("*Lancer une réécriture*\n" + "\n".join(_how_to_lines(bot))),
        _section("*Réviser l’article*\n" + "\n".join(_revise_lines())),
        _section("*Dans l’assistant (vue partagée)*\n"
                 f"• Ouvrez l’assistant depuis l’icône de l’app, à côté de n’importe quel canal{NBSP}: collez-y "
                 "la dépêche (texte ou extrait de texte), l’article s’écrit dans la conversation, avec les mêmes "
                 "boutons{0}; répondez-y pour le réviser.\n"
                 f"• Les réglages du canal que vous regardez (consignes de la rédaction, nombre de mots, WordPress) "
                 "s’appliquent si vous en êtes membre{0}; sinon, les réglages par défaut.".format(NBSP)),
        _section("*Réglages et aide*\n"
                 f"• `{COMMAND} réglages`{NBSP}: nombre minimal de mots, ligne de crédit, "
                 f"consignes de la rédaction (orthographes, ton, mots à éviter{NBSP}; jamais au-dessus de la "
                 "fidélité à la dépêche), surveillance du canal.\n"
                 f"• `{COMMAND} aide`{NBSP}: ce message."),
    ]
    style = house_style_text(channel, house_style)
    if style:
        blocks.append(_section(style))
    return _message(f"Réécriture SEO{NBSP}: mode d’emploi", blocks)

