"""Commands on one community project's payments sent at once from two connections, on SQLite
and on PostgreSQL: the database alone orders them, so a tranche is released once and a
payment is settled once, whichever connection comes first."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from threading import Barrier
from typing import Any

import pytest

from reintegrate import events as ev
from reintegrate.errors import DomainError
from reintegrate.services import packages as ps
from reintegrate.services import tranches as tr
from reintegrate.services.audit import verify_audit
from reintegrate.services.community import PROJECTS
from reintegrate.store.sql import SqlStore
from tests import builders as b
from tests.business.plan_builders import APPROVER, AUTHOR, DAY, PAYER, PNG, VERIFIER
from tests.community.project_builders import approved_project, participants, release, returnee

Command = Callable[[SqlStore], object]


@pytest.fixture
def verified_project(database_url: str) -> str:
    """Project cp-1 approved, its first milestone verified: tranche c1 may be released."""
    store = SqlStore(database_url)
    store.create_all()
    b.programme(store)
    for case_id in ("case-a", "case-b"):
        b.register(store, b.household(case_id, dependants=0))
    approved_project(store, participants(returnee("case-a"), returnee("case-b"), community=4))
    photo = tr.EvidenceFile(PNG, "image/png")
    one = PROJECTS.one("cp-1")
    tr.submit_evidence(store, AUTHOR, DAY, one, "cleared", kind=ev.EvidenceKind.PHOTO, file=photo)
    tr.verify_milestone(store, VERIFIER, DAY, one, "cleared")
    store.engine.dispose()
    return database_url


def at_once(database_url: str, *commands: Command) -> list[Any]:
    """Each command on its own store (its own connections), all released together: what
    each returned, or the domain error it raised."""
    stores = [SqlStore(database_url) for _ in commands]
    start = Barrier(len(commands))

    def run(pair: tuple[SqlStore, Command]) -> Any:
        store, command = pair
        start.wait()
        try:
            return command(store)
        except DomainError as refused:
            return refused

    try:
        with ThreadPoolExecutor(len(commands)) as pool:
            return list(pool.map(run, zip(stores, commands, strict=True)))
    finally:
        for store in stores:
            store.engine.dispose()
            store.reader.dispose()


def project_payments(database_url: str) -> tuple[list[str], dict[str, int]]:
    """The ids of cp-1's disbursements, and its accounts' balances, after an audit."""
    store = SqlStore(database_url)
    try:
        report = verify_audit(store)
        assert report.ok, report
        snapshot = store.snapshot()
        found = sorted(d for d, x in snapshot.disbursements.items() if x.project_id == "cp-1")
        parts = ("remaining", "pending", "paid")
        return found, {p: snapshot.balances[f"project:cp-1:{p}"] for p in parts}
    finally:
        store.engine.dispose()
        store.reader.dispose()


def test_two_releases_of_one_tranche_at_once_make_one_disbursement(verified_project: str) -> None:
    answers = at_once(
        verified_project,
        lambda store: release(store, AUTHOR, "c1"),
        lambda store: release(store, PAYER, "c1"),
    )

    refused = [a for a in answers if isinstance(a, DomainError)]
    assert len(refused) == 1, answers
    payments, balances = project_payments(verified_project)
    assert len(payments) == 1
    assert balances == {"remaining": 120000, "pending": 30000, "paid": 0}


def test_a_payment_confirmed_and_failed_at_once_is_settled_once(verified_project: str) -> None:
    store = SqlStore(verified_project)
    payment = release(store, AUTHOR, "c1").payments[0].payment_id
    ps.approve_disbursement(store, APPROVER, DAY, payment)
    store.engine.dispose()

    answers = at_once(
        verified_project,
        lambda s: ps.confirm_disbursement(s, PAYER, DAY, payment, "BANK-1"),
        lambda s: ps.fail_disbursement(s, PAYER, DAY, payment, "the account is closed"),
    )

    refused = [a for a in answers if isinstance(a, DomainError)]
    assert len(refused) == 1, answers
    _, balances = project_payments(verified_project)
    assert balances["pending"] == 0
    assert balances["remaining"] + balances["paid"] == 150000
