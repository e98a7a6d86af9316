"""What the services need from storage: a unit of work over projections, ledger and journal.

Two implementations: `MemoryStore` (tests, replay) and `SqlStore` (SQLite, PostgreSQL).
Neither holds a rule: they keep what the domain decided.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager
from typing import Protocol, TypeVar

import msgspec

from reintegrate.access import EVERYWHERE, Scope
from reintegrate.business.plans import BusinessPlan
from reintegrate.cases import Member, ReturnType, Role
from reintegrate.community.projects import CommunityProject
from reintegrate.events import EntitlementGranted
from reintegrate.grants.disbursements import Disbursement
from reintegrate.grants.packages import Package
from reintegrate.journal import Entry
from reintegrate.ledger import Account, Transaction
from reintegrate.money import FxRate


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
    """A case without its members' personal data (which lives in `members`)."""

    case_id: str
    programme_id: str
    office: str
    country_of_return: str
    return_date: dt.date
    return_type: ReturnType
    roles: tuple[tuple[str, Role], ...]
    version: int = 1


__all__ = [
    "EVERYWHERE",
    "CaseRecord",
    "PolicyRecord",
    "ProgrammeRecord",
    "Scope",
    "Snapshot",
    "Store",
    "UnitOfWork",
]

T = TypeVar("T")


class UnitOfWork(Protocol):
    """One transaction: everything written is kept on `commit`, dropped otherwise."""

    def programme(self, programme_id: str) -> ProgrammeRecord | None: ...
    def put_programme(self, record: ProgrammeRecord) -> None: ...
    def policies(self, programme_id: str) -> list[PolicyRecord]: ...
    def put_policy(self, record: PolicyRecord) -> None: ...
    def fx_rates(self, base: str, quote: str) -> list[FxRate]: ...
    def put_fx_rate(self, rate: FxRate) -> None: ...
    def case(self, case_id: str, scope: Scope) -> CaseRecord | None: ...
    def put_case(self, record: CaseRecord) -> None: ...
    def members(self, case_id: str) -> list[Member]: ...
    def put_members(self, case_id: str, members: Iterable[Member]) -> None: ...
    def cases_of_person_refs(self, refs: Iterable[str]) -> list[tuple[str, str]]: ...
    def grant(self, case_id: str) -> EntitlementGranted | None: ...
    def put_grant(self, grant: EntitlementGranted) -> None: ...
    def package(self, package_id: str, scope: Scope) -> Package | None: ...
    def packages_of_case(self, case_id: str) -> list[Package]: ...
    def put_package(self, package: Package) -> None: ...
    def disbursement(self, disbursement_id: str, scope: Scope) -> Disbursement | None: ...
    def put_disbursement(self, disbursement: Disbursement) -> None: ...
    def accounts(self, codes: Iterable[str]) -> dict[str, Account]: ...
    def balances(self, codes: Iterable[str]) -> dict[str, int]: ...
    def apply_transaction(
        self, seq: int, tx: Transaction, new_balances: dict[str, int]
    ) -> None: ...
    def last_entry(self) -> Entry | None: ...
    def add_entry(self, entry: Entry) -> None: ...
    def commit(self) -> None: ...
    def plan(self, plan_id: str, scope: Scope) -> BusinessPlan | None: ...
    def put_plan(self, plan: BusinessPlan) -> None: ...
    def evidence_file_known(self, file_hash: str) -> bool: ...
    def put_evidence_file(self, file_hash: str, media_type: str, content: bytes) -> None: ...
    def project(self, project_id: str, scope: Scope) -> CommunityProject | None: ...
    def put_project(self, project: CommunityProject) -> None: ...
    def community_shares(self, case_id: str) -> list[tuple[str, str, int]]: ...


class Store(Protocol):
    def unit_of_work(self) -> AbstractContextManager[UnitOfWork]: ...
    def entries(self, after: int = 0) -> Iterator[Entry]: ...
    def snapshot(self) -> Snapshot: ...


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
