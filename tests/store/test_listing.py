"""Filtered listings run in SQL, on SQLite and PostgreSQL alike: each filter keeps what
matches and leaves out what does not, beside the office scoping, page after page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from alembic import command
from sqlalchemy import text

from reintegrate.access import Scope
from reintegrate.demo.people import register_demo_household
from reintegrate.grants.disbursements import Channel
from reintegrate.services import packages as ps
from reintegrate.services.context import Actor
from reintegrate.store.base import EVERYWHERE
from reintegrate.store.listing import ListFilters
from reintegrate.store.migrate import alembic_config, upgrade
from reintegrate.store.queries import Queries
from reintegrate.store.sql import SqlStore
from reintegrate.store.sql_stamps import stamp
from tests.builders import (
    APPROVER,
    FINANCE,
    LINE,
    SOON,
    TREASURER,
    approved_package,
    cash,
    household,
    in_kind,
    programme,
    register,
    requested,
    submitted_package,
)

FIRST, SECOND, THIRD = (SOON + dt.timedelta(days=d) for d in range(3))
DAKAR = Scope(offices=frozenset({"dakar"}))
LAGOS_OFFICER = Actor("officer-l", Scope(offices=frozenset({"lagos"})))
LAGOS_APPROVER = Actor("approver-l", Scope(offices=frozenset({"lagos"})))


@dataclass(frozen=True)
class Listed:
    """Payments made and changed on three days, in dakar and lagos."""

    store: SqlStore
    queries: Queries
    made_first: str
    """Requested on the first day, approved on the third."""
    by_bank: str
    """Requested by bank on the second day."""
    paid: str
    """Requested, approved and paid on the third day."""
    in_lagos: str
    """Requested in lagos on the second day."""
    person: str
    """The principal of the dakar case c1."""


@pytest.fixture
def listed(database_url: str) -> Iterator[Listed]:
    store = SqlStore(database_url)
    store.create_all()
    programme(store)
    c1 = register(store, household("c1"), FIRST)
    register_demo_household(store, LAGOS_OFFICER, FIRST, household("c-lagos", office="lagos"))
    approved_package(store, "c1", cash("c-cash", 615_00), package_id="pkg-1", when=FIRST)
    _lagos_package(store)
    made_first = requested(store, "pkg-1", "c-cash", 100_00, when=FIRST).disbursement_id
    by_bank = requested(store, "pkg-1", "c-cash", 50_00, channel=Channel.BANK, when=SECOND)
    in_lagos = ps.request_disbursement(
        store,
        LAGOS_OFFICER,
        SECOND,
        package_id="pkg-l",
        component_id="c-cash",
        amount=100_00,
        currency="EUR",
        channel=Channel.MOBILE_MONEY,
    )
    paid = requested(store, "pkg-1", "c-cash", 20_00, when=THIRD).disbursement_id
    ps.approve_disbursement(store, FINANCE, THIRD, paid)
    ps.confirm_disbursement(store, TREASURER, THIRD, paid, "provider-ref")
    ps.approve_disbursement(store, FINANCE, THIRD, made_first)
    yield Listed(
        store=store,
        queries=Queries(store.reader),
        made_first=made_first,
        by_bank=by_bank.disbursement_id,
        paid=paid,
        in_lagos=in_lagos.disbursement_id,
        person=c1.members[0].person_id,
    )
    store.engine.dispose()
    store.reader.dispose()


def _lagos_package(store: SqlStore) -> None:
    drafted = ps.draft_package(
        store,
        LAGOS_OFFICER,
        FIRST,
        case_id="c-lagos",
        budget_line=LINE,
        components=(cash("c-cash", 615_00),),
        package_id="pkg-l",
    )
    ps.submit_package(store, LAGOS_OFFICER, FIRST, drafted.package_id)
    ps.approve_package(store, LAGOS_APPROVER, FIRST, drafted.package_id)


def payments(listed: Listed, scope: Scope = EVERYWHERE, **given: object) -> set[str]:
    found = listed.queries.disbursements.page(scope, None, 100, ListFilters(**given))  # type: ignore[arg-type]
    return {d.disbursement_id for d in found}


def test_a_status_filter_keeps_the_payments_in_that_status_only(listed: Listed) -> None:
    assert payments(listed, status="approved") == {listed.made_first}
    assert payments(listed, status="requested") == {listed.by_bank, listed.in_lagos}
    assert payments(listed, status="paid") == {listed.paid}


def test_a_channel_filter_keeps_the_payments_through_that_channel_only(listed: Listed) -> None:
    assert payments(listed, channel="bank") == {listed.by_bank}
    assert listed.by_bank not in payments(listed, channel="mobile_money")


def test_a_programme_filter_keeps_that_programmes_payments_only(listed: Listed) -> None:
    every = {listed.made_first, listed.by_bank, listed.paid, listed.in_lagos}
    assert payments(listed, programme_id="eurp") == every
    assert payments(listed, programme_id="another") == set()


def test_an_office_filter_never_reaches_past_the_callers_offices(listed: Listed) -> None:
    assert payments(listed, office="lagos") == {listed.in_lagos}
    assert payments(listed, DAKAR, office="lagos") == set()
    assert listed.in_lagos not in payments(listed, DAKAR)
    assert payments(listed, DAKAR, office="dakar", status="requested") == {listed.by_bank}


def test_created_since_keeps_what_was_made_at_or_after_that_time(listed: Listed) -> None:
    assert payments(listed, created_since=SECOND) == {listed.by_bank, listed.in_lagos, listed.paid}
    assert payments(listed, created_since=THIRD) == {listed.paid}


def test_updated_since_keeps_what_was_changed_since_even_when_made_before(listed: Listed) -> None:
    assert payments(listed, updated_since=THIRD) == {listed.made_first, listed.paid}
    later = THIRD + dt.timedelta(seconds=1)
    assert payments(listed, updated_since=later) == set()


def test_a_time_in_another_zone_is_the_same_instant(listed: Listed) -> None:
    dakar_time = THIRD.astimezone(dt.timezone(dt.timedelta(hours=-1)))
    assert payments(listed, created_since=dakar_time) == {listed.paid}


def test_a_person_filter_keeps_the_cases_whose_household_has_that_person(
    listed: Listed,
) -> None:
    found = listed.queries.cases(EVERYWHERE, None, 10, ListFilters(person_id=listed.person))
    assert [c.case_id for c in found] == ["c1"]
    nobody = listed.queries.cases(EVERYWHERE, None, 10, ListFilters(person_id="nobody"))
    assert nobody == []


def test_a_person_filter_keeps_the_packages_of_that_persons_household(listed: Listed) -> None:
    given = ListFilters(person_id=listed.person, programme_id="eurp")
    found = listed.queries.packages.page(EVERYWHERE, None, 10, given)
    assert [p.package_id for p in found] == ["pkg-1"]


def test_a_person_filter_keeps_the_payments_on_that_persons_households_packages(
    listed: Listed,
) -> None:
    on_pkg_1 = {listed.made_first, listed.by_bank, listed.paid}
    assert payments(listed, person_id=listed.person) == on_pkg_1
    assert payments(listed, person_id=listed.person, status="paid") == {listed.paid}
    assert payments(listed, person_id="nobody") == set()


def test_filtered_pages_follow_one_another_and_hold_each_match_once(listed: Listed) -> None:
    given = ListFilters(status="requested")
    seen: list[str] = []
    after = None
    while page := listed.queries.disbursements.page(EVERYWHERE, after, 1, given):
        seen.append(page[0].disbursement_id)
        after = seen[-1]
    assert seen == sorted({listed.by_bank, listed.in_lagos})


def test_the_migration_stamps_existing_rows_from_the_journal(listed: Listed) -> None:
    store = listed.store
    queries = (
        text("SELECT disbursement_id, created_at, updated_at FROM disbursements"),
        text("SELECT package_id, programme_id, created_at FROM packages"),
    )
    with store.engine.connect() as conn:
        before = [set(conn.execute(query).all()) for query in queries]
    command.downgrade(alembic_config(store.engine), "0013")
    upgrade(store.engine)
    with store.engine.connect() as conn:
        assert [set(conn.execute(query).all()) for query in queries] == before
    assert payments(listed, updated_since=THIRD) == {listed.made_first, listed.paid}


def test_a_record_keeps_when_it_was_made_and_moves_when_it_was_last_written(
    listed: Listed,
) -> None:
    query = text("SELECT created_at, updated_at FROM packages WHERE package_id = 'pkg-2'")
    submitted_package(listed.store, "c1", in_kind("k-more", 100_00), package_id="pkg-2", when=THIRD)
    later = THIRD + dt.timedelta(hours=1)
    ps.approve_package(listed.store, APPROVER, later, "pkg-2")
    with listed.store.engine.connect() as conn:
        assert tuple(conn.execute(query).one()) == (stamp(THIRD), stamp(later))
