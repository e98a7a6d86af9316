"""/programmes/{programme_id}/receipt-verifications: draw a round of paid disbursements to
verify, list the rounds and read one, record beneficiaries' answers, close the follow-ups
they open."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.params import JSONBody

from api import schemas_verification as sv
from api.context import (
    Cursor,
    IdempotencyKey,
    IfMatch,
    Limit,
    PathId,
    actor,
    checked_step,
    etag,
    now,
    queries,
    serialized,
    step,
    store,
)
from api.listing import CreatedSince, UpdatedSince, after, filters, next_cursor
from api.problems import CREATE_PROBLEMS, READ_PROBLEMS, STEP_PROBLEMS
from api.security import EVERY_ROLE, allow
from reintegrate.access import Role
from reintegrate.money import parse_amount
from reintegrate.reconcile.receipts.rounds import VerificationRound
from reintegrate.services import verification as vs
from reintegrate.services.context import existing_programme
from reintegrate.services.notes import read_opened
from reintegrate.services.users import Caller

DRAWERS = (Role.ADMIN, Role.APPROVER)
"""Draw rounds."""
ANSWER_TAKERS = (Role.ADMIN, Role.OFFICER)
"""Record what beneficiaries answer."""
FOLLOW_UP_CLOSERS = (Role.ADMIN, Role.APPROVER, Role.FINANCE)
"""Close follow-ups (four eyes: not whoever recorded the answer that opened one)."""


def round_answer(
    request: Request[Any, Any, Any], found: VerificationRound, status: int = 200
) -> Response[sv.VerificationRoundView]:
    """`found` as a command left it (or as read), with its ETag."""
    tag = etag("receipt-verification", found.round_id, found.version)
    return Response(
        sv.round_view(read_opened(store(request), found)), status_code=status, headers={"ETag": tag}
    )


def _read(
    request: Request[Caller, Any, Any], programme_id: str, round_id: str
) -> VerificationRound:
    """The round as last committed (a read transaction: no write lock)."""
    with store(request).reading() as uow:
        return vs.load_round(uow.rounds, round_id, actor(request), programme_id)


def round_step(
    request: Request[Caller, Any, Any],
    programme_id: str,
    round_id: str,
    if_match: str | None,
    command: Callable[[], VerificationRound],
    *,
    status: int = 200,
) -> Response[sv.VerificationRoundView]:
    """Run a step on the round (If-Match checked); answer the round it left."""

    def current() -> str:
        seen = _read(request, programme_id, round_id)
        return etag("receipt-verification", seen.round_id, seen.version)

    return round_answer(request, checked_step(request, if_match, current, command), status)


class ReceiptVerificationController(Controller):
    path = "/programmes/{programme_id:str}/receipt-verifications"
    tags = ("receipt verification",)

    @post(
        "/",
        guards=[allow(*DRAWERS)],
        sync_to_thread=True,
        status_code=201,
        responses=CREATE_PROBLEMS,
    )
    def draw_verification_round(
        self,
        request: Request[Caller, Any, Any],
        programme_id: PathId,
        data: JSONBody[sv.RoundCreate],
        idempotency_key: IdempotencyKey,
    ) -> Response[sv.VerificationRoundView]:
        """Draw a random sample of the programme's paid disbursements in the caller's offices,
        sized by the confidence level and the margin of error; the seed is shown, so the same
        population and seed draw the same sample again."""
        with serialized(request):
            found = vs.draw_round(
                store(request),
                actor(request),
                now(request),
                programme_id,
                confidence=Decimal(data.confidence),
                margin=Decimal(data.margin),
                seed=data.seed,
                expected_proportion=Decimal(data.expected_proportion),
            )
        return round_answer(request, found, 201)

    @get("/", guards=[allow(*EVERY_ROLE)], sync_to_thread=True, responses=READ_PROBLEMS)
    def list_verification_rounds(
        self,
        request: Request[Caller, Any, Any],
        programme_id: PathId,
        *,
        cursor: Cursor,
        created_since: CreatedSince,
        updated_since: UpdatedSince,
        limit: Limit = 50,
    ) -> sv.VerificationRoundPage:
        """The programme's receipt-verification rounds that the caller sees (those drawn from
        offices the caller all works for; every round for auditors and admins), by id,
        narrowed by the filters given: `updated_since` also keeps a round drawn before whose
        answers or follow-ups changed since."""
        given = filters(
            programme_id=programme_id, created_since=created_since, updated_since=updated_since
        )
        existing_programme(queries(request).programme(programme_id), programme_id)
        found = queries(request).rounds.page(
            actor(request).scope, after(cursor, given), limit + 1, given
        )
        return sv.VerificationRoundPage(
            items=[sv.round_view(r) for r in read_opened(store(request), found[:limit])],
            next_cursor=next_cursor(found, limit, given, lambda r: r.round_id),
        )

    @get(
        "/{round_id:str}", guards=[allow(*EVERY_ROLE)], sync_to_thread=True, responses=READ_PROBLEMS
    )
    def get_round(
        self, request: Request[Caller, Any, Any], programme_id: PathId, round_id: PathId
    ) -> Response[sv.VerificationRoundView]:
        """One receipt-verification round: the payments drawn, the answers recorded and the
        follow-ups."""
        return round_answer(request, _read(request, programme_id, round_id))

    @post(
        "/{round_id:str}/answers",
        guards=[allow(*ANSWER_TAKERS)],
        sync_to_thread=True,
        status_code=201,
        responses=STEP_PROBLEMS,
    )
    def record_answer(
        self,
        request: Request[Caller, Any, Any],
        *,
        programme_id: PathId,
        round_id: PathId,
        data: JSONBody[sv.AnswerIn],
        idempotency_key: IdempotencyKey,
        if_match: IfMatch = None,
    ) -> Response[sv.VerificationRoundView]:
        """Record a beneficiary's answer about one drawn disbursement; not_received, or an
        amount below what was paid, opens a follow-up."""
        money = data.amount
        amount = None
        if money is not None:
            amount = parse_amount(money.amount, money.currency, field="amount.amount")
        return round_step(
            request,
            programme_id,
            round_id,
            if_match,
            lambda: vs.record_answer(
                store(request),
                actor(request),
                now(request),
                round_id,
                disbursement_id=data.disbursement_id,
                answer=data.answer,
                amount=amount,
                currency=None if money is None else money.currency,
                note=data.note,
                programme_id=programme_id,
            ),
            status=201,
        )

    @step("/{round_id:str}/follow-ups/{follow_up_id:str}/closure", *FOLLOW_UP_CLOSERS)
    def close_follow_up(
        self,
        request: Request[Caller, Any, Any],
        *,
        programme_id: PathId,
        round_id: PathId,
        follow_up_id: PathId,
        data: JSONBody[sv.ClosureIn],
        idempotency_key: IdempotencyKey,
        if_match: IfMatch = None,
    ) -> Response[sv.VerificationRoundView]:
        """Close a follow-up with its resolution and the reason."""
        return round_step(
            request,
            programme_id,
            round_id,
            if_match,
            lambda: vs.close_follow_up(
                store(request),
                actor(request),
                now(request),
                round_id,
                follow_up_id,
                resolution=data.resolution,
                reason=data.reason,
                programme_id=programme_id,
            ),
        )
