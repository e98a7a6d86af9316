"""What the event feed and webhooks show of an event: a decided set of fields per event type,
never free text, notes, payees or persons."""

from __future__ import annotations

import datetime as dt
import typing
from typing import Any

import msgspec
import pytest

from reintegrate import events as ev
from reintegrate.events import public
from reintegrate.events.public import PUBLISHED, WITHHELD, SubjectKind, public_payload, subject_of
from reintegrate.notes import Note
from reintegrate.people.vocabulary import ErasureReason

NEVER_SHOWN = {
    "payee",
    "invoice_ref",
    "reason",
    "notes",
    "note",
    "person_id",
    "provider_ref",
    "name",
}


def _hints(event_type: type[Any]) -> dict[str, Any]:
    return typing.get_type_hints(event_type, include_extras=True)


def _holds_text(hint: Any) -> bool:
    """Whether a field of this type may hold a note or free text (`notes.Text`)."""
    return hint is Note or any(_holds_text(arg) for arg in typing.get_args(hint))


def test_every_event_type_of_the_journal_is_either_shown_or_deliberately_withheld() -> None:
    types = set(public.event_types())

    undecided = types - set(PUBLISHED) - set(WITHHELD)
    both = set(PUBLISHED) & set(WITHHELD)

    assert undecided == set(), f"decide in events.public whether to show {undecided}"
    assert both == set()
    assert set(PUBLISHED) | set(WITHHELD) == types


@pytest.mark.parametrize("event_type", sorted(PUBLISHED, key=str))
def test_a_shown_event_shows_only_fields_it_has_and_never_text_or_a_payee(
    event_type: type[Any],
) -> None:
    shown = PUBLISHED[event_type]
    hints = _hints(event_type)

    assert shown.key in hints
    for name in shown.fields:
        assert name in hints, f"{event_type.__name__} has no field {name}"
        assert name not in NEVER_SHOWN
        assert not _holds_text(hints[name]), f"{event_type.__name__}.{name} may hold text"


def test_a_payment_request_is_shown_without_its_payee_or_invoice() -> None:
    requested = ev.DisbursementRequested(
        disbursement_id="d1",
        package_id="pkg-1",
        component_id="c1",
        case_id="case-1",
        programme_id="eurp",
        channel="bank_transfer",
        payee=Note(owner="case-1", digest="x" * 64),
        invoice_ref="INV-7 for Awa Diop",
        amount=150_00,
        currency="EUR",
        programme_amount=150_00,
        rate=None,
        on=dt.date(2024, 3, 11),
    )

    payload = public_payload(requested)

    assert payload["amount"] == 150_00
    assert payload["on"] == "2024-03-11"
    assert "payee" not in payload
    assert "invoice_ref" not in payload
    assert "Awa" not in msgspec.json.encode(payload).decode()


def test_a_milestone_event_is_about_the_plan_or_project_its_grant_names() -> None:
    plan = ev.GrantMilestoneVerified(
        grant=ev.GrantKind.BUSINESS_PLAN, grant_id="bp-1", milestone_id="m1", on=dt.date(2024, 5, 1)
    )
    project = msgspec.structs.replace(plan, grant=ev.GrantKind.COMMUNITY_PROJECT, grant_id="cp-1")

    assert subject_of(plan) == public.Subject(SubjectKind.PLAN, "bp-1")
    assert subject_of(project) == public.Subject(SubjectKind.PROJECT, "cp-1")
    assert public.Subject(SubjectKind.PLAN, "bp-1").path == "business-plans/bp-1"


def test_a_withheld_event_has_no_subject() -> None:
    erased = ev.PersonErasureRequested(person_id="person-1", reason=ErasureReason.PERSON_ASKED)

    assert subject_of(erased) is None
