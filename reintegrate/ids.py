"""Identifiers: short codes, never names, safe to put in ledger account codes."""

from __future__ import annotations

import re

from reintegrate.errors import ValidationFailed

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}\Z", re.ASCII)


def check_id(value: object, field: str) -> str:
    """`value` if it is 1-64 letters, digits, `_`, `.` or `-` (no `:`, which joins codes)."""
    if not isinstance(value, str) or not _ID.match(value):
        shown = str(value)[:70]
        raise ValidationFailed(
            f"{field} must be 1-64 letters, digits, '_', '.' or '-' (got '{shown}')", field=field
        )
    return value
