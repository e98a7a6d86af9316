"""Request and response bodies of /persons. A view holds only the fields the caller's role
may see (`reintegrate.people.classification`): the others are left out, not blanked."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import msgspec

from api.schemas import Code, Id, In, Out, Year
from reintegrate.cases import Vulnerability
from reintegrate.people.records import (
    ConsentPurpose,
    ConsentSource,
    DocumentType,
    PersonStatus,
    Sex,
)
from reintegrate.people.vocabulary import CorrectionReason, ErasureReason

Name = Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
ShortText = Annotated[str, msgspec.Meta(min_length=1, max_length=40)]
Address = Annotated[str, msgspec.Meta(max_length=300)]


class DocumentIn(In, frozen=True, kw_only=True, forbid_unknown_fields=True):
    type: DocumentType
    number: ShortText
    issuing_country: Code


class ConsentIn(In, frozen=True, kw_only=True, forbid_unknown_fields=True):
    purpose: ConsentPurpose
    given_on: dt.date
    source: ConsentSource
    withdrawn_on: dt.date | None = None


class MobileMoneyIn(In, frozen=True, kw_only=True, forbid_unknown_fields=True, tag="mobile_money"):
    number: ShortText
    operator: ShortText


class BankAccountIn(In, frozen=True, kw_only=True, forbid_unknown_fields=True, tag="bank_account"):
    iban: Annotated[str, msgspec.Meta(min_length=5, max_length=42)] | None = None
    bic: Annotated[str, msgspec.Meta(min_length=8, max_length=11)] | None = None
    bank: Name | None = None
    account_number: ShortText | None = None


class CashPickupIn(In, frozen=True, kw_only=True, forbid_unknown_fields=True, tag="cash_pickup"):
    document: Annotated[int, msgspec.Meta(ge=0, le=4)] = 0


PayoutIn = MobileMoneyIn | BankAccountIn | CashPickupIn


class PersonFields(In, frozen=True, kw_only=True, forbid_unknown_fields=True):
    given_names: Name
    family_name: Name
    birth_date: dt.date | None = None
    birth_year: Year | None = None
    sex: Sex = Sex.UNKNOWN
    nationality: Code
    documents: Annotated[list[DocumentIn], msgspec.Meta(max_length=5)] = msgspec.field(
        default_factory=list
    )
    phones: Annotated[list[ShortText], msgspec.Meta(max_length=5)] = msgspec.field(
        default_factory=list
    )
    address: Address = ""
    vulnerabilities: Annotated[list[Vulnerability], msgspec.Meta(max_length=9)] = msgspec.field(
        default_factory=list
    )
    consents: Annotated[list[ConsentIn], msgspec.Meta(max_length=20)] = msgspec.field(
        default_factory=list
    )
    payout: Annotated[list[PayoutIn], msgspec.Meta(max_length=5)] = msgspec.field(
        default_factory=list
    )
    external_refs: Annotated[list[Id], msgspec.Meta(max_length=5)] = msgspec.field(
        default_factory=list
    )


class PersonCreate(PersonFields, frozen=True, kw_only=True, forbid_unknown_fields=True):
    office: Id


class PersonCorrection(In, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """The whole record, corrected, and why."""

    reason: CorrectionReason
    person: PersonFields


class DocumentView(Out, frozen=True, kw_only=True):
    type: DocumentType
    number: str
    issuing_country: str


class ConsentView(Out, frozen=True, kw_only=True):
    purpose: ConsentPurpose
    given_on: dt.date
    source: ConsentSource
    withdrawn_on: dt.date | None


class PayoutView(Out, frozen=True, kw_only=True, omit_defaults=True):
    kind: str
    number: str | None = None
    operator: str | None = None
    iban: str | None = None
    bic: str | None = None
    bank: str | None = None
    account_number: str | None = None
    document: int | None = None


class PersonView(Out, frozen=True, kw_only=True):
    """What the caller's role sees (docs/classification.md): every field it may not see is
    null and named in `withheld`."""

    person_id: str
    office: str
    status: PersonStatus
    version: int
    withheld: list[str]
    proposed_fields: list[str] | None
    """The fields a correction waiting for a second person changes (names, not values)."""
    given_names: str | None = None
    family_name: str | None = None
    birth_date: dt.date | None = None
    birth_year: int | None = None
    sex: Sex | None = None
    nationality: str | None = None
    documents: list[DocumentView] | None = None
    phones: list[str] | None = None
    address: str | None = None
    vulnerabilities: list[Vulnerability] | None = None
    consents: list[ConsentView] | None = None
    payout: list[PayoutView] | None = None
    external_refs: list[str] | None = None


class ErasureRequest(In, frozen=True, kw_only=True, forbid_unknown_fields=True):
    reason: ErasureReason


class PersonalReadView(Out, frozen=True, kw_only=True):
    id: int
    at: dt.datetime
    user_id: str
    role: str
    person_id: str
    route: str
    purpose: str | None
    classes: list[str]


class AccessLogPage(Out, frozen=True, kw_only=True):
    items: list[PersonalReadView]
    next_cursor: str | None


class PossibleDuplicateView(Out, frozen=True, kw_only=True):
    first: str
    second: str
    edits: int


class PossibleDuplicateList(Out, frozen=True, kw_only=True):
    items: list[PossibleDuplicateView]


class DuplicateDecision(In, frozen=True, kw_only=True, forbid_unknown_fields=True):
    first: Id
    """The person who stays (when the same)."""
    second: Id
    same: bool
