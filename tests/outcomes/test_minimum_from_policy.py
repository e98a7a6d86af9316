"""A programme's policy may raise the smallest group the evidence shows, never lower it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from reintegrate.outcomes.groups import Axis
from reintegrate.policy import PolicyInvalid, load_policy
from reintegrate.services import programmes as prog
from reintegrate.services.context import Actor
from reintegrate.services.outcomes import OutcomeQuestion, OutcomeSources, outcomes
from reintegrate.store.sql import SqlStore
from tests.builders import ADMIN, EU_POLICY_FILE, at, policy_for
from tests.outcomes.world import build


def test_a_policy_version_asking_for_fifteen_hides_the_groups_of_twelve(tmp_path: Path) -> None:
    store = SqlStore(f"sqlite:///{tmp_path / 'db.sqlite'}")
    store.create_all()
    surveys = build(store)
    sources = OutcomeSources(surveys, surveys)
    question = OutcomeQuestion("eurp", Axis.FORM)
    before = outcomes(store, sources, Actor("auditor-1"), question)
    stricter = policy_for(
        "eurp", version="2025", effective_from=dt.date(2025, 7, 1), evidence_minimum_group=15
    )
    prog.adopt_policy(store, ADMIN, at(dt.date(2025, 7, 1)), stricter)
    after = outcomes(store, sources, Actor("auditor-1"), question)
    assert (before.minimum, after.minimum) == (10, 15)
    assert [g.suppressed for g in before.groups] == [False, False, True, False]
    assert [g.suppressed for g in after.groups] == [True, True, True, True]


def test_a_policy_cannot_set_the_minimum_below_the_floor() -> None:
    document = EU_POLICY_FILE.read_text().replace("\n[", "\nevidence_minimum_group = 3\n\n[", 1)
    with pytest.raises(PolicyInvalid, match="evidence_minimum_group"):
        load_policy(document)
