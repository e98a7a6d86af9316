"""From a batch sent to a provider to its statement applied, in the domain's words."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from reintegrate import events as ev
from reintegrate.adapters.statements import StatementRejected
from reintegrate.adapters.translation import in_language
from reintegrate.errors import FourEyesViolation, InvalidTransition, NotFound, ValidationFailed
from reintegrate.grants.disbursements import Channel, DisbursementStatus
from reintegrate.reconcile.batches.batch import BatchStatus
from reintegrate.reconcile.matching.outcomes import Outcome
from reintegrate.reconcile.statements.csv_mapping import CsvMapping
from reintegrate.reconcile.statements.imports import StatementAlreadyImported, import_statement
from reintegrate.reconcile.statements.lines import (
    Direction,
    Statement,
    StatementDoesNotReconcile,
    StatementLine,
)
from reintegrate.services import packages as ps
from reintegrate.services import reconciliation as rs
from reintegrate.services.audit import verify_audit
from reintegrate.services.context import Actor
from reintegrate.store.base import Store
from reintegrate.store.memory import MemoryStore
from reintegrate.store.sql import SqlStore
from tests import builders as b

FIXTURES = Path(__file__).parent / "fixtures"

CLERK = Actor("clerk-1")
CONTROLLER = Actor("controller-1")
MAPPING = CsvMapping(date="date", reference="ref", amount="amount", currency="ccy", status="status")


@pytest.fixture(params=["memory", "sqlite"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """Five approved mobile-money payments of 10.00 to 50.00 EUR on one household."""
    s: Store
    if request.param == "memory":
        s = MemoryStore()
    else:
        s = SqlStore(f"sqlite:///{tmp_path}/flow.db")
        s.create_all()
    b.programme(s)
    b.register(s, b.household("case-a", dependants=0))
    b.approved_package(s, "case-a", b.cash("c1", 61500), package_id="pkg-1")
    for n in range(1, 6):
        b.approved_disbursement(s, "pkg-1", "c1", n * 1000)
    yield s
    if isinstance(s, SqlStore):
        s.engine.dispose()
        s.reader.dispose()


def sent(store: Store) -> list[str]:
    """Batch and export the five payments; their ids, smallest payment first."""
    batch = rs.make_batch(
        store,
        CLERK,
        b.SOON,
        programme_id=b.PROGRAMME,
        provider=Channel.MOBILE_MONEY,
        currency="EUR",
        batch_id="bat-1",
    )
    rs.export_batch(store, CLERK, b.SOON, "bat-1", fmt="csv")
    return [i.disbursement_id for i in sorted(batch.items, key=lambda i: i.amount)]


def statement(*rows: str) -> bytes:
    """A provider's CSV: money paid out is negative, money coming back positive."""
    return ("date,ref,amount,ccy,status\n" + "\n".join(rows) + "\n").encode()


def test_a_batch_declares_its_count_and_total_and_a_payment_goes_in_one_batch_only(
    store: Store,
) -> None:
    batch = rs.make_batch(
        store,
        CLERK,
        b.SOON,
        programme_id=b.PROGRAMME,
        provider=Channel.MOBILE_MONEY,
        currency="EUR",
    )
    assert (batch.count, batch.total) == (5, 15000)
    with pytest.raises(ValidationFailed):
        rs.make_batch(
            store,
            CLERK,
            b.SOON,
            programme_id=b.PROGRAMME,
            provider=Channel.MOBILE_MONEY,
            currency="EUR",
        )
    rs.cancel_batch(store, CLERK, b.SOON, batch.batch_id, reason="wrong provider")
    again = rs.make_batch(
        store,
        CLERK,
        b.SOON,
        programme_id=b.PROGRAMME,
        provider=Channel.MOBILE_MONEY,
        currency="EUR",
    )
    assert again.count == 5


def test_the_exported_file_names_the_wallet_paid_and_an_exported_batch_cannot_be_cancelled(
    store: Store,
) -> None:
    ids = sent(store)
    batch, content = rs.export_batch(store, CLERK, b.SOON, "bat-1", fmt="csv")
    lines = content.decode().splitlines()
    assert lines[0] == "reference,amount,currency,mobile_number,name"
    assert any(line.startswith(f"{ids[0]},10.00,EUR,+22177") for line in lines)
    assert len(lines) == 6
    assert batch.status is BatchStatus.EXPORTED
    assert len(batch.exported) == 1
    with pytest.raises(InvalidTransition):
        rs.cancel_batch(store, CLERK, b.SOON, "bat-1", reason="too late")


