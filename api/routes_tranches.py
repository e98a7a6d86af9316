"""Routes on the milestones of any grant paid in tranches, made once for business plans and
community projects (`milestone_routes`):

- `POST {grant}/{id}/milestones/{milestone_id}/evidence`: a file as evidence (multipart);
- `POST .../verification`: verify the milestone (never whoever submitted its evidence);
- `POST .../rejection`: reject its pending evidence, for a reason.

Each answers the grant as the step left it, with its ETag; If-Match is honoured.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, Generic

import msgspec
from litestar import Controller, Request, Response, post
from litestar.di import NamedDependency, Provide
from litestar.enums import RequestEncodingType
from litestar.openapi.spec import Encoding, Operation, RequestBody
from litestar.params import Body, JSONBody

from api import schemas as s
from api import schemas_tranches as st
from api.context import IdempotencyKey, IfMatch, PathId, RequestInvalid, actor, now, step, store
from api.problems import UPLOAD_PROBLEMS
from api.security import CASEWORK, allow
from reintegrate import events as ev
from reintegrate.access import Role
from reintegrate.money import parse_amount
from reintegrate.services import tranches
from reintegrate.services.tranches import G, Grants
from reintegrate.services.users import Caller
from reintegrate.texts import Text
from reintegrate.tranches import evidence as files
from reintegrate.tranches.drafting import TrancheIn

if TYPE_CHECKING:
    GrantView = Any
    """The grant's response body; each controller names it in its signature namespace."""

VERIFIERS = (Role.ADMIN, Role.APPROVER, Role.OFFICER)
"""Verify a milestone or reject its evidence (never the one who submitted that evidence)."""
PAYERS = (Role.ADMIN, Role.FINANCE, Role.OFFICER)
"""Release a tranche (then paid as the grant pays: disbursements, or a payment to its payee)."""
EVIDENCE_BODY_LIMIT = files.MAX_BYTES + 64 * 1024
"""The evidence file's own limit plus room for the other parts of the multipart body."""
ACCEPTED_FILES = ", ".join(sorted(files.SIGNATURES))

Step = Callable[[Request[Caller, Any, Any], str, "str | None", Callable[[], G], int], Response[Any]]
"""Run a command on one grant (If-Match checked) and answer the grant it left."""


@dataclass
class UploadOperation(Operation):
    """The upload's OpenAPI operation, stating which media types its `file` part may have."""

    def __post_init__(self) -> None:
        body = self.request_body
        if isinstance(body, RequestBody):
            for media in body.content.values():
                media.encoding = {"file": Encoding(content_type=ACCEPTED_FILES)}


def evidence_amount(data: st.EvidenceUpload) -> tuple[int | None, str | None]:
    """The amount a receipt or an invoice proves, in minor units of its currency."""
    amount, currency = data.amount, data.currency
    if isinstance(amount, msgspec.UnsetType) and isinstance(currency, msgspec.UnsetType):
        return None, None
    if isinstance(amount, msgspec.UnsetType) or isinstance(currency, msgspec.UnsetType):
        missing = "amount" if isinstance(amount, msgspec.UnsetType) else "currency"
        raise RequestInvalid(Text("amount and currency are sent together"), field=missing)
    return parse_amount(amount, currency, field="amount"), currency


def money_sum(money: s.Money, field: str) -> ev.Sum:
    return ev.Sum(
        amount=parse_amount(money.amount, money.currency, field=field), currency=money.currency
    )


def milestone_specs(milestones: Sequence[st.MilestoneIn]) -> tuple[ev.MilestoneSpec, ...]:
    return tuple(
        ev.MilestoneSpec(
            milestone_id=m.milestone_id,
            title=m.title,
            evidence=tuple(m.evidence),
            due_on=m.due_on,
            unlocks=m.unlocks,
        )
        for m in milestones
    )


def tranche_in(n: int, t: st.TrancheIn) -> TrancheIn:
    amount = None if t.amount is None else money_sum(t.amount, f"tranches[{n}].amount.amount")
    return TrancheIn(
        tranche_id=t.tranche_id,
        component_id=t.component_id,
        amount=None if amount is None else amount.amount,
        currency=None if amount is None else amount.currency,
        share=None if t.share is None else Decimal(t.share),
    )


