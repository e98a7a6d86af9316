"""What is used and left of a granted case's limits, per person and per payment stage.

A person's limits are drawn when packages are approved: `used` is what approved packages
take of the person's total and, of that, of their cash limit. What is left of the total may
be paid in kind; cash only within what is left of the cash limit too.

A stage's limits are drawn by payments (asked or paid, in the programme currency), earliest
stage first: a payment counts against the first stage with something left, as the stages
open in order and each check is on what the stages opened so far allow.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import msgspec

from reintegrate import events as ev
from reintegrate.grants.disbursements import Requested


class PersonUse(msgspec.Struct, frozen=True, kw_only=True):
    member_id: str
    total: int
    used: int
    cash: int | None
    """The person's cash limit; None in grants made before cash was limited per person."""
    cash_used: int

    @property
    def left(self) -> int:
        """What is left of the total: all of it may still be paid in kind."""
        return self.total - self.used

    @property
    def cash_left(self) -> int | None:
        """What may still be paid in cash: left of the cash limit, within what is left."""
        return None if self.cash is None else min(self.cash - self.cash_used, self.left)

    @property
    def in_kind_used(self) -> int:
        return self.used - self.cash_used


class StageUse(msgspec.Struct, frozen=True, kw_only=True):
    stage: str
    opens_on: dt.date
    opened: bool
    amount: int
    used: int
    cash: int | None
    """What the stage adds in cash; None in grants made before cash was limited per stage."""
    cash_used: int

    @property
    def left(self) -> int:
        return self.amount - self.used

    @property
    def cash_left(self) -> int | None:
        return None if self.cash is None else self.cash - self.cash_used


def stage_uses(
    stages: Sequence[ev.GrantStage], requested: Requested, day: dt.date
) -> tuple[StageUse, ...]:
    """Each granted stage with what the case's payments use of it, earliest stage first."""
    uses: list[StageUse] = []
    previous, previous_cash = 0, 0
    total_left, cash_left = requested.total, requested.cash
    for s in stages:
        amount = s.cumulative - previous
        used = min(amount, total_left)
        total_left -= used
        cash: int | None = None
        cash_used = 0
        if s.cash_cumulative is not None:
            cash = s.cash_cumulative - previous_cash
            cash_used = min(cash, cash_left)
            cash_left -= cash_used
            previous_cash = s.cash_cumulative
        previous = s.cumulative
        uses.append(
            StageUse(
                stage=s.stage,
                opens_on=s.opens_on,
                opened=s.opens_on <= day,
                amount=amount,
                used=used,
                cash=cash,
                cash_used=cash_used,
            )
        )
    return tuple(uses)
