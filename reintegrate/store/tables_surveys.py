"""Monitoring after return: instruments, follow-up attempts, survey responses and the
anonymous score counts that outlive erased persons (`reintegrate.surveys`).

Instruments and follow-ups are projections of the journal. A response is a person's: its
answers are sealed under the person's data key and its scores kept for counting; erasing
the person counts its scores into `survey_score_counts` and deletes the row.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Index, LargeBinary
from sqlmodel import Field, SQLModel


class SurveyInstrumentRow(SQLModel, table=True):
    __tablename__ = "survey_instruments"
    instrument_id: str = Field(primary_key=True, max_length=64)
    version: int = Field(primary_key=True)
    document: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class FollowUpRow(SQLModel, table=True):
    __tablename__ = "survey_follow_ups"
    follow_up_id: str = Field(primary_key=True, max_length=64)
    case_id: str = Field(max_length=64, index=True)
    programme_id: str = Field(max_length=64)
    office: str = Field(max_length=64)
    number: int
    done_on: str = Field(max_length=10)
    mode: str = Field(max_length=16)
    outcome: str = Field(max_length=16)
    done_by: str = Field(max_length=64)


class SurveyResponseRow(SQLModel, table=True):
    __tablename__ = "survey_responses"
    response_id: str = Field(primary_key=True, max_length=64)
    follow_up_id: str = Field(max_length=64, unique=True)
    case_id: str = Field(max_length=64)
    person_id: str = Field(max_length=64, index=True)
    programme_id: str = Field(max_length=64)
    office: str = Field(max_length=64)
    country: str = Field(max_length=2)
    returned_on: str = Field(max_length=10)
    answered_on: str = Field(max_length=10)
    instrument_id: str = Field(max_length=64)
    instrument_version: int
    complete: bool
    composite: str | None = Field(default=None, max_length=16)
    dimensions: str = Field(max_length=4000)
    """JSON: dimension id -> decimal string."""
    sealed_answers: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    __table_args__ = (Index("ix_survey_responses_programme_id", "programme_id", "response_id"),)


class SurveyScoreCountRow(SQLModel, table=True):
    """Erased persons' scores, counted in the evidence's shape (`outcomes.rows.AnonymousScores`,
    the score kept as its tenth): no person, case, response or date finer than a month."""

    __tablename__ = "survey_score_counts"
    programme_id: str = Field(primary_key=True, max_length=64)
    office: str = Field(primary_key=True, max_length=64)
    country: str = Field(primary_key=True, max_length=2)
    cohort: str = Field(primary_key=True, max_length=7)
    form: str = Field(primary_key=True, max_length=16)
    level: str = Field(primary_key=True, max_length=16)
    business_plan: str = Field(primary_key=True, max_length=16)
    vulnerability: str = Field(primary_key=True, max_length=16)
    time_since_return: str = Field(primary_key=True, max_length=8)
    returned_again: bool = Field(primary_key=True)
    measure: str = Field(primary_key=True, max_length=64)
    tenth: int = Field(primary_key=True)
    count: int = Field(sa_type=BigInteger)
