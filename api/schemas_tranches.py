"""Request and response bodies shared by every grant paid in tranches (business plans and
community projects): budget items, milestones, tranches, and evidence as uploaded and shown.

Money is `{"amount": "1500.00", "currency": "EUR"}`, as everywhere in this API. Evidence is
shown by its hash, media type and size, never its content.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import msgspec
from litestar.datastructures import UploadFile

from api.schemas import (
    AmountText,
    CurrencyCode,
    FxRateView,
    Id,
    In,
    Label,
    Money,
    MoneyOut,
    Out,
)
from reintegrate.events import EvidenceKind
from reintegrate.kinds import Form
from reintegrate.tranches.milestones import EvidenceStatus

ShareText = Annotated[
    str,
    msgspec.Meta(
        min_length=1, max_length=8, pattern=r"^(0(\.\d{1,6})?|1(\.0{1,6})?)$", examples=["0.6"]
    ),
]
"""A share of a grant part, from 0 to 1 with at most six decimals."""


class ItemIn(In, frozen=True, kw_only=True, forbid_unknown_fields=True):
    item: Label
    form: Form
    amount: Money
    supplier: Label | None = None
    """Who is paid for an in-kind item (a cash item names none)."""


class MilestoneIn(In, frozen=True, kw_only=True, forbid_unknown_fields=True):
    milestone_id: Id
    title: Label
    evidence: Annotated[list[EvidenceKind], msgspec.Meta(min_length=1, max_length=10)]
    due_on: dt.date
    unlocks: Id | None = None
    """The tranche this milestone unlocks once verified."""


class TrancheIn(In, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A tranche of one grant part (`cash`, `kind-1`...): an amount in the programme's
    currency, or a share of the part (all tranches of a part the same way)."""

    tranche_id: Id
    component_id: Id
    amount: Money | None = None
    share: ShareText | None = None


class EvidenceUpload(In, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """multipart/form-data: the file (PDF, JPEG or PNG, its part's Content-Type its media
    type), its kind, and for a receipt or an invoice the amount it proves with its currency."""

    file: UploadFile
    kind: EvidenceKind
    amount: AmountText | msgspec.UnsetType = msgspec.UNSET
    currency: CurrencyCode | msgspec.UnsetType = msgspec.UNSET
    """(A form has no null: a field left out is unset.)"""


class ItemView(Out, frozen=True, kw_only=True):
    item: str
    form: Form
    amount: MoneyOut
    programme_amount: MoneyOut
    rate: FxRateView | None
    supplier: str | None


class GrantComponentView(Out, frozen=True, kw_only=True):
    component_id: str
    form: Form
    amount: MoneyOut
    supplier: str | None


class EvidenceView(Out, frozen=True, kw_only=True):
    evidence_id: str
    kind: EvidenceKind
    file_hash: str
    media_type: str
    size: int
    amount: MoneyOut | None
    status: EvidenceStatus
    submitted_by: str
    submitted_on: dt.date
    reason: str | None


class MilestoneView(Out, frozen=True, kw_only=True):
    milestone_id: str
    title: str
    required: list[EvidenceKind]
    due_on: dt.date
    unlocks: str | None
    evidence: list[EvidenceView]
    verified_by: str | None
    verified_on: dt.date | None
