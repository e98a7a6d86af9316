"""The demo's follow-ups and answers (generated): several return cohorts answered, some
follow-ups declined, unreachable or overdue, and scores that differ by form of assistance
as the demo draws them, all verified by the audit."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from decimal import Decimal

import pytest

from reintegrate import demo
from reintegrate.access import EVERYWHERE
from reintegrate.services import surveys
from reintegrate.services.audit import verify_audit
from reintegrate.store.outcome_rows import scored_responses
from reintegrate.store.sql import SqlStore
from reintegrate.texts import Text

NOW = dt.datetime(2026, 11, 26, 12, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> tuple[SqlStore, Counter[Text]]:
    """A demo of 60 households, and what happened while it was loaded."""
    store = SqlStore(f"sqlite:///{tmp_path_factory.mktemp('demo')}/demo.db")
    store.create_all()
    return store, demo.load_demo(store, 60, NOW)


def test_the_demo_holds_answers_of_several_cohorts_and_overdue_follow_ups(
    loaded: tuple[SqlStore, Counter[Text]],
) -> None:
    store, outcomes = loaded

    rows = list(scored_responses(store.engine))
    english = {str(outcome): count for outcome, count in outcomes.items()}
    assert not any(k.startswith("follow-up refused") for k in english), english
    assert english["follow-up reached"] == len(rows) > 20
    assert english["follow-up declined"] > 0
    assert len({r.returned_on.strftime("%Y-%m") for r in rows}) >= 4
    assert all(r.composite is None or 0 <= r.composite <= 1 for r in rows)
    with store.reading() as uow:
        cases = [c for i in range(60) if (c := uow.case(f"case-{i + 1:04d}", EVERYWHERE))]
        due = surveys.due_follow_ups(uow, cases, NOW.date(), overdue_only=True)
    assert due
    assert verify_audit(store).ok


def test_demo_scores_differ_by_the_form_of_assistance_as_drawn(
    loaded: tuple[SqlStore, Counter[Text]],
) -> None:
    store, _ = loaded

    rows = {r.response_id: r for r in scored_responses(store.engine)}
    by_forms: dict[frozenset[str], list[Decimal]] = {}
    with store.reading() as uow:
        for kept in uow.responses_of_persons({r.person_id for r in rows.values()}):
            forms = frozenset(
                c.form.value for p in uow.packages_of_case(kept.case_id) for c in p.components
            )
            composite = rows[kept.response_id].composite
            if composite is not None:
                by_forms.setdefault(forms, []).append(composite)

    mixed, in_kind = by_forms[frozenset({"cash", "in_kind"})], by_forms[frozenset({"in_kind"})]
    assert min(len(mixed), len(in_kind)) >= 5
    assert statistics.median(mixed) > statistics.median(in_kind)
