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

UNIT_OF_WORK_COMMIT = "reintegrate_unit_of_work_commit"
"""Set on a connection's info by a unit of work about to commit: any other commit through
the writer's connection (a migration, the API's own records, a repair) makes the store
forget the kept rows, since `data_version` does not see this connection's own commits."""

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
            self.forget()
            self._driver, self._version = driver, version

    def forget(self) -> None:
        """Drop every kept row: the next unit of work reads what it needs again."""
        self.kept, self.accounts, self.last = {}, {}, None
        self._driver = None

    def committing(self) -> Any:
        """Called just before a unit of work commits: until its rows are absorbed, the kept
        ones may be older than the database, so a commit that is never followed by
        `absorb` (an error between the two) leaves them forgotten. Returns the token that
        `absorb` takes back."""
        driver, self._driver = self._driver, None
        return driver

    def absorb(
        self, token: Any, kept: Kept, accounts: KeptAccounts, last: tuple[Entry | None] | None
    ) -> None:
        """Keep what a unit of work read and wrote, once it has committed."""
        if len(self.kept) + len(kept) + len(self.accounts) + len(accounts) > LIMIT:
            self.kept, self.accounts = {}, {}
        self.kept.update(kept)
        self.accounts.update(accounts)
        if last is not None:
            self.last = last
        self._driver = token
