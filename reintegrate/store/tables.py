"""SQL tables. Amounts are BIGINT minor units (SQLite's Numeric would become a float).

Projections keep the columns that queries filter on, plus the whole record as canonical JSON
in `body`. Personal data lives only in `persons.sealed`, encrypted per person, and free text
only in `notes`, encrypted per owner, apart from journal and ledger, so that both can be
erased without touching the money records.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Index, Integer, LargeBinary
from sqlmodel import Field, SQLModel


class JournalRow(SQLModel, table=True):
    __tablename__ = "journal"
    seq: int = Field(primary_key=True, sa_type=BigInteger().with_variant(Integer(), "sqlite"))
    """On SQLite the row id itself (INTEGER PRIMARY KEY), not an index beside it."""
    at: str = Field(max_length=40)
    actor: str = Field(max_length=64)
    type: str = Field(max_length=64)
    body: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)
    """Unique by construction (it covers seq, the key): no index of its own (migration 0020)."""
    office: str | None = Field(default=None, max_length=64)
    """The office of the case, package, payment, plan or project the event is about (None:
    programme-wide, or never shown): who may read it in the event feed
    (`reintegrate.events.public`). Outside the hash: it is where the event is filed, not what
    it says."""
    __table_args__ = (
        Index("ix_journal_office_seq", "office", "seq"),
        Index("ix_journal_type_seq", "type", "seq"),
    )


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
    created_at: str | None = Field(default=None, max_length=40, index=True)
    """When the command that made it committed (`store.sql_stamps`)."""
    updated_at: str | None = Field(default=None, max_length=40, index=True)
    """When the last command that wrote it committed."""
    body: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class MemberRow(SQLModel, table=True):
    """Which person each member of a case is: the index the look-back and the one-open-case
    rule read (rebuilt from the journal, compared by the audit)."""

    __tablename__ = "members"
    case_id: str = Field(primary_key=True, max_length=64)
    member_id: str = Field(primary_key=True, max_length=64)
    person_id: str = Field(max_length=64, index=True)


class PersonRow(SQLModel, table=True):
    """A person: `body` is what the journal rebuilds (ids, status, the record's digest);
    `wrapped_key` and `sealed` hold the personal data, encrypted under the person's own key,
    and are nulled on erasure."""

    __tablename__ = "persons"
    person_id: str = Field(primary_key=True, max_length=64)
    office: str = Field(max_length=64, index=True)
    body: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    wrapped_key: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
    sealed: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
    proposed: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))


class PersonIdentifierRow(SQLModel, table=True):
    """An identifier's keyed digest and the person it identifies: once-only identity without
    a clear-text index."""

    __tablename__ = "person_identifiers"
    digest: str = Field(primary_key=True, max_length=64)
    person_id: str = Field(max_length=64, index=True)


class AccessLogRow(SQLModel, table=True):
    """A read of a person's personal data (`people.access_log`): ids and codes only."""

    __tablename__ = "access_log"
    id: int | None = Field(default=None, primary_key=True)
    person_id: str = Field(max_length=64, index=True)
    body: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class GrantRow(SQLModel, table=True):
    __tablename__ = "grants"
    case_id: str = Field(primary_key=True, max_length=64)
    body: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class PackageRow(SQLModel, table=True):
    __tablename__ = "packages"
    __table_args__ = (
        Index("ix_packages_office_status", "office", "status"),
        Index("ix_packages_programme_status", "programme_id", "status"),
    )
    package_id: str = Field(primary_key=True, max_length=64)
    case_id: str = Field(max_length=64, index=True)
    office: str = Field(max_length=64)
    status: str = Field(max_length=16)
    programme_id: str = Field(max_length=64)
    created_at: str | None = Field(default=None, max_length=40, index=True)
    """When the command that made it committed (`store.sql_stamps`)."""
    updated_at: str | None = Field(default=None, max_length=40, index=True)
    """When the last command that wrote it committed."""
    body: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class DisbursementRow(SQLModel, table=True):
    __tablename__ = "disbursements"
    __table_args__ = (
        Index("ix_disbursements_office_status", "office", "status"),
        Index("ix_disbursements_programme_status_channel", "programme_id", "status", "channel"),
    )
    disbursement_id: str = Field(primary_key=True, max_length=64)
    package_id: str = Field(max_length=64, index=True)
    """Empty for a payment of a community project's tranche (`project_id`)."""
    project_id: str | None = Field(default=None, max_length=64, index=True)
    office: str = Field(max_length=64)
    status: str = Field(max_length=16)
    programme_id: str = Field(max_length=64)
    channel: str = Field(max_length=32)
    created_at: str | None = Field(default=None, max_length=40, index=True)
    """When the command that made it committed (`store.sql_stamps`)."""
    updated_at: str | None = Field(default=None, max_length=40, index=True)
    """When the last command that wrote it committed."""
    body: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class UserRow(SQLModel, table=True):
    """An API user: an id (never a name), a role and the offices it works for."""

    __tablename__ = "users"
    user_id: str = Field(primary_key=True, max_length=64)
    role: str = Field(max_length=16)
    offices: str = Field(default="", max_length=1000)
    created_at: str = Field(max_length=40)
    revoked_at: str | None = Field(default=None, max_length=40)


class TokenRow(SQLModel, table=True):
    """A bearer token, stored only as its SHA-256."""

    __tablename__ = "api_tokens"
    token_hash: str = Field(primary_key=True, max_length=64)
    user_id: str = Field(max_length=64, index=True)
    expires_at: str = Field(max_length=40)


class IdempotencyRow(SQLModel, table=True):
    """A POST's stored outcome under its Idempotency-Key, per caller."""

    __tablename__ = "idempotency_keys"
    caller: str = Field(primary_key=True, max_length=64)
    key: str = Field(primary_key=True, max_length=255)
    request_hash: str = Field(max_length=64)
    status: int | None = Field(default=None)
    body: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
    headers: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
    """The response headers replayed with the body (content-type, ETag), as JSON pairs."""
    created_at: str = Field(max_length=40, index=True)
    claim_id: str | None = Field(default=None, max_length=32)
    """Which request holds the key (`reintegrate.idempotency.Stored.claim_id`)."""
    owner: str | None = Field(default=None, max_length=128)
    committed_seq: int | None = Field(default=None)


class BusinessPlanRow(SQLModel, table=True):
    __tablename__ = "business_plans"
    __table_args__ = (Index("ix_business_plans_office_status", "office", "status"),)
    plan_id: str = Field(primary_key=True, max_length=64)
    programme_id: str = Field(max_length=64, index=True)
    office: str = Field(max_length=64)
    status: str = Field(max_length=16)
    created_at: str | None = Field(default=None, max_length=40, index=True)
    """When the command that made it committed (`store.sql_stamps`)."""
    updated_at: str | None = Field(default=None, max_length=40, index=True)
    """When the last command that wrote it committed."""
    body: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class EvidenceFileRow(SQLModel, table=True):
    """An evidence file, named by its SHA-256 (the journal records only the hash)."""

    __tablename__ = "evidence_files"
    file_hash: str = Field(primary_key=True, max_length=64)
    media_type: str = Field(max_length=64)
    size: int
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class CommunityProjectRow(SQLModel, table=True):
    __tablename__ = "community_projects"
    __table_args__ = (Index("ix_community_projects_office_status", "office", "status"),)
    project_id: str = Field(primary_key=True, max_length=64)
    programme_id: str = Field(max_length=64, index=True)
    office: str = Field(max_length=64)
    status: str = Field(max_length=16)
    created_at: str | None = Field(default=None, max_length=40, index=True)
    """When the command that made it committed (`store.sql_stamps`)."""
    updated_at: str | None = Field(default=None, max_length=40, index=True)
    """When the last command that wrote it committed."""
    body: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class CommunityShareRow(SQLModel, table=True):
    """A returnee's per-capita share of a project counted against their caps (a projection
    of the project's `counted`, kept for the entitlement view of each case)."""

    __tablename__ = "community_shares"
    project_id: str = Field(primary_key=True, max_length=64)
    case_id: str = Field(primary_key=True, max_length=64, index=True)
    member_id: str = Field(primary_key=True, max_length=64)
    amount: int = Field(sa_type=BigInteger)


class VerificationRoundRow(SQLModel, table=True):
    """A receipt verification round: the sample drawn, its answers and follow-ups."""

    __tablename__ = "verification_rounds"
    round_id: str = Field(primary_key=True, max_length=64)
    programme_id: str = Field(max_length=64, index=True)
    every_office: bool
    """Drawn from every office's payments: listed only to those who see every office."""
    created_at: str | None = Field(default=None, max_length=40, index=True)
    """When the command that made it committed (`store.sql_stamps`)."""
    updated_at: str | None = Field(default=None, max_length=40, index=True)
    """When the last command that wrote it committed."""
    body: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class VerificationRoundOfficeRow(SQLModel, table=True):
    """An office whose payments a round was drawn from: a round is listed to those who see
    each of its offices (`reconcile.receipts.rounds.visible_to`)."""

    __tablename__ = "verification_round_offices"
    round_id: str = Field(primary_key=True, max_length=64)
    office: str = Field(primary_key=True, max_length=64)


class PaymentBatchRow(SQLModel, table=True):
    __tablename__ = "payment_batches"
    __table_args__ = (
        Index("ix_payment_batches_programme_status_channel", "programme_id", "status", "channel"),
    )
    batch_id: str = Field(primary_key=True, max_length=64)
    programme_id: str = Field(max_length=64, index=True)
    status: str = Field(max_length=16)
    channel: str = Field(max_length=32)
    created_at: str | None = Field(default=None, max_length=40, index=True)
    """When the command that made it committed (`store.sql_stamps`)."""
    updated_at: str | None = Field(default=None, max_length=40, index=True)
    """When the last command that wrote it committed."""
    body: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class BatchItemRow(SQLModel, table=True):
    """A payment in a batch that is not cancelled: at most one such batch per payment."""

    __tablename__ = "batch_items"
    disbursement_id: str = Field(primary_key=True, max_length=64)
    batch_id: str = Field(max_length=64, index=True)
    programme_id: str = Field(max_length=64, index=True)


class StatementImportRow(SQLModel, table=True):
    __tablename__ = "statement_imports"
    import_id: str = Field(primary_key=True, max_length=64)
    programme_id: str = Field(max_length=64, index=True)
    content_hash: str = Field(max_length=64, unique=True)
    created_at: str | None = Field(default=None, max_length=40, index=True)
    """When the command that made it committed (`store.sql_stamps`)."""
    updated_at: str | None = Field(default=None, max_length=40, index=True)
    """When the last command that wrote it committed."""
    body: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class StatementFileRow(SQLModel, table=True):
    """A provider's statement file as received, named by its SHA-256."""

    __tablename__ = "statement_files"
    content_hash: str = Field(primary_key=True, max_length=64)
    size: int = Field(sa_type=BigInteger)
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class ProviderMappingRow(SQLModel, table=True):
    """A provider's CSV column mapping as last saved (the journal keeps every version)."""

    __tablename__ = "provider_mappings"
    provider: str = Field(primary_key=True, max_length=64)
    saved_by: str = Field(max_length=64)
    saved_at: str = Field(max_length=40)
    seq: int = Field(sa_type=BigInteger)
    """The journal entry that saved it."""
    body: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class NoteKeyRow(SQLModel, table=True):
    """Each owner's key for its sealed free text (`reintegrate.notes`), wrapped by the master
    key; the row is overwritten, then deleted, when the owner's texts are erased."""

    __tablename__ = "note_keys"
    owner: str = Field(primary_key=True, max_length=64)
    wrapped_key: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    salt: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class NoteRow(SQLModel, table=True):
    """Free text sealed under its owner's key, found by the note an event keeps."""

    __tablename__ = "notes"
    owner: str = Field(primary_key=True, max_length=64)
    digest: str = Field(primary_key=True, max_length=64)
    sealed: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class CheckpointRow(SQLModel, table=True):
    """A signed checkpoint of the journal's head, as `audit checkpoint` wrote it; its real
    worth is the copy kept outside the database (`reintegrate.checkpoints`)."""

    __tablename__ = "checkpoints"
    id: int | None = Field(default=None, primary_key=True)
    seq: int = Field(sa_type=BigInteger)
    hash: str = Field(max_length=64)
    at: str = Field(max_length=40)
    signature: str = Field(max_length=128)
    public_key: str = Field(max_length=64)


class CaseImportRow(SQLModel, table=True):
    """A caseload file imported (`CasesImported`), by the keyed digest of its bytes: the same
    file is imported once."""

    __tablename__ = "case_imports"
    import_id: str = Field(primary_key=True, max_length=64)
    programme_id: str = Field(max_length=64)
    file_digest: str = Field(max_length=64, unique=True)


from reintegrate.store import tables_surveys  # noqa: E402, F401, I001  (registers its tables too)
from reintegrate.store import tables_webhooks  # noqa: E402, F401  (registers its tables too)
