"""A programme whose twelve returnees, each helped in cash, answered the example survey at
their first follow-up, recorded through the services into a real store: the evidence is
read from those records."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from reintegrate.people.vocabulary import ErasureReason
from reintegrate.services import erasure, surveys
from reintegrate.services import packages as ps
from reintegrate.services import survey_answers as sa
from reintegrate.store.base import Store
from reintegrate.surveys.instrument import load_instrument
from reintegrate.surveys.schedule import Mode, Outcome
from tests.builders import (
    ADMIN,
    APPROVER,
    OFFICER,
    approved_package,
    at,
    cash,
    household,
    programme,
    register,
)

INSTRUMENT = load_instrument(
    (Path(__file__).resolve().parents[2] / "examples/instruments/iom-rss.toml").read_text()
)
ANSWERED = at(dt.date(2024, 6, 5))
"""Three months after the return (2024-03-01): the first follow-up is due."""
RETURNEES = 12


def answers(number: int) -> dict[str, str]:
    """A different answer to each indicator for each returnee, along the scales."""
    indicators = INSTRUMENT.indicators().values()
    return {
        i.id: i.scale[(number + place) % len(i.scale)].answer for place, i in enumerate(indicators)
    }


def recorded(store: Store) -> dict[str, sa.Answered]:
    """The programme, its returnees helped in cash, and each one's answers, by person id."""
    programme(store)
    surveys.adopt_instrument(store, ADMIN, at(dt.date(2024, 1, 3)), INSTRUMENT)
    cases = [register(store, household(f"c{n}", dependants=0)) for n in range(RETURNEES)]
    for case in cases:
        approved_package(store, case.case_id, cash(f"{case.case_id}-cash", 400_00))
    given: dict[str, sa.Answered] = {}
    for number, case in enumerate(cases):
        follow_up = surveys.record_follow_up(
            store,
            OFFICER,
            ANSWERED,
            case.case_id,
            number=1,
            on=ANSWERED.date(),
            mode=Mode.VISIT,
            outcome=Outcome.REACHED,
        )
        answered = sa.record_answers(
            store,
            OFFICER,
            ANSWERED,
            follow_up.follow_up_id,
            member_id="p",
            answered_on=ANSWERED.date(),
            answers=answers(number),
        )
        given[answered.response.person_id] = answered
    return given


def erase(store: Store, person_id: str, case_id: str) -> None:
    """The person's package closed, then the person erased at their request."""
    with store.reading() as uow:
        [package] = uow.packages_of_case(case_id)
    ps.close_package(store, OFFICER, ANSWERED, package.package_id)
    erasure.request_erasure(store, ADMIN, ANSWERED, person_id, ErasureReason.PERSON_ASKED)
    erasure.confirm_erasure(store, APPROVER, ANSWERED, person_id)
