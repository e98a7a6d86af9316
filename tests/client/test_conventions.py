"""The API's conventions through the client, against the demo server in process: ETags and
If-Match, lists walked page by page, and a POST whose answer was lost answered again from
its key rather than run twice."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from reintegrate.client import NotFound, PreconditionFailed, Retries
from reintegrate.client.exchange import Send, exchange
from tests.client import walkthrough as w
from tests.client.conftest import Demo


def test_a_step_sent_with_a_stale_etag_is_refused_and_changes_nothing(demo_server: Demo) -> None:
    with demo_server.client("officer-dakar") as officer:
        approver = officer.as_user(demo_server.tokens["approver-dakar"])
        parent = officer.register_person(w.person("Awa", 1990)).person_id
        child = officer.register_person(w.person("Binta", 2016)).person_id
        case = officer.register_case(w.household(parent, child)).case_id
        drafted = officer.draft_package.answer(case, w.package())
        assert drafted.etag is not None

        submitted = officer.submit_package.answer(drafted.value.package_id, if_match=drafted.etag)
        assert submitted.etag not in (None, drafted.etag)
        with pytest.raises(PreconditionFailed) as stale:
            approver.approve_package(drafted.value.package_id, if_match=drafted.etag)
        assert (stale.value.status, stale.value.field) == (412, "If-Match")
        current = approver.get_package.answer(drafted.value.package_id)
        assert (current.value.status, current.etag) == ("submitted", submitted.etag)
        approved = approver.approve_package(drafted.value.package_id, if_match=current.etag)
        assert approved.status == "approved"


def test_all_walks_every_page_of_a_list_in_its_order(demo_server: Demo) -> None:
    with demo_server.client("auditor-1") as auditor:
        pages: list[str] = []
        cursor = None
        while True:
            page = auditor.list_cases(limit=100, cursor=cursor)
            pages.extend(case.case_id for case in page.items)
            if (cursor := page.next_cursor) is None:
                break
        walked = [case.case_id for case in auditor.list_cases.all(limit=2)]
    assert len(walked) > 4
    assert walked == pages


def test_the_async_client_walks_the_same_pages(demo_server: Demo) -> None:
    async def walk() -> list[str]:
        async with demo_server.async_client("auditor-1") as auditor, auditor.http:
            return [entry.hash async for entry in auditor.read_journal.all(limit=40)]

    with demo_server.client("auditor-1") as auditor:
        expected = [entry.hash for entry in auditor.read_journal.all(limit=100)]
    walked = asyncio.run(walk())
    assert len(walked) > 100
    assert walked == expected


def test_a_post_whose_answer_was_lost_is_answered_again_from_its_key_not_run_twice(
    demo_server: Demo,
) -> None:
    registration = demo_server.client("officer-dakar").register_person.build(w.person("Awa", 1990))
    headers = {"Authorization": f"Bearer {demo_server.tokens['officer-dakar']}"}
    steps = exchange(registration, headers, Retries(first_wait=0.0))
    first = next(steps)
    assert isinstance(first, Send)
    ran = demo_server.http.request(**first.arguments)  # the server runs it; its answer is lost
    steps.send(httpx.ReadTimeout("the answer was lost on the way"))
    again = steps.send(None)
    assert isinstance(again, Send)
    key = first.arguments["headers"]["Idempotency-Key"]
    assert again.arguments["headers"]["Idempotency-Key"] == key
    with pytest.raises(StopIteration) as done:
        steps.send(demo_server.http.request(**again.arguments))
    answer = done.value.value
    assert answer.replayed
    assert answer.value.person_id == ran.json()["person_id"]


def test_a_case_of_another_office_is_not_found_as_if_it_did_not_exist(demo_server: Demo) -> None:
    with demo_server.client("officer-dakar") as officer:
        auditor = officer.as_user(demo_server.tokens["auditor-1"])
        elsewhere = next(c for c in auditor.list_cases.all() if c.office != "dakar")
        with pytest.raises(NotFound) as hidden:
            officer.get_case(elsewhere.case_id)
        assert all(case.office == "dakar" for case in officer.list_cases.all())
    assert hidden.value.status == 404


def test_a_person_read_for_a_purpose_is_in_the_access_log_with_that_purpose(
    demo_server: Demo,
) -> None:
    with demo_server.client("officer-dakar") as officer:
        auditor = officer.as_user(demo_server.tokens["auditor-1"])
        awa = officer.register_person(w.person("Awa", 1990)).person_id
        assert officer.get_person(awa, purpose="casework").given_names == "Awa"
        reads = list(auditor.read_access_log.all(person_id=awa, limit=1))
    assert [(r.user_id, r.person_id, r.purpose) for r in reads] == [
        ("officer-dakar", awa, "casework")
    ]