def test_every_line_and_payment_is_classified_and_applying_records_what_the_statement_proves(
    store: Store,
) -> None:
    ids = sent(store)
    imported = rs.import_statement(
        store,
        CLERK,
        b.SOON,
        programme_id=b.PROGRAMME,
        mapping=MAPPING,
        content=statement(
            f"2024-03-12,{ids[0]},-10.00,EUR,booked",
            f"2024-03-12,{ids[1]},-15.00,EUR,booked",
            f"2024-03-12,{ids[2]},30.00,EUR,returned",
            f"2024-03-12,{ids[0]},-10.00,EUR,booked",
            "2024-03-12,,-99.00,EUR,booked",
        ),
    )
    _, rec = rs.reconcile(store, imported.import_id)
    outcomes = {o: len(rec.of(o)) for o in Outcome}
    assert outcomes == {
        Outcome.MATCHED: 1,
        Outcome.AMOUNT_DIFFERS: 1,
        Outcome.RETURNED_OR_REVERSED: 1,
        Outcome.DUPLICATE_PAYMENT: 1,
        Outcome.UNKNOWN_LINE: 1,
        Outcome.MISSING: 2,
    }
    applied = rs.apply_reconciliation(store, CONTROLLER, b.SOON, imported.import_id)
    assert applied == {"DisbursementFailed": 1, "DisbursementPaid": 1}
    statuses = {d.disbursement_id: d.status for d in store.snapshot().disbursements.values()}
    assert statuses[ids[0]] is DisbursementStatus.PAID
    assert statuses[ids[2]] is DisbursementStatus.RETURNED
    assert rs.apply_reconciliation(store, CONTROLLER, b.SOON, imported.import_id) == {}
    assert verify_audit(store).ok


def test_a_payment_paid_then_returned_on_a_later_statement_is_reversed(store: Store) -> None:
    ids = sent(store)
    paid = rs.import_statement(
        store,
        CLERK,
        b.SOON,
        programme_id=b.PROGRAMME,
        mapping=MAPPING,
        content=statement(f"2024-03-12,{ids[0]},-10.00,EUR,booked"),
    )
    rs.apply_reconciliation(store, CONTROLLER, b.SOON, paid.import_id)
    returned = rs.import_statement(
        store,
        CLERK,
        b.SOON,
        programme_id=b.PROGRAMME,
        mapping=MAPPING,
        content=statement(f"2024-03-19,{ids[0]},10.00,EUR,returned"),
    )
    other = Actor("treasurer-9")  # who confirmed a payment does not reverse it
    applied = rs.apply_reconciliation(store, other, b.SOON, returned.import_id)
    assert applied == {"DisbursementReversed": 1}
    assert store.snapshot().disbursements[ids[0]].status is DisbursementStatus.REVERSED
    assert verify_audit(store).ok


