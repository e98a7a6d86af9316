"""Monitoring after return: adopting survey instruments, the follow-ups due on the caller's
cases, and recording a follow-up attempt. The rules are in `reintegrate.surveys`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import msgspec

from reintegrate import events as ev
from reintegrate.errors import NotFound, ValidationFailed
from reintegrate.policy import NoPolicyInForce, policy_in_force
from reintegrate.services.context import Actor, new_id, utc
from reintegrate.services.programmes import case_record, policies
from reintegrate.services.recording import record
from reintegrate.store.base import CaseRecord, Store, UnitOfWork
from reintegrate.surveys.instrument import Instrument, canonical
from reintegrate.surveys.plan import MonitoringPlan
from reintegrate.surveys.records import FollowUpRecord, InstrumentRecord
from reintegrate.surveys.schedule import DONE, Due, Mode, Outcome, check_follow_up, open_follow_ups
from reintegrate.surveys.versions import next_version
from reintegrate.texts import Text


class DueFollowUp(msgspec.Struct, frozen=True, kw_only=True):
    case_id: str
    programme_id: str
    office: str
    due: Due
    attempts: int
    """Attempts already made that found the returnee unreachable."""


def adopt_instrument(
    store: Store, actor: Actor, now: dt.datetime, instrument: Instrument
) -> InstrumentRecord:
    """Adopt `instrument` as its next version; the latest one unchanged if it says the same."""
    document = canonical(instrument)
    with store.unit_of_work() as uow:
        latest = uow.instrument(instrument.id)
        version = next_version(
            None if latest is None else (latest.version, latest.document), document
        )
        if version is None:
            assert latest is not None
            return latest
        event = ev.InstrumentAdopted(
            instrument_id=instrument.id, version=version, document=document
        )
        record(uow, actor.user_id, utc(now), [event])
        uow.commit()
    return InstrumentRecord(instrument_id=instrument.id, version=version, document=document)


def read_instrument(store: Store, instrument_id: str, version: int | None) -> Instrument:
    with store.reading() as uow:
        found = uow.instrument(instrument_id, version)
    if found is None:
        raise NotFound(
            Text("no instrument {instrument_id}", instrument_id=instrument_id),
            field="instrument_id",
        )
    return msgspec.json.decode(found.document, type=Instrument)


def monitoring_plan(uow: UnitOfWork, case: CaseRecord) -> MonitoringPlan | None:
    """The plan of the programme's policy in force on the case's return date."""
    try:
        policy = policy_in_force(policies(uow, case.programme_id), case.return_date)
    except NoPolicyInForce:
        return None
    return policy.monitoring


def due_follow_ups(
    uow: UnitOfWork, cases: Sequence[CaseRecord], today: dt.date, *, overdue_only: bool = False
) -> list[DueFollowUp]:
    """The follow-ups of `cases` due by `today` and not done, by case and number."""
    recorded = uow.follow_ups_of_cases([c.case_id for c in cases])
    found = []
    for case in cases:
        plan = monitoring_plan(uow, case)
        if plan is None:
            continue
        mine = [f for f in recorded if f.case_id == case.case_id]
        done = {f.number for f in mine if f.outcome in DONE}
        for due in open_follow_ups(plan, case.return_date, done, today):
            if overdue_only and not due.overdue:
                continue
            attempts = sum(1 for f in mine if f.number == due.number)
            found.append(
                DueFollowUp(
                    case_id=case.case_id,
                    programme_id=case.programme_id,
                    office=case.office,
                    due=due,
                    attempts=attempts,
                )
            )
    return found


def record_follow_up(
    store: Store,
    actor: Actor,
    now: dt.datetime,
    case_id: str,
    *,
    number: int,
    on: dt.date,
    mode: Mode,
    outcome: Outcome,
) -> FollowUpRecord:
    """Record an attempt at follow-up `number` of a case of the caller's offices."""
    with store.unit_of_work() as uow:
        case = case_record(uow, case_id, actor)
        plan = monitoring_plan(uow, case)
        if plan is None:
            raise ValidationFailed(
                Text(
                    "the policy of programme {programme_id} for a return on {return_date} has "
                    "no monitoring plan",
                    programme_id=case.programme_id,
                    return_date=case.return_date,
                ),
                field="case_id",
            )
        done = {f.number for f in uow.follow_ups_of_cases([case_id]) if f.outcome in DONE}
        check_follow_up(plan, case.return_date, number, on=on, done=done, today=utc(now).date())
        event = ev.FollowUpRecorded(
            follow_up_id=new_id("fu"),
            case_id=case_id,
            programme_id=case.programme_id,
            number=number,
            on=on,
            mode=mode,
            outcome=outcome,
        )
        record(uow, actor.user_id, utc(now), [event])
        found = uow.follow_up(event.follow_up_id)
        uow.commit()
    assert found is not None
    return found
