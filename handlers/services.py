"""What the listeners share: settings, state and the job submitter."""
from __future__ import annotations

from dataclasses import dataclass

from jobs.settings import BotSettings
from jobs.state import State
from jobs.submit import Submitter
from ops.usage import UsageStore


@dataclass
class Services:
    settings: BotSettings
    state: State
    submitter: Submitter
    usage: UsageStore | None = None  # App Home figures; None: not shown
    tenancy: object | None = None  # OAuth mode: store, tokens, secrets, lifecycle (bot.build_tenancy)
