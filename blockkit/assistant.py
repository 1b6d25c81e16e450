"""What the assistant split view shows: greeting, suggested prompts, native status lines."""
from __future__ import annotations

import re

from .base import NBSP, _message, _section

# Slack shows at most 4 suggested prompts; a click sends `message` as the user's message.
PROMPTS = {
    "rewrite": {"title": "Réécrire une dépêche collée",
                "message": "Je vais coller une dépêche à réécrire en article SEO."},
    "titles": {"title": "Titres pour cette dépêche", "message": "Propose des titres pour cette dépêche."},
    "social": {"title": "Réseaux sociaux", "message": "Écris les textes pour les réseaux sociaux."},
    "help": {"title": "Aide", "message": "Aide"},
}
PROMPTS_TITLE = "Que voulez-vous faire ?".replace(" ?", f"{NBSP}?")

# assistant.threads.setStatus: Slack shows "<app> <status>"; loading_messages rotate meanwhile.
_STATUSES = {
    "queued": ("met la demande en file d’attente…", ["Je lis la dépêche…"]),
    "drafting": ("rédige l’article…", ["Je lis la dépêche…", "J’écris le chapô et les intertitres…",
                                        "Je choisis le mot-clé principal…"]),
    "checking": ("vérifie les citations…", ["Je compare chaque citation à la dépêche…",
                                             "Je vérifie les chiffres et les noms…"]),
    "repairing": ("corrige l’article…", ["Je reprends ce que la vérification a signalé…"]),
    "revising": ("prépare la nouvelle version…", ["Je relis la version précédente…"]),
    "titles": ("cherche des titres…", ["Je compare des titres et leurs titres SEO…"]),
    "social": ("écrit les textes pour les réseaux sociaux…", ["Alerte, X, Facebook, newsletter…"]),
}
_STATUS_FALLBACK = ("travaille sur l’article…", ["Encore un instant…"])


def prompt_list() -> list[dict]:
    return [dict(p) for p in PROMPTS.values()]


def _fold(text: str) -> str:
    return re.sub(r"[\s.!?…\u00a0\u202f]+", " ", (text or "").replace("’", "'")).strip().lower()


_BY_MESSAGE = {_fold(p["message"]): key for key, p in PROMPTS.items()}
_BY_MESSAGE.update({_fold(p["title"]): key for key, p in PROMPTS.items()})
_BY_MESSAGE.update({"help": "help", "aide": "help"})


def prompt_of(text: str) -> str | None:
    """Which suggested prompt this message is (its message or its title), if any."""
    return _BY_MESSAGE.get(_fold(text))


def assistant_status(step: str) -> tuple[str, list[str]]:
    """The native status of an assistant thread for a job step, and its loading messages."""
    status, loading = _STATUSES.get(step, _STATUS_FALLBACK)
    return status, list(loading)


def _where(channel: str | None) -> str:
    return f"<#{channel}>" if channel and channel[:1] in "CG" and channel[1:].isalnum() else ""


def greeting(channel: str | None = None) -> dict:
    """The first words of a new assistant thread."""
    where = _where(channel)
    settings = (f" Les réglages de {where} (consignes de la rédaction, nombre de mots, WordPress) "
                "s’appliquent si vous en êtes membre." if where else "")
    text = ("Bonjour{0}! Collez une dépêche (texte ou extrait de texte){0}: je la réécris en article "
            "français optimisé pour le référencement, ici même.{1} Répondez ensuite dans ce fil pour "
            "réviser l’article.").format(NBSP, settings)
    return _message(text, [_section(text)])


def need_dispatch(prompt: str | None) -> dict:
    """A prompt that needs a dispatch first (or a message too short to be one)."""
    what = {"titles": "proposer des titres", "social": "écrire les textes pour les réseaux sociaux"}.get(prompt or "")
    text = (f"Pour {what}, collez d’abord la dépêche ici (texte ou extrait de texte){NBSP}: l’article arrive "
            f"dans ce fil, avec ses boutons *Titres* et *Réseaux sociaux*." if what else
            f"Collez la dépêche ici (texte ou extrait de texte){NBSP}: je la réécris en article SEO dans ce fil.")
    return _message(text.replace("*", ""), [_section(text)])


def new_thread_hint() -> dict:
    text = (f"Cet échange a déjà son article{NBSP}: pour une autre dépêche, ouvrez une nouvelle conversation "
            f"avec l’assistant. Ici, dites en une ou deux phrases ce qu’il faut changer.")
    return _message(text, [_section(text)])


# The steps an assistant thread shows as a plan while the article streams (task_update chunks).
PLAN_TITLE = "Réécriture de la dépêche"
PLAN_STEPS = (("drafting", "Rédaction de l’article"), ("fidelity", "Vérification de fidélité"),
              ("seo", "Analyse SEO"))
# The job's steps (seo.pipeline progress) -> how far the plan is: index of the task in progress.
_STEP_AT = {"cleaning": 0, "drafting": 0, "revising": 0, "checking": 1, "repairing": 1, "finishing": 2}


def plan_position(step: str) -> int | None:
    return _STEP_AT.get(step)
