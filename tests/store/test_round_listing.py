"""Receipt verification rounds listed in SQL, on SQLite and PostgreSQL alike: a round is
listed to whoever sees every office it was drawn from, narrowed by programme and time, page
after page, and the migration that gave rounds their offices and stamps keeps them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest
from alembic import command
from sqlalchemy import text

from reintegrate.access import Scope
from reintegrate.events import AnswerKind
from reintegrate.reconcile.receipts.rounds import VerificationRound
from reintegrate.services import packages as ps
from reintegrate.services import verification as vs
from reintegrate.services.context import Actor
from reintegrate.store.base import EVERYWHERE
from reintegrate.store.listing import ListFilters
from reintegrate.store.migrate import alembic_config, upgrade
from tests.builders import ADMIN, APPROVER, FINANCE, OFFICER, TREASURER
from tests.store.test_listing import DAKAR, LAGOS_APPROVER, THIRD, Listed, listed

__all__ = ["listed"]
LAGOS = Scope(offices=frozenset({"lagos"}))
BOTH = Scope(offices=frozenset({"dakar", "lagos"}))
DRAWN_DAKAR, DRAWN_EVERYWHERE, DRAWN_LAGOS, ANSWERED = (
    THIRD + dt.timedelta(days=d) for d in range(1, 5)
)


@dataclass(frozen=True)
class Rounds:
    """Rounds of dakar's, every office's and lagos's paid payments, drawn a day apart; the
    dakar round answered a day after the last was drawn."""

    listed: Listed
    dakar: str
    everywhere: str
    lagos: str


@pytest.fixture
def rounds(listed: Listed) -> Rounds:
    store = listed.store
    ps.approve_disbursement(store, FINANCE, THIRD, listed.in_lagos)
    ps.confirm_disbursement(store, TREASURER, THIRD, listed.in_lagos, "provider-ref-l")
    made = [
        _draw(listed, who, when).round_id
        for who, when in (
            (APPROVER, DRAWN_DAKAR),
            (ADMIN, DRAWN_EVERYWHERE),
            (LAGOS_APPROVER, DRAWN_LAGOS),
        )
    ]
    vs.record_answer(
        store,
        OFFICER,
        ANSWERED,
        made[0],
        disbursement_id=listed.paid,
        answer=AnswerKind.RECEIVED,
    )
    return Rounds(listed, *made)


def _draw(listed: Listed, who: Actor, when: dt.datetime) -> VerificationRound:
    confidence, margin = Decimal("0.95"), Decimal("0.05")
    return vs.draw_round(listed.store, who, when, "eurp", confidence=confidence, margin=margin)


def listed_rounds(found: Rounds, scope: Scope = EVERYWHERE, **given: object) -> set[str]:
    filters = ListFilters(**given)  # type: ignore[arg-type]
    return {r.round_id for r in found.listed.queries.rounds.page(scope, None, 100, filters)}


def test_a_round_is_listed_to_whoever_sees_every_office_it_was_drawn_from(
    rounds: Rounds,
) -> None:
    assert listed_rounds(rounds) == {rounds.dakar, rounds.everywhere, rounds.lagos}
    assert listed_rounds(rounds, DAKAR) == {rounds.dakar}
    assert listed_rounds(rounds, LAGOS) == {rounds.lagos}
    assert listed_rounds(rounds, BOTH) == {rounds.dakar, rounds.lagos}
    assert listed_rounds(rounds, Scope(offices=frozenset())) == set()


def test_a_programme_filter_keeps_that_programmes_rounds_only(rounds: Rounds) -> None:
    assert listed_rounds(rounds, DAKAR, programme_id="eurp") == {rounds.dakar}
    assert listed_rounds(rounds, programme_id="another") == set()


def test_created_since_keeps_the_rounds_drawn_at_or_after_that_time(rounds: Rounds) -> None:
    assert listed_rounds(rounds, created_since=DRAWN_EVERYWHERE) == {
        rounds.everywhere,
        rounds.lagos,
    }


def test_updated_since_keeps_a_round_answered_since_though_drawn_before(rounds: Rounds) -> None:
    assert listed_rounds(rounds, updated_since=ANSWERED) == {rounds.dakar}
    assert listed_rounds(rounds, updated_since=ANSWERED + dt.timedelta(seconds=1)) == set()


def test_pages_of_rounds_follow_one_another_and_hold_each_once(rounds: Rounds) -> None:
    seen: list[str] = []
    after = None
    while page := rounds.listed.queries.rounds.page(BOTH, after, 1, ListFilters()):
        seen.append(page[0].round_id)
        after = seen[-1]
    assert seen == sorted({rounds.dakar, rounds.lagos})


def test_the_migration_files_existing_rounds_under_their_offices_and_stamps(
    rounds: Rounds,
) -> None:
    store = rounds.listed.store
    queries = (
        text("SELECT round_id, every_office, created_at, updated_at FROM verification_rounds"),
        text("SELECT round_id, office FROM verification_round_offices"),
    )
    with store.engine.connect() as conn:
        before = [set(conn.execute(query).all()) for query in queries]
    command.downgrade(alembic_config(store.engine), "0015")
    upgrade(store.engine)
    with store.engine.connect() as conn:
        assert [set(conn.execute(query).all()) for query in queries] == before
    assert listed_rounds(rounds, DAKAR, updated_since=ANSWERED) == {rounds.dakar}
