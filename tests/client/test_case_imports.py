"""A caseload file through the client: checked first, then imported once, against the demo
server in process."""

from __future__ import annotations

from pathlib import Path

from reintegrate.client import Upload
from tests.client.conftest import Demo

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "caseload.csv"


def test_an_officer_checks_then_imports_the_documented_example_once(demo_server: Demo) -> None:
    file = Upload("caseload.csv", EXAMPLE.read_bytes(), "text/csv")
    with demo_server.client("officer-dakar") as officer:
        programme = next(iter(officer.list_cases(office="dakar", limit=1).items)).programme_id

        checked = officer.import_cases(programme, file)
        imported = officer.import_cases(programme, file, dry_run=False)
        again = officer.import_cases(programme, file, dry_run=False)

    assert (checked.dry_run, checked.imported, checked.errors) == (True, False, [])
    assert (imported.imported, imported.households, imported.persons) == (True, 2, 5)
    assert (again.imported, again.already_imported) == (False, True)
