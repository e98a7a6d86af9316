"""Scratch PostgreSQL databases of the benchmarks and the tests: dropping them."""

from __future__ import annotations

import time

from psycopg.errors import InsufficientPrivilege
from sqlalchemy import Engine, text
from sqlalchemy.exc import ProgrammingError

DROP_TRIES = 60
"""Half-seconds to wait for a drop refused because of a session the role may not end."""


def drop_database(admin: Engine, name: str) -> None:
    """DROP ... WITH (FORCE), which ends the sessions still on the database, but only those
    the role may end: an autovacuum worker that PostgreSQL started on the database meanwhile
    belongs to no role, so the drop is refused until it has finished. Try again until then."""
    for attempt in range(DROP_TRIES):
        try:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            return
        except ProgrammingError as refused:
            if not isinstance(refused.orig, InsufficientPrivilege) or attempt == DROP_TRIES - 1:
                raise
            time.sleep(0.5)
