"""Use cases of receipt verification: draw a round, record an answer, close a follow-up."""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal

from reintegrate import events as ev
from reintegrate.errors import NotFound, ValidationFailed
from reintegrate.grants.disbursements import DisbursementStatus
from reintegrate.reconcile.receipts import answers as receipts
from reintegrate.reconcile.receipts import rounds as rv
from reintegrate.services.context import Actor, existing_programme, new_id, utc
from reintegrate.services.recording import record
from reintegrate.store.base import EVERYWHERE, Store, UnitOfWork
from reintegrate.store.records import Lookup
from reintegrate.texts import Text


def load_round(
    rounds: Lookup[rv.VerificationRound],
    round_id: str,
    actor: Actor,
    programme_id: str | None = None,
) -> rv.VerificationRound:
    """The round, if the caller sees every office it was drawn from (and, when given, it is
    one of `programme_id`'s); NotFound otherwise."""
    found = rounds.get(round_id, actor.scope)
    if found is None or programme_id not in (None, found.programme_id):
        raise NotFound(
            Text("no receipt verification round {round_id}", round_id=round_id), field="round_id"
        )
    return found


def draw_round(
    store: Store,
    actor: Actor,
    now: dt.datetime,
    programme_id: str,
    *,
    confidence: Decimal,
    margin: Decimal,
    seed: int | None = None,
    expected_proportion: Decimal = rv.DEFAULT_PROPORTION,
    round_id: str | None = None,
) -> rv.VerificationRound:
    """Draw a sample of the programme's paid disbursements in the caller's offices; without
    a seed, one is chosen at random (and recorded, like a given one)."""
    today = utc(now).date()
    chosen = secrets.randbelow(rv.MAX_SEED + 1) if seed is None else seed
    with store.unit_of_work() as uow:
        existing_programme(uow.programme(programme_id), programme_id)
        round_id = round_id or new_id("rv")
        if uow.rounds.get(round_id, EVERYWHERE) is not None:
            raise ValidationFailed(
                Text("round {round_id} exists already", round_id=round_id), field="round_id"
            )
        paid = uow.disbursements_in(programme_id, DisbursementStatus.PAID, actor.scope)
        event = rv.draw_round(
            round_id,
            programme_id,
            actor.scope.offices,
            paid,
            confidence=confidence,
            margin=margin,
            expected_proportion=expected_proportion,
            seed=chosen,
            today=today,
        )
        record(uow, actor.user_id, utc(now), [event])
        return _done(uow, round_id)


def record_answer(
    store: Store,
    actor: Actor,
    now: dt.datetime,
    round_id: str,
    *,
    disbursement_id: str,
    answer: ev.AnswerKind,
    amount: int | None = None,
    currency: str | None = None,
    note: str = "",
    programme_id: str | None = None,
) -> rv.VerificationRound:
    """Record what the beneficiary of one drawn disbursement says they received."""
    with store.unit_of_work() as uow:
        found = load_round(uow.rounds, round_id, actor, programme_id)
        paid = uow.disbursements.get(disbursement_id, EVERYWHERE)
        event = receipts.record_answer(
            found,
            disbursement_id,
            answer,
            amount=amount,
            currency=currency,
            note=note,
            actor=actor.user_id,
            confirmed_by=None if paid is None else paid.confirmed_by,
            today=utc(now).date(),
        )
        record(uow, actor.user_id, utc(now), [event])
        return _done(uow, round_id)


def close_follow_up(
    store: Store,
    actor: Actor,
    now: dt.datetime,
    round_id: str,
    follow_up_id: str,
    *,
    resolution: ev.Resolution,
    reason: str,
    programme_id: str | None = None,
) -> rv.VerificationRound:
    """Close a follow-up with its resolution (not by whoever recorded the answer)."""
    with store.unit_of_work() as uow:
        found = load_round(uow.rounds, round_id, actor, programme_id)
        event = receipts.close_follow_up(
            found, follow_up_id, resolution, reason, actor=actor.user_id, today=utc(now).date()
        )
        record(uow, actor.user_id, utc(now), [event])
        return _done(uow, round_id)


def _done(uow: UnitOfWork, round_id: str) -> rv.VerificationRound:
    found = uow.rounds.get(round_id, EVERYWHERE)
    assert found is not None, f"the round was just recorded ({round_id})"
    uow.commit()
    return found
