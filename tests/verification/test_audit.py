"""The audit replays receipt verification: a round, its answers and follow-ups are rebuilt
from the journal, in memory and in SQLite alike, and a round changed behind the journal's
back is reported."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import msgspec
import pytest
from sqlalchemy import update

from reintegrate import events as ev
from reintegrate.services import verification as vs
from reintegrate.services.audit import verify_audit
from reintegrate.store.base import Store
from reintegrate.store.memory import MemoryStore
from reintegrate.store.sql import SqlStore
from reintegrate.store.sql_verification import ROUNDS
from tests.builders import SOON
from tests.verification.builders import MONITOR, SUPERVISOR, dakar_round, programme_with_payments

LATER = SOON + dt.timedelta(days=3)


def a_round_with_answers(store: Store) -> str:
    """A round with a full answer, a short one (fu1) and a missing one (fu2, closed)."""
    found = dakar_round(store)
    first, second, third = found.drawn[:3]
    answers = [
        (first.disbursement_id, ev.AnswerKind.RECEIVED, first.amount, ""),
        (second.disbursement_id, ev.AnswerKind.RECEIVED_WITH_ISSUES, second.amount - 500, "a fee"),
        (third.disbursement_id, ev.AnswerKind.NOT_RECEIVED, None, ""),
    ]
    for disbursement_id, kind, amount, note in answers:
        vs.record_answer(
            store,
            MONITOR,
            LATER,
            found.round_id,
            disbursement_id=disbursement_id,
            answer=kind,
            amount=amount,
            currency=None if amount is None else "EUR",
            note=note,
        )
    vs.close_follow_up(
        store,
        SUPERVISOR,
        LATER,
        found.round_id,
        "fu2",
        resolution=ev.Resolution.CONFIRMED_RECEIVED,
        reason="the beneficiary found the payment on a second wallet",
    )
    return found.round_id


@pytest.fixture(params=["memory", "sqlite"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Store:
    if request.param == "memory":
        return MemoryStore()
    sql = SqlStore(f"sqlite:///{tmp_path}/db.sqlite")
    sql.create_all()
    return sql


def test_the_audit_is_clean_after_a_round_and_replay_rebuilds_it(store: Store) -> None:
    programme_with_payments(store)
    round_id = a_round_with_answers(store)

    report = verify_audit(store)

    assert report.ok, [d.describe() for d in report.differences]
    found = store.snapshot().verification_rounds[round_id]
    assert len(found.answers) == 3
    assert [(f.follow_up_id, f.is_open) for f in found.follow_ups] == [
        ("fu1", True),
        ("fu2", False),
    ]


def test_a_round_changed_in_the_database_is_reported(tmp_path: Path) -> None:
    store = SqlStore(f"sqlite:///{tmp_path}/db.sqlite")
    store.create_all()
    programme_with_payments(store)
    round_id = a_round_with_answers(store)
    found = store.snapshot().verification_rounds[round_id]
    forged = msgspec.structs.replace(found, seed=found.seed + 1)
    with store.engine.begin() as conn:
        body = msgspec.json.encode(forged, order="sorted")
        conn.execute(update(ROUNDS).where(ROUNDS.c.round_id == round_id).values(body=body))

    report = verify_audit(store)

    assert not report.ok
    (difference,) = report.differences
    assert (difference.record, difference.key) == ("verification_rounds", round_id)
    assert [f.path for f in difference.fields] == ["seed"]
