"""Persons as each role sees them: the classification table decides every field."""

from __future__ import annotations

from typing import Any

import msgspec

from api import schemas_people as sp
from reintegrate.access import Role
from reintegrate.people.access_log import PersonalRead
from reintegrate.people.classification import PERSON_FIELDS, is_personal, visible_fields
from reintegrate.people.records import (
    BankAccount,
    CashPickup,
    Consent,
    IdDocument,
    MobileMoney,
    PayoutInstrument,
    PersonalData,
)
from reintegrate.people.registry import PersonRecord


def person_view(record: PersonRecord, data: PersonalData | None, role: Role) -> sp.PersonView:
    """What `role` sees of a person; nothing personal once erased."""
    shown = visible_fields(role)
    personal = _personal_fields(data) if data is not None else {}
    fields: dict[str, Any] = {
        "person_id": record.person_id,
        "office": record.office,
        "status": record.status,
        "version": record.version,
        "withheld": sorted(k for k in PERSONAL_FIELDS if k not in shown),
        "proposed_fields": None if record.proposal is None else list(record.proposal.fields),
    }
    fields |= {k: v for k, v in personal.items() if k in shown}
    return msgspec.convert(fields, sp.PersonView, from_attributes=True)


PERSONAL_FIELDS = tuple(
    f for f in sp.PersonView.__struct_fields__ if f in PERSON_FIELDS and is_personal(f)
)


def _personal_fields(data: PersonalData) -> dict[str, Any]:
    return {
        "given_names": data.given_names,
        "family_name": data.family_name,
        "birth_date": data.birth_date,
        "birth_year": data.birth_day().year,
        "sex": data.sex,
        "nationality": data.nationality,
        "documents": [_document(d) for d in data.documents],
        "phones": list(data.phones),
        "address": data.address,
        "vulnerabilities": list(data.vulnerabilities),
        "consents": [_consent(c) for c in data.consents],
        "payout": [_payout(p) for p in data.payout],
        "external_refs": list(data.external_refs),
    }


def _document(d: IdDocument) -> sp.DocumentView:
    return sp.DocumentView(type=d.type, number=d.number, issuing_country=d.issuing_country)


def _consent(c: Consent) -> sp.ConsentView:
    return sp.ConsentView(
        purpose=c.purpose, given_on=c.given_on, source=c.source, withdrawn_on=c.withdrawn_on
    )


def _payout(p: PayoutInstrument) -> sp.PayoutView:
    match p:
        case MobileMoney():
            return sp.PayoutView(kind="mobile_money", number=p.number, operator=p.operator)
        case BankAccount():
            return sp.PayoutView(
                kind="bank_account",
                iban=p.iban,
                bic=p.bic,
                bank=p.bank,
                account_number=p.account_number,
            )
        case CashPickup():
            return sp.PayoutView(kind="cash_pickup", document=p.document)


def personal_data_of(data: sp.PersonFields) -> PersonalData:
    """The record a request gives (checked and normalised by the service)."""
    given = msgspec.to_builtins(data)
    given.pop("office", None)
    given["payout"] = msgspec.to_builtins([_payout_in(p) for p in data.payout])
    return msgspec.convert(given, PersonalData)


def payout_account_of(p: sp.BankAccountIn) -> BankAccount:
    """The bank account as given (checked by the domain)."""
    return BankAccount(iban=p.iban, bic=p.bic, bank=p.bank, account_number=p.account_number)


def _payout_in(p: sp.PayoutIn) -> PayoutInstrument:
    match p:
        case sp.MobileMoneyIn():
            return MobileMoney(number=p.number, operator=p.operator)
        case sp.BankAccountIn():
            return payout_account_of(p)
        case sp.CashPickupIn():
            return CashPickup(document=p.document)


def access_view(n: int, read: PersonalRead) -> sp.PersonalReadView:
    return sp.PersonalReadView(
        id=n,
        at=read.at,
        user_id=read.user_id,
        role=read.role.value,
        person_id=read.person_id,
        route=read.route,
        purpose=read.purpose,
        classes=[c.value for c in read.classes],
    )
