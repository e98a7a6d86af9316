"""Reading caseload files: CSV with commas or semicolons and a workbook give the same rows;
what is neither, or is damaged, is refused naming the file, never with a server error."""

from __future__ import annotations

import io
import zipfile

import pytest

from reintegrate.adapters.caseload_files import read_caseload
from reintegrate.errors import ValidationFailed
from tests.people.caseload_files import as_csv, as_xlsx, households


def test_a_semicolon_csv_with_a_byte_order_mark_reads_as_the_comma_one() -> None:
    rows = households(2, 1)
    comma = as_csv(rows)
    semicolon = b"\xef\xbb\xbf" + comma.replace(b",", b";")
    assert read_caseload(semicolon) == read_caseload(comma)


def test_a_workbook_gives_the_rows_its_csv_gives() -> None:
    rows = households(3, 2)
    assert read_caseload(as_xlsx(rows)).rows == read_caseload(as_csv(rows)).rows


def test_cells_beyond_the_header_are_reported_on_their_row() -> None:
    content = (
        as_csv(households(1)).replace(b"\r\n", b",surplus\r\n", 2).replace(b",surplus", b"", 1)
    )
    extra = read_caseload(content).extra_cells
    assert [(e.row, e.column) for e in extra] == [(2, "#20")]


def damaged_workbook() -> bytes:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(as_xlsx(households(2)))) as src,
        zipfile.ZipFile(out, "w") as dst,
    ):
        for item in src.infolist():
            data = src.read(item)
            dst.writestr(item, data[: len(data) // 2] if "sheet1" in item.filename else data)
    return out.getvalue()


@pytest.mark.parametrize(
    "content",
    [b"", b"\xff\xfehousehold", b"PK\x03\x04 not a zip", damaged_workbook()],
    ids=["empty", "not UTF-8", "not a zip", "damaged sheet"],
)
def test_a_file_that_does_not_read_is_refused_naming_the_file(content: bytes) -> None:
    with pytest.raises(ValidationFailed) as refused:
        read_caseload(content)
    assert refused.value.field == "file"
