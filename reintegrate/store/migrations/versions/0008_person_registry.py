"""the person registry: sealed persons, identifiers' digests, members as an index, the log
of reads of personal data

Members no longer hold personal data in clear: they name a registered person. The members of
an existing database are moved into sealed person records, journaled
(`services.registry_migration`); that needs the keys (REINTEGRATE_MASTER_KEY_FILE and
REINTEGRATE_DIGEST_KEY_FILE), and without them the upgrade stops with one line, changing
nothing. The move uses the code's tables as of this revision.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 10:00:00.000000
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

from reintegrate.adapters.keyring import KeyFileError, keyring_from_env
from reintegrate.people.keys import Keyring
from reintegrate.services.registry_migration import move_members
from reintegrate.store.migrate import MembersBeforeRegistry

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    old = bind.execute(sa.text("SELECT case_id, position, body FROM members")).all()
    keyring = _keyring(len(old)) if old else None
    op.drop_table("members")
    op.create_table(
        "members",
        sa.Column("case_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("member_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("person_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.PrimaryKeyConstraint("case_id", "member_id"),
    )
    op.create_index("ix_members_person_id", "members", ["person_id"])
    op.create_table(
        "persons",
        sa.Column("person_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("office", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("wrapped_key", sa.LargeBinary(), nullable=True),
        sa.Column("sealed", sa.LargeBinary(), nullable=True),
        sa.Column("proposed", sa.LargeBinary(), nullable=True),
        sa.PrimaryKeyConstraint("person_id"),
    )
    op.create_index("ix_persons_office", "persons", ["office"])
    op.create_table(
        "person_identifiers",
        sa.Column("digest", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("person_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.PrimaryKeyConstraint("digest"),
    )
    op.create_index("ix_person_identifiers_person_id", "person_identifiers", ["person_id"])
    op.create_table(
        "access_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_access_log_person_id", "access_log", ["person_id"])
    if keyring is not None:
        move_members(bind, keyring, old, dt.datetime.now(dt.UTC))


def _keyring(members: int) -> Keyring:
    try:
        return keyring_from_env()
    except KeyFileError as e:
        raise MembersBeforeRegistry(
            f"this database holds {members} case members registered before the person "
            f"registry: moving them into sealed records needs the keys ({e})"
        ) from None


def downgrade() -> None:
    op.drop_table("access_log")
    op.drop_table("person_identifiers")
    op.drop_table("persons")
    op.drop_table("members")
    op.create_table(
        "members",
        sa.Column("case_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("member_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("person_ref", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("case_id", "member_id"),
    )
    op.create_index("ix_members_person_ref", "members", ["person_ref"])
