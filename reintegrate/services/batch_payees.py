"""The people a payment batch pays, named for the provider's file: each payment to a person
leads to their record (payment, its package's component, the member it is for, the case's
person for that member), and each payment of a community project's tranche to its payee's
sealed account, opened only here, when finance exports the batch."""

from __future__ import annotations

from collections.abc import Mapping

from reintegrate.community.payouts import payout_account
from reintegrate.grants.disbursements import Disbursement
from reintegrate.grants.packages import Package
from reintegrate.notes import plain
from reintegrate.people.records import PersonalData
from reintegrate.reconcile.batches import payees
from reintegrate.reconcile.batches.batch import PaymentBatch
from reintegrate.reconcile.batches.payees import Payee
from reintegrate.services.notes import opened
from reintegrate.services.people import personal_data
from reintegrate.store.base import EVERYWHERE, CaseRecord, UnitOfWork


def payees_of(
    uow: UnitOfWork, batch: PaymentBatch, found: Mapping[str, Disbursement]
) -> tuple[dict[str, Payee], list[str]]:
    """The payee of each payment of the batch to a person (payment, its package's component,
    the member it is for, the case's person for that member, their record, each opened
    once), and the persons whose records were opened."""
    people = _People(uow)
    wanted = [found[i.disbursement_id] for i in batch.items if not i.payee]
    people.read_at_once([d for d in wanted if d.project_id is None])
    records: dict[str, PersonalData | Payee | None] = {
        d.disbursement_id: people.record(d) if d.project_id is None else project_payee(uow, d)
        for d in wanted
    }
    return payees.payees(batch.provider, records), sorted(people.records)


def project_payee(uow: UnitOfWork, d: Disbursement) -> Payee | None:
    """The partner or supplier a community project's payment goes to, into the account
    sealed when its tranche was released (opened here only, for the batch's file)."""
    shown = opened(uow, (d.payee, d.payout))
    name, payout = plain(shown[0]), plain(shown[1] or "")
    return payees.account_payee(name, payout_account(payout))


class _People:
    """The persons paid by a batch's payments, each package, case and record read once."""

    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow
        self.packages: dict[str, Package] = {}
        self.cases: dict[str, CaseRecord | None] = {}
        self.records: dict[str, PersonalData] = {}

    def read_at_once(self, payments: list[Disbursement]) -> None:
        """Read the packages of `payments`, and the persons they pay, a chunk of keys per
        statement (the unit of work keeps the persons for `personal_data`): a batch of
        100,000 payments names some 65,000 households in a programme of a million."""
        wanted = {d.package_id for d in payments}
        self.packages.update(self.uow.packages.get_many(wanted, EVERYWHERE))
        self.uow.persons({p for d in payments if (p := self.person_paid(d)) is not None})

    def record(self, d: Disbursement) -> PersonalData | None:
        person_id = self.person_paid(d)
        if person_id is None:
            return None
        if person_id not in self.records:
            self.records[person_id] = personal_data(self.uow, person_id)
        return self.records[person_id]

    def person_paid(self, d: Disbursement) -> str | None:
        if d.package_id not in self.packages:
            found = self.uow.packages.get(d.package_id, EVERYWHERE)
            assert found is not None, f"a disbursement's package exists ({d.package_id})"
            self.packages[d.package_id] = found
        package = self.packages[d.package_id]
        member = next(c.member_id for c in package.components if c.component_id == d.component_id)
        if package.case_id not in self.cases:
            self.cases[package.case_id] = self.uow.case(package.case_id, EVERYWHERE)
        case = self.cases[package.case_id]
        return None if case is None else case.person_of(member)
