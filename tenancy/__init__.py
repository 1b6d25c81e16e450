"""Several workspaces (OAuth mode): installs, per-team tokens with rotation, per-team isolation.

context    the Tenant value and the "acting for" context variable
store      installation and OAuth state stores on Redis (tokens Fernet-encrypted at rest)
tokens     a team's bot token: cached briefly, rotated before expiry under a Redis lock
client     a Web API client choosing the current team's token per call (refresh on token_expired)
bolt       bolt's OAuthFlow settings, authorize and the middleware setting the tenant per request
jobs       jobs carry their installation's ids (never a token); the worker acts for them
kv         every key under its team (jobs.kv wrapper)
lifecycle  uninstall: delete the installation, cancel queued jobs, purge the team's keys
wordpress  a WordPress site per workspace, its password encrypted
"""
from .context import Tenant, acting_for, current

__all__ = ["Tenant", "acting_for", "current"]
