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
from reintegrate.texts import Text

MAX_PHONE_CHARS = 40
"""Longer input is refused before it reaches the parser."""

MAX_IBAN_CHARS = 64
"""An IBAN has at most 34 characters; room is left for the spaces of the printed form."""

MAX_BIC_CHARS = 20

_WHITESPACE = re.compile(r"\s+")
_ASCII_ALNUM = re.compile(r"[A-Za-z0-9]*")

_IBAN_REASONS: tuple[tuple[type[schwifty_errors.SchwiftyException], Text], ...] = (
    (schwifty_errors.InvalidCountryCode, Text("does not start with a country that uses IBANs")),
    (schwifty_errors.InvalidLength, Text("does not have the length IBANs have in its country")),
    (schwifty_errors.InvalidChecksumDigits, Text("has check digits that do not match the rest")),
    (schwifty_errors.InvalidStructure, Text("does not have the layout IBANs have in its country")),
)

_BIC_REASONS: tuple[tuple[type[schwifty_errors.SchwiftyException], Text], ...] = (
    (schwifty_errors.InvalidLength, Text("must have 8 or 11 characters")),
    (schwifty_errors.InvalidCountryCode, Text("does not name a known country")),
    (schwifty_errors.InvalidStructure, Text("does not have the layout of a BIC")),
)


def _compact(raw: str, field: str, what: Text) -> str:
    """Whitespace dropped, upper case; refused unless only ASCII letters and digits are left
    (checked before upper-casing, which would turn "ß" into "SS" and the long s into "S")."""
    kept = _WHITESPACE.sub("", raw)
    if not kept:
        raise ValidationFailed(
            Text("{field} is empty: {what} is required", field=field, what=what), field=field
        )
    if not _ASCII_ALNUM.fullmatch(kept):
        raise ValidationFailed(
            Text(
                "{field} is not {what}: only letters A-Z, digits and spaces are allowed",
                field=field,
                what=what,
            ),
            field=field,
        )
    return kept.upper()


def _reason(
    error: schwifty_errors.SchwiftyException,
    reasons: tuple[tuple[type[schwifty_errors.SchwiftyException], Text], ...],
) -> Text:
    for kind, reason in reasons:
        if isinstance(error, kind):
            return reason
    return Text("is not valid")


class LibraryIdentifierChecks:
    """The `IdentifierChecks` of `reintegrate.people.identity`."""

    def phone_number(self, raw: str, region: str | None, field: str) -> str:
        if len(raw) > MAX_PHONE_CHARS:
            raise ValidationFailed(
                Text(
                    "{field} is too long for a phone number (at most {most} characters)",
                    field=field,
                    most=MAX_PHONE_CHARS,
                ),
                field=field,
                details={"max_length": MAX_PHONE_CHARS},
            )
        plan = region.upper() if region is not None else None
        if plan is not None and plan not in phonenumbers.SUPPORTED_REGIONS:
            raise ValidationFailed(_unknown_plan(field, plan), field=field)
        text = raw.strip()
        if text.startswith("00"):
            # The international prefix is not 00 everywhere (Nigeria dials 009), but nobody
            # writes a national number that starts with 00: read it as "+" in every region.
            text = "+" + text[2:]
        if plan is None:
            expected = Text(
                "{field} is not a valid international phone number (+ or 00, then a country code)",
                field=field,
            )
        else:
            expected = Text(
                "{field} is not a valid phone number for region {region}", field=field, region=plan
            )
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


def _unknown_plan(field: str, plan: str) -> Text:
    """The refusal of a region without a numbering plan, naming it only if it looks like one."""
    if re.fullmatch(r"[A-Z]{2}", plan):
        return Text(
            "{field} cannot be read: {region} is not a region with a known numbering plan",
            field=field,
            region=plan,
        )
    return Text(
        "{field} cannot be read: the region given is not a region with a known numbering plan",
        field=field,
    )


class _Code(NamedTuple):
    """A bank code schwifty checks: its class, how a message names it, its longest input."""

    parse: type[IBAN] | type[BIC]
    what: Text
    name: str
    most: int
    reasons: tuple[tuple[type[schwifty_errors.SchwiftyException], Text], ...]


_IBAN = _Code(IBAN, Text("an IBAN"), "IBAN", MAX_IBAN_CHARS, _IBAN_REASONS)
_BIC = _Code(BIC, Text("a BIC"), "BIC", MAX_BIC_CHARS, _BIC_REASONS)


def _checked(raw: str, field: str, code: _Code) -> str:
    """`raw` checked as `code`, compact; refused naming `field`, never echoing the value."""
    if len(raw) > code.most:
        raise ValidationFailed(
            Text(
                "{field} is too long for {what} (at most {most} characters)",
                field=field,
                what=code.what,
                most=code.most,
            ),
            field=field,
            details={"max_length": code.most},
        )
    compact = _compact(raw, field, code.what)
    try:
        checked = code.parse(compact)
    except schwifty_errors.SchwiftyException as error:
        raise ValidationFailed(
            Text(
                "{field} is not a valid {code}: it {reason}",
                field=field,
                code=code.name,
                reason=_reason(error, code.reasons),
            ),
            field=field,
        ) from None
    return str(checked.compact)
