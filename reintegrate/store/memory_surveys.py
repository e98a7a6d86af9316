"""Monitoring after return in the in-memory store."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from typing import TYPE_CHECKING

import msgspec

from reintegrate.outcomes.rows import AnonymousScores, ScoredResponse, scored_of
from reintegrate.surveys.records import (
    FollowUpRecord,
    InstrumentRecord,
    ResponseRecord,
)

if TYPE_CHECKING:
    from reintegrate.store.memory_state import MemoryState


def count_key(count: AnonymousScores) -> AnonymousScores:
    return msgspec.structs.replace(count, count=0)


class SurveysState:
    """What the in-memory unit of work offers for monitoring."""

    state: MemoryState

    def instrument(self, instrument_id: str, version: int | None = None) -> InstrumentRecord | None:
        found = [r for r in self.state.instruments if r.instrument_id == instrument_id]
        if version is not None:
            found = [r for r in found if r.version == version]
        return max(found, key=lambda r: r.version, default=None)

    def put_instrument(self, record: InstrumentRecord) -> None:
        self.state.instruments.append(record)

    def follow_ups_of_cases(self, case_ids: Collection[str]) -> list[FollowUpRecord]:
        wanted = set(case_ids)
        found = [f for f in self.state.follow_ups.values() if f.case_id in wanted]
        return sorted(found, key=lambda f: (f.case_id, f.number, f.on, f.follow_up_id))

    def follow_up(self, follow_up_id: str) -> FollowUpRecord | None:
        return self.state.follow_ups.get(follow_up_id)

    def put_follow_up(self, record: FollowUpRecord) -> None:
        self.state.follow_ups[record.follow_up_id] = record

    def response_of_follow_up(self, follow_up_id: str) -> str | None:
        return next(
            (
                r.response_id
                for r in self.state.responses.values()
                if r.follow_up_id == follow_up_id
            ),
            None,
        )

    def put_response(self, record: ResponseRecord) -> None:
        self.state.responses[record.response_id] = record

    def responses_of_persons(self, person_ids: Collection[str]) -> list[ResponseRecord]:
        wanted = set(person_ids)
        found = [r for r in self.state.responses.values() if r.person_id in wanted]
        return sorted(found, key=lambda r: (r.answered_on, r.response_id))

    def erase_responses(self, person_ids: Collection[str]) -> None:
        for response in self.responses_of_persons(person_ids):
            del self.state.responses[response.response_id]

    def scored_responses(self, programme_id: str) -> Iterator[ScoredResponse]:
        found = [r for r in self.state.responses.values() if r.programme_id == programme_id]
        return iter([scored_of(r) for r in sorted(found, key=lambda r: r.response_id)])

    def add_anonymous_scores(self, counts: Iterable[AnonymousScores]) -> None:
        for count in counts:
            key = count_key(count)
            kept = self.state.anonymous_scores.get(key)
            total = count.count + (kept.count if kept is not None else 0)
            self.state.anonymous_scores[key] = msgspec.structs.replace(count, count=total)

    def anonymous_scores(self, programme_id: str) -> list[AnonymousScores]:
        kept = self.state.anonymous_scores.values()
        found = [c for c in kept if c.programme_id == programme_id]
        return sorted(found, key=msgspec.structs.astuple)
