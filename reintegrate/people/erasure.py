"""Erasure (GDPR art. 17): asked with a reason, confirmed by a second person, refused while the
person is in an open case or money for them is unsettled. Erasing destroys the person's data
key and overwrites their sealed record: the journal keeps ids and digests only, so it still
verifies and every financial total stays as it was."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from reintegrate.errors import DomainError, InvalidTransition
from reintegrate.events.people import PersonErased, PersonErasureRequested, TextsErased
from reintegrate.four_eyes import require_another_person
from reintegrate.people.records import PersonStatus, person_is
from reintegrate.people.registry import PersonRecord
from reintegrate.people.vocabulary import ErasureReason
from reintegrate.texts import Text


class ErasureRefused(DomainError):
    """The person cannot be erased yet, and why."""

    type = "erasure-refused"


def request_erasure(
    person: PersonRecord, reason: ErasureReason, open_cases: list[str], unsettled: int
) -> PersonErasureRequested:
    """Ask for `person` to be erased; refused while they are in an open case or any amount
    requested for their cases is not yet paid or failed (`unsettled`, minor units)."""
    if person.status is not PersonStatus.ACTIVE:
        raise InvalidTransition(
            Text(
                "{refused}: only an active person's erasure can be asked",
                refused=person_is(person.person_id, person.status),
            ),
            field="person_id",
        )
    if open_cases:
        raise ErasureRefused(
            Text(
                "person {person_id} is a member of an open case ({cases}): close its packages "
                "first",
                person_id=person.person_id,
                cases=", ".join(open_cases),
            ),
            field="person_id",
            details={"open_cases": open_cases},
        )
    if unsettled:
        raise ErasureRefused(
            Text(
                "person {person_id}'s cases have {unsettled} (minor units) of payments "
                "requested and not yet settled",
                person_id=person.person_id,
                unsettled=unsettled,
            ),
            field="person_id",
            details={"unsettled": unsettled},
        )
    return PersonErasureRequested(person_id=person.person_id, reason=reason)


def confirm_erasure(person: PersonRecord, actor: str) -> list[PersonErased]:
    """Erase `person`, whose erasure someone else asked, with every record merged into
    theirs (the same person)."""
    if person.status is not PersonStatus.ERASURE_REQUESTED or person.erasure_reason is None:
        raise InvalidTransition(
            Text(
                "{refused}: erasure is confirmed only once asked",
                refused=person_is(person.person_id, person.status),
            ),
            field="person_id",
        )
    require_another_person(
        actor,
        person.erasure_requested_by,
        did=Text("asked for the erasure of person {person_id}", person_id=person.person_id),
        cannot=Text("confirm that erasure"),
    )
    reason = person.erasure_reason
    return [PersonErased(person_id=p, reason=reason) for p in person.identity]


def texts_erased(
    cases: Mapping[str, Sequence[bool]],
    plans: Mapping[str, Sequence[str]],
    other_cases: Mapping[str, Sequence[bool]],
) -> TextsErased | None:
    """The free text that goes with the people just erased: a case's once every person of it
    is erased, and a business plan's once every case of its owners is (some may have gone
    before). `cases` gives, for each case of those people, whether each of its persons is
    erased; `plans`, for each plan of those cases, the cases of its owners; `other_cases`,
    the same as `cases` for the plans' other owners' cases."""
    gone = sorted(case for case, erased in cases.items() if erased and all(erased))
    done = {*gone, *(case for case, erased in other_cases.items() if erased and all(erased))}
    gone += sorted(plan for plan, owners in plans.items() if all(c in done for c in owners))
    return TextsErased(owners=tuple(gone)) if gone else None
