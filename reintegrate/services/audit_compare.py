"""Where the stored state and the replayed journal differ: record by record, field by field,
the record whose last event came earliest first."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import msgspec

from reintegrate.store.base import Snapshot

MAX_FIELDS = 10
"""Fields shown per differing record; the rest are counted in `more_fields`."""
MAX_SHOWN = 80
"""Characters of a value shown in a description."""
COMPARED = tuple(name for name in Snapshot.__struct_fields__ if name != "posting_sums")
"""What replay must rebuild exactly. Posting sums are checked against balances instead (a
ledger problem), so a posting changed in the database shows there."""


class FieldDifference(msgspec.Struct, frozen=True, kw_only=True):
    path: str
    """Where in the record: `status`, `components[0].paid`...; empty for the whole record."""
    stored: Any
    replayed: Any
    """Each side as JSON; for a whole record, null on the side where it is absent."""


class RecordDifference(msgspec.Struct, frozen=True, kw_only=True):
    record: str
    """The collection: `packages`, `balances`, `cases`..."""
    key: str
    """The record's key in it: a package id, an account code, a position in a list..."""
    last_seq: int | None
    """The seq of the last journal entry that wrote this record on replay; None when no
    replayed entry did (it exists only as stored, or the replay stopped before)."""
    fields: tuple[FieldDifference, ...]
    more_fields: int = 0

    def describe(self) -> str:
        when = f"last written by seq {self.last_seq}" if self.last_seq else "written by no entry"
        shown = "; ".join(_field_text(f) for f in self.fields)
        more = f"; and {self.more_fields} more fields" if self.more_fields else ""
        return f"{self.record}[{self.key}] ({when}): {shown}{more}"


def differences(
    stored: Snapshot,
    replayed: Snapshot,
    written_by: Callable[[str, str], int | None] = lambda _collection, _key: None,
) -> list[RecordDifference]:
    """Every record that differs, the one whose last replayed event is earliest first (those
    no replayed event wrote come last)."""
    found = []
    for name in COMPARED:
        mine, theirs = getattr(stored, name), getattr(replayed, name)
        if mine == theirs:
            continue
        for key, ours, replay in _differing(mine, theirs):
            fields = list(_fields(ours, replay))
            found.append(
                RecordDifference(
                    record=name,
                    key=key,
                    last_seq=written_by(name, key),
                    fields=tuple(fields[:MAX_FIELDS]),
                    more_fields=max(0, len(fields) - MAX_FIELDS),
                )
            )
    order = {name: i for i, name in enumerate(COMPARED)}
    return sorted(
        found,
        key=lambda d: (d.last_seq is None, d.last_seq or 0, order[d.record], d.key),
    )


class _Absent:
    """A record one side does not have."""


ABSENT = _Absent()


def _differing(mine: object, theirs: object) -> Iterator[tuple[str, object, object]]:
    """(key, stored, replayed) of each record of one collection that differs."""
    if isinstance(mine, dict) and isinstance(theirs, dict):
        for key in sorted(mine.keys() | theirs.keys()):
            ours, replay = mine.get(key, ABSENT), theirs.get(key, ABSENT)
            if ours != replay:
                yield str(key), ours, replay
    elif isinstance(mine, list) and isinstance(theirs, list):
        for i in range(max(len(mine), len(theirs))):
            ours = mine[i] if i < len(mine) else ABSENT
            replay = theirs[i] if i < len(theirs) else ABSENT
            if ours != replay:
                yield str(i), ours, replay
    else:
        yield "", mine, theirs


def _fields(ours: object, replay: object) -> Iterator[FieldDifference]:
    if ours is ABSENT or replay is ABSENT:
        yield FieldDifference(path="", stored=_json(ours), replayed=_json(replay))
        return
    yield from _leaves(_json(ours), _json(replay), "")


def _json(value: object) -> Any:
    return None if value is ABSENT else msgspec.to_builtins(value)


def _leaves(ours: Any, replay: Any, path: str) -> Iterator[FieldDifference]:
    """The innermost places where two JSON values differ."""
    if isinstance(ours, dict) and isinstance(replay, dict):
        for key in sorted(ours.keys() | replay.keys()):
            inner = f"{path}.{key}" if path else str(key)
            if key in ours and key in replay:
                yield from _leaves(ours[key], replay[key], inner)
            else:
                yield FieldDifference(path=inner, stored=ours.get(key), replayed=replay.get(key))
    elif isinstance(ours, list) and isinstance(replay, list) and len(ours) == len(replay):
        for i, (a, b) in enumerate(zip(ours, replay, strict=True)):
            yield from _leaves(a, b, f"{path}[{i}]")
    elif ours != replay:
        yield FieldDifference(path=path, stored=ours, replayed=replay)


def _field_text(field: FieldDifference) -> str:
    whole = not field.path
    stored = "absent" if whole and field.stored is None else _short(field.stored)
    replayed = "absent" if whole and field.replayed is None else _short(field.replayed)
    where = "" if whole else f"{field.path}: "
    return f"{where}stored {stored}, replayed {replayed}"


def _short(value: Any) -> str:
    text = msgspec.json.encode(value).decode()
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "…"
