"""People for tests: records with unique markers in every personal field, registered through
the services."""

from __future__ import annotations

import datetime as dt
import uuid

from reintegrate.adapters.identifiers import LibraryIdentifierChecks
from reintegrate.cases import Vulnerability
from reintegrate.people.records import (
    BankAccount,
    Consent,
    ConsentPurpose,
    ConsentSource,
    DocumentType,
    IdDocument,
    MobileMoney,
    PersonalData,
    Sex,
)
from reintegrate.people.registry import PersonRecord
from reintegrate.services import people
from reintegrate.store.base import Store
from tests.builders import OFFICER, SOON

CHECKS = LibraryIdentifierChecks()


def marked_person(marker: str, serial: int, *, birth_year: int = 1988) -> PersonalData:
    """A person whose every free-text field holds `marker`, and whose identifiers are
    unique to `serial` (a phone number, a passport, an IBAN, an external reference)."""
    return PersonalData(
        given_names=f"{marker}given",
        family_name=f"{marker}family",
        birth_year=birth_year,
        sex=Sex.FEMALE,
        nationality="SN",
        documents=(
            IdDocument(
                type=DocumentType.PASSPORT, number=f"{marker}{serial:04d}", issuing_country="SN"
            ),
        ),
        phones=(f"+22177{serial:07d}",),
        address=f"{marker} street 12, Dakar",
        vulnerabilities=(Vulnerability.WOMAN_AT_RISK,),
        consents=(
            Consent(
                purpose=ConsentPurpose.ASSISTANCE,
                given_on=dt.date(2024, 3, 2),
                source=ConsentSource.WRITTEN,
            ),
        ),
        payout=(
            MobileMoney(number=f"+22178{serial:07d}", operator=f"{marker}money"),
            BankAccount(bank=f"{marker}bank", account_number=f"{serial:010d}"),
        ),
        external_refs=(f"{marker}ref{serial}",),
    )


def new_marker() -> str:
    """A marker no other byte sequence of a test will hold by chance."""
    return f"MK{uuid.uuid4().hex[:12]}"


def register_marked(
    store: Store, marker: str, serial: int, office: str = "dakar", **changes: int
) -> PersonRecord:
    return people.register_person(
        store, CHECKS, OFFICER, SOON, office=office, data=marked_person(marker, serial, **changes)
    )[0]
