"""What this process's last units of work left committed, kept for the next one (SQLite).

A unit of work keeps the rows it reads and writes (projections by key, accounts with their
balance, the journal's last entry), so that it never reads one twice. On SQLite the next
unit of work of the same process starts from them too, as long as no other connection has
committed since. SQLite's `PRAGMA data_version`, read on the writer's own connection once
the write lock is held, changes exactly when another connection has committed, and nothing
else can commit while the lock is held. This process writes through that one connection,
and what a unit of work wrote is kept only once it has committed: one that fails leaves the
kept rows as they were. A command then reads again only what it has not met yet: on the
busiest route (a disbursement request) that spares six of its fourteen statements.
"""

from __future__ import annotations

from typing import Any

from reintegrate.journal import Entry
from reintegrate.ledger import Account

LIMIT = 20_000
"""Rows kept at most: past it, what is kept is dropped and kept again as it is met."""

Kept = dict[tuple[str, str], Any]
"""Projections by (table, key); None: the row is absent."""
KeptAccounts = dict[str, tuple[Account, int] | None]
"""Accounts by code with their balance; None: the account was never opened."""


class Committed:
    """The rows kept between units of work, for one writer connection."""

    def __init__(self) -> None:
        self._driver: Any = None
        self._version: int | None = None
        self.kept: Kept = {}
        self.accounts: KeptAccounts = {}
        self.last: tuple[Entry | None] | None = None
        """The journal's last entry, in a tuple (an empty journal has none); None: unknown."""

    def start(self, driver: Any) -> None:
        """Check, on the writer's driver connection with the write lock held, that no other
        connection has committed since the rows were kept; forget them if one has."""
        version = driver.execute("PRAGMA data_version").fetchone()[0]
        if driver is not self._driver or version != self._version:
            self.kept, self.accounts, self.last = {}, {}, None
            self._driver, self._version = driver, version

    def absorb(self, kept: Kept, accounts: KeptAccounts, last: tuple[Entry | None] | None) -> None:
        """Keep what a unit of work read and wrote, once it has committed."""
        if len(self.kept) + len(kept) + len(self.accounts) + len(accounts) > LIMIT:
            self.kept, self.accounts = {}, {}
        self.kept.update(kept)
        self.accounts.update(accounts)
        if last is not None:
            self.last = last
