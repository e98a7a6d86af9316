"""The demo data holds community projects in every state, and their returnees' entitlements
show the individual and community shares side by side."""

from __future__ import annotations

import datetime as dt

from reintegrate import demo
from reintegrate.community.projects import ProjectStatus
from reintegrate.demo.business import OFFICER
from reintegrate.services import programmes as prog
from reintegrate.services.audit import verify_audit
from reintegrate.store.memory import MemoryStore

NOW = dt.datetime(2026, 11, 26, 12, tzinfo=dt.UTC)


def test_the_demo_has_a_community_project_in_every_state() -> None:
    store = MemoryStore()
    demo.load_demo(store, 5, NOW)
    projects = list(store.state.projects.values())
    assert {p.status for p in projects} == set(ProjectStatus)
    completed = next(p for p in projects if p.status is ProjectStatus.COMPLETED)
    assert completed.paid() == completed.envelope
    abandoned = next(p for p in projects if p.status is ProjectStatus.ABANDONED)
    assert 0 < abandoned.paid() < abandoned.envelope
    assert all(p.participants.community_members >= len(p.participants.returnees) for p in projects)
    assert verify_audit(store).ok


def test_a_demo_returnee_in_an_active_project_sees_both_shares_of_their_caps() -> None:
    store = MemoryStore()
    demo.load_demo(store, 5, NOW)
    active = next(p for p in store.state.projects.values() if p.status is ProjectStatus.ACTIVE)
    case_id = active.participants.returnees[0].case_id
    shown = prog.case_entitlement(store, OFFICER, case_id, NOW.date())
    household = next(c for c in shown.caps if c.account == f"cap:{case_id}:household")
    assert household.community == active.envelope // active.participants.total
    assert household.individual == household.used - household.community
    assert [s.project_id for s in shown.community_shares] == [active.project_id]
