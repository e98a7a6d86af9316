"""Receipt verification rounds for the API tests: request bodies, and the rounds of the world.

Both rounds are drawn by the dakar approver from the programme's paid disbursements in
dakar (the business plans' paid tranches), at 95 % and 5 points: small populations are drawn
whole. The officer records answers; finance confirmed those payments, so four eyes let the
officer answer and keep finance out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tests.api.plans import Post

DRAW = {"confidence": "0.95", "margin": "0.05", "seed": 11}
PROVIDER_CLAIM = {"resolution": "provider_claim", "reason": "the agent never paid out"}


def rounds_path(programme: str, round_id: str | None = None) -> str:
    base = f"/programmes/{programme}/receipt-verifications"
    return base if round_id is None else f"{base}/{round_id}"


def answer_body(disbursement_id: str, answer: str = "received", **more: Any) -> dict[str, Any]:
    return {"disbursement_id": disbursement_id, "answer": answer, **more}


@dataclass(frozen=True)
class RoundIds:
    open_round: str
    """Nothing answered yet."""
    sampled_disbursement: str
    """The first disbursement `open_round` drew."""
    followed_round: str
    """Its first disbursement answered not_received by the officer: follow-up fu1 is open."""


def build_rounds(post: Post, programme: str) -> RoundIds:
    opened = post("approver", rounds_path(programme), DRAW)
    followed = post("approver", rounds_path(programme), DRAW)
    missing = followed["drawn"][0]["disbursement_id"]
    path = f"{rounds_path(programme, followed['round_id'])}/answers"
    answered = post("officer", path, answer_body(missing, "not_received"))
    assert [f["follow_up_id"] for f in answered["follow_ups"]] == ["fu1"]
    return RoundIds(
        open_round=opened["round_id"],
        sampled_disbursement=opened["drawn"][0]["disbursement_id"],
        followed_round=followed["round_id"],
    )
