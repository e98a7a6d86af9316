"""What the services need from storage: a unit of work over projections, ledger and journal.

Two implementations: `MemoryStore` (tests, replay) and `SqlStore` (SQLite, PostgreSQL).
Neither holds a rule: they keep what the domain decided.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol, TypeVar

import msgspec

from reintegrate.access import EVERYWHERE, Scope
from reintegrate.business.plans import BusinessPlan
from reintegrate.cases import ReturnType, Role
from reintegrate.community.projects import CommunityProject
from reintegrate.events import EntitlementGranted
from reintegrate.grants.disbursements import Channel, Disbursement, DisbursementStatus
from reintegrate.grants.figures import PaymentFigures
from reintegrate.grants.packages import Package
from reintegrate.journal import Entry, StoredEntry, StoredRow
from reintegrate.ledger import Account, Posting, Transaction
from reintegrate.money import FxRate
from reintegrate.notes import Note, NoteKey
from reintegrate.people.access_log import PersonalRead
from reintegrate.people.keys import Keyring
from reintegrate.people.registry import PersonRecord, SealedPerson, StoredPerson
from reintegrate.reconcile.batches.batch import PaymentBatch
from reintegrate.reconcile.receipts.rounds import VerificationRound
from reintegrate.reconcile.statements.imports import StatementImport
from reintegrate.reconcile.statements.provider_mappings import ProviderMapping
from reintegrate.store.base_surveys import SurveyRecords
from reintegrate.store.records import Records


class ProgrammeRecord(msgspec.Struct, frozen=True, kw_only=True):
    programme_id: str
    name: str
    currency: str
    budget_lines: tuple[str, ...]
    version: int = 1


class PolicyRecord(msgspec.Struct, frozen=True, kw_only=True):
    programme_id: str
    version: str
    effective_from: dt.date
    document: bytes


class CaseRecord(msgspec.Struct, frozen=True, kw_only=True):
    """A case: its members by role and pseudonymous person id, never personal data."""

    case_id: str
    programme_id: str
    office: str
    country_of_return: str
    return_date: dt.date
    return_type: ReturnType
    roles: tuple[tuple[str, Role], ...]
    version: int = 1
    persons: tuple[tuple[str, str], ...] = ()
    """Each member's registered person, as (member_id, person_id)."""
    stay_months: int | None = None

    def person_of(self, member_id: str) -> str | None:
        return next((p for m, p in self.persons if m == member_id), None)


__all__ = [
    "EVERYWHERE",
    "CaseRecord",
    "PolicyRecord",
    "ProgrammeRecord",
    "Scope",
    "Snapshot",
    "Store",
    "StoredView",
    "UnitOfWork",
]

T = TypeVar("T")


