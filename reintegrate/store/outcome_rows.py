"""The survey records a store keeps, as the evidence on outcomes reads them: each scored
response as `reintegrate.outcomes.rows.ScoredResponse`, and erased persons' counts as
`AnonymousScores` (an erased person's responses are gone; only those counts are kept).
The same for every store (SQL or in memory): `services.outcomes.outcome_sources`."""

from __future__ import annotations

from collections.abc import Iterator

from reintegrate.outcomes.rows import AnonymousScores, ScoredResponse
from reintegrate.store.base import Store
from reintegrate.store.sql_surveys import scored_responses

__all__ = ["StoredSurveys", "scored_responses"]


class StoredSurveys:
    """A store's scored responses and erased persons' counts (`services.outcomes`'s
    `ScoredResponses` and `AnonymousCounts`), each read in a unit of work of its own."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def scored_responses(self, programme_id: str) -> Iterator[ScoredResponse]:
        with self.store.reading() as uow:
            yield from uow.scored_responses(programme_id)

    def anonymous_scores(self, programme_id: str) -> list[AnonymousScores]:
        with self.store.reading() as uow:
            return uow.anonymous_scores(programme_id)
