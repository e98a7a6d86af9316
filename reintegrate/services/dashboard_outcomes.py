"""The dashboard's outcome sections from the survey records: the evidence on outcomes by
form of assistance, by level and by business plan (`services.outcomes`, its suppression
included: a group too small to show is shown as such), and how far each step of the
monitoring plans has got (`surveys.completion`), within the caller's offices."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

from reintegrate.access import Scope
from reintegrate.dashboard.figures import BoxGroup, CompletionBar, ScoreSection
from reintegrate.outcomes.evidence import Evidence
from reintegrate.outcomes.groups import Axis
from reintegrate.services.context import Actor
from reintegrate.services.outcomes import OutcomeQuestion, OutcomeSources, outcomes
from reintegrate.services.surveys import monitoring_plan
from reintegrate.store.base import CaseRecord
from reintegrate.store.listing import ListFilters
from reintegrate.store.queries import Queries
from reintegrate.store.sql import SqlStore
from reintegrate.surveys.completion import CaseFollowUps, StepCompletion, completion
from reintegrate.texts import Text

SECTIONS = (
    (Axis.FORM, "by form of assistance"),
    (Axis.LEVEL, "by level of assistance"),
    (Axis.BUSINESS_PLAN, "by business plan"),
)
"""The comparisons the dashboard draws, in order."""
PAGE = 500


class SurveyOutcomes:
    """The dashboard's `OutcomeSource` over a SQL store's surveys and follow-ups."""

    def __init__(
        self, store: SqlStore, sources: OutcomeSources, today: Callable[[], dt.date]
    ) -> None:
        self.store = store
        self.sources = sources
        self.today = today
        self.queries = Queries(store.reader)

    def score_sections(self, programme_id: str, scope: Scope) -> tuple[ScoreSection, ...]:
        if next(iter(self.sources.responses.scored_responses(programme_id)), None) is None:
            return ()  # no survey answered yet: the page says so
        reader = Actor("dashboard", scope)
        found = []
        for axis, title in SECTIONS:
            asked = OutcomeQuestion(programme_id, axis)
            found.append(section(axis, title, outcomes(self.store, self.sources, reader, asked)))
        return tuple(found)

    def follow_ups(self, programme_id: str, scope: Scope) -> tuple[CompletionBar, ...]:
        with self.store.reading() as uow:
            cases = []
            for page in self._cases(programme_id, scope):
                attempts = uow.follow_ups_of_cases([c.case_id for c in page])
                for case in page:
                    plan = monitoring_plan(uow, case)
                    if plan is not None:
                        mine = [a for a in attempts if a.case_id == case.case_id]
                        cases.append(
                            CaseFollowUps(plan=plan, returned_on=case.return_date, attempts=mine)
                        )
        return tuple(bar(step) for step in completion(cases, self.today()))

    def _cases(self, programme_id: str, scope: Scope) -> Iterator[list[CaseRecord]]:
        after: str | None = None
        narrowed = ListFilters(programme_id=programme_id)
        while page := self.queries.cases(scope, after, PAGE, narrowed):
            yield page
            after = page[-1].case_id


def section(axis: Axis, title: str, found: Evidence) -> ScoreSection:
    """The evidence on one axis as the dashboard draws it: composite scores by group."""
    groups = tuple(
        BoxGroup(label=g.group, n=None, q1=None, median=None, q3=None, suppressed=True)
        if g.suppressed or g.composite is None
        else BoxGroup(
            label=g.group,
            n=g.composite.n,
            q1=g.composite.q1.value,
            median=g.composite.median.value,
            q3=g.composite.q3.value,
        )
        for g in found.groups
    )
    return ScoreSection(key=axis.value, title=title, minimum=found.minimum, groups=groups)


def bar(step: StepCompletion) -> CompletionBar:
    """A step's follow-ups as the dashboard stacks them: tried (reached, declined, not
    reached) or not (overdue, waiting)."""
    return CompletionBar(
        label=Text("{months} months", months=step.months),
        done=step.reached + step.declined + step.unreachable,
        reached=step.reached,
        declined=step.declined,
        unreachable=step.unreachable,
        overdue=step.overdue,
        due=step.due,
    )
