"""What the event feed and webhooks show of each event: its public fields, and its subject.

A journal event may hold sealed notes, free text, payees or pseudonymous person ids. Outside
the organisation an event is shown only through this table: for each event type, the fields
that are ids, amounts, statuses or dates, and the resource the event is about (whose office
decides who may see it). Event types not in `PUBLISHED` are in `WITHHELD`, each deliberately:
a test checks that every type of the journal's union is in exactly one of them, so a new
event type is never shown, nor silently left out, before someone decides which.
"""

from __future__ import annotations

import enum
from typing import Any, get_args

import msgspec

from reintegrate import events as ev
from reintegrate.errors import ValidationFailed
from reintegrate.texts import Text


class SubjectKind(enum.StrEnum):
    """The resource an event is about, named as the API's path names it."""

    CASE = "cases"
    PACKAGE = "packages"
    DISBURSEMENT = "disbursements"
    PLAN = "business-plans"
    PROJECT = "community-projects"
    PROGRAMME = "programmes"
    BATCH = "payment-batches"
    IMPORT = "statement-imports"
    ROUND = "verification-rounds"
    GRANT = "grants"
    """A business plan or a community project, as the event's `grant` says."""


IN_AN_OFFICE = frozenset(
    {
        SubjectKind.CASE,
        SubjectKind.PACKAGE,
        SubjectKind.DISBURSEMENT,
        SubjectKind.PLAN,
        SubjectKind.PROJECT,
    }
)
"""Subjects that belong to an office: their events are seen by that office's users (and
partners, whose office is their own id). The others are programme-wide: only roles that see
every office see their events."""


class Shown(msgspec.Struct, frozen=True):
    """The public fields of an event type, and the field that names its subject."""

    subject: SubjectKind
    key: str
    fields: tuple[str, ...]


class Subject(msgspec.Struct, frozen=True):
    kind: SubjectKind
    id: str

    @property
    def path(self) -> str:
        return f"{self.kind.value}/{self.id}"


_PACKAGE_MOVE = ("package_id", "case_id", "programme_id", "budget_line")
_PAYMENT = ("disbursement_id", "package_id", "component_id", "programme_id", "amount")
_PROJECT_PAYMENT = ("disbursement_id", "project_id", "programme_id", "amount")
_CASE, _PACKAGE, _PAYOUT = SubjectKind.CASE, SubjectKind.PACKAGE, SubjectKind.DISBURSEMENT
_PLAN, _PROJECT, _GRANT = SubjectKind.PLAN, SubjectKind.PROJECT, SubjectKind.GRANT
_PROGRAMME, _BATCH, _IMPORT = SubjectKind.PROGRAMME, SubjectKind.BATCH, SubjectKind.IMPORT
_ROUND = SubjectKind.ROUND

