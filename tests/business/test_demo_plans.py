"""The demo data holds business plans in every state, a group business among them."""

from __future__ import annotations

import datetime as dt

from reintegrate import demo
from reintegrate.business.plans import PlanStatus
from reintegrate.services.audit import verify_audit
from reintegrate.store.memory import MemoryStore

NOW = dt.datetime(2026, 11, 26, 12, tzinfo=dt.UTC)


def test_the_demo_has_a_business_plan_in_every_state_and_a_group_business() -> None:
    store = MemoryStore()
    demo.load_demo(store, 5, NOW)
    plans = list(store.state.plans.values())
    assert {p.status for p in plans} == set(PlanStatus)
    group = [p for p in plans if len(p.owners) > 1]
    assert group
    assert group[0].status is PlanStatus.ACTIVE
    completed = next(p for p in plans if p.status is PlanStatus.COMPLETED)
    assert all(t.released for t in completed.tranches)
    assert verify_audit(store).ok
