"""What the in-memory store holds: one struct, which a unit of work copies and replaces on
commit. Apart from `memory`, so that the unit of work's parts (`memory_people`,
`memory_notes`, `memory_reconcile`) can name it without importing the store."""

from __future__ import annotations

import msgspec

from reintegrate.business.plans import BusinessPlan
from reintegrate.community.projects import CommunityProject
from reintegrate.events import EntitlementGranted
from reintegrate.grants.disbursements import Disbursement
from reintegrate.grants.packages import Package
from reintegrate.journal import Entry
from reintegrate.ledger import Account
from reintegrate.money import FxRate
from reintegrate.notes import Note, NoteKey
from reintegrate.outcomes.rows import AnonymousScores
from reintegrate.people.access_log import PersonalRead
from reintegrate.people.registry import PersonRecord, SealedPerson
from reintegrate.reconcile.batches.batch import PaymentBatch
from reintegrate.reconcile.receipts.rounds import VerificationRound
from reintegrate.reconcile.statements.imports import StatementImport
from reintegrate.reconcile.statements.provider_mappings import ProviderMapping
from reintegrate.store.base import (
    CaseRecord,
    PolicyRecord,
    ProgrammeRecord,
)
from reintegrate.surveys.records import (
    FollowUpRecord,
    InstrumentRecord,
    ResponseRecord,
)


class MemoryState(msgspec.Struct, kw_only=True):
    programmes: dict[str, ProgrammeRecord] = msgspec.field(default_factory=dict)
    policies: dict[str, PolicyRecord] = msgspec.field(default_factory=dict)
    fx_rates: list[FxRate] = msgspec.field(default_factory=list)
    cases: dict[str, CaseRecord] = msgspec.field(default_factory=dict)
    members: dict[str, str] = msgspec.field(default_factory=dict)
    """`case_id/member_id` to the member's person id."""
    grants: dict[str, EntitlementGranted] = msgspec.field(default_factory=dict)
    packages: dict[str, Package] = msgspec.field(default_factory=dict)
    disbursements: dict[str, Disbursement] = msgspec.field(default_factory=dict)
    accounts: dict[str, Account] = msgspec.field(default_factory=dict)
    balances: dict[str, int] = msgspec.field(default_factory=dict)
    postings: list[tuple[int, str, int, str]] = msgspec.field(default_factory=list)
    entries: list[Entry] = msgspec.field(default_factory=list)
    plans: dict[str, BusinessPlan] = msgspec.field(default_factory=dict)
    evidence_files: dict[str, tuple[str, bytes]] = msgspec.field(default_factory=dict)
    projects: dict[str, CommunityProject] = msgspec.field(default_factory=dict)
    verification_rounds: dict[str, VerificationRound] = msgspec.field(default_factory=dict)
    batches: dict[str, PaymentBatch] = msgspec.field(default_factory=dict)
    imports: dict[str, StatementImport] = msgspec.field(default_factory=dict)
    statement_files: dict[str, bytes] = msgspec.field(default_factory=dict)
    provider_mappings: dict[str, ProviderMapping] = msgspec.field(default_factory=dict)
    persons: dict[str, PersonRecord] = msgspec.field(default_factory=dict)
    sealed: dict[str, SealedPerson] = msgspec.field(default_factory=dict)
    identifiers: dict[str, str] = msgspec.field(default_factory=dict)
    """An identifier's keyed digest to the person it identifies."""
    access_log: list[PersonalRead] = msgspec.field(default_factory=list)
    case_imports: dict[str, str] = msgspec.field(default_factory=dict)
    """A caseload file's keyed digest to its import."""
    note_keys: dict[str, NoteKey] = msgspec.field(default_factory=dict)
    notes: dict[Note, bytes] = msgspec.field(default_factory=dict)
    instruments: list[InstrumentRecord] = msgspec.field(default_factory=list)
    follow_ups: dict[str, FollowUpRecord] = msgspec.field(default_factory=dict)
    responses: dict[str, ResponseRecord] = msgspec.field(default_factory=dict)
    anonymous_scores: dict[AnonymousScores, AnonymousScores] = msgspec.field(default_factory=dict)
    """Erased persons' counts, each under itself with a count of 0."""
