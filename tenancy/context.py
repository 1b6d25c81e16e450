"""Which workspace (or Enterprise Grid org) the code is acting for.

A `Tenant` is what Slack names an installation by: enterprise_id, team_id, is_enterprise_install.
`acting_for(tenant)` sets it for the current task (and the tasks it starts): the web side sets it
from each request's context (tenancy.bolt), a worker from each job's spec. Readers call
`current()`; None means single-workspace mode (or code outside any request or job).
"""
from __future__ import annotations

import contextlib
import contextvars
from dataclasses import dataclass


@dataclass(frozen=True)
class Tenant:
    team_id: str | None
    enterprise_id: str | None = None
    is_enterprise_install: bool = False

    @property
    def key(self) -> str:
        """One installation's id: the org for an org-wide install, else the workspace."""
        if self.is_enterprise_install and self.enterprise_id:
            return self.enterprise_id
        return self.team_id or self.enterprise_id or "-"

    def __str__(self) -> str:
        return self.key


_current: contextvars.ContextVar[Tenant | None] = contextvars.ContextVar("seo_tenant", default=None)


def current() -> Tenant | None:
    return _current.get()


def set_current(tenant: Tenant | None) -> None:
    """For middleware: sets the tenant for the rest of this task (each request is its own task)."""
    _current.set(tenant)


@contextlib.contextmanager
def acting_for(tenant: Tenant | None):
    token = _current.set(tenant)
    try:
        yield tenant
    finally:
        _current.reset(token)
