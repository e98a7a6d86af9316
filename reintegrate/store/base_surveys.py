"""What a unit of work offers for monitoring after return (`reintegrate.surveys`): part of
`store.base.UnitOfWork`, kept apart to keep each module small."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Protocol

from reintegrate.surveys.records import (
    FollowUpRecord,
    InstrumentRecord,
    ResponseRecord,
    ScoreCount,
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

    def add_score_counts(self, counts: Iterable[ScoreCount]) -> None:
        """Add each count to the stored one of its key (new keys start at 0)."""
        ...

    def score_counts(self, programme_id: str) -> list[ScoreCount]: ...
