"""The webhook subscriptions and their outbox of deliveries.

A delivery row is written in the transaction that journals its event, one per subscription
that follows the event's type and may see its office (`sql_ledger.append_entries`), so that
an event is delivered if and only if it was committed. Times are milliseconds since the
epoch, UTC: comparisons of integers, alike on SQLite and PostgreSQL.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Index, LargeBinary
from sqlmodel import Field, SQLModel


class WebhookSubscriptionRow(SQLModel, table=True):
    __tablename__ = "webhook_subscriptions"
    subscription_id: str = Field(primary_key=True, max_length=64)
    url: str = Field(max_length=2000)
    types: str = Field(max_length=4000)
    """The event types followed, as ",A,B," (matched with LIKE by the outbox's insert)."""
    office: str | None = Field(default=None, max_length=64, index=True)
    """The office whose events it receives; None: every office (an admin's)."""
    created_by: str = Field(max_length=64)
    created_at: str = Field(max_length=40)
    secret: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    """The signing secret, sealed under `secret_key` (plain in a subscription made before
    secrets were sealed, until `reintegrate keys rotate` seals it)."""
    secret_key: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
    """The data key that sealed `secret`, wrapped by a master key (as a person's is)."""


class WebhookDeliveryRow(SQLModel, table=True):
    __tablename__ = "webhook_deliveries"
    __table_args__ = (Index("ix_webhook_deliveries_due", "state", "due_ms"),)
    id: int | None = Field(default=None, primary_key=True)
    subscription_id: str = Field(max_length=64, index=True)
    seq: int = Field(sa_type=BigInteger)
    state: str = Field(default="pending", max_length=16)
    """pending, delivered or abandoned (24 hours of attempts failed)."""
    attempts: int = Field(default=0)
    due_ms: int = Field(default=0, sa_type=BigInteger)
    """When it is next to be tried (0: at once)."""
    first_ms: int | None = Field(default=None, sa_type=BigInteger)
    """When it was first tried: retries stop 24 hours after."""
    leased_until_ms: int | None = Field(default=None, sa_type=BigInteger)
    claim: str | None = Field(default=None, max_length=40)
    """Which deliverer holds it until `leased_until_ms`."""
    last_status: int | None = Field(default=None)
    """The HTTP status of the last attempt (None: no answer); never the response's body."""
    delivered_ms: int | None = Field(default=None, sa_type=BigInteger)
