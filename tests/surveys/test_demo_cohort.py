"""The demo's monitoring cohort (generated): households concentrated in two offices and two
return months of programme eurp, enough of them that the evidence on outcomes shows its
groups by form of assistance and by level instead of suppressing them, while the demo's
other households stay as they were without it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reintegrate import demo
from reintegrate.access import EVERYWHERE
from reintegrate.cli.main import app as cli
from reintegrate.demo.cohort import check_cohort_size
from reintegrate.outcomes.groups import Axis
from reintegrate.outcomes.quartiles import Summary
from reintegrate.services.context import Actor
from reintegrate.services.outcomes import OutcomeQuestion, outcome_sources, outcomes
from reintegrate.store.sql import SqlStore

NOW = dt.datetime(2026, 11, 26, 12, tzinfo=dt.UTC)
HOUSEHOLDS = 5
PER_ATOM = 30
MINIMUM = 10
"""The evidence's minimum of persons in a group shown (docs/outcomes.md)."""


def loaded(folder: Path, cohort: int) -> SqlStore:
    store = SqlStore(f"sqlite:///{folder}/demo.db")
    store.create_all()
    demo.load_demo(store, HOUSEHOLDS, NOW, monitoring_cohort=cohort)
    return store


@pytest.fixture(scope="module")
def with_cohort(tmp_path_factory: pytest.TempPathFactory) -> SqlStore:
    return loaded(tmp_path_factory.mktemp("cohort"), PER_ATOM)


def shown(store: SqlStore, axis: Axis) -> dict[str, Summary]:
    """The composite scores of each group the evidence by `axis` shows (not suppressed)."""
    question = OutcomeQuestion(programme_id="eurp", axis=axis)
    found = outcomes(store, outcome_sources(store), Actor("admin"), question)
    return {g.group: g.composite for g in found.groups if g.composite is not None}


def test_the_cohort_shows_every_form_of_assistance_with_at_least_the_minimum(
    with_cohort: SqlStore,
) -> None:
    groups = shown(with_cohort, Axis.FORM)

    assert {"cash_only", "in_kind_only", "mixed"} <= set(groups)
    assert all(g.n >= MINIMUM for g in groups.values())


def test_the_cohort_shows_individual_assistance_beside_assistance_with_a_community_project(
    with_cohort: SqlStore,
) -> None:
    groups = shown(with_cohort, Axis.LEVEL)

    assert {"individual", "both"} <= set(groups)
    assert all(g.n >= MINIMUM for g in groups.values())


def test_mixed_assistance_is_drawn_higher_than_cash_only(with_cohort: SqlStore) -> None:
    groups = shown(with_cohort, Axis.FORM)

    assert groups["mixed"].median.value > groups["cash_only"].median.value


def test_the_other_households_are_the_same_with_or_without_the_cohort(
    with_cohort: SqlStore, tmp_path: Path
) -> None:
    without = loaded(tmp_path, 0)

    def households(store: SqlStore) -> Sequence[object]:
        """Each of the demo's households: its return date and its packages' components."""
        found = []
        with store.reading() as uow:
            for n in range(1, HOUSEHOLDS + 1):
                case = uow.case(f"case-{n:04d}", EVERYWHERE)
                assert case is not None
                parts = [
                    (p.status, c.form, c.amount)
                    for p in uow.packages_of_case(case.case_id)
                    for c in p.components
                ]
                found.append((case.return_date, sorted(parts)))
        return found

    assert households(with_cohort) == households(without)


def test_a_cohort_too_small_for_a_third_to_reach_the_minimum_is_refused_with_its_size() -> None:
    with pytest.raises(ValueError, match=r"at least 30 households .* not 12"):
        check_cohort_size(12)


def test_the_demo_command_refuses_a_cohort_too_small_before_writing_anything(
    tmp_path: Path,
) -> None:
    database = f"sqlite:///{tmp_path}/demo.db"
    result = CliRunner().invoke(cli, ["demo", "--database", database, "--monitoring-cohort", "12"])

    assert result.exit_code == 2
    assert "not 12" in result.output
    assert not (tmp_path / "demo.db").exists()
