"""What a unit of work offers for monitoring after return (`reintegrate.surveys`): part of
`store.base.UnitOfWork`, kept apart to keep each module small."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from typing import Protocol

from reintegrate.outcomes.rows import AnonymousScores, ScoredResponse
from reintegrate.surveys.records import (
    FollowUpRecord,
    InstrumentRecord,
    ResponseRecord,
)


class SurveyRecords(Protocol):
    def instrument(self, instrument_id: str, version: int | None = None) -> InstrumentRecord | None:
        """That version of the instrument; its latest when `version` is None."""
        ...

    def put_instrument(self, record: InstrumentRecord) -> None: ...
    def follow_ups_of_cases(self, case_ids: Collection[str]) -> list[FollowUpRecord]:
        """Every attempt recorded for these cases, by case and number."""
        ...

    def follow_up(self, follow_up_id: str) -> FollowUpRecord | None: ...
    def put_follow_up(self, record: FollowUpRecord) -> None: ...
    def response_of_follow_up(self, follow_up_id: str) -> str | None:
        """The id of the response given at that follow-up, if any."""
        ...

    def put_response(self, record: ResponseRecord) -> None: ...
    def responses_of_persons(self, person_ids: Collection[str]) -> list[ResponseRecord]:
        """Their responses, by answer date and id."""
        ...

    def erase_responses(self, person_ids: Collection[str]) -> None:
        """Overwrite and delete their responses (the caller has counted them first)."""
        ...

    def scored_responses(self, programme_id: str) -> Iterator[ScoredResponse]:
        """The programme's stored responses as the evidence reads them, by response id (a
        chunk at a time where the store can: consume them inside the unit of work)."""
        ...

    def add_anonymous_scores(self, counts: Iterable[AnonymousScores]) -> None:
        """Add each count to the stored one of the same combination (new ones start at 0)."""
        ...

    def anonymous_scores(self, programme_id: str) -> list[AnonymousScores]:
        """Erased persons' counts in the programme."""
        ...
