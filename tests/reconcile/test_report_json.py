"""The reconciliation report as JSON is one object, whatever the number of findings."""

from __future__ import annotations

import json

import msgspec
import pytest

from reintegrate.adapters.reconciliation_report import JSON_PIECE_ROWS, FindingRow, as_json


def row(n: int) -> FindingRow:
    return FindingRow(
        outcome="missing",
        position=f"payment dsb_{n:06d}",
        reference=f"dsb_{n:06d}",
        disbursement_id=f"dsb_{n:06d}",
        expected="12.50",
        on_statement="",
        currency="EUR",
        difference="-12.50",
        explanation="sent to the provider but not on the statement « ok »",
        decision="",
        decision_reason="",
        decision_confirmed=False,
    )


@pytest.mark.parametrize(
    "count", [0, 1, JSON_PIECE_ROWS - 1, JSON_PIECE_ROWS, 2 * JSON_PIECE_ROWS + 3]
)
def test_the_report_in_json_holds_every_finding_once_in_order(count: int) -> None:
    rows = [row(n) for n in range(count)]
    head: dict[str, object] = {"import_id": "imp_1", "totals": []}
    text = b"".join(as_json(head, iter(rows)))
    shown = json.loads(text)
    assert shown["import_id"] == "imp_1"
    assert shown["totals"] == []
    assert shown["findings"] == [msgspec.to_builtins(r) for r in rows]


def test_each_finding_of_the_json_report_is_on_a_line_of_its_own() -> None:
    text = b"".join(as_json({"import_id": "imp_1"}, iter([row(1), row(2)]))).decode()
    lines = text.splitlines()
    assert json.loads(lines[1].rstrip(",")) == msgspec.to_builtins(row(1))
    assert json.loads(lines[2]) == msgspec.to_builtins(row(2))
