"""Slack listeners only: they ack, validate and hand over to jobs/. No LLM here."""
from __future__ import annotations


def register(app, services) -> None:
    from . import actions, commands, events, views

    for surface in (commands, events, actions, views):
        surface.register(app, services)
