"""Slack listeners only: they ack, validate and hand over to jobs/. No LLM here."""
from __future__ import annotations


def register(app, services) -> None:
    from . import actions, assistant, commands, events, views

    # The assistant first: its Messages-tab listener comes before App Home's.
    for surface in (assistant, commands, events, actions, views):
        surface.register(app, services)
