"""An in-memory store: for tests, the state machine and journal replay."""

from __future__ import annotations

import copy
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager

from reintegrate.adapters.keyring import keyring_from_env_if_named
from reintegrate.community.projects import CommunityProject
from reintegrate.events import EntitlementGranted
from reintegrate.grants.disbursements import Disbursement, DisbursementStatus
from reintegrate.grants.packages import Package
from reintegrate.journal import Entry, StoredEntry, StoredRow, row_of, stored
from reintegrate.ledger import Account, Posting, Transaction
from reintegrate.money import FxRate
from reintegrate.people.keys import NO_KEYRING, Keyring
from reintegrate.people.registry import StoredPerson
from reintegrate.store import records as r
from reintegrate.store.base import (
    CaseRecord,
    PackagesPage,
    PolicyRecord,
    ProgrammeRecord,
    Scope,
    Snapshot,
)
from reintegrate.store.memory_notes import NotesState
from reintegrate.store.memory_people import PeopleState
from reintegrate.store.memory_reconcile import ReconcileState
from reintegrate.store.memory_records import MemoryRecords
from reintegrate.store.memory_state import MemoryState
from reintegrate.store.memory_surveys import SurveysState


class MemoryUnitOfWork(ReconcileState, PeopleState, NotesState, SurveysState):
    def __init__(self, state: MemoryState, keyring: Keyring = NO_KEYRING) -> None:
        self.state = state
        self.keyring = keyring
        self.committed = False
        self.packages = MemoryRecords(self, r.PACKAGES)
        self.disbursements = MemoryRecords(self, r.DISBURSEMENTS)
        self.plans = MemoryRecords(self, r.PLANS)
        self.projects = MemoryRecords(self, r.PROJECTS)
        self.batches = MemoryRecords(self, r.BATCHES)
        self.imports = MemoryRecords(self, r.IMPORTS)
        self.rounds = MemoryRecords(self, r.ROUNDS)

    def programme(self, programme_id: str) -> ProgrammeRecord | None:
        return self.state.programmes.get(programme_id)

    def put_programme(self, record: ProgrammeRecord) -> None:
        self.state.programmes[record.programme_id] = record

    def policies(self, programme_id: str) -> list[PolicyRecord]:
        found = [p for p in self.state.policies.values() if p.programme_id == programme_id]
        return sorted(found, key=lambda p: p.effective_from)

    def put_policy(self, record: PolicyRecord) -> None:
        self.state.policies[f"{record.programme_id}/{record.version}"] = record

    def fx_rates(self, base: str, quote: str) -> list[FxRate]:
        return [r for r in self.state.fx_rates if {r.base, r.quote} == {base, quote}]

    def put_fx_rate(self, rate: FxRate) -> None:
        self.state.fx_rates.append(rate)

    def case(self, case_id: str, scope: Scope) -> CaseRecord | None:
        found = self.state.cases.get(case_id)
        return found if found and scope.allows(found.office) else None

    def put_case(self, record: CaseRecord) -> None:
        self.state.cases[record.case_id] = record
        for member_id, person_id in record.persons:
            self.state.members[f"{record.case_id}/{member_id}"] = person_id

    def grant(self, case_id: str) -> EntitlementGranted | None:
        return self.state.grants.get(case_id)

    def put_grant(self, grant: EntitlementGranted) -> None:
        self.state.grants[grant.case_id] = grant

    def packages_of_case(self, case_id: str) -> list[Package]:
        return [p for p in self.state.packages.values() if p.case_id == case_id]

    def accounts(self, codes: Iterable[str]) -> dict[str, Account]:
        return {c: self.state.accounts[c] for c in codes if c in self.state.accounts}

    def balances(self, codes: Iterable[str]) -> dict[str, int]:
        return {c: self.state.balances.get(c, 0) for c in codes}

    def apply_transaction(self, seq: int, tx: Transaction, new_balances: dict[str, int]) -> None:
        self.apply_balances(tx, new_balances)
        self.add_postings(seq, tx.postings)

    def apply_balances(self, tx: Transaction, new_balances: dict[str, int]) -> None:
        for account in tx.opens:
            self.state.accounts.setdefault(account.code, account)
            self.state.balances.setdefault(account.code, 0)
        self.state.balances.update(new_balances)

    def add_postings(self, seq: int, postings: Sequence[Posting]) -> None:
        self.state.postings += [(seq, p.account, p.amount, p.currency) for p in postings]

    def last_entry(self) -> Entry | None:
        return self.state.entries[-1] if self.state.entries else None

    def add_entry(self, entry: Entry) -> None:
        self.state.entries.append(entry)

    def append_entries(
        self,
        entries: Sequence[tuple[Entry, Sequence[Posting]]],
        offices: Sequence[str | None] = (),
    ) -> None:
        """Offices file entries for the event feed, which only the SQL store serves."""
        for entry, postings in entries:
            self.add_postings(entry.seq, postings)
            self.add_entry(entry)

    def commit(self) -> None:
        self.committed = True

    def evidence_file_known(self, file_hash: str) -> bool:
        return file_hash in self.state.evidence_files

    def put_evidence_file(self, file_hash: str, media_type: str, content: bytes) -> None:
        self.state.evidence_files[file_hash] = (media_type, content)

    def community_shares(self, case_id: str) -> list[tuple[str, str, int]]:
        return sorted(
            (p.project_id, share.member_id, share.amount)
            for p in self.state.projects.values()
            for share in p.counted
            if share.case_id == case_id
        )

    def disbursements_in(
        self, programme_id: str, status: DisbursementStatus, scope: Scope
    ) -> list[Disbursement]:
        found = self.state.disbursements.values()
        return sorted(
            (
                d
                for d in found
                if d.programme_id == programme_id and d.status is status and scope.allows(d.office)
            ),
            key=lambda d: d.disbursement_id,
        )


