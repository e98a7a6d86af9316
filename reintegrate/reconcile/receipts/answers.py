"""Answers of a receipt verification round, the follow-ups they open, and the round's state
after each of its events (the projection replay rebuilds).

Answer rules:
- only for a disbursement the round drew, once each;
- not by whoever confirmed that disbursement as paid (they would be checking themselves);
- `received_with_issues` needs a note saying what went wrong; any answer may carry one, of
  at most `MAX_NOTE` characters (what was said, never who said it);
- an amount received may come with `received` or `received_with_issues`, never with
  `not_received`; it is in the disbursement's own currency, above zero (nothing received is
  `not_received`) and never above what was paid: a beneficiary cannot have received more
  than the provider was paid to deliver, so such an amount is a recording mistake, refused.
  An amount below what was paid is accepted as said and flags the difference.

A follow-up is opened by `not_received` (the whole amount is missing) and by an amount below
what was paid (the difference is missing). It is closed with a resolution and a reason by
someone else than who recorded the answer that opened it (four eyes).
"""

from __future__ import annotations

import datetime as dt

import msgspec

from reintegrate import events as ev
from reintegrate.errors import (
    DomainError,
    InvalidTransition,
    NotFound,
    ValidationFailed,
)
from reintegrate.four_eyes import require_another_person
from reintegrate.money import amount_text, format_minor
from reintegrate.reasons import MAX_REASON, stated_reason
from reintegrate.reconcile.receipts.rounds import FollowUp, ReceiptAnswer, VerificationRound
from reintegrate.texts import Text

MAX_NOTE = 200
RoundEvent = ev.VerificationRoundDrawn | ev.ReceiptAnswerRecorded | ev.FollowUpClosed


class NotInSample(DomainError):
    """An answer about a disbursement the round did not draw."""

    type = "not-in-sample"


class AlreadyAnswered(DomainError):
    type = "already-answered"


class AmountAbovePaid(DomainError):
    """A beneficiary said they received more than was paid."""

    type = "amount-above-paid"


def record_answer(
    found: VerificationRound,
    disbursement_id: str,
    answer: ev.AnswerKind,
    *,
    amount: int | None,
    currency: str | None,
    note: str,
    actor: str,
    confirmed_by: str | None,
    today: dt.date,
) -> ev.ReceiptAnswerRecorded:
    """The beneficiary's answer about one drawn disbursement; `confirmed_by` is who confirmed
    that disbursement as paid."""
    paid = found.payment(disbursement_id)
    if paid is None:
        raise NotInSample(
            Text(
                "round {round_id} did not draw disbursement {disbursement_id}",
                round_id=found.round_id,
                disbursement_id=disbursement_id,
            ),
            field="disbursement_id",
        )
    if found.answer(disbursement_id) is not None:
        raise AlreadyAnswered(
            Text(
                "the answer about disbursement {disbursement_id} is recorded already",
                disbursement_id=disbursement_id,
            ),
            field="disbursement_id",
        )
    require_another_person(
        actor,
        confirmed_by,
        did=Text(
            "confirmed disbursement {disbursement_id} as paid", disbursement_id=disbursement_id
        ),
        cannot=Text("record whether it was received"),
    )
    text = _note(note, required=answer is ev.AnswerKind.RECEIVED_WITH_ISSUES)
    received = _amount(paid, answer, amount, currency)
    return ev.ReceiptAnswerRecorded(
        round_id=found.round_id,
        programme_id=found.programme_id,
        disbursement_id=disbursement_id,
        answer=answer,
        amount=received,
        note=text,
        follow_up=_opened(found, paid, answer, received),
        on=today,
    )


def _note(note: str, *, required: bool) -> str:
    text = note.strip()
    if required and not text:
        raise ValidationFailed(Text("received_with_issues needs a note saying what"), field="note")
    if len(text) > MAX_NOTE:
        raise ValidationFailed(
            Text(
                "a note has at most {most} characters (got {length})",
                most=MAX_NOTE,
                length=len(text),
            ),
            field="note",
            details={"limit": "note length", "size": MAX_NOTE, "requested": len(text)},
        )
    return text


def _amount(
    paid: ev.DrawnPayment, answer: ev.AnswerKind, amount: int | None, currency: str | None
) -> int | None:
    if amount is None:
        return None
    if answer is ev.AnswerKind.NOT_RECEIVED:
        raise ValidationFailed(Text("a not_received answer carries no amount"), field="amount")
    if currency != paid.currency:
        raise ValidationFailed(_not_in_paid_currency(paid, currency), field="amount.currency")
    if amount <= 0:
        raise ValidationFailed(
            Text("an amount received is above zero (nothing received: answer not_received)"),
            field="amount.amount",
        )
    if amount > paid.amount:
        c = paid.currency
        raise AmountAbovePaid(
            Text(
                "{received} is more than the {paid} paid on disbursement {disbursement_id}",
                received=amount_text(amount, c),
                paid=amount_text(paid.amount, c),
                disbursement_id=paid.disbursement_id,
            ),
            field="amount.amount",
            details={
                "limit": "amount paid",
                "size": format_minor(paid.amount, c),
                "requested": format_minor(amount, c),
                "currency": c,
            },
        )
    return amount


