"""Identifiers: short codes, never names, safe to put in ledger account codes."""

from __future__ import annotations

import re

from reintegrate.errors import ValidationFailed
from reintegrate.texts import Text

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}\Z", re.ASCII)


def check_id(value: object, field: str) -> str:
    """`value` if it is 1-64 letters, digits, `_`, `.` or `-` (no `:`, which joins codes)."""
    if not isinstance(value, str):
        raise ValidationFailed(
            Text("{field} must be 1-64 letters, digits, '_', '.' or '-'", field=field),
            field=field,
        )
    if not _ID.match(value):
        raise ValidationFailed(
            Text(
                "{field} must be 1-64 letters, digits, '_', '.' or '-' (got '{shown}')",
                field=field,
                shown=value[:70],
            ),
            field=field,
        )
    return value
