"""Monitoring after return in the SQL store (mixed into the SQL unit of work)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Iterator, Mapping
from typing import Any

import msgspec
from sqlalchemy import Connection, Engine, RowMapping, Table, select
from sqlalchemy.dialects import postgresql, sqlite

from reintegrate.outcomes.anonymous import tenth, tenth_bounds
from reintegrate.outcomes.rows import AnonymousScores, ScoredResponse, scored_of
from reintegrate.store import tables_surveys as ts
from reintegrate.store.fast_sql import in_lists
from reintegrate.store.sql_business import RowPrimitives
from reintegrate.surveys.records import (
    FollowUpRecord,
    InstrumentRecord,
    ResponseRecord,
)
from reintegrate.surveys.schedule import Mode, Outcome

INSTRUMENTS: Table = ts.SurveyInstrumentRow.__table__  # type: ignore[attr-defined]
FOLLOW_UPS: Table = ts.FollowUpRow.__table__  # type: ignore[attr-defined]
RESPONSES: Table = ts.SurveyResponseRow.__table__  # type: ignore[attr-defined]
SCORE_COUNTS: Table = ts.SurveyScoreCountRow.__table__  # type: ignore[attr-defined]
_COUNT_KEY = tuple(c.name for c in SCORE_COUNTS.primary_key.columns)
CHUNK = 5_000
"""Scored responses read at once for the evidence."""
_SCORED = [c for c in RESPONSES.c if c.name != "sealed_answers"]
"""Every column but the sealed answers, which the evidence never needs."""


class SurveyRows(RowPrimitives):
    """What the SQL unit of work offers for monitoring."""

    def instrument(self, instrument_id: str, version: int | None = None) -> InstrumentRecord | None:
        query = select(INSTRUMENTS).where(INSTRUMENTS.c.instrument_id == instrument_id)
        if version is not None:
            query = query.where(INSTRUMENTS.c.version == version)
        query = query.order_by(INSTRUMENTS.c.version.desc()).limit(1)
        row = self.s.execute(query).mappings().one_or_none()
        return (
            None if row is None else InstrumentRecord(**{**row, "document": bytes(row["document"])})
        )

    def put_instrument(self, record: InstrumentRecord) -> None:
        self.s.execute(INSTRUMENTS.insert().values(**msgspec.structs.asdict(record)))

    def follow_ups_of_cases(self, case_ids: Collection[str]) -> list[FollowUpRecord]:
        found: list[FollowUpRecord] = []
        for params in in_lists(sorted(set(case_ids))):
            query = select(FOLLOW_UPS).where(FOLLOW_UPS.c.case_id.in_(list(params.values())))
            found += [follow_up_of(row) for row in self.s.execute(query).mappings()]
        return sorted(found, key=lambda f: (f.case_id, f.number, f.on, f.follow_up_id))

    def follow_up(self, follow_up_id: str) -> FollowUpRecord | None:
        query = select(FOLLOW_UPS).where(FOLLOW_UPS.c.follow_up_id == follow_up_id)
        row = self.s.execute(query).mappings().one_or_none()
        return None if row is None else follow_up_of(row)

    def put_follow_up(self, record: FollowUpRecord) -> None:
        values = msgspec.structs.asdict(record)
        on, by = values.pop("on"), values.pop("by")
        self.s.execute(FOLLOW_UPS.insert().values(**values, done_on=on.isoformat(), done_by=by))

    def response_of_follow_up(self, follow_up_id: str) -> str | None:
        query = select(RESPONSES.c.response_id).where(RESPONSES.c.follow_up_id == follow_up_id)
        found: str | None = self.s.execute(query).scalar_one_or_none()
        return found

    def put_response(self, record: ResponseRecord) -> None:
        values = msgspec.structs.asdict(record)
        values |= {
            "returned_on": record.returned_on.isoformat(),
            "answered_on": record.answered_on.isoformat(),
            "dimensions": msgspec.json.encode(record.dimensions, order="sorted").decode(),
        }
        self.s.execute(RESPONSES.insert().values(**values))

    def responses_of_persons(self, person_ids: Collection[str]) -> list[ResponseRecord]:
        found: list[ResponseRecord] = []
        for params in in_lists(sorted(set(person_ids))):
            query = select(RESPONSES).where(RESPONSES.c.person_id.in_(list(params.values())))
            found += [response_of(row) for row in self.s.execute(query).mappings()]
        return sorted(found, key=lambda r: (r.answered_on, r.response_id))

    def erase_responses(self, person_ids: Collection[str]) -> None:
        """Zero the sealed answers and the scores first, so that no page keeps them, then
        delete the rows (`purge_erased` vacuums what is left)."""
        for params in in_lists(sorted(set(person_ids))):
            where = RESPONSES.c.person_id.in_(list(params.values()))
            self.s.execute(
                RESPONSES.update()
                .where(where)
                .values(sealed_answers=b"", composite=None, dimensions="{}")
            )
            self.s.execute(RESPONSES.delete().where(where))

    def scored_responses(self, programme_id: str) -> Iterator[ScoredResponse]:
        return scored_responses(self.s, programme_id)

    def add_anonymous_scores(self, counts: Iterable[AnonymousScores]) -> None:
        """An upsert per count, so that erasures side by side add up (PostgreSQL)."""
        insert = postgresql.insert if self.s.dialect.name == "postgresql" else sqlite.insert
        for count in counts:
            values = msgspec.structs.asdict(count)
            low, _ = values.pop("low"), values.pop("high")
            statement = insert(SCORE_COUNTS).values(**values, tenth=tenth(low))
            self.s.execute(
                statement.on_conflict_do_update(
                    index_elements=list(_COUNT_KEY),
                    set_={"count": SCORE_COUNTS.c["count"] + statement.excluded["count"]},
                )
            )

    def anonymous_scores(self, programme_id: str) -> list[AnonymousScores]:
        query = (
            select(SCORE_COUNTS)
            .where(SCORE_COUNTS.c.programme_id == programme_id)
            .order_by(*(SCORE_COUNTS.c[name] for name in _COUNT_KEY))
        )
        return [anonymous_of(row) for row in self.s.execute(query).mappings()]


def scored_responses(
    source: Engine | Connection, programme_id: str | None = None
) -> Iterator[ScoredResponse]:
    """Every scored response (of `programme_id`, if given), by response id, a chunk at a
    time: on an engine each chunk on a connection of its own, on a connection all on it."""
    after = ""
    while True:
        query = select(*_SCORED).where(RESPONSES.c.response_id > after)
        if programme_id is not None:
            query = query.where(RESPONSES.c.programme_id == programme_id)
        query = query.order_by(RESPONSES.c.response_id).limit(CHUNK)
        if isinstance(source, Engine):
            with source.connect() as conn:
                rows = list(conn.execute(query).mappings())
        else:
            rows = list(source.execute(query).mappings())
        if not rows:
            return
        for row in rows:
            yield scored_of(response_of({**row, "sealed_answers": b""}))
        after = rows[-1]["response_id"]


def anonymous_of(row: RowMapping) -> AnonymousScores:
    values = dict(row)
    low, high = tenth_bounds(values.pop("tenth"))
    return AnonymousScores(**values, low=low, high=high)


def follow_up_of(values: RowMapping) -> FollowUpRecord:
    return FollowUpRecord(
        follow_up_id=values["follow_up_id"],
        case_id=values["case_id"],
        programme_id=values["programme_id"],
        office=values["office"],
        number=values["number"],
        on=dt.date.fromisoformat(values["done_on"]),
        mode=Mode(values["mode"]),
        outcome=Outcome(values["outcome"]),
        by=values["done_by"],
    )


def response_of(row: Mapping[Any, Any]) -> ResponseRecord:
    values: dict[str, Any] = dict(row)
    values |= {
        "returned_on": dt.date.fromisoformat(values["returned_on"]),
        "answered_on": dt.date.fromisoformat(values["answered_on"]),
        "dimensions": msgspec.json.decode(values["dimensions"], type=dict[str, str]),
        "sealed_answers": bytes(values["sealed_answers"]),
    }
    return ResponseRecord(**values)
