"""A person's record: the personal data a programme holds about one returnee, and how they
are paid. It is stored only sealed (encrypted under the person's own data key); cases, events
and the ledger name the person by a pseudonymous `person_id` alone.
"""

from __future__ import annotations

import datetime as dt
import enum

import msgspec

from reintegrate.cases import Vulnerability
from reintegrate.people.identity import Identifier, IdentifierKind, normal_code
from reintegrate.texts import Text

MAX_DOCUMENTS = 5
MAX_PHONES = 5
MAX_PAYOUTS = 5
MAX_CONSENTS = 20
MAX_EXTERNAL_REFS = 5


class Sex(enum.StrEnum):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"
    UNKNOWN = "unknown"


class DocumentType(enum.StrEnum):
    PASSPORT = "passport"
    NATIONAL_ID = "national_id"
    LAISSEZ_PASSER = "laissez_passer"
    BIRTH_CERTIFICATE = "birth_certificate"
    RESIDENCE_PERMIT = "residence_permit"
    OTHER = "other"


class IdDocument(msgspec.Struct, frozen=True, kw_only=True):
    type: DocumentType
    number: str
    issuing_country: str

    def identifier(self) -> Identifier:
        value = f"{self.type}:{self.issuing_country}:{normal_code(self.number)}"
        return Identifier(kind=IdentifierKind.ID_DOCUMENT, value=value)


class ConsentPurpose(enum.StrEnum):
    ASSISTANCE = "assistance"
    MONITORING = "monitoring"
    SHARING_WITH_PARTNERS = "sharing_with_partners"
    PAYMENT_PROVIDERS = "payment_providers"


class ConsentSource(enum.StrEnum):
    WRITTEN = "written"
    ORAL = "oral"
    ELECTRONIC = "electronic"
    GUARDIAN = "guardian"


class Consent(msgspec.Struct, frozen=True, kw_only=True):
    purpose: ConsentPurpose
    given_on: dt.date
    source: ConsentSource
    withdrawn_on: dt.date | None = None


class MobileMoney(msgspec.Struct, frozen=True, kw_only=True, tag="mobile_money"):
    number: str
    """E.164."""
    operator: str


class BankAccount(msgspec.Struct, frozen=True, kw_only=True, tag="bank_account"):
    """An IBAN (with its BIC where known), or a local account number at a named bank."""

    iban: str | None = None
    bic: str | None = None
    bank: str | None = None
    account_number: str | None = None


class CashPickup(msgspec.Struct, frozen=True, kw_only=True, tag="cash_pickup"):
    """Cash collected at an agent against one of the person's ID documents (by position)."""

    document: int = 0


PayoutInstrument = MobileMoney | BankAccount | CashPickup


class PersonalData(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Everything personal about one person, in the normal forms `validate_person` returns."""

    given_names: str
    family_name: str
    birth_date: dt.date | None = None
    birth_year: int | None = None
    sex: Sex = Sex.UNKNOWN
    nationality: str
    documents: tuple[IdDocument, ...] = ()
    phones: tuple[str, ...] = ()
    """E.164 numbers."""
    address: str = ""
    vulnerabilities: tuple[Vulnerability, ...] = ()
    consents: tuple[Consent, ...] = ()
    payout: tuple[PayoutInstrument, ...] = ()
    external_refs: tuple[str, ...] = ()
    """References given by other systems (a case number at the host country's agency)."""

    def identifiers(self) -> tuple[Identifier, ...]:
        """What identifies this person once only: documents, phones (contact and mobile
        money) and external references, each once."""
        found = {d.identifier() for d in self.documents}
        found |= {Identifier(kind=IdentifierKind.PHONE, value=p) for p in self.phones}
        found |= {
            Identifier(kind=IdentifierKind.PHONE, value=p.number)
            for p in self.payout
            if isinstance(p, MobileMoney)
        }
        found |= {
            Identifier(kind=IdentifierKind.EXTERNAL_REF, value=normal_code(r))
            for r in self.external_refs
        }
        return tuple(sorted(found))

    def birth_day(self) -> dt.date:
        """The birth date, or 1 July of the birth year when only the year is known."""
        if self.birth_date is not None:
            return self.birth_date
        assert self.birth_year is not None, "validated records have a birth date or year"
        return dt.date(self.birth_year, 7, 1)


class PersonStatus(enum.StrEnum):
    ACTIVE = "active"
    ERASURE_REQUESTED = "erasure_requested"
    ERASED = "erased"
    MERGED = "merged"


def person_is(person_id: str, status: PersonStatus) -> Text:
    """Why a step that needs an active person is refused: "person p-1 is erased". Whole
    sentences, not a status word put in one: the word agrees with "person" in French and
    Spanish (feminine), where a package's or a batch's agrees with theirs."""
    if status is PersonStatus.ACTIVE:
        return Text("person {person_id} is active", person_id=person_id)
    if status is PersonStatus.ERASURE_REQUESTED:
        return Text("person {person_id} is awaiting erasure", person_id=person_id)
    if status is PersonStatus.ERASED:
        return Text("person {person_id} is erased", person_id=person_id)
    return Text("person {person_id} is merged into another person", person_id=person_id)
