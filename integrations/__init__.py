"""Integrations with other systems (WordPress), called by the worker; no Slack import."""
