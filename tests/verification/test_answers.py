"""Answers: once per drawn disbursement, amounts never above what was paid; a missing
payment or a short one opens a follow-up that someone else closes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from reintegrate import events as ev
from reintegrate.access import EVERYWHERE
from reintegrate.errors import DomainError, FourEyesViolation, InvalidTransition, NotFound
from reintegrate.notes import notes_in
from reintegrate.reconcile.receipts import answers as receipts
from reintegrate.reconcile.receipts.rounds import VerificationRound
from reintegrate.services import verification as vs
from reintegrate.services.context import Actor
from reintegrate.services.notes import read_opened
from reintegrate.store.memory import MemoryStore
from tests.builders import SOON, TREASURER
from tests.verification.builders import (
    LAGOS_OFFICER,
    MONITOR,
    SUPERVISOR,
    Payments,
    dakar_round,
    programme_with_payments,
)

LATER = SOON + dt.timedelta(days=2)


@pytest.fixture
def store() -> MemoryStore:
    return MemoryStore()


@pytest.fixture
def payments(store: MemoryStore) -> Payments:
    return programme_with_payments(store)


@pytest.fixture
def drawn(store: MemoryStore, payments: Payments) -> VerificationRound:
    return dakar_round(store)


def answer(
    store: MemoryStore,
    found: VerificationRound,
    kind: ev.AnswerKind,
    n: int = 0,
    *,
    actor: Actor = MONITOR,
    disbursement_id: str | None = None,
    amount: int | None = None,
    currency: str | None = None,
    note: str = "",
) -> VerificationRound:
    """`kind` recorded for the `n`th drawn disbursement (or `disbursement_id`)."""
    return vs.record_answer(
        store,
        actor,
        LATER,
        found.round_id,
        disbursement_id=disbursement_id or found.drawn[n].disbursement_id,
        answer=kind,
        amount=amount,
        currency=currency,
        note=note,
    )


def close(store: MemoryStore, actor: Actor, found: VerificationRound, follow_up_id: str) -> None:
    vs.close_follow_up(
        store,
        actor,
        LATER,
        found.round_id,
        follow_up_id,
        resolution=ev.Resolution.REFERRED,
        reason="sent to the investigators",
    )


def stored(store: MemoryStore, round_id: str, programme_id: str | None = None) -> VerificationRound:
    with store.unit_of_work() as uow:
        return vs.load_round(uow.rounds, round_id, MONITOR, programme_id)


def test_a_not_received_answer_opens_a_follow_up_that_a_second_person_closes(
    store: MemoryStore, drawn: VerificationRound
) -> None:
    missing = drawn.drawn[0]
    answered = answer(store, drawn, ev.AnswerKind.NOT_RECEIVED)
    (opened,) = answered.follow_ups
    assert (opened.follow_up_id, opened.reason) == ("fu1", ev.FollowUpReason.NOT_RECEIVED)
    assert (opened.shortfall, opened.currency) == (missing.amount, missing.currency)
    assert opened.is_open
    assert opened.opened_by == MONITOR.user_id

    with pytest.raises(FourEyesViolation) as refused:
        vs.close_follow_up(
            store,
            MONITOR,
            LATER,
            drawn.round_id,
            "fu1",
            resolution=ev.Resolution.PROVIDER_CLAIM,
            reason="the agent never paid out",
        )
    assert refused.value.field == "actor"

    closed = vs.close_follow_up(
        store,
        SUPERVISOR,
        LATER,
        drawn.round_id,
        "fu1",
        resolution=ev.Resolution.PROVIDER_CLAIM,
        reason="the agent never paid out",
    )
    (done,) = closed.follow_ups
    assert not done.is_open
    assert (done.resolution, done.closed_by) == (ev.Resolution.PROVIDER_CLAIM, "supervisor-1")
    assert closed.version == drawn.version + 2
    (reason,) = notes_in(closed)
    with store.reading() as uow:
        paid_to = uow.disbursements.get(missing.disbursement_id, EVERYWHERE)
    assert paid_to is not None
    assert reason.owner == paid_to.case_id, "the closing reason goes with the payee's case"
    assert read_opened(store, closed).follow_ups[0].closing_reason == "the agent never paid out"


def test_a_follow_up_is_closed_once(store: MemoryStore, drawn: VerificationRound) -> None:
    answer(store, drawn, ev.AnswerKind.NOT_RECEIVED)
    close(store, SUPERVISOR, drawn, "fu1")
    with pytest.raises(InvalidTransition) as refused:
        close(store, SUPERVISOR, drawn, "fu1")
    assert refused.value.field == "status"
    with pytest.raises(NotFound) as unknown:
        close(store, SUPERVISOR, drawn, "fu9")
    assert unknown.value.field == "follow_up_id"
    assert stored(store, drawn.round_id).follow_ups[0].resolution is ev.Resolution.REFERRED


def test_an_amount_below_the_paid_one_is_kept_and_opens_a_follow_up_for_the_difference(
    store: MemoryStore, drawn: VerificationRound
) -> None:
    paid = drawn.drawn[0]
    answered = answer(
        store, drawn, ev.AnswerKind.RECEIVED, amount=paid.amount - 1500, currency=paid.currency
    )
    assert answered.answers[0].amount == paid.amount - 1500
    (opened,) = answered.follow_ups
    assert (opened.reason, opened.shortfall) == (ev.FollowUpReason.AMOUNT_SHORT, 1500)


def test_the_full_amount_or_no_amount_opens_nothing(
    store: MemoryStore, drawn: VerificationRound
) -> None:
    paid = drawn.drawn[0]
    full = answer(store, drawn, ev.AnswerKind.RECEIVED, amount=paid.amount, currency="EUR")
    issues = answer(
        store, full, ev.AnswerKind.RECEIVED_WITH_ISSUES, n=1, note="  the agent asked for a fee "
    )
    assert issues.follow_ups == ()
    assert [a.answer for a in issues.answers] == [
        ev.AnswerKind.RECEIVED,
        ev.AnswerKind.RECEIVED_WITH_ISSUES,
    ]
    assert read_opened(store, issues).answers[1].note == "the agent asked for a fee"


def test_an_answer_for_a_disbursement_not_drawn_is_refused(
    store: MemoryStore, payments: Payments
) -> None:
    found = dakar_round(store)
    left_out = sorted(set(payments.dakar_paid) - {d.disbursement_id for d in found.drawn})
    for disbursement_id in (left_out[0], payments.requested[0], "no-such-payment"):
        with pytest.raises(receipts.NotInSample) as refused:
            answer(store, found, ev.AnswerKind.RECEIVED, disbursement_id=disbursement_id)
        assert refused.value.field == "disbursement_id"


def test_a_second_answer_for_the_same_disbursement_is_refused(
    store: MemoryStore, drawn: VerificationRound
) -> None:
    answer(store, drawn, ev.AnswerKind.RECEIVED)
    with pytest.raises(receipts.AlreadyAnswered) as refused:
        answer(store, drawn, ev.AnswerKind.NOT_RECEIVED)
    assert refused.value.field == "disbursement_id"
    assert len(stored(store, drawn.round_id).answers) == 1


@pytest.mark.parametrize(
    ("kind", "given", "refusal"),
    [
        (ev.AnswerKind.RECEIVED, {"amount": 1, "currency": "XOF"}, ("amount.currency", None)),
        (ev.AnswerKind.RECEIVED, {"amount": 0, "currency": "EUR"}, ("amount.amount", None)),
        (ev.AnswerKind.RECEIVED, {"amount": -5, "currency": "EUR"}, ("amount.amount", None)),
        (ev.AnswerKind.NOT_RECEIVED, {"amount": 100, "currency": "EUR"}, ("amount", None)),
        (ev.AnswerKind.RECEIVED_WITH_ISSUES, {"note": "   "}, ("note", None)),
        (ev.AnswerKind.RECEIVED, {"note": "x" * 201}, ("note", "note length")),
    ],
)
def test_a_bad_amount_or_note_is_refused_naming_the_field(
    store: MemoryStore,
    drawn: VerificationRound,
    kind: ev.AnswerKind,
    given: dict[str, Any],
    refusal: tuple[str, str | None],
) -> None:
    """`refusal`: the field named, and the limit when there is one."""
    with pytest.raises(DomainError) as refused:
        answer(store, drawn, kind, **given)
    assert (refused.value.field, refused.value.details.get("limit")) == refusal


def test_an_amount_above_the_paid_one_is_refused_with_the_limit(
    store: MemoryStore, drawn: VerificationRound
) -> None:
    paid = drawn.drawn[0]
    with pytest.raises(receipts.AmountAbovePaid) as refused:
        answer(store, drawn, ev.AnswerKind.RECEIVED, amount=paid.amount + 1, currency="EUR")
    assert refused.value.field == "amount.amount"
    details = refused.value.details
    assert (details["limit"], details["currency"]) == ("amount paid", "EUR")
    assert details["size"] == f"{paid.amount // 100}.00"
    assert details["requested"] == f"{paid.amount // 100}.01"


def test_whoever_confirmed_the_payment_cannot_record_its_receipt(
    store: MemoryStore, drawn: VerificationRound
) -> None:
    with pytest.raises(FourEyesViolation) as refused:
        answer(store, drawn, ev.AnswerKind.RECEIVED, actor=TREASURER)
    assert refused.value.field == "actor"


def test_a_round_of_another_office_is_not_found(
    store: MemoryStore, drawn: VerificationRound
) -> None:
    with pytest.raises(NotFound) as refused:
        answer(store, drawn, ev.AnswerKind.RECEIVED, actor=LAGOS_OFFICER)
    assert refused.value.field == "round_id"
    with pytest.raises(NotFound):
        stored(store, drawn.round_id, programme_id="other")
