"""Under which office each new journal entry is filed, for the event feed and webhooks.

The domain names the resource an event is about (`events.public.subject_of`); its office is
that resource's, as the command has just written it.
"""

from __future__ import annotations

from collections.abc import Sequence

from reintegrate import events as ev
from reintegrate.events.public import IN_AN_OFFICE, Subject, SubjectKind, subject_of
from reintegrate.store.base import EVERYWHERE, UnitOfWork


def offices_of(uow: UnitOfWork, events: Sequence[ev.Event]) -> list[str | None]:
    """The office of each event's subject, None for a programme-wide or withheld event; no
    offices at all when every event is withheld (nothing to file or deliver)."""
    subjects = [subject_of(event) for event in events]
    if all(subject is None for subject in subjects):
        return []
    return [_office(uow, subject) for subject in subjects]


def _office(uow: UnitOfWork, subject: Subject | None) -> str | None:
    if subject is None or subject.kind not in IN_AN_OFFICE:
        return None
    found: object = None
    match subject.kind:
        case SubjectKind.CASE:
            found = uow.case(subject.id, EVERYWHERE)
        case SubjectKind.PACKAGE:
            found = uow.packages.get(subject.id, EVERYWHERE)
        case SubjectKind.DISBURSEMENT:
            found = uow.disbursements.get(subject.id, EVERYWHERE)
        case SubjectKind.PLAN:
            found = uow.plans.get(subject.id, EVERYWHERE)
        case SubjectKind.PROJECT:
            found = uow.projects.get(subject.id, EVERYWHERE)
    office = getattr(found, "office", None)
    return office if isinstance(office, str) else None
