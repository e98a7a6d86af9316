"""A person's record as given, checked and brought to its normal forms. Errors name the field
and never echo a personal value."""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import TypeVar

import msgspec

from reintegrate.countries import is_country_code
from reintegrate.errors import ValidationFailed
from reintegrate.people.identity import IdentifierChecks, normal_code
from reintegrate.people.records import (
    MAX_CONSENTS,
    MAX_DOCUMENTS,
    MAX_EXTERNAL_REFS,
    MAX_PAYOUTS,
    MAX_PHONES,
    BankAccount,
    CashPickup,
    IdDocument,
    MobileMoney,
    PayoutInstrument,
    PersonalData,
)
from reintegrate.texts import Text

_T = TypeVar("_T")

MAX_NAME = 100
MAX_ADDRESS = 300
MAX_CODE = 40
_INVISIBLE = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})
"""Control, format, surrogate, private-use and unassigned characters: all of them are
outside what `str.isprintable` accepts."""


def clean_text(value: str, field: str, *, most: int, least: int = 1) -> str:
    """`value` trimmed, in NFC, refused if it holds control, format (bidi overrides, zero
    width) or unassigned characters or is out of its length bounds."""
    text = unicodedata.normalize("NFC", value).strip()
    if not least <= len(text) <= most:
        raise ValidationFailed(
            Text(
                "{field} must be {least} to {most} characters", field=field, least=least, most=most
            ),
            field=field,
        )
    if text.isprintable():  # no character of these categories: most text, found at once
        return text
    for ch in text:
        if unicodedata.category(ch) in _INVISIBLE:
            raise ValidationFailed(
                Text(
                    "{field} holds a control or invisible character ({character})",
                    field=field,
                    character=f"U+{ord(ch):04X}",
                ),
                field=field,
            )
    return text


def validate_person(
    data: PersonalData, checks: IdentifierChecks, today: dt.date, where: str = ""
) -> PersonalData:
    """`data` in normal form, or `ValidationFailed` naming the first field at fault."""
    at = (where + ".") if where else ""
    _country(data.nationality, f"{at}nationality")
    _birth(data, today, at)
    documents = tuple(
        _document(d, f"{at}documents[{i}]")
        for i, d in enumerate(_most(data.documents, MAX_DOCUMENTS, f"{at}documents"))
    )
    phones = tuple(
        checks.phone_number(p, data.nationality, f"{at}phones[{i}]")
        for i, p in enumerate(_most(data.phones, MAX_PHONES, f"{at}phones"))
    )
    payout = tuple(
        _payout(p, checks, data.nationality, len(documents), f"{at}payout[{i}]")
        for i, p in enumerate(_most(data.payout, MAX_PAYOUTS, f"{at}payout"))
    )
    if len(set(data.vulnerabilities)) != len(data.vulnerabilities):
        raise ValidationFailed(
            Text("a vulnerability is listed twice"), field=f"{at}vulnerabilities"
        )
    for i, c in enumerate(_most(data.consents, MAX_CONSENTS, f"{at}consents")):
        if c.given_on > today or (c.withdrawn_on is not None and c.withdrawn_on < c.given_on):
            raise ValidationFailed(
                Text("a consent is given on or before today and withdrawn after it was given"),
                field=f"{at}consents[{i}]",
            )
    refs = tuple(
        _code(r, f"{at}external_refs[{i}]", most=64)
        for i, r in enumerate(_most(data.external_refs, MAX_EXTERNAL_REFS, f"{at}external_refs"))
    )
    return msgspec.structs.replace(
        data,
        given_names=clean_text(data.given_names, f"{at}given_names", most=MAX_NAME),
        family_name=clean_text(data.family_name, f"{at}family_name", most=MAX_NAME),
        address=clean_text(data.address, f"{at}address", most=MAX_ADDRESS, least=0),
        documents=documents,
        phones=phones,
        payout=payout,
        external_refs=refs,
    )


def _most(items: tuple[_T, ...], most: int, field: str) -> tuple[_T, ...]:
    if len(items) > most:
        raise ValidationFailed(
            Text("{field} holds at most {most} items", field=field, most=most), field=field
        )
    return items


def _country(code: str, field: str) -> None:
    if not is_country_code(code):
        raise ValidationFailed(
            Text("{field} must be an ISO 3166-1 alpha-2 code", field=field), field=field
        )


def _birth(data: PersonalData, today: dt.date, at: str) -> None:
    if (data.birth_date is None) == (data.birth_year is None):
        raise ValidationFailed(
            Text("give exactly one of birth_date or birth_year"), field=f"{at}birth_date"
        )
    born = data.birth_day()
    if born.year < 1900 or born > today:
        field = f"{at}birth_date" if data.birth_date else f"{at}birth_year"
        raise ValidationFailed(Text("birth must be after 1900 and not in the future"), field=field)


def _document(doc: IdDocument, where: str) -> IdDocument:
    _country(doc.issuing_country, f"{where}.issuing_country")
    return msgspec.structs.replace(doc, number=_code(doc.number, f"{where}.number", most=MAX_CODE))


def _code(value: str, field: str, *, most: int) -> str:
    """An identifier as typed (trimmed), refused if it holds no letter or digit."""
    text = clean_text(value, field, most=most)
    if not normal_code(text):
        raise ValidationFailed(Text("{field} holds no letter or digit", field=field), field=field)
    return text


def _payout(
    p: PayoutInstrument, checks: IdentifierChecks, region: str, documents: int, where: str
) -> PayoutInstrument:
    match p:
        case MobileMoney():
            return MobileMoney(
                number=checks.phone_number(p.number, region, f"{where}.number"),
                operator=clean_text(p.operator, f"{where}.operator", most=MAX_CODE),
            )
        case BankAccount():
            return _bank_account(p, checks, where)
        case CashPickup():
            if not 0 <= p.document < documents:
                raise ValidationFailed(
                    Text(
                        "{field} must name one of the person's {documents} ID documents",
                        field=f"{where}.document",
                        documents=documents,
                    ),
                    field=f"{where}.document",
                )
            return p


def validate_bank_account(p: BankAccount, checks: IdentifierChecks, where: str) -> BankAccount:
    """A bank account in its normal form (IBAN, BIC, bank and number checked), or refused
    naming the field at fault under `where`: a person's, or a project payee's."""
    return _bank_account(p, checks, where)


def _bank_account(p: BankAccount, checks: IdentifierChecks, where: str) -> BankAccount:
    if p.iban is None and (p.bank is None or p.account_number is None):
        raise ValidationFailed(
            Text("a bank account has an IBAN, or a bank and a local account number"),
            field=where,
        )
    return BankAccount(
        iban=None if p.iban is None else checks.iban(p.iban, f"{where}.iban"),
        bic=None if p.bic is None else checks.bic(p.bic, f"{where}.bic"),
        bank=None if p.bank is None else clean_text(p.bank, f"{where}.bank", most=MAX_NAME),
        account_number=None
        if p.account_number is None
        else clean_text(p.account_number, f"{where}.account_number", most=MAX_CODE),
    )
