"""Money in minor units: parsing, canonical strings, FX rates, conversion and allocation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest
from moneyed import Money

from reintegrate.money import (
    CurrencyMismatch,
    FxRate,
    InvalidAmount,
    NoFxRate,
    UnknownCurrency,
    allocate,
    convert,
    format_minor,
    minor_digits,
    parse_amount,
    rate_on,
    to_minor,
    to_money,
    validate_rate,
)

JAN_1 = dt.date(2024, 1, 1)
FEB_1 = dt.date(2024, 2, 1)
MAR_1 = dt.date(2024, 3, 1)


def fx(
    rate: str,
    *,
    base: str = "EUR",
    quote: str = "XOF",
    valid_from: dt.date = JAN_1,
    source: str = "BCEAO",
) -> FxRate:
    return FxRate(base=base, quote=quote, rate=rate, source=source, valid_from=valid_from)


# --- currencies ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "digits"), [("JPY", 0), ("XOF", 0), ("EUR", 2), ("USD", 2), ("KWD", 3)]
)
def test_each_currency_has_its_iso_minor_unit(code: str, digits: int) -> None:
    assert minor_digits(code) == digits


@pytest.mark.parametrize("code", ["eur", "ZZZ", "XAU", "XXX", "DEFAULT", ""])
def test_an_unknown_or_unit_less_currency_is_refused(code: str) -> None:
    with pytest.raises(UnknownCurrency) as caught:
        minor_digits(code)
    assert caught.value.field == "currency"


# --- parsing --------------------------------------------------------------------------------


def test_a_euro_amount_is_counted_in_cents() -> None:
    assert parse_amount("1500.00", "EUR") == 150000
    assert parse_amount("12.5", "EUR") == 1250
    assert parse_amount("7", "EUR") == 700


def test_a_yen_amount_is_counted_in_whole_yen() -> None:
    assert parse_amount("1500", "JPY") == 1500


def test_a_yen_amount_with_decimals_is_rejected() -> None:
    with pytest.raises(InvalidAmount) as caught:
        parse_amount("1500.5", "JPY")
    assert caught.value.field == "amount"


def test_a_euro_amount_with_a_third_decimal_is_rejected() -> None:
    with pytest.raises(InvalidAmount):
        parse_amount("1.005", "EUR")


def test_kuwaiti_dinar_keeps_three_decimals() -> None:
    assert parse_amount("1.005", "KWD") == 1005
    assert parse_amount("2.5", "KWD") == 2500
    with pytest.raises(InvalidAmount):
        parse_amount("1.0005", "KWD")


def test_trailing_zeros_beyond_the_minor_unit_are_accepted() -> None:
    assert parse_amount("1.500", "EUR") == 150
    assert parse_amount("1500.000", "JPY") == 1500
    assert parse_amount("1.500000", "KWD") == 1500


@pytest.mark.parametrize("value", [12.5, 12.0, 0.1])
def test_a_float_is_never_accepted_as_an_amount(value: float) -> None:
    with pytest.raises(InvalidAmount) as caught:
        parse_amount(value, "EUR")
    assert caught.value.field == "amount"
    assert caught.value.message.endswith("not a number")


@pytest.mark.parametrize("value", [12, None, b"12.50"])
def test_only_a_string_is_accepted_as_an_amount(value: object) -> None:
    with pytest.raises(InvalidAmount):
        parse_amount(value, "EUR")


@pytest.mark.parametrize("text", ["NaN", "nan", "sNaN", "Infinity", "inf", "-Infinity"])
def test_nan_and_infinity_are_rejected(text: str) -> None:
    with pytest.raises(InvalidAmount):
        parse_amount(text, "EUR", allow_negative=True)


@pytest.mark.parametrize(
    "text",
    ["1e3", "1E3", "1.5e2", "+12", "12.", ".5", "1,50", "1 000", " 12", "12 ", "", "0x10", "1_000"],
)
def test_anything_but_a_plain_decimal_is_rejected(text: str) -> None:
    with pytest.raises(InvalidAmount):
        parse_amount(text, "EUR")


@pytest.mark.parametrize("text", ["12.50\n", "12\n", "12.50\r\n"])
def test_a_trailing_newline_is_not_part_of_a_plain_decimal(text: str) -> None:
    with pytest.raises(InvalidAmount):
        parse_amount(text, "EUR")


@pytest.mark.parametrize("text", ["\u0661\u0662", "12.\u0665", "\uff11\uff12"])
def test_digits_outside_ascii_are_rejected(text: str) -> None:
    with pytest.raises(InvalidAmount):
        parse_amount(text, "EUR")


def test_more_than_fifteen_whole_digits_are_rejected() -> None:
    assert parse_amount("9" * 15, "JPY") == 10**15 - 1
    with pytest.raises(InvalidAmount):
        parse_amount("1" + "0" * 15, "JPY")


def test_negative_amounts_are_rejected_unless_allowed() -> None:
    with pytest.raises(InvalidAmount) as caught:
        parse_amount("-12.50", "EUR", field="adjustment")
    assert caught.value.field == "adjustment"
    assert parse_amount("-12.50", "EUR", allow_negative=True) == -1250
    assert parse_amount("-0", "EUR", allow_negative=True) == 0


def test_the_error_names_the_field_at_fault() -> None:
    with pytest.raises(InvalidAmount) as caught:
        parse_amount("12.345", "EUR", field="grant.amount")
    assert caught.value.field == "grant.amount"
    assert caught.value.type == "invalid-amount"
    assert "EUR" in caught.value.message


def test_parsing_in_an_unknown_currency_is_refused() -> None:
    with pytest.raises(UnknownCurrency):
        parse_amount("12.50", "ZZZ")


# --- canonical strings and Money --------------------------------------------------------------


@pytest.mark.parametrize(
    ("minor", "code", "text"),
    [
        (150000, "EUR", "1500.00"),
        (5, "EUR", "0.05"),
        (0, "EUR", "0.00"),
        (-1250, "EUR", "-12.50"),
        (-5, "EUR", "-0.05"),
        (1500, "JPY", "1500"),
        (-1500, "JPY", "-1500"),
        (1005, "KWD", "1.005"),
        (100000, "XOF", "100000"),
    ],
)
def test_format_minor_gives_the_canonical_string(minor: int, code: str, text: str) -> None:
    assert format_minor(minor, code) == text


def test_a_canonical_string_parses_back_to_the_same_minor_units() -> None:
    assert parse_amount(format_minor(-1250, "EUR"), "EUR", allow_negative=True) == -1250


def test_money_shows_the_amount_in_major_units() -> None:
    money = to_money(150000, "EUR")
    assert str(money.amount) == "1500.00"
    assert money.currency.code == "EUR"
    assert to_minor(money) == 150000


def test_a_money_amount_that_is_not_whole_minor_units_is_refused() -> None:
    with pytest.raises(InvalidAmount):
        to_minor(Money(Decimal("1.005"), "EUR"))
    with pytest.raises(InvalidAmount):
        to_minor(Money(Decimal("0.5"), "JPY"))


def test_a_very_large_amount_survives_money_unrounded() -> None:
    minor = 10**40 + 1
    assert to_minor(to_money(minor, "EUR")) == minor


# --- FX rates ---------------------------------------------------------------------------------


def test_rate_lookup_picks_the_latest_rate_valid_on_the_day() -> None:
    rates = [
        fx("650", valid_from=JAN_1),
        fx("655.957", valid_from=FEB_1),
        fx("700", valid_from=MAR_1),
    ]
    assert rate_on(rates, "EUR", "XOF", dt.date(2024, 2, 15)).rate == "655.957"
    assert rate_on(rates, "EUR", "XOF", FEB_1).rate == "655.957"
    assert rate_on(rates, "EUR", "XOF", dt.date(2024, 1, 31)).rate == "650"
    assert rate_on(rates, "EUR", "XOF", dt.date(2030, 1, 1)).rate == "700"


def test_rate_lookup_ignores_other_currency_pairs() -> None:
    rates = [fx("655.957"), fx("1.08", quote="USD", valid_from=FEB_1)]
    assert rate_on(rates, "EUR", "XOF", MAR_1).rate == "655.957"


def test_rate_lookup_in_the_inverse_direction_finds_the_same_rate() -> None:
    rates = [fx("655.957")]
    found = rate_on(rates, "XOF", "EUR", FEB_1)
    assert (found.base, found.quote, found.rate) == ("EUR", "XOF", "655.957")


def test_on_the_same_day_the_rate_recorded_last_corrects_the_earlier_one() -> None:
    typo, correction = fx("6559.57"), fx("655.957")
    assert rate_on([typo, correction], "EUR", "XOF", FEB_1) is correction
    inverse = fx("0.0015", base="XOF", quote="EUR")
    assert rate_on([correction, inverse], "EUR", "XOF", FEB_1) is inverse


def test_no_fx_rate_when_none_is_valid_yet() -> None:
    rates = [fx("655.957", valid_from=FEB_1)]
    with pytest.raises(NoFxRate) as caught:
        rate_on(rates, "EUR", "XOF", JAN_1)
    assert caught.value.field == "currency"
    assert "2024-01-01" in caught.value.message


def test_no_fx_rate_when_the_pair_is_unknown() -> None:
    with pytest.raises(NoFxRate):
        rate_on([fx("655.957")], "EUR", "USD", FEB_1)


def test_a_well_formed_rate_is_valid() -> None:
    rate = fx("655.957")
    assert validate_rate(rate) is rate
    assert rate.as_fraction() == Fraction(655957, 1000)


@pytest.mark.parametrize("text", ["0", "0.0", "0.000000"])
def test_validate_rate_rejects_a_zero_rate(text: str) -> None:
    with pytest.raises(InvalidAmount) as caught:
        validate_rate(fx(text))
    assert caught.value.field == "rate"


@pytest.mark.parametrize("text", ["-655.957", "-1"])
def test_validate_rate_rejects_a_negative_rate(text: str) -> None:
    with pytest.raises(InvalidAmount) as caught:
        validate_rate(fx(text))
    assert caught.value.field == "rate"


@pytest.mark.parametrize(
    "text",
    [
        "6.55957e2",
        "1E3",
        "NaN",
        "Infinity",
        "",
        " 655.957",
        "655.957\n",
        "\u0666\u0665\u0665",
        "1.",
    ],
)
def test_validate_rate_rejects_anything_but_a_plain_decimal(text: str) -> None:
    with pytest.raises(InvalidAmount) as caught:
        validate_rate(fx(text))
    assert caught.value.field == "rate"


def test_validate_rate_rejects_a_rate_between_a_currency_and_itself() -> None:
    with pytest.raises(InvalidAmount) as caught:
        validate_rate(fx("1", base="EUR", quote="EUR"))
    assert caught.value.field == "quote"


def test_validate_rate_rejects_an_unknown_currency() -> None:
    with pytest.raises(UnknownCurrency):
        validate_rate(fx("1.5", quote="ZZZ"))


def test_validate_rate_rejects_a_rate_without_a_source() -> None:
    with pytest.raises(InvalidAmount) as caught:
        validate_rate(fx("655.957", source="  "))
    assert caught.value.field == "source"


# --- conversion -------------------------------------------------------------------------------


def test_a_hundred_thousand_cfa_francs_at_655_957_per_euro_are_152_euros_45() -> None:
    rate = fx("655.957")
    conversion = convert(100000, "XOF", "EUR", rate)
    assert conversion.target_minor == 15245
    assert conversion.target_currency == "EUR"
    assert conversion.source_minor == 100000
    assert conversion.source_currency == "XOF"
    assert conversion.rate is rate


def test_converting_in_the_rate_direction_multiplies_by_the_rate() -> None:
    assert convert(15245, "EUR", "XOF", fx("655.957")).target_minor == 100001  # 100000.64...


def test_conversion_rounds_a_tie_to_even() -> None:
    # 0.05 EUR at 10 JPY per EUR is exactly 0.5 JPY: rounds to 0; 0.15 EUR is 1.5 JPY: rounds to 2.
    rate = fx("10", quote="JPY")
    assert convert(5, "EUR", "JPY", rate).target_minor == 0
    assert convert(15, "EUR", "JPY", rate).target_minor == 2
    assert convert(25, "EUR", "JPY", rate).target_minor == 2


def test_conversion_with_a_rate_for_another_pair_is_refused() -> None:
    with pytest.raises(CurrencyMismatch):
        convert(100, "EUR", "USD", fx("655.957"))


# --- allocation -------------------------------------------------------------------------------


def test_a_hundred_into_three_equal_parts_gives_the_extra_unit_to_the_first() -> None:
    assert allocate(100, [1, 1, 1]) == [34, 33, 33]


def test_two_left_over_units_go_to_the_first_two_parts() -> None:
    assert allocate(101, [1, 1, 1]) == [34, 34, 33]


def test_a_left_over_unit_goes_to_the_largest_remainder() -> None:
    # exact shares 14.2857..., 28.5714..., 57.1428...: remainders .29, .57, .14
    assert allocate(100, [1, 2, 4]) == [14, 29, 57]


def test_a_part_with_zero_weight_gets_nothing() -> None:
    assert allocate(100, [1, 0, 1]) == [50, 0, 50]
    assert allocate(3, [1, 0, 1]) == [2, 0, 1]
    assert allocate(7, [0, 3]) == [0, 7]


def test_fractional_weights_are_honoured_exactly() -> None:
    assert allocate(100, [Fraction(1, 3), Fraction(2, 3)]) == [33, 67]


def test_allocating_nothing_gives_zero_parts() -> None:
    assert allocate(0, [1, 2, 3]) == [0, 0, 0]


def test_a_single_weight_takes_the_whole_total() -> None:
    assert allocate(12345, [7]) == [12345]


@pytest.mark.parametrize("weights", [[], [0, 0], [1, -1]])
def test_allocation_needs_some_non_negative_weight(weights: list[int]) -> None:
    with pytest.raises(ValueError, match="weight"):
        allocate(100, weights)
