"""Money: parsing, minor units, explicit rounding, allocation and FX conversion.

Every amount that is stored or posted is an integer number of minor units plus an ISO 4217
code. `Money` (py-moneyed) is used at the edges: parsing input and showing amounts.
py-moneyed never rounds by itself and accepts floats; nothing here lets it do either.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections.abc import Callable, Iterable, Sequence
from decimal import MAX_PREC, ROUND_HALF_EVEN, Context, Decimal, InvalidOperation
from fractions import Fraction

import msgspec
from moneyed import CURRENCIES, Currency, Money

from reintegrate.errors import DomainError
from reintegrate.texts import Amount, Text

_DECIMAL = re.compile(r"^(?P<sign>-)?(?P<int>\d{1,15})(?:\.(?P<frac>\d{1,6}))?\Z", re.ASCII)
_RATE = re.compile(r"^\d{1,12}(?:\.\d{1,12})?\Z", re.ASCII)
_EXACT = Context(prec=MAX_PREC)  # shifting the decimal point must never round
_NO_MINOR_UNIT_CODES = frozenset({"XXX", "XAU", "XAG", "XPT", "XPD", "XTS", "XDR", "XBA"})


class InvalidAmount(DomainError):
    """An amount that is not a plain decimal in the currency's minor units."""

    type = "invalid-amount"


class UnknownCurrency(DomainError):
    type = "unknown-currency"


class CurrencyMismatch(DomainError):
    type = "currency-mismatch"


class NoFxRate(DomainError):
    type = "no-fx-rate"


def currency(code: str) -> Currency:
    """The ISO 4217 currency for `code`, or `UnknownCurrency`."""
    found = CURRENCIES.get(code) if isinstance(code, str) else None
    if found is None or code in _NO_MINOR_UNIT_CODES or code == "DEFAULT":
        raise UnknownCurrency(
            Text("'{code}' is not an ISO 4217 currency code", code=code)
            if isinstance(code, str)
            else Text("a currency is given as an ISO 4217 code, such as EUR"),
            field="currency",
        )
    return found


@functools.cache
def minor_digits(code: str) -> int:
    """Decimal places of the currency's minor unit: JPY 0, EUR 2, KWD 3."""
    sub_unit = int(currency(code).sub_unit)
    return len(str(sub_unit)) - 1


def parse_amount(
    text: object, code: str, *, field: str = "amount", allow_negative: bool = False
) -> int:
    """Parse a decimal string into minor units of `code`, rejecting anything ambiguous.

    Floats, ints, NaN, infinities, exponents, signs where not allowed, and more decimals than
    the currency has are all rejected with an `InvalidAmount` naming `field`.
    """
    digits = minor_digits(code)
    if not isinstance(text, str):
        raise InvalidAmount(
            Text('{field} must be a decimal string such as "12.50", not a number', field=field)
            if isinstance(text, int | float)
            else Text('{field} must be a decimal string such as "12.50"', field=field),
            field=field,
        )
    match = _DECIMAL.match(text)
    if match is None:
        raise InvalidAmount(
            Text("{field} '{text}' is not a plain decimal number", field=field, text=text[:40]),
            field=field,
        )
    if match["sign"] and not allow_negative:
        raise InvalidAmount(
            Text("{field} must not be negative (got '{text}')", field=field, text=text),
            field=field,
        )
    frac = match["frac"] or ""
    if len(frac.rstrip("0")) > digits:
        raise InvalidAmount(
            Text(
                "{field} '{text}' has more decimals than {code} allows ({digits})",
                field=field,
                text=text,
                code=code,
                digits=digits,
            ),
            field=field,
        )
    frac = (frac + "0" * digits)[:digits]
    minor: int = int(match["int"]) * 10**digits + (int(frac) if frac else 0)
    return -minor if match["sign"] else minor


def parse_money(text: object, code: str, *, field: str = "amount") -> Money:
    """A non-negative `Money` from a decimal string and a currency code."""
    return to_money(parse_amount(text, code, field=field), code)


def to_money(minor: int, code: str) -> Money:
    """`Money` for an integer number of minor units."""
    digits = minor_digits(code)
    return Money(Decimal(minor).scaleb(-digits, _EXACT), currency(code))


def to_minor(money: Money) -> int:
    """Integer minor units of `money`; refuses amounts that are not whole minor units."""
    code = money.currency.code
    scaled = money.amount.scaleb(minor_digits(code), _EXACT)
    if not scaled.is_finite() or scaled != scaled.to_integral_value():
        raise InvalidAmount(
            Text(
                "{amount} is not a whole number of {code} minor units",
                amount=money.amount,
                code=code,
            )
        )
    return int(scaled)


def format_minor(minor: int, code: str) -> str:
    """The canonical decimal string of an amount: `format_minor(150000, "EUR") == "1500.00"`."""
    digits = minor_digits(code)
    sign = "-" if minor < 0 else ""
    whole, part = divmod(abs(minor), 10**digits)
    return f"{sign}{whole}.{part:0{digits}d}" if digits else f"{sign}{whole}"


def amount_text(minor: int, code: str) -> Amount:
    """An amount for a message (`texts.Amount`), written in each language as it writes money."""
    return Amount(Decimal(format_minor(minor, code)), code)


def round_half_even(value: Fraction) -> int:
    """Round an exact value to the nearest integer, ties to even (banker's rounding)."""
    return round(value)


def quantize_half_even(amount: Decimal, code: str) -> int:
    """Minor units of a decimal amount, rounded half-even to the currency's minor unit."""
    if not amount.is_finite():
        raise InvalidAmount(Text("{amount} is not a finite amount", amount=str(amount)))
    exponent = Decimal(1).scaleb(-minor_digits(code))
    try:
        return to_minor(Money(amount.quantize(exponent, rounding=ROUND_HALF_EVEN), currency(code)))
    except InvalidOperation as exc:
        raise InvalidAmount(
            Text("{amount} cannot be rounded to {code}", amount=amount, code=code)
        ) from exc


