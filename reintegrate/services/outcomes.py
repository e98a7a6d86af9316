"""The evidence on outcomes of a programme: scored responses compared by assistance.

Where the scored responses come from is a `ScoredResponses` (the survey records), and the
scores kept of erased persons an `AnonymousCounts`; both are given to the service, so that
it runs on any source of them. The facts of each response's case are read from the store
(`services.outcome_facts`), the figures are the domain's (`outcomes.evidence`).

The minimum group size is the setting (`OutcomeSources.minimum`), raised by the highest any
version of the programme's policy asks (`evidence_minimum_group`): a policy version in force
once keeps its groups hidden however the policy changes later.

Who may ask is the caller's business; an actor who works for some offices gets the figures
of those offices' responses, thinned the same way as everyone's (`outcomes.cells`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from reintegrate.outcomes.cells import minimum_cell
from reintegrate.outcomes.evidence import Evidence, Query, evidence
from reintegrate.outcomes.groups import Axis
from reintegrate.outcomes.observations import of_counts, of_response
from reintegrate.outcomes.rows import AnonymousScores, ScoredResponse
from reintegrate.services.context import Actor, existing_programme
from reintegrate.services.outcome_facts import facts_of
from reintegrate.services.programmes import policies
from reintegrate.store.base import Store
from reintegrate.store.outcome_rows import StoredSurveys


class ScoredResponses(Protocol):
    def scored_responses(self, programme_id: str) -> Iterable[ScoredResponse]:
        """Every scored response of the programme's surveys (none of erased persons)."""
        ...


class AnonymousCounts(Protocol):
    def anonymous_scores(self, programme_id: str) -> Iterable[AnonymousScores]:
        """The counts kept of erased persons' scores in the programme."""
        ...


@dataclass
class InMemorySurveys:
    """Scored responses and erased persons' counts held in memory (tests, embedders)."""

    responses: list[ScoredResponse] = field(default_factory=list)
    counts: list[AnonymousScores] = field(default_factory=list)

    def scored_responses(self, programme_id: str) -> Iterable[ScoredResponse]:
        return [r for r in self.responses if r.programme_id == programme_id]

    def anonymous_scores(self, programme_id: str) -> Iterable[AnonymousScores]:
        return [c for c in self.counts if c.programme_id == programme_id]


@dataclass(frozen=True)
class OutcomeSources:
    responses: ScoredResponses
    counts: AnonymousCounts
    minimum: int = minimum_cell()
    """The setting of the minimum group size (`outcomes.cells.minimum_cell`)."""


def outcome_sources(store: Store, minimum: int = minimum_cell()) -> OutcomeSources:
    """The survey records `store` keeps (`store.outcome_rows.StoredSurveys`), as the API and
    the command line read them."""
    stored = StoredSurveys(store)
    return OutcomeSources(responses=stored, counts=stored, minimum=minimum)


@dataclass(frozen=True)
class OutcomeQuestion:
    programme_id: str
    axis: Axis
    country: str | None = None
    cohort_from: str | None = None
    cohort_to: str | None = None


def outcomes(
    store: Store, sources: OutcomeSources, actor: Actor, question: OutcomeQuestion
) -> Evidence:
    """The programme's evidence by `question.axis`, as `actor` may see it."""
    query = Query(
        axis=question.axis,
        country=question.country,
        cohort_from=question.cohort_from,
        cohort_to=question.cohort_to,
        offices=actor.scope.offices,
    )
    with store.reading() as uow:
        existing_programme(uow.programme(question.programme_id), question.programme_id)
        raised = [p.evidence_minimum_group or 0 for p in policies(uow, question.programme_id)]
        responses = list(sources.responses.scored_responses(question.programme_id))
        facts = facts_of(uow, responses)
    observations = [
        *(
            o
            for r in responses
            if r.response_id in facts
            for o in of_response(r, facts[r.response_id])
        ),
        *of_counts(sources.counts.anonymous_scores(question.programme_id)),
    ]
    return evidence(observations, query, minimum_cell(sources.minimum, max(raised, default=0)))
