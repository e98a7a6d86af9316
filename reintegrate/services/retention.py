"""Retention run: which persons are due for erasure under their programmes' policies, and
erasing them (asked and confirmed by two users, as any erasure)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from reintegrate import events as ev
from reintegrate import journal
from reintegrate.people.records import PersonStatus
from reintegrate.people.registry import case_is_open
from reintegrate.people.retention import CaseEnd, RetentionDue, retention_due
from reintegrate.people.vocabulary import ErasureReason
from reintegrate.policy import NoPolicyInForce, policy_in_force
from reintegrate.services import erasure
from reintegrate.services.context import Actor
from reintegrate.services.programmes import policies
from reintegrate.store.base import EVERYWHERE, Store, UnitOfWork

_ENDING = (ev.PackageClosed, ev.PackageCancelled)


def due_for_erasure(store: Store, today: dt.date) -> list[RetentionDue]:
    """Every active person whose erasure is due by `today`, by person id. Closing days are
    read from the journal (the day of each case's last closed or cancelled package)."""
    closed = _closing_days(store.entries())
    found = []
    with store.unit_of_work() as uow:
        years = _RetentionYears(uow, today)
        for person_id in uow.all_person_ids():
            person = uow.person(person_id)
            if person is None or person.status is not PersonStatus.ACTIVE:
                continue
            cases = [
                _case_end(uow, case_id, closed, years)
                for case_id, _ in uow.cases_of_persons([person_id])
            ]
            due = retention_due(person_id, cases, today)
            if due is not None:
                found.append(due)
    return found


def erase_due(
    store: Store,
    asked_by: Actor,
    confirmed_by: Actor,
    now: dt.datetime,
    *,
    due: Iterable[RetentionDue],
    done: Callable[[int], None] = lambda _: None,
) -> int:
    """Erase each person due, asked by `asked_by` and confirmed by `confirmed_by`; each
    erasure is journaled with the reason `retention_ended`. Returns how many were erased."""
    count = 0
    for item in due:
        erasure.request_erasure(store, asked_by, now, item.person_id, ErasureReason.RETENTION_ENDED)
        erasure.confirm_erasure(store, confirmed_by, now, item.person_id)
        count += 1
        done(count)
    return count


def _closing_days(entries: Iterable[journal.Entry]) -> dict[str, dt.date]:
    """Per case, the day of the last package closing or cancellation in the journal."""
    days: dict[str, dt.date] = {}
    for entry in entries:
        if isinstance(entry.event, _ENDING):
            days[entry.event.case_id] = entry.at.date()
    return days


class _RetentionYears:
    """Each programme's retention under its policy in force (its latest one if none is)."""

    def __init__(self, uow: UnitOfWork, today: dt.date) -> None:
        self.uow, self.today, self.known = uow, today, dict[str, int]()

    def of(self, programme_id: str) -> int:
        if programme_id not in self.known:
            versions = policies(self.uow, programme_id)
            try:
                policy = policy_in_force(versions, self.today)
            except NoPolicyInForce:
                policy = max(versions, key=lambda p: p.effective_from)
            self.known[programme_id] = policy.retention_years
        return self.known[programme_id]


def _case_end(
    uow: UnitOfWork, case_id: str, closed: dict[str, dt.date], years: _RetentionYears
) -> CaseEnd:
    case = uow.case(case_id, EVERYWHERE)
    assert case is not None, f"a member's case exists ({case_id})"
    is_open = case_is_open([p.status for p in uow.packages_of_case(case_id)])
    return CaseEnd(
        case_id=case_id,
        closed_on=None if is_open else closed.get(case_id),
        retention_years=years.of(case.programme_id),
    )
