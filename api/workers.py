"""The app of one worker process of `reintegrate serve --workers N`.

Each worker builds its own app, with its own connections, from the environment: the
database named by REINTEGRATE_DATABASE_URL (created and migrated by `serve` before the
workers start) and the key files REINTEGRATE_MASTER_KEY_FILE and REINTEGRATE_DIGEST_KEY_FILE
name. Nothing is shared between workers but the database, which orders their commands.
"""

from __future__ import annotations

from litestar import Litestar

from api.app import create_app
from api.logs import configure_logging
from reintegrate.store.sql import SqlStore


def app_for_worker() -> Litestar:
    configure_logging()
    return create_app(SqlStore())