PUBLISHED: dict[type[Any], Shown] = {
    ev.ProgrammeCreated: Shown(_PROGRAMME, "programme_id", ("programme_id", "currency")),
    ev.BudgetLineFunded: Shown(_PROGRAMME, "programme_id", ("programme_id", "line", "amount")),
    ev.PolicyAdopted: Shown(
        _PROGRAMME, "programme_id", ("programme_id", "version", "effective_from")
    ),
    ev.CaseRegistered: Shown(_CASE, "case_id", ("case_id", "programme_id", "office")),
    ev.EntitlementGranted: Shown(
        _CASE,
        "case_id",
        ("case_id", "programme_id", "policy_version", "as_of", "household", "cash", "window_end"),
    ),
    ev.EntitlementRevised: Shown(
        _CASE, "case_id", ("case_id", "programme_id", "household", "cash")
    ),
    ev.PackageDrafted: Shown(
        _PACKAGE,
        "package_id",
        ("package_id", "case_id", "programme_id", "office", "budget_line", "currency", "plan_id"),
    ),
    ev.PackageSubmitted: Shown(_PACKAGE, "package_id", ("package_id",)),
    ev.PackageApproved: Shown(_PACKAGE, "package_id", (*_PACKAGE_MOVE, "policy_version", "on")),
    ev.PackageRejected: Shown(_PACKAGE, "package_id", ("package_id",)),
    ev.PackageCancelled: Shown(_PACKAGE, "package_id", _PACKAGE_MOVE),
    ev.PackageClosed: Shown(_PACKAGE, "package_id", _PACKAGE_MOVE),
    ev.ComponentsIncreased: Shown(_PACKAGE, "package_id", _PACKAGE_MOVE),
    ev.ComponentsReleased: Shown(_PACKAGE, "package_id", _PACKAGE_MOVE),
    ev.DisbursementRequested: Shown(
        _PAYOUT,
        "disbursement_id",
        (*_PAYMENT, "case_id", "channel", "currency", "programme_amount", "on"),
    ),
    ev.DisbursementApproved: Shown(_PAYOUT, "disbursement_id", ("disbursement_id",)),
    ev.DisbursementPaid: Shown(_PAYOUT, "disbursement_id", (*_PAYMENT, "on")),
    ev.DisbursementFailed: Shown(_PAYOUT, "disbursement_id", (*_PAYMENT, "returned")),
    ev.DisbursementReversed: Shown(_PAYOUT, "disbursement_id", _PAYMENT),
    ev.BusinessPlanDrafted: Shown(
        _PLAN,
        "plan_id",
        ("plan_id", "programme_id", "office", "budget_line", "currency", "sector", "start_date"),
    ),
    ev.BusinessPlanSubmitted: Shown(_PLAN, "plan_id", ("plan_id", "packages")),
    ev.BusinessPlanAssessed: Shown(_PLAN, "plan_id", ("plan_id", "passed")),
    ev.BusinessPlanApproved: Shown(_PLAN, "plan_id", ("plan_id", "on")),
    ev.BusinessPlanActivated: Shown(_PLAN, "plan_id", ("plan_id", "on")),
    ev.TrancheReleased: Shown(_PLAN, "plan_id", ("plan_id", "tranche_id", "on")),
    ev.TranchePartRepaid: Shown(_PLAN, "plan_id", ("plan_id", "tranche_id", "disbursement_id")),
    ev.VisitRecorded: Shown(
        _PLAN, "plan_id", ("plan_id", "visit_id", "on", "status", "jobs_created")
    ),
    ev.OwnerLeft: Shown(_PLAN, "plan_id", ("plan_id", "reallocated")),
    ev.BusinessPlanEnded: Shown(_PLAN, "plan_id", ("plan_id", "end", "on")),
    ev.CommunityProjectDrafted: Shown(
        _PROJECT,
        "project_id",
        (
            "project_id",
            "programme_id",
            "office",
            "budget_line",
            "currency",
            "kind",
            "starts_on",
            "ends_on",
        ),
    ),
    ev.CommunityProjectSubmitted: Shown(_PROJECT, "project_id", ("project_id",)),
    ev.CommunityProjectRejected: Shown(_PROJECT, "project_id", ("project_id",)),
    ev.CommunityProjectApproved: Shown(
        _PROJECT, "project_id", ("project_id", "programme_id", "budget_line", "envelope", "on")
    ),
    ev.ParticipantsChanged: Shown(_PROJECT, "project_id", ("project_id", "programme_id")),
    ev.ProjectTrancheReleased: Shown(
        _PROJECT,
        "project_id",
        ("project_id", "programme_id", "tranche_id", "payment_id", "amount", "on"),
    ),
    ev.ProjectPaymentSettled: Shown(
        _PROJECT,
        "project_id",
        ("project_id", "programme_id", "payment_id", "outcome", "amount", "on"),
    ),
    ev.ProjectDisbursementRequested: Shown(
        _PAYOUT,
        "disbursement_id",
        (*_PROJECT_PAYMENT, "tranche_id", "component_id", "channel", "currency", "on"),
    ),
    ev.ProjectDisbursementPaid: Shown(_PAYOUT, "disbursement_id", (*_PROJECT_PAYMENT, "on")),
    ev.ProjectDisbursementFailed: Shown(
        _PAYOUT, "disbursement_id", (*_PROJECT_PAYMENT, "returned")
    ),
    ev.ProjectDisbursementReversed: Shown(_PAYOUT, "disbursement_id", _PROJECT_PAYMENT),
    ev.OutcomesReported: Shown(
        _PROJECT,
        "project_id",
        (
            "project_id",
            "milestone_id",
            "returnees_reached",
            "community_reached",
            "jobs_created",
            "services_created",
            "on",
        ),
    ),
    ev.CommunityProjectClosed: Shown(
        _PROJECT,
        "project_id",
        ("project_id", "programme_id", "budget_line", "end", "unspent", "on"),
    ),
    ev.GrantEvidenceSubmitted: Shown(
        _GRANT, "grant_id", ("grant", "grant_id", "milestone_id", "evidence_id", "kind", "on")
    ),
    ev.GrantMilestoneVerified: Shown(
        _GRANT, "grant_id", ("grant", "grant_id", "milestone_id", "on")
    ),
    ev.GrantMilestoneRejected: Shown(_GRANT, "grant_id", ("grant", "grant_id", "milestone_id")),
    ev.ReceiptAnswerRecorded: Shown(
        _PAYOUT, "disbursement_id", ("round_id", "programme_id", "disbursement_id", "answer", "on")
    ),
    ev.VerificationRoundDrawn: Shown(_ROUND, "round_id", ("round_id", "programme_id", "on")),
    ev.FollowUpClosed: Shown(
        _ROUND, "round_id", ("round_id", "programme_id", "follow_up_id", "resolution", "on")
    ),
    ev.PaymentBatchCreated: Shown(
        _BATCH,
        "batch_id",
        ("batch_id", "programme_id", "provider", "currency", "count", "total", "on"),
    ),
    ev.PaymentBatchExported: Shown(_BATCH, "batch_id", ("batch_id", "format", "on")),
    ev.PaymentBatchCancelled: Shown(_BATCH, "batch_id", ("batch_id",)),
    ev.StatementImported: Shown(
        _IMPORT, "import_id", ("import_id", "programme_id", "format", "on")
    ),
    ev.ReconciliationDecisionProposed: Shown(
        _IMPORT, "import_id", ("import_id", "decision_id", "kind", "disbursement_id")
    ),
    ev.ReconciliationDecisionConfirmed: Shown(_IMPORT, "import_id", ("import_id", "decision_id")),
    ev.FollowUpRecorded: Shown(
        _CASE, "case_id", ("follow_up_id", "case_id", "programme_id", "number", "on")
    ),
}
"""Each shown event type: its subject, and its fields that are ids, amounts, statuses and
dates. Never a name, a note, free text, a payee, a person id or an external reference."""