class MemoryView:
    """One committed state, read: units of work replace the state on commit, never change it
    in place, so this one stays as it was."""

    def __init__(self, state: MemoryState) -> None:
        self.state = state

    def last_seq(self) -> int:
        return self.state.entries[-1].seq if self.state.entries else 0

    def stored_entries(self, first: int = 1, last: int | None = None) -> Iterator[StoredEntry]:
        for entry in self.state.entries:
            if entry.seq >= first and (last is None or entry.seq <= last):
                yield stored(entry)

    def journal_rows(self, first: int = 1, last: int | None = None) -> Iterator[list[StoredRow]]:
        rows = [
            row_of(entry)
            for entry in self.state.entries
            if entry.seq >= first and (last is None or entry.seq <= last)
        ]
        if rows:
            yield rows

    def read_ahead(self) -> None:
        """Nothing to read ahead: the state is in memory."""

    def postings_touching(
        self, accounts: Collection[str]
    ) -> list[tuple[int | None, int, str, int, str]]:
        postings = self.state.postings
        seqs = {seq for seq, account, _, _ in postings if account in accounts}
        return [
            (row, seq, account, amount, currency)
            for row, (seq, account, amount, currency) in enumerate(postings)
            if seq in seqs
        ]

    def programme(self, programme_id: str) -> ProgrammeRecord | None:
        return self.state.programmes.get(programme_id)

    def entries_of_types(self, types: Collection[str], last: int) -> Iterator[StoredEntry]:
        for entry in self.state.entries:
            if entry.seq <= last and type(entry.event).__name__ in types:
                yield stored(entry)

    def packages_pages(self, programme_id: str) -> Iterator[PackagesPage]:
        s = self.state
        cases = {c.case_id: c for c in s.cases.values() if c.programme_id == programme_id}
        packages = sorted(
            (p for p in s.packages.values() if p.case_id in cases), key=lambda p: p.package_id
        )
        if packages:
            ids = {p.package_id for p in packages}
            yield PackagesPage(
                packages=packages,
                disbursements=[d for d in s.disbursements.values() if d.package_id in ids],
                countries={c: cases[c].country_of_return for c in {p.case_id for p in packages}},
            )

    def programme_projects(self, programme_id: str) -> Iterator[CommunityProject]:
        return (p for p in self.state.projects.values() if p.programme_id == programme_id)

    def balances_of(self, codes: Collection[str]) -> dict[str, int]:
        balances = self.state.balances
        return {code: balances[code] for code in codes if code in balances}

    def stored_records(
        self, name: str, expected: Mapping[str, object]
    ) -> Iterator[list[tuple[str, object]]]:
        """The collection whole, as one page."""
        kept: dict[str, object] | list[object] = getattr(self.state, name)
        yield list(kept.items() if isinstance(kept, dict) else by_position(kept))

    def posting_sums(self) -> dict[str, int]:
        return _sums((account, amount) for _, account, amount, _ in self.state.postings)

    def drifted_balances(self) -> dict[str, tuple[int, int]]:
        sums = self.posting_sums()
        balances = self.state.balances
        return {c: (b, sums.get(c, 0)) for c, b in balances.items() if b != sums.get(c, 0)}

    def stored_persons(self) -> Iterator[StoredPerson]:
        s = self.state
        digests: dict[str, list[str]] = {}
        for digest, person_id in s.identifiers.items():
            digests.setdefault(person_id, []).append(digest)
        for person_id in sorted(set(s.persons) | set(digests)):
            found = s.persons.get(person_id)
            yield StoredPerson(
                person_id=person_id,
                office=None if found is None else found.office,
                sealed=s.sealed.get(person_id),
                identifiers=tuple(sorted(digests.get(person_id, []))),
            )

    def snapshot(self) -> Snapshot:
        s = self.state
        return Snapshot(
            programmes=dict(s.programmes),
            policies=dict(s.policies),
            fx_rates=list(s.fx_rates),
            cases=dict(s.cases),
            grants=dict(s.grants),
            packages=dict(s.packages),
            disbursements=dict(s.disbursements),
            accounts=dict(s.accounts),
            balances=dict(s.balances),
            posting_sums=self.posting_sums(),
            plans=dict(s.plans),
            projects=dict(s.projects),
            verification_rounds=dict(s.verification_rounds),
            batches=dict(s.batches),
            imports=dict(s.imports),
            provider_mappings=dict(s.provider_mappings),
            members=dict(s.members),
            persons=dict(s.persons),
        )


