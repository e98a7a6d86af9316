"""`reintegrate demo` tells what its data holds in the command's language: every row of its
summary, not only the headings."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from reintegrate.cli.main import app

ENGLISH_WORDS = ("package ", "disbursement ", "business plan ", "community project ", "follow-up ")
runner = CliRunner()


def summary_rows(output: str) -> list[str]:
    """The outcomes named in the first table printed (the demo summary)."""
    table = output[: output.index("└")]
    return [line.split("│")[1].strip() for line in table.splitlines() if line.startswith("│")]


@pytest.mark.parametrize(
    ("lang", "title", "shown"),
    [
        ("fr", "Données de démonstration", "paquet actif"),
        ("es", "Datos de demostración", "paquete activo"),
    ],
)
def test_the_demo_summary_has_no_english_row(
    lang: str, title: str, shown: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # the demo users' tokens are written under ./var
    small = ("--households", "8", "--monitoring-cohort", "0", "-d", f"sqlite:///{tmp_path}/d.db")
    result = runner.invoke(app, ["--lang", lang, "demo", *small], env={"LC_ALL": None})

    assert result.exit_code == 0, result.output
    assert title in result.output
    rows = summary_rows(result.output)
    assert len(rows) > 20
    assert shown in rows, rows
    assert not [row for row in rows if any(word in row for word in ENGLISH_WORDS)], rows
    assert rows == sorted(rows)
