"""Programmes and their policies, FX rates, the financial report and the dashboard, receipt
verification, the journal and the audit."""

from __future__ import annotations

from api import schemas as s
from api import schemas_audit as sa
from api import schemas_verification as sv
from api.schemas_dashboard import PageLink
from reintegrate.client.calls import Call, Download, IfMatch, Spreadsheet, get, post
from reintegrate.client.operations import operation, paged
from reintegrate.policy import Policy
from reintegrate.reconcile.reports.document import FinancialReportDocument

PROGRAMME = "/programmes/{programme_id}"
ROUND = PROGRAMME + "/receipt-verifications/{round_id}"


class ProgrammeOperations:
    @operation
    def health() -> Call[dict[str, str]]:
        return get("/health", dict[str, str])

    @operation
    def list_programmes() -> Call[s.ProgrammeList]:
        return get("/programmes", s.ProgrammeList)

    @operation
    def create_programme(body: s.ProgrammeCreate) -> Call[s.ProgrammeView]:
        return post("/programmes", s.ProgrammeView, body)

    @operation
    def get_programme(programme_id: str) -> Call[s.ProgrammeView]:
        return get(PROGRAMME, s.ProgrammeView, programme_id=programme_id)

    @operation
    def adopt_policy(programme_id: str, body: Policy) -> Call[s.AdoptedPolicyView]:
        """A new version of the programme's policy (`reintegrate.load_policy` reads one)."""
        path = f"{PROGRAMME}/policies"
        return post(path, s.AdoptedPolicyView, body, programme_id=programme_id)

    @operation
    def list_fx_rates() -> Call[s.FxRateList]:
        return get("/fx-rates", s.FxRateList)

    @operation
    def record_fx_rate(body: s.FxRateCreate) -> Call[s.FxRateView]:
        return post("/fx-rates", s.FxRateView, body)

    @operation
    def financial_report(programme_id: str) -> Call[FinancialReportDocument]:
        path = f"{PROGRAMME}/financial-report"
        answer = FinancialReportDocument
        return get(path, answer, programme_id=programme_id, format="json")

    @operation
    def financial_report_file(
        programme_id: str,
        format: Spreadsheet,
    ) -> Call[Download]:
        """The same report as a CSV or XLSX file."""
        path = f"{PROGRAMME}/financial-report"
        return get(path, Download, programme_id=programme_id, format=format)

    @operation
    def programme_dashboard(programme_id: str) -> Call[Download]:
        """The dashboard page (HTML), as the client's user sees it."""
        return get(f"{PROGRAMME}/dashboard", Download, programme_id=programme_id)

    @operation
    def dashboard_link(programme_id: str) -> Call[PageLink]:
        """A link that opens the dashboard in a browser as the client's user, for 15 minutes
        (its `url` is a path on the server)."""
        return get(f"{PROGRAMME}/dashboard/link", PageLink, programme_id=programme_id)


class VerificationOperations:
    @operation
    def draw_verification_round(
        programme_id: str, body: sv.RoundCreate
    ) -> Call[sv.VerificationRoundView]:
        path = f"{PROGRAMME}/receipt-verifications"
        return post(path, sv.VerificationRoundView, body, programme_id=programme_id)

    @operation
    def get_round(programme_id: str, round_id: str) -> Call[sv.VerificationRoundView]:
        named = {"programme_id": programme_id, "round_id": round_id}
        return get(ROUND, sv.VerificationRoundView, **named)

    @operation
    def record_answer(
        programme_id: str, round_id: str, body: sv.AnswerIn, *, if_match: IfMatch = None
    ) -> Call[sv.VerificationRoundView]:
        named = {"programme_id": programme_id, "round_id": round_id}
        return post(f"{ROUND}/answers", sv.VerificationRoundView, body, tag=if_match, **named)

    @operation
    def close_follow_up(
        programme_id: str,
        round_id: str,
        follow_up_id: str,
        body: sv.ClosureIn,
        *,
        if_match: IfMatch = None,
    ) -> Call[sv.VerificationRoundView]:
        path = ROUND + "/follow-ups/{follow_up_id}/closure"
        named = {"programme_id": programme_id, "round_id": round_id, "follow_up_id": follow_up_id}
        return post(path, sv.VerificationRoundView, body, tag=if_match, **named)


class AuditOperations:
    @paged(s.JournalEntryView)
    def read_journal(
        *, newest_first: bool | None = None, limit: int | None = None, cursor: str | None = None
    ) -> Call[s.JournalPage]:
        """Journal entries as hashed; `newest_first` pages from the end."""
        query = {"newest_first": newest_first, "limit": limit, "cursor": cursor}
        return get("/journal", s.JournalPage, **query)

    @operation
    def get_checkpoint() -> Call[sa.CheckpointView]:
        return get("/audit/checkpoint", sa.CheckpointView)

    @operation
    def verify_audit() -> Call[sa.AuditVerification]:
        return get("/audit/verification", sa.AuditVerification)
