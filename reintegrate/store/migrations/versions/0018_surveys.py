"""monitoring after return: survey instruments, follow-up attempts, survey responses and
the anonymous score counts kept of erased persons' responses

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06 22:54:00.293011

New tables only; nothing existing changes.
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

COUNT_KEY = (
    "programme_id",
    "office",
    "country",
    "cohort",
    "form",
    "level",
    "business_plan",
    "vulnerability",
    "time_since_return",
    "returned_again",
    "measure",
    "tenth",
)
"""Erased persons' counts are kept per combination of these (`outcomes.rows.AnonymousScores`)."""


def upgrade() -> None:
    op.create_table(
        "survey_follow_ups",
        sa.Column("follow_up_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("case_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("programme_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("office", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("done_on", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("mode", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("outcome", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("done_by", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.PrimaryKeyConstraint("follow_up_id"),
    )
    with op.batch_alter_table("survey_follow_ups", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_survey_follow_ups_case_id"), ["case_id"], unique=False)

    op.create_table(
        "survey_instruments",
        sa.Column("instrument_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("document", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("instrument_id", "version"),
    )
    op.create_table(
        "survey_responses",
        sa.Column("response_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("follow_up_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("case_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("person_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("programme_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("office", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("country", sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
        sa.Column("returned_on", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("answered_on", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("instrument_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("instrument_version", sa.Integer(), nullable=False),
        sa.Column("complete", sa.Boolean(), nullable=False),
        sa.Column("composite", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
        sa.Column("dimensions", sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
        sa.Column("sealed_answers", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("response_id"),
        sa.UniqueConstraint("follow_up_id"),
    )
    with op.batch_alter_table("survey_responses", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_survey_responses_person_id"), ["person_id"], unique=False
        )
        batch_op.create_index(
            "ix_survey_responses_programme_id", ["programme_id", "response_id"], unique=False
        )

    op.create_table(
        "survey_score_counts",
        sa.Column("programme_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("office", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("country", sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
        sa.Column("cohort", sqlmodel.sql.sqltypes.AutoString(length=7), nullable=False),
        sa.Column("form", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("level", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("business_plan", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("vulnerability", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("time_since_return", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("returned_again", sa.Boolean(), nullable=False),
        sa.Column("measure", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("tenth", sa.Integer(), nullable=False),
        sa.Column("count", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint(*COUNT_KEY),
    )


def downgrade() -> None:
    op.drop_table("survey_score_counts")
    with op.batch_alter_table("survey_responses", schema=None) as batch_op:
        batch_op.drop_index("ix_survey_responses_programme_id")
        batch_op.drop_index(batch_op.f("ix_survey_responses_person_id"))

    op.drop_table("survey_responses")
    op.drop_table("survey_instruments")
    with op.batch_alter_table("survey_follow_ups", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_survey_follow_ups_case_id"))

    op.drop_table("survey_follow_ups")
