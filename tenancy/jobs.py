"""Jobs act for their team: the spec names the installation (never its token), the worker acts
for it around the whole job, and a job whose installation is gone ends quietly."""
from __future__ import annotations

import logging

from jobs.spec import JobSpec

from .context import Tenant, acting_for, current
from .tokens import InstallationGone

log = logging.getLogger(__name__)


def tenant_of(spec: JobSpec) -> Tenant | None:
    if not spec.team_id and not spec.enterprise_id:
        return None
    return Tenant(spec.team_id, spec.enterprise_id, spec.is_enterprise_install)


def stamp(spec: JobSpec) -> JobSpec:
    """The spec with the current tenant's ids (web side, OAuth mode); unchanged otherwise."""
    tenant = current()
    if tenant is None or spec.team_id or spec.enterprise_id:
        return spec
    return spec.model_copy(update={"team_id": tenant.team_id, "enterprise_id": tenant.enterprise_id,
                                   "is_enterprise_install": tenant.is_enterprise_install})


class TenantJobs:
    """The worker's outermost job handler (around FairShare and the runner)."""

    def __init__(self, handler, tokens):
        self.handler = handler
        self.tokens = tokens

    def _tenant(self, spec: JobSpec) -> Tenant | None:
        return tenant_of(spec) if self.tokens.oauth else None

    async def __call__(self, spec: JobSpec) -> None:
        tenant = self._tenant(spec)
        with acting_for(tenant):
            try:
                if self.tokens.oauth:
                    await self.tokens.token(tenant)  # still installed? (before anything is posted)
                await self.handler(spec)
            except InstallationGone as exc:
                # No retry, nothing posted: the workspace removed the app (or revoked its tokens).
                log.info("job %s stopped: the app is no longer installed for %s (%s)", spec.id, tenant, exc.why)

    async def give_up(self, spec: JobSpec, exc: BaseException) -> None:
        if isinstance(exc, InstallationGone):
            return
        give_up = getattr(self.handler, "give_up", None)
        if give_up is None:
            return
        with acting_for(self._tenant(spec)):
            try:
                await give_up(spec, exc)
            except InstallationGone:
                log.info("job %s: the app is no longer installed, its failure is not posted", spec.id)