def test_an_apply_interrupted_between_chunks_goes_on_where_it_stopped_and_applies_once(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = sent(store)
    content = statement(
        f"2024-03-12,{ids[0]},-10.00,EUR,booked",
        f"2024-03-12,{ids[1]},-20.00,EUR,booked",
        f"2024-03-12,{ids[2]},-30.00,EUR,failed",
    )
    imported = rs.import_statement(
        store, CLERK, b.SOON, programme_id=b.PROGRAMME, content=content, mapping=MAPPING
    )
    whole = rs._apply_part
    committed: list[ev.Event] = []

    def interrupted(*args: object) -> list[ev.Event]:
        if committed:  # the chunk after the first that recorded something
            raise KeyboardInterrupt
        committed.extend(whole(*args))  # type: ignore[arg-type]
        return committed

    monkeypatch.setattr(rs, "_apply_part", interrupted)
    with pytest.raises(KeyboardInterrupt):
        rs.apply_reconciliation(store, CONTROLLER, b.SOON, imported.import_id, chunk=1)
    monkeypatch.setattr(rs, "_apply_part", whole)
    done = [
        i
        for i in ids[:3]
        if store.snapshot().disbursements[i].status is not DisbursementStatus.APPROVED
    ]
    assert len(done) == len(committed) == 1
    seen: list[tuple[int, int]] = []
    rest = rs.apply_reconciliation(
        store, CONTROLLER, b.SOON, imported.import_id, chunk=1, progress=lambda *p: seen.append(p)
    )
    assert sum(rest.values()) == 2
    assert seen == [(n, 5) for n in range(1, 6)]  # two payments sent are missing: no events
    statuses = {d.disbursement_id: d.status for d in store.snapshot().disbursements.values()}
    assert [statuses[i] for i in ids[:3]] == [
        DisbursementStatus.PAID,
        DisbursementStatus.PAID,
        DisbursementStatus.FAILED,
    ]
    assert rs.apply_reconciliation(store, CONTROLLER, b.SOON, imported.import_id) == {}
    assert verify_audit(store).ok


def test_an_apply_refused_for_four_eyes_in_a_later_chunk_writes_nothing(store: Store) -> None:
    other = Actor("finance-2")
    late = b.requested(store, "pkg-1", "c1", 6000)
    ps.approve_disbursement(store, other, b.SOON, late.disbursement_id)
    ids = sent(store)
    assert ids[5] == late.disbursement_id
    content = statement(
        f"2024-03-12,{ids[0]},-10.00,EUR,booked", f"2024-03-12,{ids[5]},-60.00,EUR,booked"
    )
    imported = rs.import_statement(
        store, CLERK, b.SOON, programme_id=b.PROGRAMME, content=content, mapping=MAPPING
    )
    before = len(list(store.entries()))
    with pytest.raises(FourEyesViolation):
        rs.apply_reconciliation(store, other, b.SOON, imported.import_id, chunk=1)
    assert len(list(store.entries())) == before
    assert rs.apply_reconciliation(store, CONTROLLER, b.SOON, imported.import_id) == {
        "DisbursementPaid": 2
    }


def test_applying_records_the_payments_in_the_order_they_were_made_not_the_statements(
    store: Store,
) -> None:
    ids = sent(store)  # made smallest first
    lines = [f"2024-03-12,{i},-{n}0.00,EUR,booked" for n, i in enumerate(ids, 1)]
    imported = rs.import_statement(
        store,
        CLERK,
        b.SOON,
        programme_id=b.PROGRAMME,
        content=statement(*reversed(lines)),
        mapping=MAPPING,
    )
    rs.apply_reconciliation(store, CONTROLLER, b.SOON, imported.import_id, chunk=2)
    paid = [e.event for e in store.entries() if isinstance(e.event, ev.DisbursementPaid)]
    assert [e.disbursement_id for e in paid] == ids
    assert verify_audit(store).ok


def test_the_same_file_twice_is_recognised_and_not_applied_again(store: Store) -> None:
    ids = sent(store)
    content = statement(f"2024-03-12,{ids[0]},-10.00,EUR,booked")
    rs.import_statement(
        store, CLERK, b.SOON, programme_id=b.PROGRAMME, content=content, mapping=MAPPING
    )
    before = len(list(store.entries()))
    with pytest.raises(StatementAlreadyImported):
        rs.import_statement(
            store, CLERK, b.SOON, programme_id=b.PROGRAMME, content=content, mapping=MAPPING
        )
    assert len(list(store.entries())) == before


def test_a_malformed_file_is_refused_whole_with_the_line_at_fault(store: Store) -> None:
    sent(store)
    before = store.snapshot()
    with pytest.raises(StatementRejected) as refused:
        rs.import_statement(
            store,
            CLERK,
            b.SOON,
            programme_id=b.PROGRAMME,
            mapping=MAPPING,
            content=statement("2024-03-12,x,-10.00,EUR,booked", "2024-03-12,y,-10.001,EUR,booked"),
        )
    assert "line 3" in (refused.value.field or "")
    assert store.snapshot() == before


def test_a_statement_that_does_not_reconcile_is_imported_only_when_accepted_and_recorded(
    store: Store,
) -> None:
    sent(store)
    kept = (FIXTURES / "mt940_abnamro.sta").read_bytes()
    off = kept.replace(b"EUR11150,00", b"EUR11150,01")
    before = store.snapshot()
    with pytest.raises(StatementDoesNotReconcile) as refused:
        rs.import_statement(store, CLERK, b.SOON, programme_id=b.PROGRAMME, content=off)
    assert "statement 1 (417164300)" in refused.value.message
    assert "0.01 EUR away from the opening balance" in refused.value.message
    assert refused.value.text is not None
    assert "s'écarte de 0,01\xa0€ du solde d'ouverture" in in_language(refused.value.text, "fr")
    assert store.snapshot() == before
    imported = rs.import_statement(
        store, CLERK, b.SOON, programme_id=b.PROGRAMME, content=off, accept_discrepancy=True
    )
    assert [(d.statement, d.account, d.currency, d.amount) for d in imported.discrepancies] == [
        (1, "417164300", "EUR", 1)
    ]
    clean = rs.import_statement(store, CLERK, b.SOON, programme_id=b.PROGRAMME, content=kept)
    assert (clean.discrepancies, clean.remarks) == ((), ())
    latin = (FIXTURES / "mt940_latin1.sta").read_bytes()
    guessed = rs.import_statement(store, CLERK, b.SOON, programme_id=b.PROGRAMME, content=latin)
    assert guessed.remarks == (
        "not UTF-8 (byte 0xFC on line 7): read as Windows-1252 (Latin-1); give the encoding "
        "if it is another",
    )
    assert verify_audit(store).ok


def test_a_manual_match_needs_a_reason_and_a_second_person_before_it_is_applied(
    store: Store,
) -> None:
    ids = sent(store)
    imported = rs.import_statement(
        store,
        CLERK,
        b.SOON,
        programme_id=b.PROGRAMME,
        mapping=MAPPING,
        content=statement("2024-03-12,typo-ref,-41.00,EUR,booked"),
    )
    _, rec = rs.reconcile(store, imported.import_id)
    position = rec.unknown_line[0].line.position  # type: ignore[union-attr]
    with pytest.raises(ValidationFailed):
        rs.propose_decision(
            store,
            CLERK,
            b.SOON,
            imported.import_id,
            position=position,
            kind=ev.DecisionKind.MATCH,
            reason=" ",
            disbursement_id=ids[3],
        )
    proposed = rs.propose_decision(
        store,
        CLERK,
        b.SOON,
        imported.import_id,
        position=position,
        kind=ev.DecisionKind.MATCH,
        reason="provider mistyped our reference",
        disbursement_id=ids[3],
    )
    decision = proposed.decisions[0].decision_id
    assert rs.apply_reconciliation(store, CONTROLLER, b.SOON, imported.import_id) == {}
    with pytest.raises(FourEyesViolation):
        rs.confirm_decision(store, CLERK, b.SOON, imported.import_id, decision)
    rs.confirm_decision(store, CONTROLLER, b.SOON, imported.import_id, decision)
    applied = rs.apply_reconciliation(store, Actor("treasurer-9"), b.SOON, imported.import_id)
    assert applied == {"DisbursementPaid": 1}
    assert store.snapshot().disbursements[ids[3]].status is DisbursementStatus.PAID


def test_a_manual_match_names_a_payment_that_was_sent(store: Store) -> None:
    sent(store)
    imported = rs.import_statement(
        store,
        CLERK,
        b.SOON,
        programme_id=b.PROGRAMME,
        mapping=MAPPING,
        content=statement("2024-03-12,typo-ref,-41.00,EUR,booked"),
    )
    with pytest.raises(NotFound):
        rs.propose_decision(
            store,
            CLERK,
            b.SOON,
            imported.import_id,
            position="line 2",
            kind=ev.DecisionKind.MATCH,
            reason="looks like ours",
            disbursement_id="dsb_never",
        )


def test_a_short_payment_written_off_with_a_second_person_is_recorded_paid(store: Store) -> None:
    ids = sent(store)
    imported = rs.import_statement(
        store,
        CLERK,
        b.SOON,
        programme_id=b.PROGRAMME,
        mapping=MAPPING,
        content=statement(f"2024-03-12,{ids[1]},-19.50,EUR,booked"),
    )
    proposed = rs.propose_decision(
        store,
        CLERK,
        b.SOON,
        imported.import_id,
        position="line 2",
        kind=ev.DecisionKind.WRITE_OFF,
        reason="provider fee of 0.50 taken from the payment",
    )
    rs.confirm_decision(
        store, CONTROLLER, b.SOON, imported.import_id, proposed.decisions[0].decision_id
    )
    applied = rs.apply_reconciliation(store, Actor("treasurer-9"), b.SOON, imported.import_id)
    assert applied == {"DisbursementPaid": 1}
    assert store.snapshot().disbursements[ids[1]].status is DisbursementStatus.PAID


def test_a_statement_of_one_provider_is_matched_against_that_providers_batches_only(
    store: Store,
) -> None:
    sent(store)
    imported = rs.import_statement(
        store,
        CLERK,
        b.SOON,
        programme_id=b.PROGRAMME,
        mapping=MAPPING,
        content=statement("2024-03-12,bank-ref,-41.00,EUR,booked"),
        provider=Channel.BANK,
    )
    _, rec = rs.reconcile(store, imported.import_id)
    assert rec.missing == ()
    assert len(rec.unknown_line) == 1


def test_an_import_of_a_wallet_in_two_currencies_totals_each_currency_apart() -> None:
    day = dt.date(2024, 3, 12)

    def line(n: int, amount: int, currency: str, direction: Direction) -> StatementLine:
        return StatementLine(
            position=f"line {n}",
            booked_on=day,
            reference=None,
            amount=amount,
            currency=currency,
            direction=direction,
        )

    wallet = Statement(
        format="csv",
        version=None,
        account=None,
        currency="EUR",
        opening_balance=None,
        closing_balance=None,
        lines=(
            line(2, 1000, "EUR", Direction.DEBIT),
            line(3, 6550, "XOF", Direction.DEBIT),
            line(4, 250, "EUR", Direction.CREDIT),
        ),
    )
    event = import_statement(
        "imp-1",
        programme_id="p",
        content_hash="h",
        fmt="csv",
        statements=(wallet,),
        known=None,
        today=day,
    )
    assert [(t.currency, t.entries, t.credits, t.debits) for t in event.totals] == [
        ("EUR", 2, 250, 1000),
        ("XOF", 1, 0, 6550),
    ]
