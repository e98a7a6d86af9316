"""Schema migrations with alembic: `upgrade(engine)` brings a database to the latest schema."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from reintegrate.texts import Text

MIGRATIONS = Path(__file__).parent / "migrations"

StepDone = Callable[[str, str, float], None]
"""Told of each migration applied: its revision, its title and the seconds it took."""


class MembersBeforeRegistry(RuntimeError):
    """A database holds case members from before the person registry (schema 0007)."""


class SchemaBehind(RuntimeError):
    """The database holds data under an older schema: it is upgraded only when asked."""

    def __init__(self, current: str, head: str) -> None:
        self.text = Text(
            "the database is at schema {current}, this version needs {head}: back it up, "
            "then run `reintegrate db upgrade` (or `serve --migrate`)",
            current=current,
            head=head,
        )
        super().__init__(str(self.text))
        self.current = current
        self.head = head


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head", on_step: StepDone | None = None) -> None:
    config = alembic_config(engine)
    if on_step is not None:
        config.attributes["on_step"] = on_step
    command.upgrade(config, revision)


def pending_steps(engine: Engine) -> list[tuple[str, str]]:
    """The migrations an upgrade would apply, oldest first: (revision, title)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    scripts = ScriptDirectory.from_config(config)
    current = current_revision(engine)
    steps = scripts.iterate_revisions("heads", current or "base")
    return [(s.revision, title_of(s.doc)) for s in reversed(list(steps))]


def title_of(doc: str | None) -> str:
    """A migration's title: the first paragraph of its message, on one line."""
    first = (doc or "").strip().split("\n\n", 1)[0]
    return " ".join(first.split())


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


def ensure_schema(engine: Engine, *, migrate: bool, on_step: StepDone | None = None) -> None:
    """Create the schema of a new database; upgrade an older one only when `migrate`
    (otherwise `SchemaBehind`, naming both schemas), telling `on_step` of each migration
    applied to an older schema (a new database's are not told)."""
    current = current_revision(engine)
    if current is not None and current != head_revision() and not migrate:
        raise SchemaBehind(current, head_revision())
    upgrade(engine, on_step=on_step if current is not None else None)
