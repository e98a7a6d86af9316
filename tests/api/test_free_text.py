"""Words written through the API (a component's description, its supplier, a rejection's
reason) come back as written, while the journal, its export and the database's projections
hold only notes of them."""

from __future__ import annotations

import uuid

from tests.api.conftest import World, call, cash, created, in_kind, package_body


def marker() -> str:
    return f"Awa-{uuid.uuid4().hex[:10]}"


def test_words_come_back_as_written_and_the_journal_holds_none_of_them(world: World) -> None:
    words = marker()
    described = cash("10.00") | {"description": f"a sewing machine for {words}"}
    supplied = in_kind("20.00") | {"supplier": f"{words} Hardware"}
    path = f"/cases/{world.dakar_case}/packages"
    drafted = call(world.client, "officer", "POST", path, package_body(described, supplied))
    package_id = created(drafted, "package_id")
    assert drafted.json()["components"][0]["description"] == f"a sewing machine for {words}"
    call(world.client, "officer", "POST", f"/packages/{package_id}/submission")
    reason = {"reason": f"{words} is already assisted"}
    rejected = call(world.client, "approver", "POST", f"/packages/{package_id}/rejection", reason)
    assert rejected.status_code == 200, rejected.text

    shown = call(world.client, "officer", "GET", f"/packages/{package_id}").json()
    assert shown["reason"] == f"{words} is already assisted"
    assert [c["supplier"] for c in shown["components"]] == [None, f"{words} Hardware"]
    journal = call(world.client, "auditor", "GET", "/journal?limit=10&newest_first=true")
    assert journal.status_code == 200, journal.text
    assert words not in journal.text
    with world.store.reading() as uow:  # the journal's and projections' bytes, not the notes'
        kept = b"".join(
            bytes(row[0])
            for table in ("journal", "packages")
            for row in uow.s.exec_driver_sql(f"SELECT body FROM {table}")
        )
    assert words.encode() not in kept
    verified = call(world.client, "auditor", "GET", "/audit/verification").json()
    assert verified["note_problems"] == []
