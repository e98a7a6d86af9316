"""`IdentifierChecks` backed by `phonenumbers` (numbering plans) and `schwifty` (IBAN and BIC).

Values are personal data: no message says what was typed, and the library's own exception
(whose text may quote the value) is never chained onto the `ValidationFailed` raised here, so
it cannot reach a log through a traceback.
"""

from __future__ import annotations

import re
from typing import NamedTuple

import phonenumbers
from schwifty import BIC, IBAN
from schwifty import exceptions as schwifty_errors

from reintegrate.errors import ValidationFailed

MAX_PHONE_CHARS = 40
"""Longer input is refused before it reaches the parser."""

MAX_IBAN_CHARS = 64
"""An IBAN has at most 34 characters; room is left for the spaces of the printed form."""

MAX_BIC_CHARS = 20

_WHITESPACE = re.compile(r"\s+")
_ASCII_ALNUM = re.compile(r"[A-Za-z0-9]*")

_IBAN_REASONS: tuple[tuple[type[schwifty_errors.SchwiftyException], str], ...] = (
    (schwifty_errors.InvalidCountryCode, "does not start with a country that uses IBANs"),
    (schwifty_errors.InvalidLength, "does not have the length IBANs have in its country"),
    (schwifty_errors.InvalidChecksumDigits, "has check digits that do not match the rest"),
    (schwifty_errors.InvalidStructure, "does not have the layout IBANs have in its country"),
)

_BIC_REASONS: tuple[tuple[type[schwifty_errors.SchwiftyException], str], ...] = (
    (schwifty_errors.InvalidLength, "must have 8 or 11 characters"),
    (schwifty_errors.InvalidCountryCode, "does not name a known country"),
    (schwifty_errors.InvalidStructure, "does not have the layout of a BIC"),
)


def _compact(raw: str, field: str, what: str) -> str:
    """Whitespace dropped, upper case; refused unless only ASCII letters and digits are left
    (checked before upper-casing, which would turn "ß" into "SS" and the long s into "S")."""
    kept = _WHITESPACE.sub("", raw)
    if not kept:
        raise ValidationFailed(f"{field} is empty: {what} is required", field=field)
    if not _ASCII_ALNUM.fullmatch(kept):
        raise ValidationFailed(
            f"{field} is not {what}: only letters A-Z, digits and spaces are allowed",
            field=field,
        )
    return kept.upper()


def _reason(
    error: schwifty_errors.SchwiftyException,
    reasons: tuple[tuple[type[schwifty_errors.SchwiftyException], str], ...],
) -> str:
    for kind, reason in reasons:
        if isinstance(error, kind):
            return reason
    return "is not valid"


class LibraryIdentifierChecks:
    """The `IdentifierChecks` of `reintegrate.people.identity`."""

    def phone_number(self, raw: str, region: str | None, field: str) -> str:
        if len(raw) > MAX_PHONE_CHARS:
            raise ValidationFailed(
                f"{field} is too long for a phone number (at most {MAX_PHONE_CHARS} characters)",
                field=field,
                details={"max_length": MAX_PHONE_CHARS},
            )
        plan = region.upper() if region is not None else None
        if plan is not None and plan not in phonenumbers.SUPPORTED_REGIONS:
            shown = plan if re.fullmatch(r"[A-Z]{2}", plan) else "the region given"
            raise ValidationFailed(
                f"{field} cannot be read: {shown} is not a region with a known numbering plan",
                field=field,
            )
        text = raw.strip()
        if text.startswith("00"):
            # The international prefix is not 00 everywhere (Nigeria dials 009), but nobody
            # writes a national number that starts with 00: read it as "+" in every region.
            text = "+" + text[2:]
        if plan is None:
            expected = (
                f"{field} is not a valid international phone number (+ or 00, then a country code)"
            )
        else:
            expected = f"{field} is not a valid phone number for region {plan}"
        try:
            number = phonenumbers.parse(text, plan)
        except phonenumbers.NumberParseException:
            raise ValidationFailed(expected, field=field) from None
        if not phonenumbers.is_valid_number(number):
            raise ValidationFailed(expected, field=field)
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

    def iban(self, raw: str, field: str) -> str:
        return _checked(raw, field, _IBAN)

    def bic(self, raw: str, field: str) -> str:
        return _checked(raw, field, _BIC)


class _Code(NamedTuple):
    """A bank code schwifty checks: its class, how a message names it, its longest input."""

    parse: type[IBAN] | type[BIC]
    article: str
    name: str
    most: int
    reasons: tuple[tuple[type[schwifty_errors.SchwiftyException], str], ...]


_IBAN = _Code(IBAN, "an", "IBAN", MAX_IBAN_CHARS, _IBAN_REASONS)
_BIC = _Code(BIC, "a", "BIC", MAX_BIC_CHARS, _BIC_REASONS)


def _checked(raw: str, field: str, code: _Code) -> str:
    """`raw` checked as `code`, compact; refused naming `field`, never echoing the value."""
    what = f"{code.article} {code.name}"
    if len(raw) > code.most:
        raise ValidationFailed(
            f"{field} is too long for {what} (at most {code.most} characters)",
            field=field,
            details={"max_length": code.most},
        )
    compact = _compact(raw, field, what)
    try:
        checked = code.parse(compact)
    except schwifty_errors.SchwiftyException as error:
        raise ValidationFailed(
            f"{field} is not a valid {code.name}: it {_reason(error, code.reasons)}",
            field=field,
        ) from None
    return str(checked.compact)
