"""French texts the listeners answer with, and the errors they map to them."""
from __future__ import annotations

import re

from seo.typography import slack_to_plain

NOT_ALLOWED = ("Désolé, ce robot n’est pas ouvert à ce canal ou à votre compte. "
               "Adressez-vous à l’administrateur Slack de la rédaction.")
UNAVAILABLE = ("Le service de réécriture est momentanément indisponible (file d’attente injoignable). "
               "Réessayez dans une minute : rien n’a été lancé.")
WAITING = ("La file d’attente est momentanément injoignable\u00a0: votre demande est gardée et partira "
           "dès son retour (nouvel essai pendant une minute).")
BUSY = ("Une réécriture est déjà en cours dans ce fil : attendez qu’elle se termine avant d’en "
        "demander une autre.")
EXPIRED = "Cet article a expiré : collez à nouveau la dépêche pour une nouvelle réécriture."
ELSEWHERE = ("Ce bouton ne correspond pas à un article de ce fil : rien n’a été fait. Utilisez les boutons "
             "sous l’article lui-même.")


def quota_text(outcome, settings) -> str:
    """The answer to a request refused by a quota (jobs.submit.Outcome.QUOTA_* / RATE_*)."""
    value = getattr(outcome, "value", outcome)
    if value == "quota_user":
        return (f"Trop de demandes en cours : vous avez déjà {settings.max_jobs_per_user} réécritures en "
                "attente ou en cours. Attendez qu’une se termine, puis relancez : rien n’a été lancé.")
    if value == "quota_channel":
        return (f"Trop de demandes en cours dans ce canal ({settings.max_jobs_per_channel} réécritures en "
                "attente ou en cours). Attendez qu’une se termine, puis relancez : rien n’a été lancé.")
    if value == "quota_versions":
        return (f"Cet article compte déjà {settings.max_versions_per_article} versions, le maximum : collez "
                "à nouveau la dépêche pour repartir d’une nouvelle réécriture. Rien n’a été lancé.")
    if value == "rate_user":
        return (f"Trop de demandes en une minute : {settings.max_jobs_per_user_per_minute} au plus par "
                "personne. Réessayez dans un instant : rien n’a été lancé.")
    return (f"Trop de demandes en une minute dans ce canal : {settings.max_jobs_per_channel_per_minute} "
            "au plus. Réessayez dans un instant : rien n’a été lancé.")


def invite_hint(channel: str) -> str:
    return (f"Je ne suis pas membre de <#{channel}> : invitez-moi avec `/invite @SEO FR` "
            "(ou depuis les détails du canal, onglet Intégrations), puis relancez la commande.")


def queue_errors() -> tuple[type[BaseException], ...]:
    """Errors that mean Redis (the queue) cannot be reached right now."""
    import redis.exceptions as rexc

    return (rexc.ConnectionError, rexc.TimeoutError, ConnectionError, OSError)


def text_from_slack(text: str, bot_user_id: str | None = None) -> str:
    """Message text as the author meant it: our mention removed, Slack markup decoded."""
    if bot_user_id:
        text = re.sub(rf"<@{re.escape(bot_user_id)}(\|[^>]*)?>", " ", text)
    return slack_to_plain(text).strip()