def allocate(total: int, weights: Sequence[int | Fraction]) -> list[int]:
    """Split `total` minor units into parts proportional to `weights`.

    Largest-remainder method: every part is its exact share rounded down or up, and the parts
    add up to `total` exactly. Ties go to the earlier part.
    """
    if not weights:
        raise ValueError("allocate needs at least one weight")
    if any(w < 0 for w in weights):
        raise ValueError("weights must not be negative")
    weight_sum = sum(Fraction(w) for w in weights)
    if weight_sum == 0:
        raise ValueError("weights must not all be zero")
    exact = [Fraction(total) * Fraction(w) / weight_sum for w in weights]
    parts = [int(share // 1) for share in exact]
    shortfall = total - sum(parts)
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in order[:shortfall]:
        parts[i] += 1
    return parts


def sum_minor(amounts: Iterable[int]) -> int:
    return sum(amounts, 0)


class FxRate(msgspec.Struct, frozen=True, kw_only=True):
    """`rate` units of `quote` buy one unit of `base`, from `valid_from` on, per `source`."""

    base: str
    quote: str
    rate: str
    source: str
    valid_from: dt.date

    def as_fraction(self) -> Fraction:
        return Fraction(Decimal(self.rate))


class Conversion(msgspec.Struct, frozen=True, kw_only=True):
    """An amount converted at a booked rate: both sides and the rate, as recorded."""

    source_minor: int
    source_currency: str
    target_minor: int
    target_currency: str
    rate: FxRate | None
    """None when no conversion was needed (same currency)."""


def validate_rate(rate: FxRate) -> FxRate:
    """`rate` itself if it names two currencies, a positive plain decimal and a source."""
    currency(rate.base)
    currency(rate.quote)
    if rate.base == rate.quote:
        raise InvalidAmount(Text("an FX rate needs two different currencies"), field="quote")
    if not _RATE.match(rate.rate) or Decimal(rate.rate) == 0:
        raise InvalidAmount(
            Text(
                "rate '{rate}' must be a positive plain decimal such as \"655.957\"",
                rate=rate.rate[:40],
            ),
            field="rate",
        )
    if not rate.source.strip():
        raise InvalidAmount(Text("an FX rate needs a source"), field="source")
    return rate


def rate_on(rates: Iterable[FxRate], base: str, quote: str, day: dt.date) -> FxRate:
    """The rate in force on `day`: the latest with `valid_from <= day` for the pair, either way.

    Of rates valid from the same day, the one recorded last wins (it corrects the earlier)."""
    candidates = [
        (r.valid_from, order, r)
        for order, r in enumerate(rates)
        if {r.base, r.quote} == {base, quote} and r.valid_from <= day
    ]
    if not candidates:
        raise NoFxRate(
            Text(
                "no FX rate between {base} and {quote} valid on {day}",
                base=base,
                quote=quote,
                day=day,
            ),
            field="currency",
        )
    return max(candidates, key=lambda c: (c[0], c[1]))[2]


def round_up(value: Fraction) -> int:
    """Round an exact value up to the next integer (ceiling)."""
    return math.ceil(value)


def convert(
    minor: int,
    source: str,
    target: str,
    rate: FxRate,
    rounding: Callable[[Fraction], int] = round_half_even,
) -> Conversion:
    """Convert at `rate`, exactly, then round once (half-even unless told) to `target`."""
    target_minor = rounding(exact_value(minor, source, target, rate) * 10 ** minor_digits(target))
    return Conversion(
        source_minor=minor,
        source_currency=source,
        target_minor=target_minor,
        target_currency=target,
        rate=rate,
    )


def exact_value(minor: int, source: str, target: str, rate: FxRate) -> Fraction:
    """`minor` units of `source` in `target` at `rate`, exactly (in `target`'s major units)."""
    if {rate.base, rate.quote} != {source, target}:
        raise CurrencyMismatch(
            Text(
                "rate {base}/{quote} cannot convert {source}->{target}",
                base=rate.base,
                quote=rate.quote,
                source=source,
                target=target,
            )
        )
    value = Fraction(minor, 10 ** minor_digits(source))
    return value * (rate.as_fraction() if rate.base == source else 1 / rate.as_fraction())


EXACT_PLACES = 10
"""Decimals shown of an exact converted value that does not end sooner."""


def format_exact(value: Fraction, code: str, places: int = EXACT_PLACES) -> str:
    """A non-negative exact amount of `code` as a decimal: in full if it ends within `places`
    decimals, else rounded half-even to `places` decimals; never fewer decimals than the
    currency has."""
    scaled = round_half_even(value * 10**places)
    whole, part = divmod(scaled, 10**places)
    decimals = f"{part:0{places}d}".rstrip("0").ljust(minor_digits(code), "0")
    return f"{whole}.{decimals}" if decimals else str(whole)


def book(minor: int, source: str, target: str, rates: Iterable[FxRate], day: dt.date) -> Conversion:
    """Book a payment in the programme currency at the rate in force on `day`.

    Rounded up: a payment counts against the caps for at least what it is worth, so that no
    series of payments can exceed a cap through rounding. The same currency needs no rate.
    """
    if source == target:
        currency(source)
        return Conversion(
            source_minor=minor,
            source_currency=source,
            target_minor=minor,
            target_currency=target,
            rate=None,
        )
    return convert(minor, source, target, rate_on(rates, source, target, day), round_up)