WITHHELD: dict[type[Any], str] = {
    ev.FxRateRecorded: "reference data, read at /fx-rates",
    ev.ProviderMappingSaved: "a provider's file layout: configuration, not a change of a case",
    ev.InstrumentAdopted: "reference data, read at /survey-instruments",
    ev.SurveyAnswered: "a person's answers about their life after return: personal data, "
    "withheld like the person registry's events",
    ev.CasesImported: "a summary of a caseload file imported: each of its cases is shown by "
    "its own CaseRegistered, and the file's digest stays inside",
    **dict.fromkeys(
        (
            ev.PersonRegistered,
            ev.PersonErasureRequested,
            ev.PersonErased,
            ev.PersonCorrectionProposed,
            ev.PersonCorrected,
            ev.PersonsMerged,
            ev.PersonsDistinguished,
            ev.MembersLinked,
            ev.TextsErased,
        ),
        "about a person: even pseudonymous ids and digests stay inside",
    ),
}
"""Event types the feed and webhooks never show, each with why."""

TYPE_NAMES = frozenset(t.__name__ for t in PUBLISHED)
"""The event types one may follow, by name."""


def event_types() -> tuple[type[Any], ...]:
    """Every event type the journal records today."""
    return get_args(ev.Event)


def subject_of(event: ev.Event) -> Subject | None:
    """The resource `event` is about; None for an event type that is never shown."""
    shown = PUBLISHED.get(type(event))
    if shown is None:
        return None
    kind = shown.subject
    if kind is SubjectKind.GRANT:
        business = getattr(event, "grant") is ev.GrantKind.BUSINESS_PLAN  # noqa: B009
        kind = SubjectKind.PLAN if business else SubjectKind.PROJECT
    return Subject(kind, str(getattr(event, shown.key)))


def public_payload(event: ev.Event) -> dict[str, Any]:
    """The event's public fields as JSON values (dates as ISO text, amounts as integers)."""
    shown = PUBLISHED[type(event)]
    return {name: msgspec.to_builtins(getattr(event, name)) for name in shown.fields}


def followed_types(names: str | None, *, field: str = "types") -> frozenset[str]:
    """The event types asked for, comma-separated (None or empty: every shown type); an
    unknown or withheld type is refused by name."""
    if not names or not names.strip():
        return TYPE_NAMES
    asked = [name.strip() for name in names.split(",")]
    unknown = [name for name in asked if name not in TYPE_NAMES]
    if unknown:
        raise ValidationFailed(
            _not_types(unknown),
            field=field,
            details={"unknown": unknown[:20]},
        )
    return frozenset(asked)


def _not_types(unknown: list[str]) -> Text:
    names = ", ".join(repr(name) for name in unknown[:5])
    if len(unknown) == 1:
        return Text(
            "{names} is not an event type one may follow; the types are the names in "
            "docs/api.md (Events), e.g. PackageApproved",
            names=names,
        )
    return Text(
        "{names} are not event types one may follow; the types are the names in docs/api.md "
        "(Events), e.g. PackageApproved",
        names=names,
    )
