"""A Web API client that acts for the current tenant: the token is chosen per call.

One client serves every workspace a worker acts for: each call takes the bot token of
`tenancy.current()` (InstalledTokens: cached briefly, rotated before expiry), never one stored
in a job. Slack answering token_expired or invalid_auth: the token is refreshed and the call
made once more. token_revoked / account_inactive: InstallationGone (the job ends quietly).
"""
from __future__ import annotations

from slack_sdk.errors import SlackApiError

from ops.slack import MeteredWebClient

from .context import current
from .tokens import InstallationGone

REFRESH_ON = ("token_expired", "invalid_auth")
GONE_ON = ("token_revoked", "account_inactive", "team_access_not_granted", "app_uninstalled")


def _explicit_token(data, params, json) -> bool:
    return any(isinstance(d, dict) and d.get("token") for d in (data, params, json))


class TenantWebClient(MeteredWebClient):
    """`token`: a first guess (the web side's authorized token), refreshed like the others."""

    def __init__(self, *args, tokens, **kwargs):
        super().__init__(*args, **kwargs)
        self.tokens = tokens

    async def api_call(self, api_method, *, http_verb="POST", files=None, data=None, params=None, json=None,
                       headers=None, auth=None):
        call = dict(http_verb=http_verb, files=files, data=data, params=params, json=json, auth=auth)
        if auth is not None or _explicit_token(data, params, json):
            return await super().api_call(api_method, headers=headers, **call)
        tenant = current()
        token = self.token or await self.tokens.token(tenant)
        try:
            return await super().api_call(api_method, headers={**(headers or {}), "Authorization": f"Bearer {token}"},
                                          **call)
        except SlackApiError as exc:
            error = exc.response.get("error") if exc.response is not None else None
            if error in GONE_ON:
                self.tokens.forget(tenant)
                raise InstallationGone(tenant, error) from None
            if error not in REFRESH_ON:
                raise
        token = await self.tokens.refresh(tenant, token)
        if self.token:
            self.token = token
        return await super().api_call(api_method, headers={**(headers or {}), "Authorization": f"Bearer {token}"},
                                      **call)


def request_client(client, tokens, token: str | None) -> TenantWebClient:
    """The web side's per-request client (bolt makes a plain one): same session, the authorized
    token, refreshed on token_expired / invalid_auth like a worker's."""
    return TenantWebClient(tokens=tokens, token=token, base_url=client.base_url, timeout=client.timeout,
                           ssl=client.ssl, proxy=client.proxy, session=client.session, headers=client.headers,
                           logger=client.logger, retry_handlers=list(client.retry_handlers or []))
