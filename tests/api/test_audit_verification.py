"""GET /audit/verification: the auditor's check of the journal, ledger and projections,
answered from one read of the database while commands go on."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from sqlalchemy import text

from reintegrate.access import Role
from tests.api.conftest import World, call, problem_of, user_with

PATH = "/audit/verification"


def verification(world: World) -> dict[str, Any]:
    response = call(world.client, "auditor", "GET", PATH)
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


def sql(world: World, statement: str, **values: object) -> None:
    with world.store.engine.begin() as conn:
        conn.execute(text(statement), values)


def test_an_auditor_finds_the_world_built_through_the_api_intact(world: World) -> None:
    report = verification(world)

    assert report["ok"] is True
    assert report["entries"] == world.journal_length()
    assert report["chain_break"] is None
    assert report["replay_stopped"] is None
    assert (report["differences"], report["differences_total"]) == ([], 0)
    assert report["ledger_problems"] == []


@pytest.mark.parametrize("role", [r for r in Role if r is not Role.AUDITOR])
def test_no_role_but_the_auditor_may_run_the_verification(world: World, role: Role) -> None:
    response = call(world.client, user_with(role), "GET", PATH)

    assert role.value in problem_of(response, 403, "forbidden")["detail"]


def test_a_journal_row_changed_in_the_database_shows_where_the_chain_breaks(
    world: World,
) -> None:
    with world.store.engine.connect() as conn:
        stored = conn.execute(text("SELECT hash FROM journal WHERE seq = 5")).scalar_one()
    sql(world, "UPDATE journal SET actor = 'someone-else' WHERE seq = 5")

    report = verification(world)

    assert report["ok"] is False
    broken = report["chain_break"]
    assert {k: broken[k] for k in ("seq", "field", "found")} == {
        "seq": 5,
        "field": "hash",
        "found": stored,
    }
    assert broken["expected"] != stored


def test_a_balance_changed_in_the_database_is_the_first_divergence_with_its_last_event(
    world: World,
) -> None:
    code = f"cap:{world.dakar_case}:cash"
    with world.store.engine.connect() as conn:
        before = conn.execute(
            text("SELECT balance FROM accounts WHERE code = :code"), {"code": code}
        ).scalar_one()
        last = conn.execute(
            text("SELECT max(seq) FROM postings WHERE account = :code"), {"code": code}
        ).scalar_one()
    sql(world, "UPDATE accounts SET balance = balance + 100 WHERE code = :code", code=code)

    report = verification(world)

    assert report["chain_break"] is None
    assert report["differences"] == [
        {
            "record": "balances",
            "key": code,
            "last_seq": last,
            "fields": [{"path": "", "stored": before + 100, "replayed": before}],
            "more_fields": 0,
        }
    ]
    assert (
        f"{code}: balance {before + 100} but postings sum to {before}"
        in (report["ledger_problems"])
    )


def test_the_verification_answers_while_a_command_holds_the_writer(world: World) -> None:
    lock: threading.Lock = world.client.app.state.command_lock
    with lock, world.store.unit_of_work():  # the command lock and SQLite's write lock
        report = verification(world)

    assert report["ok"] is True


def test_a_posting_changed_in_the_database_is_named_by_its_row_and_seq(world: World) -> None:
    code = f"cap:{world.dakar_case}:cash"
    with world.store.engine.connect() as conn:
        row, seq, amount = conn.execute(
            text(
                "SELECT id, seq, amount FROM postings WHERE account = :code AND amount > 0 "
                "ORDER BY seq LIMIT 1"
            ),
            {"code": code},
        ).one()
    sql(world, "UPDATE postings SET amount = amount + 100 WHERE id = :row", row=row)

    report = verification(world)

    assert report["ok"] is False
    assert [
        (p["row"], p["seq"], p["account"], p["amount"]) for p in report["changed_postings"]
    ] == [(row, seq, code, amount + 100)]
    changed = report["changed_postings"][0]
    assert changed["transaction_sum"] == 100
    assert f"posting row {row} of seq {seq}" in changed["problem"]


def test_the_problems_are_worded_in_the_callers_language_and_the_rest_is_the_same(
    world: World,
) -> None:
    code = f"cap:{world.dakar_case}:cash"
    sql(world, "UPDATE accounts SET balance = balance + 100 WHERE code = :code", code=code)
    sql(world, "UPDATE journal SET actor = 'someone-else' WHERE seq = 5")
    english = verification(world)
    worded = {
        "fr": ("le hachage ne correspond pas au contenu de l'écriture", f"{code} : solde "),
        "es": ("el hash no corresponde al contenido del asiento", f"{code}: saldo "),
    }
    for language, (broken, ledger) in worded.items():
        response = call(world.client, "auditor", "GET", PATH, headers={"Accept-Language": language})
        assert response.status_code == 200, response.text
        assert response.headers["content-language"] == language
        report = response.json()
        assert report["chain_break"]["problem"] == broken
        assert any(p.startswith(ledger) for p in report["ledger_problems"]), report
        assert report["ledger_problems"] != english["ledger_problems"]
        machine = ("ok", "entries", "differences", "differences_total")
        assert {k: report[k] for k in machine} == {k: english[k] for k in machine}
        assert {k: v for k, v in report["chain_break"].items() if k != "problem"} == {
            k: v for k, v in english["chain_break"].items() if k != "problem"
        }


def test_an_intact_journal_is_answered_without_a_language(world: World) -> None:
    response = call(world.client, "auditor", "GET", PATH, headers={"Accept-Language": "es"})
    assert response.status_code == 200, response.text
    assert "content-language" not in response.headers
