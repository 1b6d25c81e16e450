"""The workspace's own WordPress site in /seo-fr réglages (OAuth mode, workspace admins only)."""
from __future__ import annotations

import logging
from urllib.parse import urlsplit

from blockkit.workspace_site import (SITE_PASSWORD_ACTION, SITE_PASSWORD_BLOCK, SITE_URL_ACTION, SITE_URL_BLOCK,
                                     SITE_USER_ACTION, SITE_USER_BLOCK)
from integrations.wordpress.config import site_url
from tenancy.wordpress import workspace_admin

from .replies import queue_errors
from .services import Services
from .views.common import text_value

log = logging.getLogger(__name__)


async def workspace_site_fields(svc: Services, client, user: str) -> dict:
    """What the settings modal adds: WordPress offered when the workspace has a site; the site's
    fields (never its password) for an admin."""
    try:
        site = await svc.tenancy.sites.describe()
    except queue_errors():
        return {}
    out = {"wordpress_available": svc.settings.wordpress or site is not None}
    if await workspace_admin(client, user):
        out["workspace_site"] = site or {}
    return out


def submitted_site(view: dict) -> dict | None:
    """The site fields of a submission, or None when the modal had none."""
    if SITE_URL_BLOCK not in ((view.get("state") or {}).get("values") or {}):
        return None
    return {"url": text_value(view, SITE_URL_BLOCK, SITE_URL_ACTION),
            "user": text_value(view, SITE_USER_BLOCK, SITE_USER_ACTION),
            "password": text_value(view, SITE_PASSWORD_BLOCK, SITE_PASSWORD_ACTION)}


async def site_errors(svc: Services, site: dict) -> dict:
    """Errors under the fields (before ack: no Slack call here)."""
    if not site["url"]:
        return {}
    parts = urlsplit(site_url(site["url"]))
    if parts.scheme not in ("http", "https") or not parts.hostname or " " in site["url"]:
        return {SITE_URL_BLOCK: "Entrez l’adresse du site, par exemple https://www.exemple.fr."}
    if not site["user"]:
        return {SITE_USER_BLOCK: "Indiquez l’utilisateur WordPress qui créera les brouillons."}
    if not site["password"] and not ((await svc.tenancy.sites.describe()) or {}).get("has_password"):
        return {SITE_PASSWORD_BLOCK: "Indiquez son mot de passe d’application."}
    return {}


async def save_site(svc: Services, client, user: str, site: dict) -> str:
    """Saves (or, address empty, forgets) the workspace's site; French words for the confirmation."""
    if not await workspace_admin(client, user):  # checked again: the modal proves nothing
        log.warning("a non-admin submitted the workspace's WordPress site: ignored")
        return ""
    if not site["url"]:
        if await svc.tenancy.sites.describe() is None:
            return ""
        await svc.tenancy.sites.clear()
        return " Site WordPress de l’espace oublié (celui du serveur s’applique, s’il y en a un)."
    await svc.tenancy.sites.save(url=site["url"], user=site["user"], password=site["password"] or None)
    return f" Site WordPress de l’espace : {site_url(site['url'])} (utilisateur {site['user']})."
