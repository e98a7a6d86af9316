"""Lists through the client, filtered: what each filter keeps, page after page."""

from __future__ import annotations

import datetime as dt

from tests.client.conftest import Demo


def test_the_payments_listed_by_status_and_channel_are_those_and_no_other(
    demo_server: Demo,
) -> None:
    with demo_server.client("auditor-1") as auditor:
        every = list(auditor.find_disbursements.all(limit=5))
        waiting = list(
            auditor.find_disbursements.all(status="approved", channel="mobile_money", limit=5)
        )

    assert waiting == [d for d in every if (d.status, d.channel) == ("approved", "mobile_money")]
    assert len(waiting) == 12  # the demo leaves 12 approved mobile-money payments


def test_nothing_was_updated_after_now(demo_server: Demo) -> None:
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=1)
    with demo_server.client("auditor-1") as auditor:
        assert auditor.find_packages(updated_since=later).items == []
        assert auditor.list_cases(created_since=later).items == []


def test_a_members_payments_are_those_on_the_packages_of_their_households(
    demo_server: Demo,
) -> None:
    with demo_server.client("auditor-1") as auditor:
        person = auditor.list_cases(limit=1).items[0].members[0].person_id
        packages = {p.package_id for p in auditor.find_packages.all(person_id=person)}
        theirs = list(auditor.find_disbursements.all(person_id=person, limit=5))
        every = list(auditor.find_disbursements.all(limit=50))

    assert theirs
    assert theirs == [d for d in every if d.package_id in packages]


def test_mappings_read_a_page_at_a_time_are_those_of_one_page(demo_server: Demo) -> None:
    with demo_server.client("auditor-1") as auditor:
        paged = [m.provider for m in auditor.list_mappings.all(limit=1)]
        whole = auditor.list_mappings()

    assert paged == [m.provider for m in whole.items] == ["demo-mobile-money"]
    assert whole.next_cursor is None
