"""Records of one kind in the memory store: a dict of the unit of work's state."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, Generic, Protocol, TypeVar

from reintegrate.access import EVERYWHERE, Scope
from reintegrate.store.memory_state import MemoryState
from reintegrate.store.records import RecordKind

T = TypeVar("T")


class _HasState(Protocol):
    state: MemoryState


class MemoryRecords(Generic[T]):
    """`kind`'s records in the state `holder` has when asked (a unit of work's)."""

    def __init__(self, holder: _HasState, kind: RecordKind[T]) -> None:
        self.holder, self.kind = holder, kind

    def _all(self) -> dict[str, Any]:
        found: dict[str, Any] = getattr(self.holder.state, self.kind.collection)
        return found

    def get(self, key: str, scope: Scope = EVERYWHERE) -> T | None:
        found: T | None = self._all().get(key)
        return found if found is not None and self.kind.visible(found, scope) else None

    def get_many(self, keys: Collection[str], scope: Scope = EVERYWHERE) -> dict[str, T]:
        found = {key: record for key in keys if (record := self.get(key, scope)) is not None}
        return found

    def put(self, record: T) -> None:
        self._all()[self.kind.key(record)] = record
