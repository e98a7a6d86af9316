"""A journal written before a community project's tranches were disbursements still reads:
its `ProjectTrancheReleased` and `ProjectPaymentSettled` entries, kept and chained as
written, replay to the same project, the same ledger and no disbursement."""

from __future__ import annotations

from pathlib import Path

from api.views import entry_view
from reintegrate import events as ev
from reintegrate.community.projects import CommunityProject, PaymentStatus
from reintegrate.services.audit import verify_audit
from reintegrate.services.recording import record
from reintegrate.store.base import EVERYWHERE
from reintegrate.store.queries import Queries
from reintegrate.store.sql import SqlStore
from tests import builders as b
from tests.business.plan_builders import AUTHOR, DAY, PAYER
from tests.community.project_builders import approved_project, participants, returnee


def written_before(store: SqlStore, project: CommunityProject) -> None:
    """Tranche c1 released, then a failed payment and a paid one, as journals recorded them
    before: the project's own events, each in its own command."""

    def released(payment_id: str) -> ev.ProjectTrancheReleased:
        return ev.ProjectTrancheReleased(
            project_id=project.project_id,
            programme_id=project.programme_id,
            tranche_id="c1",
            payment_id=payment_id,
            payee=project.partner,
            amount=30000,
            on=DAY.date(),
        )

    settled: dict[str, str] = {
        "project_id": project.project_id,
        "programme_id": project.programme_id,
    }
    commands: list[tuple[str, ev.Event]] = [
        (AUTHOR.user_id, released("cpp-1")),
        (
            PAYER.user_id,
            ev.ProjectPaymentSettled(
                payment_id="cpp-1",
                outcome=ev.PaymentOutcome.FAILED,
                amount=30000,
                on=DAY.date(),
                **settled,
            ),
        ),
        (AUTHOR.user_id, released("cpp-2")),
        (
            PAYER.user_id,
            ev.ProjectPaymentSettled(
                payment_id="cpp-2",
                outcome=ev.PaymentOutcome.PAID,
                amount=30000,
                on=DAY.date(),
                provider_ref="BANK-1",
                **settled,
            ),
        ),
    ]
    for actor, event in commands:
        with store.unit_of_work() as uow:
            record(uow, actor, DAY, [event])
            uow.commit()


def test_a_journal_of_project_payments_settled_directly_replays_to_the_same_state(
    tmp_path: Path,
) -> None:
    store = SqlStore(f"sqlite:///{tmp_path / 'db.sqlite'}")
    store.create_all()
    b.programme(store)
    for case_id in ("case-a", "case-b"):
        b.register(store, b.household(case_id, dependants=0))
    project = approved_project(store, participants(returnee("case-a"), returnee("case-b")))

    written_before(store, project)

    report = verify_audit(store)
    assert report.ok, report
    snapshot = store.snapshot()
    replayed = snapshot.projects["cp-1"]
    assert [(p.payment_id, p.status) for p in replayed.payments] == [
        ("cpp-1", PaymentStatus.FAILED),
        ("cpp-2", PaymentStatus.PAID),
    ]
    assert not snapshot.disbursements
    parts = ("remaining", "pending", "paid")
    assert [snapshot.balances[f"project:cp-1:{p}"] for p in parts] == [120000, 0, 30000]
    with store.reading() as uow:
        assert uow.projects.get("cp-1", EVERYWHERE) == replayed
    types = [entry_view(e).type for e in Queries(store.engine).journal(None, 1000)]
    assert types[-4:] == ["ProjectTrancheReleased", "ProjectPaymentSettled"] * 2
    store.engine.dispose()
