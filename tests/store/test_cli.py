"""The `reintegrate` command, as an operator uses it."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from reintegrate.cli.main import app

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "policies"
runner = CliRunner()


def test_policy_validate_accepts_an_example_policy() -> None:
    result = runner.invoke(app, ["policy", "validate", str(EXAMPLES / "finland-migri.toml")])
    assert result.exit_code == 0, result.output
    assert "valid" in result.output


def test_policy_validate_lists_every_problem_with_its_field(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(
        (EXAMPLES / "netherlands-avrr-2017.toml")
        .read_text()
        .replace('cash = "300.00"', 'cash = "300.001"')
    )
    result = runner.invoke(app, ["policy", "validate", str(bad)])
    assert result.exit_code == 1
    assert "person_amounts[0].cash" in result.output


def test_audit_verify_refuses_a_database_that_does_not_exist(tmp_path: Path) -> None:
    result = runner.invoke(app, ["audit", "verify", "-d", f"sqlite:///{tmp_path}/none.db"])
    assert result.exit_code == 2
    assert not (tmp_path / "none.db").exists()


def test_a_user_gets_a_token_once_is_listed_without_it_and_can_be_revoked(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path}/db.sqlite"
    added = runner.invoke(
        app, ["users", "add", "officer-7", "--role", "officer", "--office", "dakar", "-d", db]
    )
    assert added.exit_code == 0, added.output
    token = added.output.strip()
    assert token.startswith("rt_")

    listed = runner.invoke(app, ["users", "list", "-d", db])
    assert "officer-7" in listed.output
    assert token not in listed.output

    assert runner.invoke(app, ["users", "revoke", "officer-7", "-d", db]).exit_code == 0
    assert runner.invoke(app, ["users", "revoke", "officer-7", "-d", db]).exit_code == 1


def test_a_user_id_that_looks_like_a_name_is_refused(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path}/db.sqlite"
    result = runner.invoke(
        app, ["users", "add", "Amina Diallo", "--role", "officer", "--office", "dakar", "-d", db]
    )
    assert result.exit_code == 1
    assert "user_id" in result.output
