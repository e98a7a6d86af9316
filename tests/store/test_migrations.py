"""The migrations build exactly the schema the tables declare."""

from __future__ import annotations

import msgspec
import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, inspect, text
from sqlmodel import SQLModel

from reintegrate import events as ev
from reintegrate.adapters.keyring import MASTER_KEY_ENV
from reintegrate.cases import ReturnType, Role, Vulnerability
from reintegrate.journal import Entry
from reintegrate.services.audit import verify_audit
from reintegrate.services.context import Actor
from reintegrate.services.programmes import load_case
from reintegrate.services.recording import apply_entry, record
from reintegrate.store import tables  # noqa: F401  (registers the tables)
from reintegrate.store.memory import MemoryStore
from reintegrate.store.migrate import MembersBeforeRegistry, alembic_config, head_revision, upgrade
from reintegrate.store.sql import SqlStore
from tests.builders import RETURNED, SOON, programme


def test_upgrading_an_empty_database_gives_the_declared_schema(database_url: str) -> None:
    store = SqlStore(database_url)
    store.create_all()
    with store.engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    store.engine.dispose()

    assert differences == []


def test_upgrading_twice_changes_nothing(database_url: str) -> None:
    store = SqlStore(database_url)
    store.create_all()
    store.create_all()
    with store.engine.connect() as conn:
        assert MigrationContext.configure(conn).get_current_heads() == (head_revision(),)
    store.engine.dispose()


def test_moving_old_members_without_the_keys_is_refused_in_one_line_changing_nothing(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(MASTER_KEY_ENV)
    store = SqlStore(database_url)
    upgrade(store.engine, "0007")
    with store.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO members (case_id, member_id, position, person_ref, body) "
                "VALUES ('c1', 'm1', 0, 'ref-1', :body)"
            ),
            {"body": b"{}"},
        )

    with pytest.raises(MembersBeforeRegistry, match=r"1 case members .* needs the keys"):
        store.create_all()
    with store.engine.connect() as conn:
        assert MigrationContext.configure(conn).get_current_heads() == ("0007",)
    store.engine.dispose()


def test_members_from_before_the_person_registry_are_moved_into_sealed_persons(
    database_url: str,
) -> None:
    store = SqlStore(database_url)
    store.create_all()
    entries = _a_household_registered_before_the_registry()
    with store.unit_of_work() as uow:
        for entry in entries:
            apply_entry(uow, entry)
        uow.commit()
    command.downgrade(alembic_config(store.engine), "0007")
    with store.engine.begin() as conn:
        for position, (member_id, ref, year) in enumerate(OLD_MEMBERS):
            body = msgspec.json.encode(
                {
                    "member_id": member_id,
                    "person_ref": ref,
                    "role": "principal" if position == 0 else "dependant",
                    "nationality": "SN",
                    "birth_year": year,
                    "vulnerabilities": ["woman_at_risk"] if position == 0 else [],
                }
            )
            conn.execute(
                text(
                    "INSERT INTO members (case_id, member_id, position, person_ref, body) "
                    "VALUES ('c1', :m, :p, :r, :b)"
                ),
                {"m": member_id, "p": position, "r": ref, "b": body},
            )

    store.create_all()

    assert verify_audit(store).ok
    with store.unit_of_work() as uow:
        case = load_case(uow, "c1", Actor("auditor"))
    assert [(m.member_id, m.birth_year) for m in case.members] == [("p", 1985), ("d1", 2015)]
    assert case.members[0].vulnerabilities == (Vulnerability.WOMAN_AT_RISK,)
    raw = b"".join(
        row.body for row in store.engine.connect().execute(text("SELECT body FROM persons"))
    )
    assert b"1985" not in raw
    store.engine.dispose()


OLD_MEMBERS = (("p", "ref-old-1", 1985), ("d1", "ref-old-2", 2015))


def _a_household_registered_before_the_registry() -> list[Entry]:
    """The journal of a programme and case c1 as schema 0007 recorded them: members by role,
    without person ids."""
    memory = MemoryStore()
    programme(memory)
    event = ev.CaseRegistered(
        case_id="c1",
        programme_id="eurp",
        office="dakar",
        country_of_return="SN",
        return_date=RETURNED,
        return_type=ReturnType.ASSISTED_VOLUNTARY,
        members=(
            ev.MemberRef(member_id="p", role=Role.PRINCIPAL),
            ev.MemberRef(member_id="d1", role=Role.DEPENDANT),
        ),
    )
    with memory.unit_of_work() as uow:
        record(uow, "officer-1", SOON, [event])
        uow.commit()
    return list(memory.entries())


def test_payments_made_before_their_programme_and_channel_were_columns_get_them(
    one_payment_approved: SqlStore,
) -> None:
    store = one_payment_approved
    before = store.snapshot().disbursements
    assert before
    command.downgrade(alembic_config(store.engine), "0011")
    upgrade(store.engine)
    with store.engine.connect() as conn:
        rows = conn.execute(
            text("SELECT disbursement_id, programme_id, channel FROM disbursements")
        ).all()
    assert {(i, p, c) for i, p, c in rows} == {
        (d.disbursement_id, d.programme_id, d.channel.value) for d in before.values()
    }
    with store.unit_of_work() as uow:
        approved = uow.approved_disbursements(next(iter(before.values())).programme_id)
    assert {d.disbursement_id for d in approved} == {
        d.disbursement_id for d in before.values() if d.status.value == "approved"
    }
    store.engine.dispose()


def test_the_journal_loses_its_hash_index_and_keeps_every_entry_and_its_chain(
    one_payment_approved: SqlStore,
) -> None:
    store = one_payment_approved
    select_all = text("SELECT seq, at, actor, type, body, prev_hash, hash, office FROM journal")
    with store.engine.connect() as conn:
        before = conn.execute(select_all).all()
    command.downgrade(alembic_config(store.engine), "0019")
    with store.engine.connect() as conn:
        assert _hash_is_indexed(conn)
        assert conn.execute(select_all).all() == before
    upgrade(store.engine)
    with store.engine.connect() as conn:
        assert not _hash_is_indexed(conn)
        assert conn.execute(select_all).all() == before
        differences = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    assert differences == []
    assert verify_audit(store).ok
    store.engine.dispose()


def _hash_is_indexed(conn: Connection) -> bool:
    found = inspect(conn)
    unique = [c["column_names"] for c in found.get_unique_constraints("journal")]
    indexed = [i["column_names"] for i in found.get_indexes("journal") if i["unique"]]
    return ["hash"] in unique + indexed
