"""Scored responses and the facts of their cases, as the evidence tests build them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import strategies as st

from reintegrate.grants.packages import PackageStatus
from reintegrate.kinds import Form
from reintegrate.outcomes.groups import CaseAssistance
from reintegrate.outcomes.observations import Facts, Observation, of_response
from reintegrate.outcomes.rows import COMPOSITE, AnonymousScores, ScoredResponse

CASH = CaseAssistance(components=((PackageStatus.ACTIVE, Form.CASH),), vulnerable=False)
IN_KIND = CaseAssistance(components=((PackageStatus.ACTIVE, Form.IN_KIND),), vulnerable=True)
MIXED = CaseAssistance(
    components=((PackageStatus.CLOSED, Form.CASH), (PackageStatus.CLOSED, Form.IN_KIND)),
    vulnerable=False,
)


def response(
    number: int,
    *,
    person: str,
    composite: str = "0.5",
    office: str = "dakar",
    country: str = "SN",
    returned_on: dt.date = dt.date(2024, 1, 10),
    answered_on: dt.date = dt.date(2024, 7, 10),
    dimensions: dict[str, Decimal] | None = None,
) -> ScoredResponse:
    return ScoredResponse(
        response_id=f"r-{number}",
        person_id=person,
        programme_id="prog-1",
        office=office,
        country=country,
        returned_on=returned_on,
        answered_on=answered_on,
        instrument_id="rss",
        instrument_version=1,
        complete=True,
        composite=Decimal(composite),
        dimensions={"economic": Decimal(composite)} if dimensions is None else dimensions,
    )


Rows = list[tuple[ScoredResponse, CaseAssistance, bool]]
"""Responses, the assistance of their cases and whether their persons returned again."""


def observe(responses: Rows) -> list[Observation]:
    return [
        o
        for r, assistance, again in responses
        for o in of_response(r, Facts(assistance=assistance, returned_again=again))
    ]


@st.composite
def programmes(draw: st.DrawFn) -> Rows:
    """Responses of a programme spread over two offices, two countries, three cohorts and
    three forms of assistance, some persons answering twice."""
    count = draw(st.integers(min_value=0, max_value=60))
    found = []
    for number in range(count):
        month = draw(st.integers(1, 3))
        found.append(
            (
                response(
                    number,
                    person=f"p-{draw(st.integers(0, 45))}",
                    composite=str(draw(st.integers(0, 100)) / 100),
                    office=draw(st.sampled_from(["dakar", "kolda"])),
                    country=draw(st.sampled_from(["SN", "GM"])),
                    returned_on=dt.date(2024, month, 1),
                    answered_on=dt.date(2024, month + draw(st.sampled_from([3, 6])), 1),
                ),
                draw(st.sampled_from([CASH, IN_KIND, MIXED])),
                draw(st.booleans()),
            )
        )
    return found


@st.composite
def erased_counts(draw: st.DrawFn) -> list[AnonymousScores]:
    """Erased persons' composite counts in the same offices, countries, cohorts and forms."""
    return [
        AnonymousScores(
            programme_id="prog-1",
            office=draw(st.sampled_from(["dakar", "kolda"])),
            country=draw(st.sampled_from(["SN", "GM"])),
            cohort=f"2024-0{draw(st.integers(1, 3))}",
            form=draw(st.sampled_from(["cash_only", "in_kind_only", "mixed"])),
            level="individual",
            business_plan="none",
            vulnerability="unknown",
            time_since_return=draw(st.sampled_from(["0-5", "6-11"])),
            returned_again=draw(st.booleans()),
            measure=COMPOSITE,
            low=Decimal("0.5"),
            high=Decimal("0.6"),
            count=draw(st.integers(1, 4)),
        )
        for _ in range(draw(st.integers(0, 6)))
    ]
