"""A command asked on a resource as the client last saw it (HTTP If-Match): the unit of work
checks the resource's version when it first reads it, inside its own transaction, so that no
other command, of any worker, changes it between the check and the command.

The expectation is set around the command (`expecting`), in a context variable, so that the
services need not carry it: the SQL unit of work checks it on its first read of that row."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

RESOURCE_TABLES = {
    "package": "packages",
    "disbursement": "disbursements",
    "business-plan": "business_plans",
    "community-project": "community_projects",
    "payment-batch": "payment_batches",
    "statement-import": "statement_imports",
    "receipt-verification": "verification_rounds",
}
"""The table each kind of versioned resource is kept in, by the name its ETags give it."""


@dataclass(frozen=True)
class Expected:
    table: str
    key: str
    version: int


_EXPECTED: ContextVar[Expected | None] = ContextVar("reintegrate_expected", default=None)


class VersionChanged(Exception):
    """The resource is no longer at the version the command was asked on."""

    def __init__(self, found: int | None) -> None:
        super().__init__(f"the resource is now at version {found}")
        self.found = found


@contextmanager
def expecting(kind: str, key: str, version: int) -> Iterator[None]:
    """Within this block, a unit of work that reads the resource finds it at `version`, or
    raises `VersionChanged`."""
    token = _EXPECTED.set(Expected(RESOURCE_TABLES[kind], key, version))
    try:
        yield
    finally:
        _EXPECTED.reset(token)


def check_first_read(table: str, key: str, found: object) -> None:
    """Called by a unit of work when it first reads a row (not when it reads again what it
    has itself written)."""
    expected = _EXPECTED.get()
    if expected is None or found is None or (expected.table, expected.key) != (table, key):
        return
    version = getattr(found, "version", None)
    if version != expected.version:
        raise VersionChanged(version)
