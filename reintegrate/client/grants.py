"""The steps of a grant paid in tranches, a business plan or a community project, laid out
alike by the server's one route factory (api/routes_tranches.py): their requests are built
here for both kinds of grant."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from reintegrate.client.calls import Call, IfMatch, Upload, post, upload
from reintegrate.events import EvidenceKind

V = TypeVar("V")


@dataclass(frozen=True)
class Grant(Generic[V]):
    """One kind of grant: the path of one (`/business-plans/{plan_id}`) and its view."""

    path: str
    answer: type[V]

    def step(
        self, action: str, body: object = None, tag: IfMatch = None, **named: object
    ) -> Call[V]:
        """A POST under the grant (`action` its sub-path, with the `{names}` of `named` in
        it), answered with the grant."""
        return post(f"{self.path}/{action}", self.answer, body, tag=tag, **named)

    def evidence(
        self,
        file: Upload,
        kind: EvidenceKind,
        amount: str | None,
        currency: str | None,
        tag: IfMatch,
        **named: object,
    ) -> Call[V]:
        """Evidence of a milestone: a PDF, JPEG or PNG `file`, its `kind`, and for a receipt
        or an invoice the `amount` it proves with its `currency`."""
        form = {"kind": kind.value, "amount": amount, "currency": currency}
        path = self.path + "/milestones/{milestone_id}/evidence"
        return upload(path, self.answer, {"file": file}, form, tag=tag, **named)
