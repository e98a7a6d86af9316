"""Read-side queries of business plans, on the reader engine (see `queries_scoped`)."""

from __future__ import annotations

from sqlalchemy import Engine

from reintegrate.access import Scope
from reintegrate.business.plans import BusinessPlan
from reintegrate.store.queries_scoped import ScopedBodies
from reintegrate.store.sql_business import PLANS


class PlanQueries:
    def __init__(self, engine: Engine) -> None:
        self._plans = ScopedBodies(engine, PLANS, "plan_id", BusinessPlan)

    def plan(self, plan_id: str, scope: Scope) -> BusinessPlan | None:
        return self._plans.one(plan_id, scope)

    def plans(self, scope: Scope, after: str | None, limit: int) -> list[BusinessPlan]:
        return self._plans.page(scope, after, limit)