class GrantRoutes(Generic[G]):
    """What the milestone routes of one kind of grant need: where they live, the grants, how
    a step on one is run and answered, and the type of that answer."""

    def __init__(
        self,
        *,
        path: str,
        tag: str,
        id_param: str,
        grant_id: Callable[..., str],
        grants: Grants[G],
        run: Step[G],
        view: type[Any],
    ) -> None:
        self.path, self.tag, self.grants, self.run, self.view = path, tag, grants, run, view
        self.id_param = id_param
        """The path parameter naming the grant (`plan_id`, `project_id`)."""
        self.grant_id = grant_id
        """Takes that path parameter (its only argument, so named) and answers it."""


def milestone_routes(grant: GrantRoutes[G]) -> type[Controller]:
    """The evidence, verification and rejection routes of one kind of grant."""

    class MilestoneController(Controller):
        path = grant.path
        tags = (grant.tag,)
        signature_namespace = {"GrantView": grant.view}  # noqa: RUF012 (litestar's own)
        dependencies = {"grant_id": Provide(grant.grant_id, sync_to_thread=False)}  # noqa: RUF012

        @post(
            f"/{{{grant.id_param}:str}}/milestones/{{milestone_id:str}}/evidence",
            guards=[allow(*CASEWORK)],
            sync_to_thread=True,
            status_code=201,
            responses=UPLOAD_PROBLEMS,
            request_max_body_size=EVIDENCE_BODY_LIMIT,
            operation_class=UploadOperation,
        )
        def submit_evidence(
            self,
            request: Request[Caller, Any, Any],
            *,
            grant_id: NamedDependency[str],
            milestone_id: PathId,
            data: Annotated[st.EvidenceUpload, Body(media_type=RequestEncodingType.MULTI_PART)],
            idempotency_key: IdempotencyKey,
            if_match: IfMatch = None,
        ) -> Response[GrantView]:
            """Upload a file (PDF, JPEG or PNG; the `file` part's Content-Type is its media
            type) as evidence for a milestone that is not verified yet, while the grant takes
            evidence. The file is kept under its SHA-256 and shown only by hash, type and size;
            the same file is never accepted twice. A receipt or an invoice states the `amount`
            it proves and its `currency`."""
            amount, currency = evidence_amount(data)
            file = tranches.EvidenceFile(
                data.file.file.read(), data.file.content_type or "application/octet-stream"
            )
            return grant.run(
                request,
                grant_id,
                if_match,
                lambda: tranches.submit_evidence(
                    store(request),
                    actor(request),
                    now(request),
                    grant.grants.one(grant_id),
                    milestone_id,
                    kind=data.kind,
                    file=file,
                    amount=amount,
                    currency=currency,
                ),
                201,
            )

        @step(f"/{{{grant.id_param}:str}}/milestones/{{milestone_id:str}}/verification", *VERIFIERS)
        def verify_milestone(
            self,
            request: Request[Caller, Any, Any],
            grant_id: NamedDependency[str],
            milestone_id: PathId,
            idempotency_key: IdempotencyKey,
            if_match: IfMatch = None,
        ) -> Response[GrantView]:
            """Verify: its pending evidence is accepted and its tranche may be released.
            Whoever submitted that evidence cannot."""
            return grant.run(
                request,
                grant_id,
                if_match,
                lambda: tranches.verify_milestone(
                    store(request),
                    actor(request),
                    now(request),
                    grant.grants.one(grant_id),
                    milestone_id,
                ),
                200,
            )

        @step(f"/{{{grant.id_param}:str}}/milestones/{{milestone_id:str}}/rejection", *VERIFIERS)
        def reject_evidence(
            self,
            request: Request[Caller, Any, Any],
            *,
            grant_id: NamedDependency[str],
            milestone_id: PathId,
            data: JSONBody[s.ReasonIn],
            idempotency_key: IdempotencyKey,
            if_match: IfMatch = None,
        ) -> Response[GrantView]:
            """Reject the milestone's pending evidence; new evidence must be submitted. Whoever
            submitted that evidence cannot."""
            return grant.run(
                request,
                grant_id,
                if_match,
                lambda: tranches.reject_milestone_evidence(
                    store(request),
                    actor(request),
                    now(request),
                    grant.grants.one(grant_id),
                    milestone_id,
                    reason=data.reason,
                ),
                200,
            )

    MilestoneController.__name__ = f"{grant.tag.title().replace(' ', '')}MilestoneController"
    return MilestoneController
