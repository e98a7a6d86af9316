"""Where the stored state and the replayed journal differ: record by record, field by field,
the record whose last event came earliest first. The stored records are read one kind at a
time, a page at a time, and each takes the place of the replayed one it was compared with,
so that an audit holds one state, not two."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

import msgspec

from reintegrate.store.base import Snapshot
from reintegrate.store.memory import by_position
from reintegrate.texts import Text, each

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

    def describe(self) -> Text:
        when = (
            Text("last written by seq {seq}", seq=self.last_seq)
            if self.last_seq
            else Text("written by no entry")
        )
        shown = [_field_text(f) for f in self.fields]
        if self.more_fields:
            shown.append(Text("and {count} more fields", count=self.more_fields))
        return Text(
            "{record}[{key}] ({when}): {fields}",
            record=self.record,
            key=self.key,
            when=when,
            fields=each(shown),
        )


Pages = Iterable[list[tuple[str, Any]]]
ReadStored = Callable[[str, Mapping[str, Any]], Pages]
"""`StoredView.stored_records`: a collection's stored records, a page at a time."""
WrittenBy = Callable[[str, str], int | None]


def adopt_stored(
    read: ReadStored, state: Snapshot, written_by: WrittenBy = lambda _c, _k: None
) -> list[RecordDifference]:
    """Every record where the store differs from the replayed `state`, the one whose last
    replayed event is earliest first (those no replayed event wrote come last).

    Kind by kind, each stored record read is compared with the replayed one of its key and
    takes its place in `state`: afterwards `state` holds the stored records (its posting sums
    aside), and the stored state was never held whole beside the replayed one."""
    found: list[RecordDifference] = []
    for name in COMPARED:
        kept = getattr(state, name)
        if isinstance(kept, list):
            keyed = dict(by_position(kept))
            found += _adopt(name, read(name, keyed), keyed, read, written_by)
            kept[:] = [keyed[str(i)] for i in range(len(keyed))]
        else:
            found += _adopt(name, read(name, kept), kept, read, written_by)
    return ordered(found)


def ordered(found: Iterable[RecordDifference]) -> list[RecordDifference]:
    """The differences, the one whose last replayed event is earliest first (those no
    replayed event wrote, or not traced, last), then by kind of record and key."""
    order = {name: i for i, name in enumerate(COMPARED)}
    return sorted(
        found,
        key=lambda d: (d.last_seq is None, d.last_seq or 0, order[d.record], d.key),
    )


def traced_by(found: Iterable[RecordDifference]) -> dict[str, set[str]]:
    """The keys of the differing records, by kind: what a second replay traces."""
    keys: dict[str, set[str]] = {}
    for difference in found:
        keys.setdefault(difference.record, set()).add(difference.key)
    return keys


def differences(
    stored: Snapshot, replayed: Snapshot, written_by: WrittenBy = lambda _c, _k: None
) -> list[RecordDifference]:
    """`adopt_stored`, of two states held whole (`replayed` is left as it is)."""
    copied = {name: copy.copy(getattr(replayed, name)) for name in COMPARED}
    state = Snapshot(**copied, posting_sums={})
    return adopt_stored(lambda name, _expected: [_pairs(stored, name)], state, written_by)


def _pairs(snapshot: Snapshot, name: str) -> list[tuple[str, Any]]:
    kept = getattr(snapshot, name)
    return list(kept.items()) if isinstance(kept, dict) else by_position(kept)


def _adopt(
    name: str, pages: Pages, kept: dict[str, Any], read: ReadStored, written_by: WrittenBy
) -> list[RecordDifference]:
    """Compare and adopt one collection's stored records (see `adopt_stored`)."""
    found, replayed, matched = [], len(kept), 0
    for page in pages:
        for key, record in page:
            mine = kept.get(key, ABSENT)
            matched += mine is not ABSENT
            if record is not mine and record != mine:
                found.append(_difference(name, key, record, mine, written_by))
                kept[key] = record
    if matched < replayed:  # records replayed but not stored: which, read the keys again
        stored = {key for page in read(name, kept) for key, _ in page}
        for key in sorted(kept.keys() - stored):
            found.append(_difference(name, key, ABSENT, kept.pop(key), written_by))
    return found


def _difference(
    name: str, key: str, ours: object, replay: object, written_by: WrittenBy
) -> RecordDifference:
    fields = list(_fields(ours, replay))
    return RecordDifference(
        record=name,
        key=key,
        last_seq=written_by(name, key),
        fields=tuple(fields[:MAX_FIELDS]),
        more_fields=max(0, len(fields) - MAX_FIELDS),
    )


class _Absent:
    """A record one side does not have."""


ABSENT = _Absent()


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


def _field_text(field: FieldDifference) -> Text:
    whole = not field.path
    stored = ABSENT_WORD if whole and field.stored is None else _short(field.stored)
    replayed = ABSENT_WORD if whole and field.replayed is None else _short(field.replayed)
    if whole:
        return Text("stored {stored}, replayed {replayed}", stored=stored, replayed=replayed)
    return Text(
        "{path}: stored {stored}, replayed {replayed}",
        path=field.path,
        stored=stored,
        replayed=replayed,
    )


ABSENT_WORD = Text("absent")


def _short(value: Any) -> str:
    text = msgspec.json.encode(value).decode()
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "…"
