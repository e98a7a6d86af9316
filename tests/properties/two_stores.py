"""A state machine that sends every command to the in-memory store and to SQLite together:
both must accept it with the same result or refuse it with the same error, and a refused
command writes nothing on either."""

from __future__ import annotations

import itertools
import tempfile
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from types import ModuleType
from typing import Any, ClassVar, NamedTuple
from unittest.mock import patch

from hypothesis import event
from hypothesis.stateful import RuleBasedStateMachine

from reintegrate.demo import people as demo_people
from reintegrate.errors import DomainError
from reintegrate.services import corrections, people
from reintegrate.services.notes import read_opened
from reintegrate.store.base import Store
from reintegrate.store.memory import MemoryStore
from reintegrate.store.sql import SqlStore


class Outcome(NamedTuple):
    error: str | None
    value: object

    @property
    def ok(self) -> bool:
        return self.error is None


class Ids:
    """The ids a command's service makes, the same on both stores: `{prefix}_{command}_{n}`."""

    def __init__(self, command: int) -> None:
        self.command, self.made = command, 0

    def __call__(self, prefix: str) -> str:
        self.made += 1
        return f"{prefix}_{self.command}_{self.made}"


@contextmanager
def same_ids(command: int, modules: tuple[ModuleType, ...] = ()) -> Iterator[None]:
    """Inside, the `new_id` of `modules` and of the person registry, and the demo persons'
    serials, give what they give for command number `command` on any store."""
    ids = Ids(command)
    with ExitStack() as stack:
        for module in (*modules, people, corrections):
            stack.enter_context(patch.object(module, "new_id", ids))
        serials = itertools.count(command * 1000)
        stack.enter_context(patch.object(demo_people, "_SERIALS", serials))
        yield


class TwoStores(RuleBasedStateMachine):
    id_modules: ClassVar[tuple[ModuleType, ...]] = ()
    """The service modules whose `new_id` is made deterministic for both stores (beside the
    person registry's, always)."""

    def __init__(self) -> None:
        super().__init__()
        self.directory = tempfile.TemporaryDirectory()
        self.memory = MemoryStore()
        self.sql = SqlStore(f"sqlite:///{self.directory.name}/machine.db")
        self.sql.create_all()
        self.stores: tuple[Store, Store] = (self.memory, self.sql)
        self.seen = [0, 0]
        """How many journal entries each store had after the last command."""
        self.counter = 0

    def teardown(self) -> None:
        self.sql.engine.dispose()
        self.sql.reader.dispose()
        self.directory.cleanup()

    def both(self, command: Callable[..., object], *args: Any, **kwargs: Any) -> Outcome:
        """Run a command on both stores; they must agree on the result or on the refusal."""
        self.counter += 1
        outcomes = [self.run(n, command, args, kwargs) for n in range(len(self.stores))]
        assert outcomes[0] == outcomes[1], outcomes
        where = command.__module__.rsplit(".", 1)[-1]
        event(f"{where}.{command.__name__}: {outcomes[0].error or 'ok'}")
        return outcomes[0]

    def run(
        self, n: int, command: Callable[..., object], args: Any, kwargs: dict[str, Any]
    ) -> Outcome:
        try:
            with self.same_ids():
                value = command(self.stores[n], *args, **kwargs)
        except DomainError as error:
            assert self.written(n) == 0, f"{command.__name__} was refused but wrote"
            return Outcome(type(error).__name__, error.message)
        written = self.written(n)
        assert written > 0, f"{command.__name__} succeeded but wrote nothing"
        self.seen[n] += written
        return Outcome(None, read_opened(self.stores[n], value))  # notes are salted per store

    def same_ids(self, command: int | None = None) -> AbstractContextManager[None]:
        """Inside, the services make the ids (and the demo persons) they would make for the
        same command (by default the current one) on the other store."""
        return same_ids(self.counter if command is None else command, self.id_modules)

    def written(self, n: int) -> int:
        """Journal entries of store `n` since the last command."""
        return sum(1 for _ in self.stores[n].entries(self.seen[n]))
