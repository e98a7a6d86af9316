"""Alembic environment: runs migrations on the engine the application passes in."""

from __future__ import annotations

import time
from collections.abc import Collection, Mapping
from typing import Any

from alembic import context
from alembic.runtime.migration import MigrationContext, MigrationInfo
from sqlalchemy import Engine, create_engine
from sqlmodel import SQLModel

from reintegrate.store import tables  # noqa: F401  (registers the tables)
from reintegrate.store.migrate import title_of

config = context.config
engine = config.attributes.get("engine")
if not isinstance(engine, Engine):
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "sqlite:///reintegrate.db")

on_step = config.attributes.get("on_step")
since = [time.perf_counter()]


def _applied(
    ctx: MigrationContext, step: MigrationInfo, heads: Collection[Any], run_args: Mapping[str, Any]
) -> None:
    """Tell the caller (`migrate.upgrade`'s `on_step`) each migration as it is applied."""
    now = time.perf_counter()
    if on_step is not None:
        revision = step.up_revision
        title = title_of(getattr(revision, "doc", None))  # a Script's message
        on_step(str(step.up_revision_id), title, now - since[0])
    since[0] = now


with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=SQLModel.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        on_version_apply=_applied,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
