"""The evidence on outcomes as JSON, CSV and XLSX.

One row per group and measure (the composite score, then each dimension); a suppressed group
is one row saying so and nothing else. Scores are decimal strings in JSON and CSV, numbers in
XLSX. There is no person, case or response identifier in any of them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from decimal import Decimal

import msgspec

from reintegrate.outcomes.document import GroupDocument, OutcomesDocument, SummaryDocument

__all__ = ["CSV_HEADER", "to_csv", "to_json", "to_xlsx"]

CSV_HEADER = (
    "programme",
    "by",
    "group",
    "suppressed",
    "returned_again",
    "returned_again_rate",
    "measure",
    "n",
    "q1",
    "median",
    "q3",
    "exact",
)
"""`measure` is `composite` or a dimension id; `exact` is false when a quartile is read from
an erased person's score known only by its bucket. A dimension not scored in every response
of its group has empty figures."""
NUMERIC = frozenset({"returned_again", "returned_again_rate", "n", "q1", "median", "q3"})


def to_json(doc: OutcomesDocument) -> bytes:
    return msgspec.json.format(msgspec.json.encode(doc), indent=2)


def rows(doc: OutcomesDocument) -> Iterator[list[str]]:
    """The CSV's rows under its header, as text."""
    for g in doc.groups:
        if g.suppressed:
            yield [doc.programme_id, doc.by, g.group, "yes", *[""] * 8]
            continue
        measures = [("composite", g.composite), *sorted((g.dimensions or {}).items())]
        for measure, figures in measures:
            yield [
                doc.programme_id,
                doc.by,
                g.group,
                "no",
                *_group_texts(g),
                measure,
                *_figures(figures),
            ]


def _group_texts(g: GroupDocument) -> list[str]:
    return [str(g.returned_again), g.returned_again_rate or ""]


def _figures(s: SummaryDocument | None) -> list[str]:
    if s is None:
        return [""] * 5
    exact = s.q1.exact and s.median.exact and s.q3.exact
    return [str(s.n), s.q1.value, s.median.value, s.q3.value, "yes" if exact else "no"]


def to_csv(doc: OutcomesDocument) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    writer.writerows(rows(doc))
    return out.getvalue()


def to_xlsx(doc: OutcomesDocument) -> bytes:
    """A sheet naming the question, then the rows of the CSV with numbers as numbers, its
    header bold and frozen."""
    from openpyxl import Workbook  # noqa: PLC0415  (here: only a workbook needs it)
    from openpyxl.styles import Font  # noqa: PLC0415

    book = Workbook()
    about = book.active
    assert about is not None
    about.title = "Question"
    for label, value in _about(doc):
        about.append([label, value])
    about.column_dimensions["A"].width = 24
    sheet = book.create_sheet("Outcomes")
    sheet.append(list(CSV_HEADER))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows(doc):
        sheet.append([_cell(name, v) for name, v in zip(CSV_HEADER, row, strict=True)])
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(name: str, value: str) -> str | int | Decimal | None:
    if value == "":
        return None
    if name in ("returned_again", "n"):
        return int(value)
    return Decimal(value) if name in NUMERIC else value


def _about(doc: OutcomesDocument) -> list[tuple[str, str | int]]:
    return [
        ("programme", doc.programme_id),
        ("by", doc.by),
        ("country", doc.country or "all"),
        ("cohorts from", doc.cohort_from or "first"),
        ("cohorts to", doc.cohort_to or "last"),
        ("offices", "all" if doc.offices is None else ", ".join(doc.offices)),
        ("smallest group shown", doc.minimum_group),
    ]