class UnitOfWork(SurveyRecords, Protocol):
    """One transaction: everything written is kept on `commit`, dropped otherwise."""

    keyring: Keyring
    """Its store's: seals and opens persons' records."""

    @property
    def packages(self) -> Records[Package]: ...
    @property
    def disbursements(self) -> Records[Disbursement]: ...
    @property
    def plans(self) -> Records[BusinessPlan]: ...
    @property
    def projects(self) -> Records[CommunityProject]: ...
    @property
    def batches(self) -> Records[PaymentBatch]: ...
    @property
    def imports(self) -> Records[StatementImport]: ...
    @property
    def rounds(self) -> Records[VerificationRound]: ...

    def programme(self, programme_id: str) -> ProgrammeRecord | None: ...
    def put_programme(self, record: ProgrammeRecord) -> None: ...
    def policies(self, programme_id: str) -> list[PolicyRecord]: ...
    def put_policy(self, record: PolicyRecord) -> None: ...
    def fx_rates(self, base: str, quote: str) -> list[FxRate]: ...
    def put_fx_rate(self, rate: FxRate) -> None: ...
    def case(self, case_id: str, scope: Scope) -> CaseRecord | None: ...
    def put_case(self, record: CaseRecord) -> None: ...
    def cases_of_persons(self, person_ids: Iterable[str]) -> list[tuple[str, str]]:
        """(case_id, person_id) of every case that any of `person_ids` is a member of."""
        ...

    def person(self, person_id: str) -> PersonRecord | None: ...
    def persons(self, person_ids: Collection[str]) -> dict[str, PersonRecord]:
        """`person` of each of `person_ids` at once: those registered, by id."""
        ...

    def put_person(self, record: PersonRecord) -> None: ...
    def sealed_person(self, person_id: str) -> SealedPerson | None: ...
    def put_sealed_person(self, person_id: str, sealed: SealedPerson | None) -> None:
        """Store a person's sealed record; None destroys it (their key with it)."""
        ...

    def persons_with_identifiers(self, digests: Iterable[str]) -> list[PersonRecord]: ...
    def put_identifiers(self, person_id: str, digests: Iterable[str]) -> None:
        """The identifiers' digests of `person_id`, replacing those it had."""
        ...

    def add_new_persons(self, persons: Sequence[tuple[str, SealedPerson, Sequence[str]]]) -> None:
        """The sealed records and identifiers' digests of persons just registered (their
        rows made by their `PersonRegistered` entries), written at once."""
        ...

    def case_import_with_digest(self, file_digest: str) -> str | None:
        """The import of the caseload file of this keyed digest, if it was imported."""
        ...

    def put_case_import(self, import_id: str, programme_id: str, file_digest: str) -> None: ...
    def add_personal_read(self, read: PersonalRead) -> None: ...
    def personal_reads(
        self, after: int, limit: int, person_id: str | None = None
    ) -> list[tuple[int, PersonalRead]]:
        """Reads of personal data logged after id `after`, oldest first, with their ids."""
        ...

    def all_person_ids(self) -> list[str]: ...
    def grant(self, case_id: str) -> EntitlementGranted | None: ...
    def put_grant(self, grant: EntitlementGranted) -> None: ...
    def packages_of_case(self, case_id: str) -> list[Package]: ...
    def accounts(self, codes: Iterable[str]) -> dict[str, Account]: ...
    def balances(self, codes: Iterable[str]) -> dict[str, int]: ...
    def apply_transaction(
        self, seq: int, tx: Transaction, new_balances: dict[str, int]
    ) -> None: ...
    def apply_balances(self, tx: Transaction, new_balances: dict[str, int]) -> None:
        """Open `tx`'s accounts and set the new balances: `apply_transaction` but the
        postings, which `append_entries` writes once the entry's seq is known."""

    def last_entry(self) -> Entry | None: ...
    def add_entry(self, entry: Entry) -> None: ...
    def append_entries(
        self,
        entries: Sequence[tuple[Entry, Sequence[Posting]]],
        offices: Sequence[str | None] = (),
    ) -> None:
        """Keep each entry after the postings of its transaction, in order: a command's new
        entries, written at once, each filed under its office in `offices` (the event feed's
        scope; none given: no office), and queued for the webhooks that follow it."""
        ...

    def commit(self) -> None: ...
    def evidence_file_known(self, file_hash: str) -> bool: ...
    def put_evidence_file(self, file_hash: str, media_type: str, content: bytes) -> None: ...
    def community_shares(self, case_id: str) -> list[tuple[str, str, int]]: ...
    def disbursements_in(
        self, programme_id: str, status: DisbursementStatus, scope: Scope
    ) -> list[Disbursement]: ...
    def batches_of(self, programme_id: str) -> list[PaymentBatch]: ...
    def batched(self, programme_id: str) -> set[str]: ...
    def approved_disbursements(
        self, programme_id: str, channel: Channel | None = None
    ) -> list[Disbursement]:
        """The programme's approved payments (by `channel` only, when given)."""
        ...

    def disbursements_by_id(self, ids: set[str]) -> dict[str, Disbursement]: ...
    def disbursement_statuses(self, ids: set[str]) -> dict[str, DisbursementStatus]:
        """The status of each of the payments `ids` there are: what `disbursements_by_id`
        gives of them, without reading them whole."""
        ...

    def disbursements_in_order_made(self, ids: set[str]) -> list[str]:
        """The payments `ids` there are, in the order they were made: the order in which
        their rows, and the rows of their packages' accounts, were written, so that a
        command that writes many of them meets the pages it writes together."""
        ...

    def import_with_hash(self, content_hash: str) -> str | None: ...
    def statement_file(self, content_hash: str) -> bytes | None: ...
    def put_statement_file(self, content_hash: str, content: bytes) -> None: ...
    def provider_mapping(self, provider: str) -> ProviderMapping | None: ...
    def provider_mappings(self) -> list[ProviderMapping]: ...
    def put_provider_mapping(self, saved: ProviderMapping) -> None: ...
    def note_key(self, owner: str) -> NoteKey | None: ...
    def put_note_key(self, owner: str, key: NoteKey | None) -> None:
        """Keep an owner's key for its notes; None destroys it and every note it sealed."""
        ...

    def put_note(self, note: Note, sealed: bytes) -> None: ...
    def sealed_notes(self, notes: Iterable[Note]) -> dict[Note, tuple[bytes, bytes]]:
        """For each of `notes` still kept: its owner's wrapped key and the sealed text."""
        ...


class PackagesPage(msgspec.Struct, frozen=True, kw_only=True):
    """Some packages of a programme, with every disbursement made on them and their cases'
    countries of return (`StoredView.packages_pages`)."""

    packages: list[Package]
    disbursements: Sequence[PaymentFigures]
    countries: dict[str, str]
    """Each of the packages' cases, by id, to its country of return."""