class MemoryStore:
    """Keeps state in a dict; a unit of work works on a copy that replaces it on commit."""

    def __init__(self, keyring: Keyring | None = None) -> None:
        self.state = MemoryState()
        self.keyring = keyring if keyring is not None else keyring_from_env_if_named()

    @contextmanager
    def unit_of_work(self, *, one_case: bool = False) -> Iterator[MemoryUnitOfWork]:
        uow = MemoryUnitOfWork(copy.deepcopy(self.state), self.keyring)
        yield uow
        if uow.committed:
            self.state = uow.state

    @contextmanager
    def reading(self) -> Iterator[MemoryUnitOfWork]:
        yield MemoryUnitOfWork(self.state, self.keyring)  # no copy: nothing is written

    def entries(self, after: int = 0) -> Iterator[Entry]:
        return iter([e for e in self.state.entries if e.seq > after])

    def purge_erased(self) -> None:
        """Nothing to purge: an erased record is gone from memory with its dict entry."""

    def snapshot(self) -> Snapshot:
        return MemoryView(self.state).snapshot()

    @contextmanager
    def consistent_read(self) -> Iterator[MemoryView]:
        yield MemoryView(self.state)


def by_position(kept: Sequence[object]) -> list[tuple[str, object]]:
    """A list's records keyed as a `StoredView` keys them: by position."""
    return [(str(i), record) for i, record in enumerate(kept)]


def _sums(pairs: Iterable[tuple[str, int]]) -> dict[str, int]:
    sums: dict[str, int] = {}
    for account, amount in pairs:
        sums[account] = sums.get(account, 0) + amount
    return sums
