"""Demo persons: names, phone numbers and payout instruments that are plainly fake (every
family name is "Demo-" and a number; phone numbers are sequential), built from the facts a
demo or test household's members carry."""

from __future__ import annotations

import datetime as dt
import itertools

from reintegrate.adapters.identifiers import LibraryIdentifierChecks
from reintegrate.cases import Case, Member
from reintegrate.people.records import (
    CashPickup,
    Consent,
    ConsentPurpose,
    ConsentSource,
    DocumentType,
    IdDocument,
    MobileMoney,
    PayoutInstrument,
    PersonalData,
    Sex,
)
from reintegrate.services.context import Actor
from reintegrate.services.households import register_household
from reintegrate.store.base import Store

GIVEN_NAMES = ("Awa", "Moussa", "Fatou", "Ibrahima", "Aminata", "Ousmane", "Mariama", "Samba")
MOBILE_RANGES = {
    "SN": ("+22177", 7),
    "GN": ("+224620", 6),
    "NG": ("+234803", 7),
    "ML": ("+22370", 6),
    "CI": ("+22507", 8),
    "GH": ("+23324", 7),
}
"""Mobile ranges (prefix, digits after it) where sequential demo numbers are well-formed."""


def demo_person(member: Member, serial: int, consented_on: dt.date) -> PersonalData:
    """A plainly fake person with `member`'s facts; `serial` makes their identifiers unique."""
    prefix, width = MOBILE_RANGES.get(member.nationality, ("", 0))
    phone = f"{prefix}{serial % 10**width:0{width}d}" if prefix else None
    document = IdDocument(
        type=DocumentType.PASSPORT, number=f"DEMO{serial:08d}", issuing_country=member.nationality
    )
    payout: tuple[PayoutInstrument, ...] = (
        (MobileMoney(number=phone, operator="demo-money"),) if phone else (CashPickup(document=0),)
    )
    return PersonalData(
        given_names=GIVEN_NAMES[serial % len(GIVEN_NAMES)],
        family_name=f"Demo-{serial:06d}",
        birth_date=member.birth_date,
        birth_year=member.birth_year,
        sex=Sex.UNKNOWN,
        nationality=member.nationality,
        documents=(document,),
        phones=(phone,) if phone else (),
        vulnerabilities=member.vulnerabilities,
        consents=(
            Consent(
                purpose=ConsentPurpose.ASSISTANCE,
                given_on=consented_on,
                source=ConsentSource.WRITTEN,
            ),
        ),
        payout=payout,
        external_refs=(member.person_id,),
    )


_CHECKS = LibraryIdentifierChecks()


def register_demo_household(store: Store, actor: Actor, now: dt.datetime, case: Case) -> Case:
    """`case` registered with a demo person for each member (a member whose `person_id` was
    registered before, as an external reference, is that person again)."""
    return register_household(
        store,
        _CHECKS,
        actor,
        now,
        case,
        person_of=lambda m: demo_person(m, next(_SERIALS), case.return_date),
    )


_SERIALS = itertools.count(1)
"""Serials of this process's demo persons (a demo is loaded into an empty database by one
process, so they never meet one of another process's)."""
