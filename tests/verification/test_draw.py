"""Drawing a round: the sample is a function of the population and the seed alone."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest

from reintegrate.errors import NotFound, ValidationFailed
from reintegrate.grants.disbursements import DisbursementStatus
from reintegrate.reconcile.receipts import rounds as rv
from reintegrate.services import verification as vs
from reintegrate.store.memory import MemoryStore
from tests.builders import ADMIN, SOON, programme
from tests.verification.builders import (
    LAGOS_OFFICER,
    MONITOR,
    dakar_round,
    disbursement,
    programme_with_payments,
)

LATER = SOON + dt.timedelta(days=1)


def drawn_ids(found: rv.VerificationRound) -> list[str]:
    return [d.disbursement_id for d in found.drawn]


def test_the_same_population_and_seed_draw_the_same_sample() -> None:
    store = MemoryStore()
    programme_with_payments(store)
    first, second = dakar_round(store, seed=2024), dakar_round(store, seed=2024)

    assert first.round_id != second.round_id
    assert drawn_ids(first) == drawn_ids(second)
    assert first.population_digest == second.population_digest


def test_the_pure_draw_ignores_the_order_the_population_comes_in() -> None:
    ids = [f"d{n:03}" for n in range(200)]
    shuffled = ids[:]
    random.Random(1).shuffle(shuffled)

    assert rv.draw_sample(shuffled, 30, 99) == rv.draw_sample(ids, 30, 99)
    assert rv.draw_sample(ids, 30, 99) != rv.draw_sample(ids, 30, 100)


def test_another_seed_draws_another_sample() -> None:
    store = MemoryStore()
    programme_with_payments(store)

    assert drawn_ids(dakar_round(store, seed=1)) != drawn_ids(dakar_round(store, seed=2))


def test_a_round_draws_only_paid_disbursements_of_the_callers_offices() -> None:
    store = MemoryStore()
    payments = programme_with_payments(store)
    found = dakar_round(store, margin="0.05")  # 90 %, 5 points: 15 of 15

    assert found.offices == ("dakar",)
    assert found.population_size == len(payments.dakar_paid)
    assert drawn_ids(found) == payments.dakar_paid
    stored = store.snapshot().disbursements
    assert all(
        (d.amount, d.currency) == (stored[d.disbursement_id].amount, "EUR") for d in found.drawn
    )


def test_an_admin_draws_from_every_office() -> None:
    store = MemoryStore()
    payments = programme_with_payments(store)
    found = vs.draw_round(
        store, ADMIN, LATER, "eurp", confidence=Decimal("0.95"), margin=Decimal("0.05"), seed=3
    )

    assert found.offices is None
    assert found.population_size == len(payments.paid)
    assert set(drawn_ids(found)) <= set(payments.paid)


def test_the_recorded_seed_and_digest_let_anyone_draw_the_sample_again() -> None:
    store = MemoryStore()
    programme_with_payments(store)
    found = vs.draw_round(
        store, MONITOR, LATER, "eurp", confidence=Decimal("0.95"), margin=Decimal("0.2")
    )
    population = rv.population_of(store.snapshot().disbursements.values(), "eurp")
    dakar = [i for i in population if store.snapshot().disbursements[i].office == "dakar"]

    assert 0 <= found.seed <= rv.MAX_SEED
    assert rv.population_digest(dakar) == found.population_digest
    assert rv.draw_sample(dakar, len(found.drawn), found.seed) == drawn_ids(found)


def test_a_programme_without_paid_disbursements_in_the_callers_offices_is_refused() -> None:
    store = MemoryStore()
    programme(store)
    with pytest.raises(rv.NothingToVerify) as refused:
        vs.draw_round(
            store, LAGOS_OFFICER, LATER, "eurp", confidence=Decimal("0.9"), margin=Decimal("0.1")
        )
    assert refused.value.field == "programme_id"


def test_an_unknown_programme_is_not_found() -> None:
    store = MemoryStore()
    with pytest.raises(NotFound) as refused:
        vs.draw_round(
            store, MONITOR, LATER, "nope", confidence=Decimal("0.9"), margin=Decimal("0.1")
        )
    assert refused.value.field == "programme_id"


def test_a_seed_out_of_range_is_refused() -> None:
    with pytest.raises(ValidationFailed) as refused:
        rv.draw_round(
            "r1",
            "eurp",
            None,
            [disbursement("d1")],
            confidence=Decimal("0.9"),
            margin=Decimal("0.1"),
            seed=rv.MAX_SEED + 1,
            today=SOON.date(),
        )
    assert refused.value.field == "seed"


def test_a_sample_above_the_most_a_round_draws_is_refused_with_the_limit() -> None:
    population = [disbursement(f"d{n:05}") for n in range(10_000)]
    with pytest.raises(rv.SampleTooLarge) as refused:
        rv.draw_round(
            "r1",
            "eurp",
            None,
            population,
            confidence=Decimal("0.99"),
            margin=Decimal("0.01"),
            seed=1,
            today=SOON.date(),
        )
    assert refused.value.field == "margin"
    assert refused.value.details["size"] == rv.MAX_SAMPLE
    assert refused.value.details["requested"] == rv.sample_size(
        10_000, Decimal("0.99"), Decimal("0.01")
    )


def test_disbursements_not_paid_or_of_another_programme_are_not_drawn() -> None:
    candidates = [
        disbursement("paid"),
        disbursement("approved", DisbursementStatus.APPROVED),
        disbursement("reversed", DisbursementStatus.REVERSED),
        disbursement("elsewhere", programme_id="other"),
    ]
    drawn = rv.draw_round(
        "r1",
        "eurp",
        None,
        candidates,
        confidence=Decimal("0.95"),
        margin=Decimal("0.05"),
        seed=5,
        today=SOON.date(),
    )
    assert drawn.population_size == 1
    assert [d.disbursement_id for d in drawn.drawn] == ["paid"]
