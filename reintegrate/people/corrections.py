"""Corrections of a person's record: a journaled command with a reason. A change to a fact
the entitlement rules read (birth, nationality, vulnerabilities) of a person who is a member
of a case needs a second person, and revises that case's granted caps when confirmed."""

from __future__ import annotations

from reintegrate.errors import InvalidTransition, ValidationFailed
from reintegrate.events.people import PersonCorrected, PersonCorrectionProposed
from reintegrate.four_eyes import require_another_person
from reintegrate.people.records import PersonalData, PersonStatus, person_is
from reintegrate.people.registry import PersonRecord
from reintegrate.people.vocabulary import CorrectionReason
from reintegrate.texts import Text

ENTITLEMENT_FIELDS = frozenset({"birth_date", "birth_year", "nationality", "vulnerabilities"})
"""The facts of a person that the entitlement rules read (age band, country rules,
vulnerability top-ups)."""


def changed_fields(old: PersonalData, new: PersonalData) -> tuple[str, ...]:
    return tuple(f for f in PersonalData.__struct_fields__ if getattr(old, f) != getattr(new, f))


def correct(
    person: PersonRecord,
    fields: tuple[str, ...],
    reason: CorrectionReason,
    digest: str,
    *,
    in_a_case: bool,
) -> PersonCorrected | PersonCorrectionProposed:
    """The correction of `person` to a record whose changed `fields` are given: done at once,
    or proposed for a second person when it moves a fact the rules read of a case member."""
    if person.status is not PersonStatus.ACTIVE:
        raise InvalidTransition(person_is(person.person_id, person.status), field="person_id")
    if person.proposed_digest is not None:
        raise InvalidTransition(
            Text(
                "person {person_id} has a correction waiting for confirmation",
                person_id=person.person_id,
            ),
            field="person_id",
        )
    if not fields:
        raise ValidationFailed(Text("the correction changes nothing"), field="person")
    version = person.version + 1
    if in_a_case and ENTITLEMENT_FIELDS.intersection(fields):
        return PersonCorrectionProposed(
            person_id=person.person_id,
            version=version,
            record_digest=digest,
            fields=fields,
            reason=reason,
        )
    return PersonCorrected(
        person_id=person.person_id,
        version=version,
        record_digest=digest,
        fields=fields,
        reason=reason,
    )


def confirm_correction(person: PersonRecord, actor: str) -> PersonCorrected:
    """The proposed correction, confirmed by someone other than who proposed it."""
    proposal = person.proposal
    if proposal is None:
        raise InvalidTransition(
            Text("person {person_id} has no correction to confirm", person_id=person.person_id),
            field="person_id",
        )
    require_another_person(
        actor,
        proposal.proposed_by,
        did=Text("proposed the correction of person {person_id}", person_id=person.person_id),
        cannot=Text("confirm that correction"),
    )
    return PersonCorrected(
        person_id=person.person_id,
        version=person.version + 1,
        record_digest=proposal.record_digest,
        fields=proposal.fields,
        reason=proposal.reason,
    )
