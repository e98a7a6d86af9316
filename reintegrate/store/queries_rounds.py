"""Receipt verification rounds page by page, on the reader engine: a round is listed to whoever
sees every office its population came from (`reconcile.receipts.rounds.visible_to`), decided
in the SQL itself from the offices it is filed under (`sql_verification.keep_round_offices`)."""

from __future__ import annotations

from sqlalchemy import ColumnElement, Engine, and_, exists, select

from reintegrate.access import Scope
from reintegrate.reconcile.receipts.rounds import VerificationRound
from reintegrate.store.listing import ListFilters, Listing
from reintegrate.store.sql_verification import ROUND_OFFICES, ROUNDS


class RoundListing(Listing[VerificationRound]):
    """Rounds by id, narrowed by `ListFilters` (programme, times) and the caller's offices."""

    def __init__(self, engine: Engine) -> None:
        super().__init__(engine, ROUNDS, "round_id", VerificationRound, programme_wide=True)

    def conditions(self, scope: Scope, filters: ListFilters) -> list[ColumnElement[bool]]:
        found = super().conditions(scope, filters)
        if scope.offices is not None:
            elsewhere = and_(
                ROUND_OFFICES.c.round_id == ROUNDS.c.round_id,
                ROUND_OFFICES.c.office.not_in(sorted(scope.offices)),
            )
            found.append(ROUNDS.c.every_office.is_(False))
            found.append(~exists(select(ROUND_OFFICES.c.round_id).where(elsewhere)))
        return found
