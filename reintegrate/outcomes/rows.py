"""One scored survey response, as the evidence on outcomes reads it: who (a pseudonymous
id), which programme, office and country, when they returned and answered, under which
instrument version, and the scores."""

from __future__ import annotations

import datetime
import decimal

import msgspec


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
