"""Read-side queries of business plans, on the reader engine: one plan as last committed, and
the plans of the caller's offices page by page (scoped by office in the SQL itself)."""

from __future__ import annotations

from sqlalchemy import Engine, bindparam, select

from reintegrate.access import Scope
from reintegrate.business.plans import BusinessPlan
from reintegrate.store.sql_business import PLANS
from reintegrate.store.sql_uow import decode

_PLAN = select(PLANS.c.body).where(PLANS.c.plan_id == bindparam("key"))


class PlanQueries:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def plan(self, plan_id: str, scope: Scope) -> BusinessPlan | None:
        """A plan as last committed, if `scope` may see it: for answers, never for a
        command's decisions (those read in their unit of work)."""
        with self.engine.connect() as conn:
            body: bytes | None = conn.execute(_PLAN, {"key": plan_id}).scalar_one_or_none()
        found = None if body is None else decode(body, BusinessPlan)
        return found if found and scope.allows(found.office) else None

    def plans(self, scope: Scope, after: str | None, limit: int) -> list[BusinessPlan]:
        """Up to `limit` plans of `scope` whose id comes after `after`, by id."""
        query = select(PLANS.c.body).order_by(PLANS.c.plan_id).limit(limit)
        if scope.offices is not None:
            query = query.where(PLANS.c.office.in_(sorted(scope.offices)))
        if after is not None:
            query = query.where(PLANS.c.plan_id > after)
        with self.engine.connect() as conn:
            return [decode(body, BusinessPlan) for body in conn.execute(query).scalars()]
