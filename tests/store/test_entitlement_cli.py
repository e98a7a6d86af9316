"""`reintegrate entitlement CASE_ID`: a case's explained entitlement on the command line, its
labels and reasons in --lang, its figures written as that language writes them."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from typer.testing import CliRunner

from reintegrate import demo
from reintegrate.cli.main import app
from reintegrate.cli.render import first_granted_case
from reintegrate.store.sql import SqlStore

runner = CliRunner()
NOW = dt.datetime(2026, 11, 26, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def demo_case(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """A demo database as a URL, and a case granted in it."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    store = SqlStore(f"sqlite:///{path}")
    store.create_all()
    demo.load_demo(store, 12, NOW)
    case_id = first_granted_case(store.snapshot())
    store.engine.dispose()
    store.reader.dispose()
    assert case_id is not None
    return f"sqlite:///{path}", case_id


def explained(demo_case: tuple[str, str], language: str) -> str:
    database, case_id = demo_case
    options = ["--as-of", NOW.date().isoformat(), "--lang", language, "-d", database]
    result = runner.invoke(app, ["entitlement", case_id, *options])
    assert result.exit_code == 0, result.output
    return result.output


def test_the_entitlement_is_explained_in_the_language_asked(demo_case: tuple[str, str]) -> None:
    english, french, spanish = (explained(demo_case, lang) for lang in ("en", "fr", "es"))

    assert f"Entitlement of case {demo_case[1]}" in english
    assert "principal, age " in english
    assert "; eligible" in english
    assert f"Droits du dossier {demo_case[1]}" in french
    assert "personne principale, " in french
    assert " ; admissible" in french
    assert "paquet à l'arrivée (espèces et/ou services)" in french
    assert "plafond en espèces " in french
    assert f"Derechos del expediente {demo_case[1]}" in spanish
    assert "persona principal, " in spanish
    case_id = demo_case[1]
    assert _flat(f"household entitlement of case {case_id}") in _flat(english)
    assert _flat(f"droits du ménage du dossier {case_id}") in _flat(french)
    assert _flat(f"derechos del hogar del expediente {case_id}") in _flat(spanish)
    for said in (english, french, spanish):
        assert not re.search(r"\b(None|True|False)\b", said), said


def _flat(said: str) -> str:
    """Words as one line of single spaces, as a table cell may wrap them."""
    return " ".join(said.split())
