"""Several workspaces: OAuth installs, per-team tokens (with rotation) and per-team isolation.

context  the Tenant value and the "acting for" context variable
store    installation and OAuth state stores on Redis (tokens encrypted at rest)
tokens   a team's bot token for a worker or the web side: cached briefly, rotated under a lock
"""
from .context import Tenant, acting_for, current

__all__ = ["Tenant", "acting_for", "current"]
