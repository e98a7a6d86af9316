"""The sample size: Cochran's formula with the finite population correction, rounded up."""

from __future__ import annotations

from decimal import Decimal

import pytest

from reintegrate.errors import ValidationFailed
from reintegrate.reconcile.receipts.rounds import sample_size

D = Decimal


@pytest.mark.parametrize(
    ("population", "expected"),
    [
        (100, 80),
        (500, 218),  # 217.49: Krejcie and Morgan round to the nearest and print 217
        (1000, 278),
        (2000, 323),  # 322.4
        (5000, 357),
        (10_000, 370),
        (1_000_000, 384),  # 383.999: Krejcie and Morgan print 384 too
        (10**12, 385),
    ],
)
def test_at_95_percent_and_5_points_the_sizes_are_the_textbook_ones(
    population: int, expected: int
) -> None:
    assert sample_size(population, D("0.95"), D("0.05")) == expected


@pytest.mark.parametrize(
    ("confidence", "margin", "expected"),
    [
        ("0.90", "0.05", 271),
        ("0.95", "0.05", 385),
        ("0.99", "0.05", 664),
        ("0.95", "0.03", 1068),
        ("0.95", "0.10", 97),
    ],
)
def test_a_very_large_population_needs_n0_rounded_up(
    confidence: str, margin: str, expected: int
) -> None:
    assert sample_size(10**12, D(confidence), D(margin)) == expected


def test_a_known_proportion_away_from_half_needs_fewer() -> None:
    # n0 = 1.96^2 * 0.1 * 0.9 / 0.05^2 = 138.3
    assert sample_size(10**12, D("0.95"), D("0.05"), D("0.1")) == 139
    assert sample_size(10**12, D("0.95"), D("0.05"), D("0.9")) == 139


def test_a_small_population_is_drawn_almost_whole() -> None:
    assert sample_size(1, D("0.95"), D("0.05")) == 1
    assert sample_size(10, D("0.95"), D("0.05")) == 10
    assert sample_size(30, D("0.95"), D("0.05")) == 28


@pytest.mark.parametrize(
    ("confidence", "margin", "proportion", "field"),
    [
        ("0.5", "0.05", "0.5", "confidence"),
        ("1", "0.05", "0.5", "confidence"),
        ("NaN", "0.05", "0.5", "confidence"),
        ("0.95", "0", "0.5", "margin"),
        ("0.95", "0.6", "0.5", "margin"),
        ("0.95", "0.05", "0", "expected_proportion"),
        ("0.95", "0.05", "1", "expected_proportion"),
    ],
)
def test_a_parameter_out_of_its_range_is_refused_naming_it_and_its_limit(
    confidence: str, margin: str, proportion: str, field: str
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        sample_size(1000, D(confidence), D(margin), D(proportion))
    assert refused.value.field == field
    assert str(refused.value.details["limit"]).startswith(f"{field} between")


def test_an_empty_population_is_refused() -> None:
    with pytest.raises(ValidationFailed) as refused:
        sample_size(0, D("0.95"), D("0.05"))
    assert refused.value.field == "population"
