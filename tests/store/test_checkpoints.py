"""A signed checkpoint of the journal's head, kept outside the database, shows a truncation or
a rewrite of the journal that `audit verify` alone cannot see: the database forgets, the file
does not."""

from __future__ import annotations

from pathlib import Path

import msgspec
import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from reintegrate.cli.main import app
from reintegrate.journal import GENESIS, body_bytes, chain_hash
from reintegrate.store.sql import SqlStore
from tests import builders as b

runner = CliRunner()


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A programme and a household, and a checkpoint key named by the environment."""
    url = f"sqlite:///{tmp_path / 'audit.db'}"
    store = SqlStore(url)
    store.create_all()
    b.programme(store)
    b.register(store, b.household("c1"))
    store.engine.dispose()
    store.reader.dispose()
    monkeypatch.setenv("REINTEGRATE_CHECKPOINT_KEY_FILE", str(tmp_path / "checkpoint.key"))
    made = runner.invoke(app, ["keys", "checkpoint-new"])
    assert made.exit_code == 0, made.output
    monkeypatch.setenv("REINTEGRATE_CHECKPOINT_PUBLIC_KEY", made.output.strip().splitlines()[-1])
    return url


def checkpoint(db: str, tmp_path: Path) -> Path:
    path = tmp_path / "head.json"
    made = runner.invoke(app, ["audit", "checkpoint", "--output", str(path), "-d", db])
    assert made.exit_code == 0, made.output
    return path


def verify(db: str, path: Path) -> tuple[int, str]:
    result = runner.invoke(app, ["audit", "verify", "--checkpoint", str(path), "-d", db])
    return result.exit_code, " ".join(result.output.split())


def sql(db: str, statement: str) -> None:
    store = SqlStore(db)
    with store.engine.begin() as conn:
        conn.execute(text(statement))
    store.engine.dispose()


def test_an_untouched_journal_holds_its_checkpoint(db: str, tmp_path: Path) -> None:
    code, output = verify(db, checkpoint(db, tmp_path))

    assert code == 0, output
    assert "the journal holds the checkpoint" in output


def test_removing_the_last_entries_is_seen_against_the_checkpoint(db: str, tmp_path: Path) -> None:
    path = checkpoint(db, tmp_path)
    sql(db, "DELETE FROM journal WHERE seq = (SELECT max(seq) FROM journal)")

    code, output = verify(db, path)

    assert code == 1
    assert "entries were removed" in output


def test_a_journal_rewritten_with_every_hash_recomputed_is_seen(db: str, tmp_path: Path) -> None:
    path = checkpoint(db, tmp_path)
    rewrite_first_entry_and_rechain(db)

    code, output = verify(db, path)

    assert code == 1
    assert "the journal up to it was rewritten" in output


def test_a_checkpoint_changed_or_signed_by_another_key_is_refused(
    db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = checkpoint(db, tmp_path)
    document = msgspec.json.decode(path.read_bytes())
    path.write_bytes(msgspec.json.encode(document | {"seq": document["seq"] - 1}))
    assert "signature does not verify" in verify(db, path)[1]
    monkeypatch.setenv("REINTEGRATE_CHECKPOINT_PUBLIC_KEY", "A" * 43 + "=")
    assert "not by AAAA" in verify(db, path)[1]


def rewrite_first_entry_and_rechain(db: str) -> None:
    """Change the first entry's actor and recompute every hash after it, as someone with
    write access to the database could: the chain alone then verifies."""
    store = SqlStore(db)
    entries = list(store.entries())
    prev = GENESIS
    with store.engine.begin() as conn:
        for n, e in enumerate(entries):
            actor = "someone-else" if n == 0 else e.actor
            body = body_bytes(e.seq, e.at, actor, e.event)
            new_hash = chain_hash(prev, body)
            conn.execute(
                text("UPDATE journal SET actor = :a, prev_hash = :p, hash = :h WHERE seq = :s"),
                {"a": actor, "p": prev, "h": new_hash, "s": e.seq},
            )
            prev = new_hash
    store.engine.dispose()
