"""Properties of money handling that must hold for every amount, weight, currency and rate."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reintegrate.money import (
    EXACT_PLACES,
    FxRate,
    InvalidAmount,
    allocate,
    book,
    convert,
    exact_value,
    format_exact,
    format_minor,
    minor_digits,
    parse_amount,
    to_minor,
    to_money,
    validate_rate,
)

# JPY and XOF have no minor unit, EUR and USD two decimals, KWD three.
CODES = ("JPY", "XOF", "EUR", "USD", "KWD")
# parse_amount takes at most 15 whole digits.
MAX_WHOLE = 10**15 - 1

codes = st.sampled_from(CODES)
currency_pairs = st.tuples(codes, codes).filter(lambda pair: pair[0] != pair[1])


@st.composite
def rate_strings(draw: st.DrawFn) -> str:
    """A positive plain decimal as `validate_rate` accepts it: up to 12 digits either side."""
    whole = draw(st.integers(min_value=0, max_value=10**12 - 1))
    places = draw(st.integers(min_value=0, max_value=12))
    frac = draw(st.integers(min_value=0, max_value=10**places - 1)) if places else 0
    if whole == 0 and frac == 0:
        frac, places = 1, max(places, 1)
    return f"{whole}.{frac:0{places}d}" if places else str(whole)


weights = st.one_of(
    st.integers(min_value=0, max_value=10**6),
    st.fractions(min_value=0, max_value=1000, max_denominator=1000),
)


@given(
    total=st.integers(min_value=-(10**12), max_value=10**12),
    weights=st.lists(weights, min_size=1, max_size=12).filter(lambda ws: any(w > 0 for w in ws)),
)
def test_allocated_parts_add_up_to_the_total_and_stay_within_a_unit_of_their_share(
    total: int, weights: list[int | Fraction]
) -> None:
    parts = allocate(total, weights)
    assert len(parts) == len(weights)
    assert sum(parts) == total
    weight_sum = sum(Fraction(w) for w in weights)
    for part, weight in zip(parts, weights, strict=True):
        exact = Fraction(total) * Fraction(weight) / weight_sum
        assert abs(part - exact) < 1
        if weight == 0:
            assert part == 0


def rate_between(source: str, target: str, rate: str, *, inverse: bool) -> FxRate:
    """A valid rate quoted source->target, or target->source when `inverse`."""
    base, quote = (target, source) if inverse else (source, target)
    return validate_rate(
        FxRate(base=base, quote=quote, rate=rate, source="test", valid_from=dt.date(2024, 1, 1))
    )


@given(
    pair=currency_pairs,
    minor=st.integers(min_value=0, max_value=10**15),
    rate=rate_strings(),
    inverse=st.booleans(),
)
def test_a_conversion_rounds_once_to_within_half_a_minor_unit_of_the_exact_value(
    pair: tuple[str, str], minor: int, rate: str, inverse: bool
) -> None:
    source, target = pair
    fx = rate_between(source, target, rate, inverse=inverse)
    conversion = convert(minor, source, target, fx)

    units_of_quote_per_base = Fraction(rate)
    per_source_unit = units_of_quote_per_base if fx.base == source else 1 / units_of_quote_per_base
    exact_major = Fraction(minor, 10 ** minor_digits(source)) * per_source_unit
    exact_minor = exact_major * 10 ** minor_digits(target)

    error = conversion.target_minor - exact_minor
    assert abs(error) <= Fraction(1, 2)
    if abs(error) == Fraction(1, 2):
        assert conversion.target_minor % 2 == 0  # a tie goes to the even neighbour
    assert conversion.source_minor == minor
    assert (conversion.source_currency, conversion.target_currency) == (source, target)


@given(
    pair=currency_pairs,
    minor=st.integers(min_value=0, max_value=10**15),
    rate=rate_strings(),
    inverse=st.booleans(),
)
def test_a_payment_is_booked_at_its_exact_value_rounded_up_to_the_minor_unit(
    pair: tuple[str, str], minor: int, rate: str, inverse: bool
) -> None:
    """A payment in another currency counts against the caps for at least what it is worth,
    and for less than one minor unit more: so no series of payments creeps over a cap."""
    source, target = pair
    fx = rate_between(source, target, rate, inverse=inverse)
    booked = book(minor, source, target, [fx], dt.date(2024, 6, 1)).target_minor
    exact_minor = exact_value(minor, source, target, fx) * 10 ** minor_digits(target)

    assert exact_minor <= booked < exact_minor + 1
    shown = Fraction(format_exact(exact_value(minor, source, target, fx), target))
    assert abs(shown * 10 ** minor_digits(target) - exact_minor) <= Fraction(
        10 ** minor_digits(target), 2 * 10**EXACT_PLACES
    )


@given(
    code=codes,
    whole=st.integers(min_value=0, max_value=MAX_WHOLE),
    data=st.data(),
)
def test_decimals_beyond_the_currency_minor_unit_are_always_rejected(
    code: str, whole: int, data: st.DataObject
) -> None:
    digits = minor_digits(code)
    kept = data.draw(st.integers(min_value=0, max_value=10**digits - 1)) if digits else 0
    padding = data.draw(st.integers(min_value=0, max_value=5 - digits))
    extra = data.draw(st.integers(min_value=1, max_value=9))
    frac = (f"{kept:0{digits}d}" if digits else "") + "0" * padding + str(extra)
    with pytest.raises(InvalidAmount):
        parse_amount(f"{whole}.{frac}", code)


@given(code=codes, data=st.data())
def test_a_canonical_string_parses_back_to_the_same_minor_units(
    code: str, data: st.DataObject
) -> None:
    largest = (MAX_WHOLE + 1) * 10 ** minor_digits(code) - 1
    minor = data.draw(st.integers(min_value=0, max_value=largest))
    assert parse_amount(format_minor(minor, code), code) == minor
    assert parse_amount(format_minor(-minor, code), code, allow_negative=True) == -minor


@given(code=codes, minor=st.integers())
def test_money_holds_minor_units_without_losing_any(code: str, minor: int) -> None:
    money = to_money(minor, code)
    assert money.currency.code == code
    assert to_minor(money) == minor