def _opened(
    found: VerificationRound, paid: ev.DrawnPayment, answer: ev.AnswerKind, received: int | None
) -> ev.OpenedFollowUp | None:
    if answer is ev.AnswerKind.NOT_RECEIVED:
        reason, shortfall = ev.FollowUpReason.NOT_RECEIVED, paid.amount
    elif received is not None and received < paid.amount:
        reason, shortfall = ev.FollowUpReason.AMOUNT_SHORT, paid.amount - received
    else:
        return None
    follow_up_id = f"fu{len(found.follow_ups) + 1}"
    return ev.OpenedFollowUp(follow_up_id=follow_up_id, reason=reason, shortfall=shortfall)


def close_follow_up(
    found: VerificationRound,
    follow_up_id: str,
    resolution: ev.Resolution,
    reason: str,
    *,
    actor: str,
    today: dt.date,
) -> ev.FollowUpClosed:
    follow_up = found.follow_up(follow_up_id)
    if follow_up is None:
        raise NotFound(
            Text(
                "round {round_id} has no follow-up {follow_up_id}",
                round_id=found.round_id,
                follow_up_id=follow_up_id,
            ),
            field="follow_up_id",
        )
    if follow_up.resolution is not None:
        raise InvalidTransition(
            Text(
                "follow-up {follow_up_id} was closed already ({resolution})",
                follow_up_id=follow_up_id,
                resolution=ev.RESOLUTION_WORDS[follow_up.resolution],
            ),
            field="status",
        )
    require_another_person(
        actor,
        follow_up.opened_by,
        did=Text(
            "recorded the answer that opened follow-up {follow_up_id}", follow_up_id=follow_up_id
        ),
        cannot=Text("close that follow-up"),
    )
    text = stated_reason(reason, most=MAX_REASON)
    return ev.FollowUpClosed(
        round_id=found.round_id,
        programme_id=found.programme_id,
        follow_up_id=follow_up_id,
        resolution=resolution,
        reason=text,
        on=today,
    )


def evolve_round(
    found: VerificationRound | None, event: RoundEvent, actor: str
) -> VerificationRound:
    """The round after `event`; its version counts its changes."""
    if isinstance(event, ev.VerificationRoundDrawn):
        return VerificationRound(
            round_id=event.round_id,
            programme_id=event.programme_id,
            offices=event.offices,
            confidence=event.confidence,
            margin=event.margin,
            expected_proportion=event.expected_proportion,
            seed=event.seed,
            population_size=event.population_size,
            population_digest=event.population_digest,
            drawn=event.drawn,
            drawn_by=actor,
            drawn_on=event.on,
        )
    assert found is not None, f"a round event follows its draw ({event.round_id})"
    if isinstance(event, ev.ReceiptAnswerRecorded):
        changed = _answered(found, event, actor)
    else:
        changed = _closed(found, event, actor)
    return msgspec.structs.replace(changed, version=found.version + 1)


def _answered(
    found: VerificationRound, event: ev.ReceiptAnswerRecorded, actor: str
) -> VerificationRound:
    recorded = ReceiptAnswer(
        disbursement_id=event.disbursement_id,
        answer=event.answer,
        amount=event.amount,
        note=event.note,
        recorded_by=actor,
        recorded_on=event.on,
    )
    follow_ups = found.follow_ups
    if event.follow_up is not None:
        follow_ups = (*follow_ups, _follow_up(found, event, event.follow_up, actor))
    return msgspec.structs.replace(found, answers=(*found.answers, recorded), follow_ups=follow_ups)


def _closed(found: VerificationRound, event: ev.FollowUpClosed, actor: str) -> VerificationRound:
    closed = tuple(
        msgspec.structs.replace(
            f,
            resolution=event.resolution,
            closing_reason=event.reason,
            closed_by=actor,
            closed_on=event.on,
        )
        if f.follow_up_id == event.follow_up_id
        else f
        for f in found.follow_ups
    )
    return msgspec.structs.replace(found, follow_ups=closed)


def _follow_up(
    found: VerificationRound,
    event: ev.ReceiptAnswerRecorded,
    opened: ev.OpenedFollowUp,
    actor: str,
) -> FollowUp:
    paid = found.payment(event.disbursement_id)
    assert paid is not None, f"an answer names a drawn disbursement ({event.disbursement_id})"
    return FollowUp(
        follow_up_id=opened.follow_up_id,
        disbursement_id=event.disbursement_id,
        reason=opened.reason,
        shortfall=opened.shortfall,
        currency=paid.currency,
        opened_by=actor,
        opened_on=event.on,
    )


def _not_in_paid_currency(paid: ev.DrawnPayment, currency: str | None) -> Text:
    if currency is None:
        return Text(
            "disbursement {disbursement_id} was paid in {currency}; the amount received is "
            "given in it, with its currency",
            disbursement_id=paid.disbursement_id,
            currency=paid.currency,
        )
    return Text(
        "disbursement {disbursement_id} was paid in {currency}; the amount received is given "
        "in it (got {given})",
        disbursement_id=paid.disbursement_id,
        currency=paid.currency,
        given=currency,
    )
