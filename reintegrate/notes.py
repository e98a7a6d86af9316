"""Free text in events, sealed (docs/adr/0001-free-text-in-events.md).

A field typed `Text` holds what a user wrote in their own words: a reason, a description, a
supplier's name, a milestone's title, a visit's notes. The journal can never be edited, so
such words are never journaled: before an event is recorded, each text is sealed into the
notes store under the key of the record it belongs to (its *owner*: a case, a business plan,
a community project, a batch...), and the event keeps a `Note` in its place, the owner and a
keyed digest of the text. Views open the notes they show. Destroying an owner's key (when the
last person of a case is erased) removes its texts for ever while the journal still verifies.

Old journals hold plain strings in these fields: they decode and verify unchanged, and are
shown as they are.

This module is pure: it says which fields are free text and walks events and records to
change them; sealing and opening are given to it as functions (`reintegrate.services.notes`).
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable, Iterator
from functools import cache
from typing import Annotated, Any, TypeVar

import msgspec

T = TypeVar("T")


class Note(msgspec.Struct, frozen=True, kw_only=True, order=True, forbid_unknown_fields=True):
    """A sealed text: whose key seals it (`owner`) and the keyed digest of the text, salted
    per owner. The same words under the same owner give the same note, so records that name
    the same supplier still name the same one."""

    owner: str
    digest: str


class _FreeText:
    """The mark of a free-text field (see `Text`)."""

    def __repr__(self) -> str:
        return "FREE_TEXT"


FREE_TEXT = _FreeText()

Text = Annotated[str | Note, FREE_TEXT]
"""A field a user fills in their own words: sealed before it is journaled."""

ERASED = "[erased]"
"""What a view shows of a text whose owner's key was destroyed."""

Change = Callable[[Any], Any]
Walk = Callable[[Any, Change], Any]


def plain(text: str | Note) -> str:
    """The words of a text already opened for showing (`opened`); a note left sealed is a
    view that forgot to open it, a programming error."""
    if isinstance(text, Note):
        raise AssertionError(f"a note of {text.owner} was shown without being opened")
    return text


def plain_or_none(text: str | Note | None) -> str | None:
    return None if text is None else plain(text)


def seal_texts(value: T, seal: Callable[[str], Note]) -> T:
    """`value` with the words of every non-empty free-text field replaced by `seal(words)`;
    notes and empty fields are left as they are."""
    walk = _walker_of(value, sealing=True)
    if walk is None:
        return value
    result: T = walk(value, lambda v: seal(v) if isinstance(v, str) and v else v)
    return result


def open_notes(value: T, open_: Callable[[Note], str]) -> T:
    """`value` with every note replaced by `open_(note)`."""
    walk = _walker_of(value, sealing=False)
    if walk is None:
        return value
    result: T = walk(value, lambda v: open_(v) if isinstance(v, Note) else v)
    return result


def notes_in(value: object) -> Iterator[Note]:
    """Every note that `value` holds, in field order (repeats included)."""
    found: list[Note] = []
    walk = _walker_of(value, sealing=False)
    if walk is not None:
        walk(value, lambda v: found.append(v) if isinstance(v, Note) else None)
    return iter(found)


def blank(text: str | Note | None) -> bool:
    """Whether a text is missing or only blanks (a sealed one never is)."""
    return text is None or (isinstance(text, str) and not text.strip())


def _walker_of(value: object, *, sealing: bool) -> Walk | None:
    """The walker of a value's own type; a list, tuple or dict is walked item by item."""
    if isinstance(value, (list, tuple)) and not isinstance(value, msgspec.Struct):
        walks = [_walker_of(item, sealing=sealing) for item in value]
        if not any(walks):
            return None
        origin = type(value)
        return lambda items, change: origin(
            item if walk is None else walk(item, change)
            for item, walk in zip(items, walks, strict=True)
        )
    if isinstance(value, dict):
        inner = {k: w for k, v in value.items() if (w := _walker_of(v, sealing=sealing))}
        if not inner:
            return None
        return lambda found, change: {
            k: inner[k](v, change) if k in inner else v for k, v in found.items()
        }
    kind: Any = type(value)
    return _walker(kind, sealing=sealing)


@cache
def _walker(kind: Any, *, sealing: bool) -> Walk | None:
    """How to change the texts in a value of type `kind`, or None if it holds none. Sealing
    changes only fields marked free text; opening changes any field that may hold a note."""
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if origin is Annotated:
        if any(a is FREE_TEXT for a in args[1:]):
            return _leaf
        return _walker(args[0], sealing=sealing)
    if origin in (typing.Union, types.UnionType):
        return _union(args, sealing)
    if origin in (tuple, list) and args:
        return _sequence(args[0], sealing, origin)
    if origin is dict and len(args) == 2:
        return _mapping(args[1], sealing)
    if kind is Note:
        return None if sealing else _leaf
    if isinstance(kind, type) and issubclass(kind, msgspec.Struct):
        return _struct(kind, sealing)
    return None


def _leaf(value: Any, change: Change) -> Any:
    return change(value)


def _union(args: tuple[Any, ...], sealing: bool) -> Walk | None:
    if not sealing and Note in args:
        return _leaf
    walks = {a: w for a in args if (w := _walker(a, sealing=sealing)) is not None}
    if not walks:
        return None
    by_type = {a: w for a, w in walks.items() if isinstance(a, type)}
    texts = next((w for a, w in walks.items() if not isinstance(a, type)), None)

    def walk(value: Any, change: Change) -> Any:
        inner = by_type.get(type(value), texts)
        return value if inner is None else inner(value, change)

    return walk


def _sequence(item: Any, sealing: bool, origin: type) -> Walk | None:
    inner = _walker(item, sealing=sealing)
    if inner is None:
        return None
    return lambda value, change: origin(inner(v, change) for v in value)


def _mapping(item: Any, sealing: bool) -> Walk | None:
    inner = _walker(item, sealing=sealing)
    if inner is None:
        return None
    return lambda value, change: {k: inner(v, change) for k, v in value.items()}


def _struct(kind: type[msgspec.Struct], sealing: bool) -> Walk | None:
    fields = [
        (f.name, w)
        for f in msgspec.structs.fields(kind)
        if (w := _walker(f.type, sealing=sealing)) is not None
    ]
    if not fields:
        return None

    def walk(value: Any, change: Change) -> Any:
        changed = {}
        for name, inner in fields:
            old = getattr(value, name)
            if old is not None and (new := inner(old, change)) is not old:
                changed[name] = new
        return msgspec.structs.replace(value, **changed) if changed else value

    return walk


class NoteKey(msgspec.Struct, frozen=True, kw_only=True):
    """An owner's key for its notes: a data key, stored only wrapped by the master key, and
    the salt of its notes' digests (destroyed with it, so that a digest left in the journal
    can no longer be tested against a guess)."""

    wrapped_key: bytes
    salt: bytes
