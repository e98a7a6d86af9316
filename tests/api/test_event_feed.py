"""GET /events: the events a caller may see, as CloudEvents, in journal order, followed by a
cursor, without personal data, long-polled."""

from __future__ import annotations

import threading
from typing import Any

from tests.api.conftest import World, approve, call, problem_of


def _all_events(world: World, who: str, query: str = "") -> tuple[list[dict[str, Any]], str]:
    """Every event `who` may see, page by page; and the cursor after the last."""
    events: list[dict[str, Any]] = []
    after = ""
    while True:
        page = call(world.client, who, "GET", f"/events?limit=50{query}{after}").json()
        events += page["items"]
        if not page["items"]:
            return events, page["next_cursor"]
        after = f"&after={page['next_cursor']}"


def test_events_come_as_cloudevents_in_journal_order(world: World) -> None:
    events, _ = _all_events(world, "admin")

    seqs = [int(e["id"]) for e in events]
    assert seqs == sorted(seqs)
    assert len(set(seqs)) == len(seqs)
    first = events[0]
    assert first["specversion"] == "1.0"
    assert first["source"] == "/journal"
    assert first["datacontenttype"] == "application/json"
    assert first["type"] == "ProgrammeCreated"
    assert first["subject"] == f"programmes/{world.programme}"
    assert first["time"].endswith("Z")


def test_a_partner_sees_its_own_offices_events_and_no_other(world: World) -> None:
    partner, _ = _all_events(world, "partner")
    text = str(partner)

    subjects = {e["subject"] for e in partner}
    assert f"cases/{world.dakar_case}" in subjects
    assert f"packages/{world.approved_package}" in subjects
    assert f"disbursements/{world.paid_disbursement}" in subjects
    assert world.lagos_case not in text
    assert not any(e["subject"].startswith("programmes/") for e in partner)


def test_an_admin_sees_what_every_office_sees_and_the_programme_events(world: World) -> None:
    admin, _ = _all_events(world, "admin")
    dakar, _ = _all_events(world, "partner")
    lagos, _ = _all_events(world, "partner-lagos")

    ids = {e["id"] for e in admin}
    assert {e["id"] for e in dakar} | {e["id"] for e in lagos} < ids
    assert not {e["id"] for e in dakar} & {e["id"] for e in lagos}


def test_no_event_shows_a_person_a_payee_or_free_text(world: World) -> None:
    events, _ = _all_events(world, "admin")
    text = str(events)

    assert world.dakar_person not in text
    assert world.lagos_person not in text
    for event in events:
        assert not {"payee", "person_id", "reason", "invoice_ref", "members"} & set(event["data"])
    assert "Person" not in {e["type"][:6] for e in events}


def test_the_feed_goes_on_from_its_cursor_with_only_what_came_after(world: World) -> None:
    _, cursor = _all_events(world, "partner")
    approve(world.client, world.submitted_package)

    page = call(world.client, "partner", "GET", f"/events?after={cursor}").json()

    assert [(e["type"], e["subject"]) for e in page["items"]] == [
        ("PackageApproved", f"packages/{world.submitted_package}")
    ]
    again = call(world.client, "partner", "GET", f"/events?after={page['next_cursor']}").json()
    assert again["items"] == []
    assert again["next_cursor"] == page["next_cursor"]


def test_a_waiting_request_is_answered_by_an_event_committed_meanwhile(world: World) -> None:
    _, cursor = _all_events(world, "partner")
    later = threading.Timer(0.5, approve, (world.client, world.submitted_package))
    later.start()

    page = call(
        world.client, "partner", "GET", f"/events?after={cursor}&wait=20&types=PackageApproved"
    ).json()
    later.join()

    assert [e["subject"] for e in page["items"]] == [f"packages/{world.submitted_package}"]


def test_types_filter_the_feed_to_those_named(world: World) -> None:
    events, _ = _all_events(world, "admin", "&types=PackageApproved,DisbursementPaid")

    assert {e["type"] for e in events} == {"PackageApproved", "DisbursementPaid"}


def test_an_unknown_or_withheld_type_is_refused_by_name(world: World) -> None:
    for asked in ("PackageAproved", "PersonRegistered"):
        response = call(world.client, "partner", "GET", f"/events?types=PackageApproved,{asked}")

        body = problem_of(response, 422, "validation-failed")
        assert body["field"] == "types"
        assert asked in body["detail"]


def test_a_cursor_the_api_never_gave_is_refused(world: World) -> None:
    body = problem_of(
        call(world.client, "partner", "GET", "/events?after=not-a-cursor"), 400, "request-invalid"
    )

    assert body["field"] == "after"


def test_waiting_longer_than_the_bound_is_refused(world: World) -> None:
    response = call(world.client, "partner", "GET", "/events?wait=31")

    assert response.status_code == 400
    assert "wait" in response.text


def test_the_feed_needs_a_token(world: World) -> None:
    assert call(world.client, None, "GET", "/events").status_code == 401
