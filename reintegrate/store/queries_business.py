"""Read-side queries of business plans, on the reader engine (see `queries_scoped`)."""

from __future__ import annotations

from sqlalchemy import Engine

from reintegrate.business.plans import BusinessPlan
from reintegrate.store.queries_scoped import ScopedBodies
from reintegrate.store.sql_business import PLANS


class PlanQueries:
    """The plans as last committed: `get` one, or `page` through them."""

    def __init__(self, engine: Engine) -> None:
        self.plans = ScopedBodies(engine, PLANS, "plan_id", BusinessPlan)
