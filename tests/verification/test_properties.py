"""Properties of the sample size and the draw, for any population and parameters."""

from __future__ import annotations

from decimal import Decimal
from functools import partial

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reintegrate.grants.disbursements import DisbursementStatus
from reintegrate.reconcile.receipts import rounds as rv
from tests.builders import SOON
from tests.verification.builders import disbursement

confidences = st.integers(800, 999).map(lambda k: Decimal(k) / 1000)
margins = st.integers(10, 500).map(lambda k: Decimal(k) / 1000)
proportions = st.integers(1, 99).map(lambda k: Decimal(k) / 100)
statuses = st.sampled_from(DisbursementStatus)


@given(st.integers(1, 10**9), confidences, margins, proportions)
def test_the_sample_size_is_between_one_and_the_population(
    population: int, confidence: Decimal, margin: Decimal, proportion: Decimal
) -> None:
    size = rv.sample_size(population, confidence, margin, proportion)
    assert 1 <= size <= population


@given(st.integers(1, 10**6), confidences, margins, margins)
def test_a_wider_margin_never_draws_more(
    population: int, confidence: Decimal, one: Decimal, other: Decimal
) -> None:
    narrow, wide = sorted((one, other))
    assert rv.sample_size(population, confidence, wide) <= rv.sample_size(
        population, confidence, narrow
    )


@settings(max_examples=60)
@given(
    st.lists(statuses, min_size=1, max_size=400),
    confidences,
    margins,
    st.integers(0, rv.MAX_SEED),
)
def test_a_draw_has_no_duplicates_and_only_paid_disbursements(
    kinds: list[DisbursementStatus], confidence: Decimal, margin: Decimal, seed: int
) -> None:
    candidates = [disbursement(f"d{n:04}", status) for n, status in enumerate(kinds)]
    paid = {d.disbursement_id for d in candidates if d.status is DisbursementStatus.PAID}
    draw = partial(
        rv.draw_round,
        "r1",
        "eurp",
        None,
        candidates,
        confidence=confidence,
        margin=margin,
        seed=seed,
        today=SOON.date(),
    )
    if not paid:
        with pytest.raises(rv.NothingToVerify):
            draw()
        return
    drawn = draw()
    ids = [d.disbursement_id for d in drawn.drawn]
    assert len(ids) == len(set(ids))
    assert set(ids) <= paid
    assert len(ids) == rv.sample_size(len(paid), confidence, margin)
    assert drawn.population_size == len(paid)
    assert ids == rv.draw_sample(sorted(paid, reverse=True), len(ids), seed)
