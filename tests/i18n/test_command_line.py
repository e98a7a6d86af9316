"""The command line speaks the user's language: `reintegrate --lang fr|es ...` (or a command's
own `--lang`), else LC_ALL or LANG, else English. Its summaries, progress and refusals are
worded in that language; what a program reads (`--json`, ids, tokens) is the same in every
language."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from reintegrate.cli.main import app
from reintegrate.store.migrate import head_revision, upgrade
from reintegrate.store.sql import make_engine
from tests.builders import demo_database, only

ROOT = Path(__file__).resolve().parents[2]
MAPPING = ROOT / "examples" / "providers" / "mobile-money.toml"
STATEMENT = ROOT / "tests" / "reconcile" / "fixtures" / "mt940_abnamro.sta"
FRENCH: Mapping[str, str | None] = {"LANG": "fr_FR.UTF-8", "LC_ALL": None}
ENGLISH: Mapping[str, str | None] = {"LANG": "C.UTF-8", "LC_ALL": None}
runner = CliRunner()


def reintegrate(*args: str, env: Mapping[str, str | None] = ENGLISH) -> Result:
    return runner.invoke(app, list(args), env=env)


def ok(*args: str, env: Mapping[str, str | None] = ENGLISH) -> str:
    result = reintegrate(*args, env=env)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return demo_database(tmp_path_factory.mktemp("demo") / "demo.db", "finance-fr", "finance-es")


def test_a_refused_step_and_a_batch_are_told_in_french_from_lang_and_in_spanish_from_the_option(
    database: Path, tmp_path: Path
) -> None:
    db = f"sqlite:///{database}"
    made = ok(
        "--lang",
        "es",
        *("batch", "create", "eurp", "--provider", "mobile_money", "--currency", "EUR"),
        *("--as", "finance-es", "-d", db),
    )
    assert re.fullmatch(r"lote bat_\w+: 12 pagos, 930,00\s€\n", made), made
    batch_id = only(database, "select batch_id from payment_batches")
    batch_file, statement = tmp_path / "batch.csv", tmp_path / "statement.csv"
    ok("batch", "export", batch_id, "--as", "finance-es", "--output", str(batch_file), "-d", db)
    ok("demo-statement", str(batch_file), "--output", str(statement))
    imported = ok(
        *("statement", "import", str(statement), "--programme", "eurp", "--mapping", str(MAPPING)),
        *("--as", "finance-fr", "-d", db),
        env=FRENCH,
    )
    assert re.match(r"import \w+ \([\w.]+, sha256 [0-9a-f]{64}\)\n", imported), imported
    assert re.search(r"EUR : \d+ écritures, crédits [\d  ]+,\d\d, débits", imported), imported
    import_id = only(database, "select import_id from statement_imports")
    shown = json.loads(ok("reconcile", "show", import_id, "--format", "json", "-d", db))
    short = next(f for f in shown["findings"] if f["outcome"] == "amount_differs")
    ok(
        *("reconcile", "decide", import_id, short["position"], "--match"),
        *(short["disbursement_id"], "--reason", "provider fee", "--as", "finance-fr", "-d", db),
    )
    decision = json.loads(only(database, "select body from statement_imports"))["decisions"][0]
    confirm = ("reconcile", "confirm", import_id, decision["decision_id"], "--as", "finance-fr")

    in_french = reintegrate(*confirm, "-d", db, env=FRENCH)
    in_spanish = reintegrate("--lang", "es", *confirm, "-d", db, env=FRENCH)
    in_english = reintegrate(*confirm, "-d", db)

    assert in_french.exit_code == in_spanish.exit_code == in_english.exit_code == 1
    assert in_french.stderr.startswith("refusé (actor) : finance-fr : ")
    assert "et ne peut donc pas" in in_french.stderr
    assert in_spanish.stderr.startswith("rechazado (actor): finance-fr: ")
    assert "y por eso no puede" in in_spanish.stderr
    assert in_english.stderr.startswith("refused (actor): finance-fr proposed decision ")
    assert "and cannot confirm that decision" in in_english.stderr


def test_a_step_run_by_nobody_says_who_it_needs_in_spanish(database: Path) -> None:
    db = f"sqlite:///{database}"
    nobody = {**ENGLISH, "REINTEGRATE_TOKEN": None}
    refused = reintegrate(
        "--lang", "es", "batch", "cancel", "b", "--reason", "r", "-d", db, env=nobody
    )

    assert refused.exit_code == 2
    assert refused.stderr.startswith(
        "se requiere --as USUARIO o $REINTEGRATE_TOKEN: un usuario que sea "
    )


def test_the_audit_is_verified_in_spanish_and_in_english_as_before(database: Path) -> None:
    db = f"sqlite:///{database}"
    spanish = ok("--lang", "es", "audit", "verify", "-d", db, env=FRENCH)
    english = ok("audit", "verify", "-d", db)

    assert re.search(r"auditoría verificada: \d+ asientos del diario, cadena intacta", spanish)
    assert re.search(r"audit verified: \d+ journal entries, chain intact", english)


def test_the_demo_summary_is_in_french_with_lang(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # the demo writes var/demo-tokens.env here
    db = f"sqlite:///{tmp_path}/demo.db"
    shown = ok("demo", "--households", "5", "--monitoring-cohort", "0", "-d", db, env=FRENCH)

    assert "Données de démonstration" in shown
    assert "Lignes budgétaires" in shown
    assert "audit vérifié : " in shown
    assert f"Base de données de démonstration : {db}" in shown
    assert "Utilisateurs de démonstration créés ; leurs jetons sont dans" in shown
    assert re.search(r"^[A-Z_]+_TOKEN=rt_\S+$", shown, re.M)  # a token line, for scripts, as it was


def test_a_cohort_too_small_is_refused_in_spanish(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path}/demo.db"
    refused = reintegrate("--lang", "es", "demo", "-d", db, "--monitoring-cohort", "12")

    assert refused.exit_code == 2
    assert "al menos 30 hogares por oficina y mes de retorno" in refused.output
    assert "no 12" in refused.output


def test_a_statement_file_is_shown_in_french_and_its_json_is_the_same_in_every_language() -> None:
    french = ok("statement", "show", str(STATEMENT), env=FRENCH)
    english = ok("statement", "show", str(STATEMENT))

    assert "relevé 1 sur 1 : mt940 (slash-keys)" in french
    assert re.search(r"solde d'ouverture\s*│\s*12\s000,00\s€", french), french
    assert re.search(r"opening balance\s*│\s*12000\.00 EUR", english), english
    as_json = [
        ok("--lang", lang, "statement", "show", str(STATEMENT), "--json")
        for lang in ("en", "fr", "es")
    ]
    assert as_json[0] == as_json[1] == as_json[2]
    assert json.loads(as_json[1])["opening_balance"] == "12000.00"


def test_a_schema_upgrade_is_told_step_by_step_in_spanish_and_refused_in_french(
    tmp_path: Path,
) -> None:
    db = f"sqlite:///{tmp_path}/db.sqlite"
    engine = make_engine(db)
    upgrade(engine, "0008")
    engine.dispose()

    refused = reintegrate("audit", "verify", "-d", db, env=FRENCH)
    upgraded = reintegrate("--lang", "es", "db", "upgrade", "-d", db)

    assert refused.exit_code == 2
    assert "la base de données est au schéma 0008, cette version requiert" in refused.stderr
    assert upgraded.exit_code == 0, upgraded.output
    assert "migración(es) por aplicar: 0009" in upgraded.stderr
    assert re.search(r"^esquema 0009 aplicado en \d+(,\d)? s: ", upgraded.stderr, re.M)
    assert f"estaba en el esquema 0008; ahora está en el esquema {head_revision()}" in (
        upgraded.stdout
    )


def test_a_command_with_its_own_lang_speaks_it_and_otherwise_the_global_one(
    database: Path,
) -> None:
    db = f"sqlite:///{database}"
    own = ok("--lang", "es", "report", "financial", "eurp", "--lang", "fr", "-d", db)
    global_ = ok("--lang", "es", "report", "financial", "eurp", "-d", db)
    missing = reintegrate("report", "financial", "nowhere", "--lang", "fr", "-d", db)

    assert "chaque montant concorde avec le grand livre" in own
    assert "concorde" not in global_
    assert "every figure agrees" not in global_
    assert missing.exit_code == 1
    assert "nowhere" in missing.stderr


def test_a_policy_check_lists_its_problems_in_french_and_spanish(tmp_path: Path) -> None:
    policy = tmp_path / "policy.toml"
    policy.write_text(
        'programme = "test"\nversion = "1"\nname = "Test"\ncurrency = "EUR"\n'
        "effective_from = 2024-01-01\neffective_until = 2023-01-01\n\n"
        '[[stages]]\nname = "later"\nopens_months_after_return = 6\n\n'
        '[[stages]]\nname = "first"\nopens_months_after_return = 0\n'
    )
    english = reintegrate("policy", "validate", str(policy))
    french = reintegrate("--lang", "fr", "policy", "validate", str(policy))
    spanish = reintegrate("policy", "validate", str(policy), env={"LANG": "es_ES.UTF-8"})

    assert (english.exit_code, french.exit_code, spanish.exit_code) == (1, 1, 1)
    assert "must be after effective_from" in english.stderr
    assert "stages must be listed in the order they open" in english.stderr
    assert "doit être postérieure à effective_from" in french.stderr
    assert "les étapes doivent être listées dans l'ordre de leur ouverture" in french.stderr
    assert "debe ser posterior a effective_from" in spanish.stderr
    assert "las etapas deben ir en el orden en que se abren" in spanish.stderr
    for said in (french.stderr, spanish.stderr):
        assert "$.effective_until" in said
        assert "must be after" not in said


MT940_HEADERS = ROOT / "tests" / "fixtures" / "statements" / "mt940" / "wolph-mt940-abnamro.sta"
"""ABN AMRO's export: the bank's header lines stand again before its second statement."""


def test_the_header_lines_a_bank_repeats_are_said_skipped_in_french_and_spanish() -> None:
    english = ok("statement", "show", str(MT940_HEADERS))
    french = ok("--lang", "fr", "statement", "show", str(MT940_HEADERS))
    spanish = ok("--lang", "es", "statement", "show", str(MT940_HEADERS))
    as_json = json.loads(ok("--lang", "fr", "statement", "show", str(MT940_HEADERS), "--json"))

    skipped = "bank header lines between statements skipped (lines 29, 30, 31)"
    assert skipped in english
    assert "lignes d'en-tête de la banque entre les relevés ignorées (lignes 29, 30, 31)" in french
    assert "líneas de encabezado del banco entre extractos omitidas (líneas 29, 30, 31)" in spanish
    assert [statement["remarks"] for statement in as_json] == [[skipped], [skipped]]


def test_an_import_says_its_remarks_in_french_and_its_journal_keeps_them_in_english(
    database: Path,
) -> None:
    db = f"sqlite:///{database}"
    imported = ok(
        *("--lang", "fr", "statement", "import", str(MT940_HEADERS), "--programme", "eurp"),
        *("--accept-discrepancy", "--as", "finance-fr", "-d", db),
    )
    found = re.match(r"import (\w+) ", imported)
    assert found is not None, imported
    body = json.loads(
        only(database, f"select body from statement_imports where import_id = '{found[1]}'")
    )

    assert (
        "lu malgré tout : relevé 2 : lignes d'en-tête de la banque entre les relevés ignorées "
        "(lignes 29, 30, 31)"
    ) in imported
    assert body["remarks"] == [
        f"statement {n}: bank header lines between statements skipped (lines 29, 30, 31)"
        for n in (1, 2)
    ]


def test_a_suggested_mapping_says_what_it_guessed_in_spanish(tmp_path: Path) -> None:
    export = tmp_path / "wallet.csv"
    export.write_text("date,ref,amount\n2026-11-20,RET-1,-10.00\n2026-11-21,RET-2,-5.00\n")

    refused = reintegrate("--lang", "es", "provider", "suggest", str(export))

    assert refused.exit_code == 1
    assert "codificación utf-8, delimitador ','" in refused.stderr
    assert "ninguna columna de moneda: indique la moneda del archivo (--currency)" in (
        refused.stderr
    )
