"""/audit: the auditor's check of journal, ledger and projections, and the journal's latest
signed checkpoint."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, Request, Response, get

from api.context import sql_store, store
from api.problems import language_of, problem_responses
from api.schemas_audit import AuditVerification, CheckpointView, verification_view
from api.security import allow
from reintegrate.access import Role
from reintegrate.errors import NotFound
from reintegrate.services.audit import verify_audit
from reintegrate.services.checkpoints import latest_checkpoint
from reintegrate.services.users import Caller
from reintegrate.texts import Text


class AuditController(Controller):
    path = "/audit"
    tags = ("audit",)

    @get(
        "/verification",
        guards=[allow(Role.AUDITOR)],
        sync_to_thread=True,
        responses=problem_responses(401, 403),
    )
    def verify_audit(self, request: Request[Caller, Any, Any]) -> Response[AuditVerification]:
        """Recompute the journal's hash chain, replay every event into memory and compare
        with the stored ledger and projections, as `reintegrate audit verify` does. It reads
        one consistent snapshot of the database and takes no lock: commands go on meanwhile,
        and what they commit is not part of this answer. It reads everything, so it takes
        time on a large journal (some 80 s per million entries on 2 cores). Its problems are
        worded in the caller's language (Accept-Language, said by Content-Language)."""
        language = language_of(request)
        report = verify_audit(store(request))
        headers = {"Vary": "Accept-Language"}
        if not report.ok:
            headers["Content-Language"] = language
        return Response(verification_view(report, language), headers=headers)

    @get(
        "/checkpoint",
        guards=[allow(Role.AUDITOR, Role.ADMIN)],
        sync_to_thread=True,
        responses=problem_responses(401, 403, 404),
    )
    def get_checkpoint(self, request: Request[Caller, Any, Any]) -> CheckpointView:
        """The latest signed checkpoint of the journal's head (`reintegrate audit
        checkpoint`); 404 while none was made."""
        found = latest_checkpoint(sql_store(request))
        if found is None:
            raise NotFound(Text("no checkpoint was made yet (reintegrate audit checkpoint)"))
        return CheckpointView(**msgspec.structs.asdict(found))