class StoredView(Protocol):
    """One consistent read of a store: its journal as stored and its state, both as of the
    same moment, whatever commands commit meanwhile. It takes no write lock."""

    def last_seq(self) -> int: ...
    def stored_entries(self, first: int = 1, last: int | None = None) -> Iterator[StoredEntry]: ...
    def journal_rows(self, first: int = 1, last: int | None = None) -> Iterator[list[StoredRow]]:
        """What `stored_entries` reads, as the rows kept (`journal.stored_of_row` reads one),
        a batch at a time."""
        ...

    def read_ahead(self) -> None:
        """Start reading, beside this process, what `drifted_balances` will read much later,
        if the store can (a hint: a large audit's state is read after its replay)."""
        ...

    def stored_persons(self) -> Iterator[StoredPerson]:
        """Each stored person as kept beside their journaled record, by id; also the ids that
        only the identifiers' index names."""
        ...

    def postings_touching(
        self, accounts: Collection[str]
    ) -> list[tuple[int | None, int, str, int, str]]:
        """Every posting (row, seq, account, amount, currency) of the journal entries whose
        transactions touch one of `accounts`."""
        ...

    def programme(self, programme_id: str) -> ProgrammeRecord | None: ...
    def entries_of_types(self, types: Collection[str], last: int) -> Iterator[StoredEntry]:
        """The journal's entries whose event is of one of `types`, up to `last`, in order."""
        ...

    def packages_pages(self, programme_id: str) -> Iterator[PackagesPage]:
        """The packages of `programme_id`'s cases, a page at a time (never all at once)."""
        ...

    def programme_projects(self, programme_id: str) -> Iterator[CommunityProject]: ...
    def balances_of(self, codes: Collection[str]) -> dict[str, int]:
        """The balance of each of `codes` that names an account."""
        ...

    def stored_records(
        self, name: str, expected: Mapping[str, Any]
    ) -> Iterator[list[tuple[str, Any]]]:
        """The stored records of the collection `name` of a `Snapshot` (but its posting sums),
        a page of (key, record) at a time, in no set order but a list's (the exchange rates,
        keyed by their position, in order). A record equal to `expected`'s under the same key
        may be given as that very object (a store need not decode what it holds as expected)."""
        ...

    def posting_sums(self) -> dict[str, int]:
        """Per account, the sum of every posting made to it."""
        ...

    def drifted_balances(self) -> dict[str, tuple[int, int]]:
        """The accounts whose stored balance is not what their postings sum to, each to its
        (balance, sum of its postings); read ahead, if it was."""
        ...

    def snapshot(self) -> Snapshot:
        """Every collection of `stored_records`, whole, and the posting sums."""
        ...


class Store(Protocol):
    keyring: Keyring

    def purge_erased(self) -> None:
        """Make the database files drop what they may still hold of overwritten rows (old
        pages, a write-ahead log, dead row versions), after an erasure has committed."""
        ...

    def unit_of_work(self, *, one_case: bool = False) -> AbstractContextManager[UnitOfWork]:
        """A unit of work for one command. `one_case`: the command reads and writes only the
        payments of one case (its case, grant, packages, disbursements and their accounts)
        besides what only other commands write (programmes, policies, rates); a store may
        then run it beside the commands of other cases (`docs/journal.md`)."""
        ...

    def reading(self) -> AbstractContextManager[UnitOfWork]:
        """A unit of work for reads only: it takes no write lock and commits nothing."""
        ...

    def entries(self, after: int = 0) -> Iterator[Entry]: ...
    def snapshot(self) -> Snapshot: ...
    def consistent_read(self) -> AbstractContextManager[StoredView]: ...


class Snapshot(msgspec.Struct, frozen=True, kw_only=True):
    """Everything that replaying the journal must rebuild, for comparison."""

    programmes: dict[str, ProgrammeRecord]
    policies: dict[str, PolicyRecord]
    fx_rates: list[FxRate]
    cases: dict[str, CaseRecord]
    grants: dict[str, EntitlementGranted]
    packages: dict[str, Package]
    disbursements: dict[str, Disbursement]
    accounts: dict[str, Account]
    balances: dict[str, int]
    posting_sums: dict[str, int]
    """Per account, the sum of every posting ever made to it (must equal its balance)."""
    plans: dict[str, BusinessPlan] = msgspec.field(default_factory=dict)
    projects: dict[str, CommunityProject] = msgspec.field(default_factory=dict)
    verification_rounds: dict[str, VerificationRound] = msgspec.field(default_factory=dict)
    batches: dict[str, PaymentBatch] = msgspec.field(default_factory=dict)
    imports: dict[str, StatementImport] = msgspec.field(default_factory=dict)
    provider_mappings: dict[str, ProviderMapping] = msgspec.field(default_factory=dict)
    members: dict[str, str] = msgspec.field(default_factory=dict)
    """`case_id/member_id` to the member's person id (the index the look-back reads)."""
    persons: dict[str, PersonRecord] = msgspec.field(default_factory=dict)
