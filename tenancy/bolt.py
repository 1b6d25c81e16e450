"""Bolt wiring for OAuth mode: settings of bolt's own OAuthFlow, an authorize backed by
InstalledTokens (no auth.test per request; rotation under a lock), French install pages, and
the middleware that sets the tenant every request acts for."""
from __future__ import annotations

import html
import logging

from slack_bolt.authorization import AuthorizeResult
from slack_bolt.authorization.async_authorize import AsyncAuthorize
from slack_bolt.oauth.async_callback_options import AsyncCallbackOptions, AsyncFailureArgs, AsyncSuccessArgs
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_bolt.response import BoltResponse

from .context import Tenant, set_current
from .tokens import InstallationGone, InstalledTokens

log = logging.getLogger(__name__)

# What the app asks for (manifest.yml's bot scopes).
DEFAULT_SCOPES = ("app_mentions:read", "channels:history", "channels:join", "channels:read", "chat:write",
                  "commands", "files:read", "files:write", "groups:history", "groups:read", "im:history",
                  "im:read", "im:write", "users:read")

AUTHORIZE_ERROR = (":warning: Le bot n’est plus installé dans cet espace de travail (ou son installation "
                   "est introuvable). Un administrateur peut le réinstaller depuis la page d’installation.")

_FAILURES = {
    "invalid_state": "le lien d’installation a expiré ou a déjà servi",
    "invalid_browser": "l’installation n’a pas été commencée dans ce navigateur",
    "access_denied": "l’installation a été refusée",
    "invalid_code": "Slack n’a pas confirmé l’installation",
    "missing_code": "Slack n’a pas confirmé l’installation",
    "storage_error": "l’installation n’a pas pu être enregistrée",
}


def tenant_of_context(context) -> Tenant | None:
    team, enterprise = context.get("team_id"), context.get("enterprise_id")
    if not team and not enterprise:
        return None
    return Tenant(team, enterprise, bool(context.get("is_enterprise_install")))


def tenant_middleware(tokens=None):
    """Bolt global middleware: the rest of the request (and the tasks it starts) acts for its team,
    with a client that refreshes the team's token when Slack says it expired."""

    async def middleware(context, next):
        set_current(tenant_of_context(context))
        if tokens is not None and context.get("client") is not None and context.get("token"):
            from .client import request_client

            context["client"] = request_client(context.client, tokens, context.get("token"))
        return await next()

    return middleware


class TenantAuthorize(AsyncAuthorize):
    def __init__(self, tokens: InstalledTokens):
        self.tokens = tokens

    async def __call__(self, *, context, enterprise_id, team_id, user_id, **_) -> AuthorizeResult | None:
        tenant = Tenant(team_id, enterprise_id, bool(context.is_enterprise_install))
        try:
            bot = await self.tokens.bot(tenant)
        except InstallationGone:
            log.info("no installation for %s", tenant)
            return None
        except Exception as exc:  # Redis down, token expired and Slack refusing to refresh it
            log.warning("cannot authorize a request of %s (%s)", tenant, type(exc).__name__)
            return None
        return AuthorizeResult(enterprise_id=bot.enterprise_id or enterprise_id, team_id=bot.team_id or team_id,
                               bot_token=bot.bot_token, bot_id=bot.bot_id, bot_user_id=bot.bot_user_id,
                               bot_scopes=bot.bot_scopes, user_id=user_id)


def _page(title: str, body: str) -> str:
    return (f"<!doctype html><html lang=\"fr\"><head><meta charset=\"utf-8\"><title>{html.escape(title)}</title>"
            f"</head><body><h1>{html.escape(title)}</h1><p>{body}</p></body></html>")


def callback_options(install_path: str) -> AsyncCallbackOptions:
    async def success(args: AsyncSuccessArgs) -> BoltResponse:
        inst = args.installation
        log.info("installed in %s (%s)", inst.team_id or inst.enterprise_id, inst.team_name or inst.enterprise_name)
        name = html.escape(inst.team_name or inst.enterprise_name or "votre espace de travail")
        return BoltResponse(status=200, body=_page(
            "Installation réussie",
            f"Le bot SEO est installé dans {name}. Dans un canal, tapez <code>/seo-fr aide</code>."),
            headers={"Content-Type": "text/html; charset=utf-8",
                     "Set-Cookie": args.settings.state_utils.build_set_cookie_for_deletion()})

    async def failure(args: AsyncFailureArgs) -> BoltResponse:
        log.warning("installation refused: %s", args.reason)
        why = _FAILURES.get(args.reason, "une erreur est survenue")
        return BoltResponse(status=args.suggested_status_code, body=_page(
            "Installation impossible",
            f"L’installation n’a pas abouti : {html.escape(why)}. "
            f"<a href=\"{html.escape(install_path)}\">Recommencer l’installation</a>."),
            headers={"Content-Type": "text/html; charset=utf-8",
                     "Set-Cookie": args.settings.state_utils.build_set_cookie_for_deletion()})

    return AsyncCallbackOptions(success=success, failure=failure)


def oauth_settings(settings, store, state_store) -> AsyncOAuthSettings:
    """bolt's OAuthSettings on our Redis stores; the authorize page is Slack's (or the one beside
    SLACK_API_URL: the tests' fake, GovSlack)."""
    authorization_url = None
    if settings.slack_api_url:
        root = settings.slack_api_url.rstrip("/").removesuffix("/api")
        authorization_url = f"{root}/oauth/v2/authorize"
    return AsyncOAuthSettings(
        client_id=settings.client_id, client_secret=settings.client_secret,
        scopes=list(settings.oauth_scopes or DEFAULT_SCOPES), user_scopes=[],
        redirect_uri=settings.oauth_redirect_uri or None,
        install_page_rendering_enabled=False,  # /slack/install goes straight to Slack's page
        authorization_url=authorization_url,
        installation_store=store, installation_store_bot_only=True, state_store=state_store,
        token_rotation_expiration_minutes=settings.token_refresh_minutes,
        callback_options=callback_options("/slack/install"),
    )
