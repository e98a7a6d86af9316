"""Cash by payment stage: a stage opens the cash parts of its own lines, no more, so cash is
not paid early on an earlier stage's in-kind lines."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from reintegrate import events as ev
from reintegrate.grants.disbursements import (
    Channel,
    DisbursementStatus,
    Requested,
    StagedLimitExceeded,
)
from reintegrate.grants.usage import stage_uses
from reintegrate.policy import Policy, Stage
from reintegrate.services import programmes as prog
from reintegrate.services.audit import verify_audit
from reintegrate.stages import cash_opened_by
from reintegrate.store.memory import MemoryStore
from tests.builders import (
    ADMIN,
    RETURNED,
    approved_package,
    at,
    cash,
    eu_policy,
    household,
    in_kind,
    policy_for,
    programme,
    register,
    requested,
)

SIX_MONTHS_LATER = dt.date(2024, 9, 1)


def in_kind_first_then_cash() -> Policy:
    """The EU amounts, with the post-arrival line in kind and the post-return line in cash,
    the second stage opening six months after return."""
    lines = tuple(
        msgspec.structs.replace(line, cash="none" if line.stage == "post_arrival" else "all")
        for line in eu_policy().person_amounts
    )
    return policy_for(
        "late-cash",
        person_amounts=lines,
        stages=(Stage(name="post_arrival"), Stage(name="post_return", opens_months_after_return=6)),
    )


@pytest.fixture
def store() -> Iterator[MemoryStore]:
    """A programme paying the post-return lines in cash; audited after the test."""
    s = MemoryStore()
    programme(s, programme_id="late-cash", policy=in_kind_first_then_cash())
    yield s
    report = verify_audit(s)
    assert report.ok, report


def test_each_stage_opens_the_cash_parts_of_its_own_lines(store: MemoryStore) -> None:
    case_id = register(store, household("c1", programme_id="late-cash")).case_id

    stages = prog.case_entitlement(store, ADMIN, case_id, RETURNED).entitlement.stages

    assert [(s.stage, s.amount, s.cash, s.cumulative, s.cash_cumulative) for s in stages] == [
        ("post_arrival", 615_00, 0, 615_00, 0),
        ("post_return", 2_000_00 + 1_000_00, 3_000_00, 3_615_00, 3_000_00),
    ]


def test_cash_waits_for_the_stage_whose_lines_are_in_cash(store: MemoryStore) -> None:
    case_id = register(store, household("c1", programme_id="late-cash")).case_id
    pkg = approved_package(store, case_id, cash("c-cash", 2_000_00), in_kind("c-kit", 615_00))

    with pytest.raises(StagedLimitExceeded) as refused:
        requested(store, pkg.package_id, "c-cash", 100_00, when=at(dt.date(2024, 8, 31)))

    assert refused.value.message == (
        "cash of stages open on 2024-08-31: limit 0.00 EUR, used 0.00 EUR, asked 100.00 EUR; "
        "next stage opens on 2024-09-01"
    )
    assert refused.value.details["limit"] == "cash of payment stages opened so far"
    in_kind_now = requested(
        store, pkg.package_id, "c-kit", 615_00, channel=Channel.SUPPLIER_TRANSFER, invoice_ref="I1"
    )
    assert in_kind_now.status is DisbursementStatus.REQUESTED
    cash_later = requested(store, pkg.package_id, "c-cash", 2_000_00, when=at(SIX_MONTHS_LATER))
    assert cash_later.status is DisbursementStatus.REQUESTED


def test_stages_granted_before_cash_was_limited_per_stage_limit_no_cash() -> None:
    before = [ev.GrantStage(stage="single", opens_on=RETURNED, cumulative=615_00)]
    since = [msgspec.structs.replace(before[0], cash_cumulative=0)]

    assert cash_opened_by(before, RETURNED) is None
    assert cash_opened_by(since, RETURNED) == 0
    assert cash_opened_by(since, RETURNED - dt.timedelta(days=1)) == 0


@given(
    st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 10_000)), min_size=1, max_size=4),
    st.integers(0, 50_000),
    st.integers(0, 50_000),
)
def test_payments_use_the_stages_earliest_first_and_never_beyond_them(
    parts: list[tuple[int, int]], total: int, cash: int
) -> None:
    stages, cumulative, cash_cumulative = [], 0, 0
    for n, (amount, cash_part) in enumerate(parts):
        cumulative += amount
        cash_cumulative += min(cash_part, amount)
        stages.append(
            ev.GrantStage(
                stage=f"s{n}",
                opens_on=RETURNED + dt.timedelta(days=30 * n),
                cumulative=cumulative,
                cash_cumulative=cash_cumulative,
            )
        )
    cash = min(cash, total)

    uses = stage_uses(stages, Requested(total=total, cash=cash), RETURNED)

    assert sum(u.used for u in uses) == min(total, cumulative)
    assert sum(u.cash_used for u in uses) == min(cash, cash_cumulative)
    for u in uses:
        assert 0 <= u.used <= u.amount
        assert u.cash is not None
        assert 0 <= u.cash_used <= u.cash <= u.amount
    for n, u in enumerate(uses):
        if u.used:
            assert all(earlier.left == 0 for earlier in uses[:n]), "earlier stages fill first"
    assert [u.opened for u in uses] == [n == 0 for n in range(len(uses))]


def early_for_dependants() -> Policy:
    """The EU amounts, with the dependant's 1,000.00 in kind on arrival, and the principal's
    2,000.00 in kind six months after return."""
    lines = tuple(
        msgspec.structs.replace(line, stage="post_arrival")
        if line.applies_to == "dependant"
        else line
        for line in eu_policy().person_amounts
    )
    return policy_for(
        "early-dependants",
        person_amounts=lines,
        stages=(Stage(name="post_arrival"), Stage(name="post_return", opens_months_after_return=6)),
    )


def test_a_person_is_not_paid_early_on_what_the_stage_opened_for_another_member() -> None:
    store = MemoryStore()
    programme(store, programme_id="early-dependants", policy=early_for_dependants())
    case_id = register(store, household("c1", programme_id="early-dependants")).case_id
    pkg = approved_package(
        store, case_id, in_kind("c-house", 2_000_00), in_kind("c-school", 1_000_00, "d1")
    )
    stages = prog.case_entitlement(store, ADMIN, case_id, RETURNED).entitlement.stages
    assert (stages[0].cumulative, stages[0].persons) == (1_615_00, {"p": 615_00, "d1": 1_000_00})

    with pytest.raises(StagedLimitExceeded) as refused:
        requested(
            store,
            pkg.package_id,
            "c-house",
            1_000_00,
            channel=Channel.SUPPLIER_TRANSFER,
            invoice_ref="I1",
        )

    assert refused.value.message == (
        "stages open for member p on 2024-03-11: limit 615.00 EUR, used 0.00 EUR, "
        "asked 1000.00 EUR; next stage opens on 2024-09-01"
    )
    assert verify_audit(store).ok
