"""What every part of a policy document is made of: strict structs, names, texts, amounts,
and the problems validation reports."""

from __future__ import annotations

from typing import Annotated

import msgspec

Name = Annotated[str, msgspec.Meta(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")]
Text = Annotated[str, msgspec.Meta(max_length=500)]
Amount = Annotated[str, msgspec.Meta(max_length=24)]


class _Strict(msgspec.Struct, forbid_unknown_fields=True, frozen=True, kw_only=True):
    pass


class Problem(msgspec.Struct, frozen=True):
    field: str
    message: str
