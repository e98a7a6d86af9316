"""The evidence on outcomes: scores compared by assistance."""

from __future__ import annotations

from reintegrate.client.calls import Call, get
from reintegrate.client.operations import operation
from reintegrate.outcomes.document import OutcomesDocument


class OutcomeOperations:
    @operation
    def programme_outcomes(
        programme_id: str,
        by: str | None = None,
        country: str | None = None,
        cohort_from: str | None = None,
        cohort_to: str | None = None,
    ) -> Call[OutcomesDocument]:
        """`by` is form (the default), level, business_plan, vulnerability or
        time_since_return; cohorts are return months, YYYY-MM."""
        path = "/programmes/{programme_id}/outcomes"
        return get(
            path,
            OutcomesDocument,
            programme_id=programme_id,
            by=by,
            country=country,
            cohort_from=cohort_from,
            cohort_to=cohort_to,
        )
