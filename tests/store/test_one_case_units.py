"""Units of work of one case's payments (`store.sql_one_case`, docs/journal.md).

On PostgreSQL the payments of different cases run side by side, those of one case one after
the other, and any other command alone. On every database such a unit of work refuses to
write anything but its case's payments, or to read balances before its case."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor, wait
from typing import Any

import pytest

from bench.api_throughput import COMPONENT, CURRENCY, OFFICER, package_id, set_up_api
from reintegrate.grants.disbursements import Channel, Disbursement
from reintegrate.services import packages as ps
from reintegrate.store.base import EVERYWHERE, ProgrammeRecord
from reintegrate.store.sql import SqlStore
from reintegrate.store.sql_one_case import OneCaseBreached
from tests.store.conftest import postgresql_database

STILL_WAITING = 1.0
"""Seconds a command is given to show that it waits: one that did not wait ends in
milliseconds, so a wrong lock makes the test fail, whatever the machine's speed."""


@pytest.fixture
def two_cases_on_postgresql() -> Iterator[SqlStore]:
    """Cases bench-case-1 and bench-case-2, each with an approved package bench-pkg-N."""
    with postgresql_database() as url:
        set_up_api(url, cases=2)
        store = SqlStore(url)
        yield store
        store.engine.dispose()


def pay(store: SqlStore, package_id: str) -> Disbursement:
    return ps.request_disbursement(
        store,
        OFFICER,
        dt.datetime.now(dt.UTC),
        package_id=package_id,
        component_id=COMPONENT,
        amount=1_00,
        currency=CURRENCY,
        channel=Channel.MOBILE_MONEY,
    )


def waits(future: Future[Any]) -> bool:
    done, _ = wait([future], timeout=STILL_WAITING)
    return not done


def test_a_payment_on_another_case_goes_ahead_while_one_case_is_being_paid(
    two_cases_on_postgresql: SqlStore,
) -> None:
    store = two_cases_on_postgresql
    with ThreadPoolExecutor(1) as other, store.unit_of_work(one_case=True) as held:
        assert held.packages.get(package_id(1), EVERYWHERE) is not None  # case 1 is now locked
        paid = other.submit(pay, store, package_id(2)).result(timeout=30)
    assert paid.package_id == package_id(2)


def test_a_second_payment_on_the_same_case_waits_for_the_first_to_end(
    two_cases_on_postgresql: SqlStore,
) -> None:
    store = two_cases_on_postgresql
    with ThreadPoolExecutor(1) as other:
        with store.unit_of_work(one_case=True) as held:
            assert held.packages.get(package_id(1), EVERYWHERE) is not None
            second = other.submit(pay, store, package_id(1))
            assert waits(second)
        assert second.result(timeout=30).package_id == package_id(1)


def test_a_command_of_another_kind_waits_for_the_payments_in_progress(
    two_cases_on_postgresql: SqlStore,
) -> None:
    store = two_cases_on_postgresql

    def another_kind() -> None:
        with store.unit_of_work():
            pass

    with ThreadPoolExecutor(1) as other:
        with store.unit_of_work(one_case=True) as held:
            assert held.packages.get(package_id(1), EVERYWHERE) is not None
            alone = other.submit(another_kind)
            assert waits(alone)
        alone.result(timeout=30)


def test_a_unit_of_one_case_may_write_nothing_but_its_payments(programme_store: SqlStore) -> None:
    with (
        programme_store.unit_of_work(one_case=True) as uow,
        pytest.raises(OneCaseBreached, match="may not write programmes"),
    ):
        uow.put_programme(
            ProgrammeRecord(programme_id="p2", name="other", currency="EUR", budget_lines=())
        )


def test_a_unit_of_one_case_reads_no_balance_before_a_row_of_its_case(
    programme_store: SqlStore,
) -> None:
    with (
        programme_store.unit_of_work(one_case=True) as uow,
        pytest.raises(OneCaseBreached, match="read balances before any row of its case"),
    ):
        uow.balances(["component:pkg-1:c-cash:remaining"])
