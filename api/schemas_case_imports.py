"""Bodies of /programmes/{programme_id}/case-imports: the caseload file uploaded, and what
its import found and did."""

from __future__ import annotations

import msgspec
from litestar.datastructures import UploadFile

from api.schemas import In, Out


class CaseloadUpload(In, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """multipart/form-data: the caseload file, CSV (UTF-8) or XLSX, in the column layout of
    docs/case-imports.md."""

    file: UploadFile


class RowErrorView(Out, frozen=True, kw_only=True):
    row: int
    """The file's row (the header is row 1)."""
    column: str
    message: str
    """The rule broken; never the cell's value."""


class CaseImportView(Out, frozen=True, kw_only=True):
    dry_run: bool
    imported: bool
    """Whether this request registered the file's households."""
    already_imported: bool
    """The same file was imported before (`import_id`): nothing new was registered."""
    import_id: str | None
    households: int
    persons: int
    errors: list[RowErrorView] = msgspec.field(default_factory=list)
