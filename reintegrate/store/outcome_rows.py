"""The scored survey responses of a programme, read from the SQL store a chunk at a time, as
`reintegrate.outcomes.rows.ScoredResponse`: the evidence on outcomes counts them. Erased
persons' responses are not among them (only their anonymous counts are kept:
`UnitOfWork.score_counts`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import msgspec
from sqlalchemy import Engine, RowMapping, select

from reintegrate.outcomes.rows import ScoredResponse
from reintegrate.store.sql_surveys import RESPONSES

CHUNK = 5_000
_COLUMNS = [c for c in RESPONSES.c if c.name != "sealed_answers"]
"""Every column but the sealed answers, which the evidence never needs."""


def scored_responses(engine: Engine, programme_id: str | None = None) -> Iterator[ScoredResponse]:
    """Every scored response (of `programme_id`, if given), by response id."""
    after = ""
    while True:
        query = select(*_COLUMNS).where(RESPONSES.c.response_id > after)
        if programme_id is not None:
            query = query.where(RESPONSES.c.programme_id == programme_id)
        query = query.order_by(RESPONSES.c.response_id).limit(CHUNK)
        with engine.connect() as conn:
            rows = list(conn.execute(query).mappings())
        if not rows:
            return
        for row in rows:
            yield scored_response(row)
        after = rows[-1]["response_id"]


def scored_response(row: RowMapping) -> ScoredResponse:
    values: dict[str, Any] = dict(row)
    dimensions = msgspec.json.decode(values["dimensions"], type=dict[str, str])
    return ScoredResponse(
        response_id=values["response_id"],
        person_id=values["person_id"],
        programme_id=values["programme_id"],
        office=values["office"],
        country=values["country"],
        returned_on=dt.date.fromisoformat(values["returned_on"]),
        answered_on=dt.date.fromisoformat(values["answered_on"]),
        instrument_id=values["instrument_id"],
        instrument_version=values["instrument_version"],
        complete=values["complete"],
        composite=None if values["composite"] is None else Decimal(values["composite"]),
        dimensions={name: Decimal(value) for name, value in dimensions.items()},
    )
