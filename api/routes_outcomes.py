"""/programmes/{programme_id}/outcomes: outcome scores compared by a form of assistance.

The answer holds groups and their figures only (no person, case or response); a group under
the minimum size says only that it is suppressed, and no two answers differ by such a group
(`reintegrate.outcomes.cells`).
"""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get
from litestar.params import QueryParameter

from api.context import PathId, actor, store
from api.problems import READ_PROBLEMS
from api.security import allow
from reintegrate.access import READS_OUTCOMES
from reintegrate.outcomes.document import OutcomesDocument, document
from reintegrate.outcomes.groups import Axis
from reintegrate.services.outcomes import OutcomeQuestion, OutcomeSources, outcomes
from reintegrate.services.users import Caller

COHORT = r"^\d{4}-(0[1-9]|1[0-2])$"
By = Annotated[
    Axis,
    QueryParameter(
        name="by",
        required=False,
        description="the axis to compare by: form (the default), level, business_plan, "
        "vulnerability or time_since_return",
    ),
]
CountryQuery = Annotated[
    str | None,
    QueryParameter(
        name="country",
        required=False,
        pattern=r"^[A-Z]{2}$",
        description="ISO 3166-1 alpha-2 code of the country of return",
    ),
]
CohortFrom = Annotated[
    str | None,
    QueryParameter(
        name="cohort_from",
        required=False,
        pattern=COHORT,
        description="the first return month counted, YYYY-MM",
    ),
]
CohortTo = Annotated[
    str | None,
    QueryParameter(
        name="cohort_to",
        required=False,
        pattern=COHORT,
        description="the last return month counted, YYYY-MM",
    ),
]


def sources(request: Request[Any, Any, Any]) -> OutcomeSources:
    found: OutcomeSources = request.app.state.outcome_sources
    return found


class OutcomesController(Controller):
    path = "/programmes"
    tags = ("reports",)

    @get(
        "/{programme_id:str}/outcomes",
        guards=[allow(*READS_OUTCOMES)],
        sync_to_thread=True,
        responses=READ_PROBLEMS,
    )
    def programme_outcomes(
        self,
        request: Request[Caller, Any, Any],
        programme_id: PathId,
        *,
        by: By = Axis.FORM,
        country: CountryQuery = None,
        cohort_from: CohortFrom = None,
        cohort_to: CohortTo = None,
    ) -> OutcomesDocument:
        """The distribution of outcome scores (n, quartiles and median of the composite score
        and of each dimension) and the rate of returning again, for every group of the axis
        `by`, among the returnees of the cohorts and country asked. A group of fewer persons
        than the minimum is suppressed; a caller who works for some offices gets the figures of
        those offices' responses."""
        question = OutcomeQuestion(
            programme_id=programme_id,
            axis=by,
            country=country,
            cohort_from=cohort_from,
            cohort_to=cohort_to,
        )
        found = outcomes(store(request), sources(request), actor(request), question)
        return document(programme_id, found)
