"""SQL tables. Amounts are BIGINT minor units (SQLite's Numeric would become a float).

Projections keep the columns that queries filter on, plus the whole record as canonical JSON
in `body`. Members' personal data has its own table, apart from journal and ledger, so that
it can be erased without touching the money records.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Index, LargeBinary
from sqlmodel import Field, SQLModel


class JournalRow(SQLModel, table=True):
    __tablename__ = "journal"
    seq: int = Field(primary_key=True, sa_type=BigInteger)
    at: str = Field(max_length=40)
    actor: str = Field(max_length=64)
    type: str = Field(max_length=64)
    body: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64, unique=True)


class AccountRow(SQLModel, table=True):
    __tablename__ = "accounts"
    code: str = Field(primary_key=True, max_length=200)
    currency: str = Field(max_length=3)
    label: str = Field(max_length=200)
    floor: int | None = Field(default=None, sa_type=BigInteger)
    used: str = Field(default="", max_length=500)
    balance: int = Field(default=0, sa_type=BigInteger)


class PostingRow(SQLModel, table=True):
    __tablename__ = "postings"
    id: int | None = Field(default=None, primary_key=True)
    seq: int = Field(index=True, sa_type=BigInteger)
    account: str = Field(max_length=200, index=True)
    amount: int = Field(sa_type=BigInteger)
    currency: str = Field(max_length=3)


class ProgrammeRow(SQLModel, table=True):
    __tablename__ = "programmes"
    programme_id: str = Field(primary_key=True, max_length=64)
    body: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class PolicyRow(SQLModel, table=True):
    __tablename__ = "policies"
    programme_id: str = Field(primary_key=True, max_length=64)
    version: str = Field(primary_key=True, max_length=64)
    body: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class FxRateRow(SQLModel, table=True):
    __tablename__ = "fx_rates"
    id: int | None = Field(default=None, primary_key=True)
    pair: str = Field(max_length=7, index=True)
    body: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class CaseRow(SQLModel, table=True):
    __tablename__ = "cases"
    case_id: str = Field(primary_key=True, max_length=64)
    office: str = Field(max_length=64, index=True)
    programme_id: str = Field(max_length=64, index=True)
    body: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class MemberRow(SQLModel, table=True):
    """Personal data of one member: erasable on its own."""

    __tablename__ = "members"
    case_id: str = Field(primary_key=True, max_length=64)
    member_id: str = Field(primary_key=True, max_length=64)
    position: int = Field(default=0)
    person_ref: str = Field(max_length=64, index=True)
    body: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class GrantRow(SQLModel, table=True):
    __tablename__ = "grants"
    case_id: str = Field(primary_key=True, max_length=64)
    body: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class PackageRow(SQLModel, table=True):
    __tablename__ = "packages"
    __table_args__ = (Index("ix_packages_office_status", "office", "status"),)
    package_id: str = Field(primary_key=True, max_length=64)
    case_id: str = Field(max_length=64, index=True)
    office: str = Field(max_length=64)
    status: str = Field(max_length=16)
    body: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class DisbursementRow(SQLModel, table=True):
    __tablename__ = "disbursements"
    __table_args__ = (Index("ix_disbursements_office_status", "office", "status"),)
    disbursement_id: str = Field(primary_key=True, max_length=64)
    package_id: str = Field(max_length=64, index=True)
    office: str = Field(max_length=64)
    status: str = Field(max_length=16)
    body: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
