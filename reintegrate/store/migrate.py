"""Schema migrations with alembic: `upgrade(engine)` brings a database to the latest schema."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

MIGRATIONS = Path(__file__).parent / "migrations"


class MembersBeforeRegistry(RuntimeError):
    """A database holds case members from before the person registry (schema 0007)."""


class SchemaBehind(RuntimeError):
    """The database holds data under an older schema: it is upgraded only when asked."""

    def __init__(self, current: str, head: str) -> None:
        super().__init__(
            f"the database is at schema {current}, this version needs {head}: back it up, "
            "then run `reintegrate db upgrade` (or `serve --migrate`)"
        )
        self.current = current
        self.head = head


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    command.upgrade(alembic_config(engine), revision)


def head_revision() -> str:
    """The latest schema this version knows."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    head = ScriptDirectory.from_config(config).get_current_head()
    assert head is not None, "the migrations have one head"
    return head


def current_revision(engine: Engine) -> str | None:
    """The database's schema; None for a database that has none yet."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def ensure_schema(engine: Engine, *, migrate: bool) -> None:
    """Create the schema of a new database; upgrade an older one only when `migrate`
    (otherwise `SchemaBehind`, naming both schemas)."""
    current = current_revision(engine)
    if current is not None and current != head_revision() and not migrate:
        raise SchemaBehind(current, head_revision())
    upgrade(engine)
