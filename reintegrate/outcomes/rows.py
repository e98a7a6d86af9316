"""What the evidence is computed from: scored survey responses, and the scores of erased
persons kept only as counts."""

from __future__ import annotations

import datetime
import decimal

import msgspec

from reintegrate.surveys.records import ResponseRecord


class ScoredResponse(msgspec.Struct, frozen=True, kw_only=True):
    response_id: str
    person_id: str
    programme_id: str
    office: str
    country: str  # ISO 3166-1 alpha-2 of the country of return
    returned_on: datetime.date  # the case's return date
    answered_on: datetime.date
    instrument_id: str
    instrument_version: int
    complete: bool
    composite: decimal.Decimal | None  # 0..1, None when the survey counts as incomplete
    dimensions: dict[str, decimal.Decimal]  # dimension id -> 0..1 score (scored dimensions only)


def scored_of(record: ResponseRecord) -> ScoredResponse:
    """A kept survey response as the evidence reads it (its sealed answers left behind)."""
    return ScoredResponse(
        response_id=record.response_id,
        person_id=record.person_id,
        programme_id=record.programme_id,
        office=record.office,
        country=record.country,
        returned_on=record.returned_on,
        answered_on=record.answered_on,
        instrument_id=record.instrument_id,
        instrument_version=record.instrument_version,
        complete=record.complete,
        composite=None if record.composite is None else decimal.Decimal(record.composite),
        dimensions={name: decimal.Decimal(value) for name, value in record.dimensions.items()},
    )


COMPOSITE = "composite"
"""The measure of an anonymous count that holds composite scores (others name a dimension)."""


class AnonymousScores(msgspec.Struct, frozen=True, kw_only=True):
    """How many scores of erased persons' responses fell in `[low, high]`, for one measure
    (`COMPOSITE` or a dimension id) and one group of every axis: all that is kept of them.

    `returned_again` is fixed when the person is erased: no later case can be linked to
    them after that."""

    programme_id: str
    office: str
    country: str
    cohort: str
    """The return month, `YYYY-MM`."""
    form: str
    level: str
    business_plan: str
    vulnerability: str
    time_since_return: str
    returned_again: bool
    measure: str
    low: decimal.Decimal
    high: decimal.Decimal
    count: int
