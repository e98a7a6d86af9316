"""/audit/verification: the auditor's check of journal, ledger and projections."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get

from api.context import store
from api.problems import problem_responses
from api.schemas_audit import AuditVerification, verification_view
from api.security import allow
from reintegrate.access import Role
from reintegrate.services.audit import verify_audit
from reintegrate.services.users import Caller


class AuditController(Controller):
    path = "/audit"
    tags = ("audit",)

    @get(
        "/verification",
        guards=[allow(Role.AUDITOR)],
        sync_to_thread=True,
        responses=problem_responses(401, 403),
    )
    def verify(self, request: Request[Caller, Any, Any]) -> AuditVerification:
        """Recompute the journal's hash chain, replay every event into memory and compare
        with the stored ledger and projections, as `reintegrate audit verify` does. It reads
        one consistent snapshot of the database and takes no lock: commands go on meanwhile,
        and what they commit is not part of this answer. It reads everything, so it takes
        time on a large journal (some 80 s per million entries on 2 cores)."""
        return verification_view(verify_audit(store(request)))
