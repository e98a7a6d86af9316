"""Payment stages: what a case may be paid by a day, in all and in cash, for the household
and for each person.

Each line of an entitlement belongs to a stage, and a stage opens some months after the
return. By a day, the stages opened so far allow:
- the household: the sum of their lines within the household cap (the cap cuts the latest
  stages first), plus the top-ups granted; in cash, the cash parts of those lines (each
  stage's within what the stage keeps), within the cash ceiling;
- each person: the sum of their own lines (the household add-ons for the principal, their
  top-ups as granted, earliest stages first), within their total; in cash, the cash parts of
  those lines, within their cash limit.
So a line whose cash part is 0 adds nothing to what may be paid in cash, by anyone, at any
stage: cash is never drawn on an in-kind line, nor paid before its own line's stage opens.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

import msgspec


class Opening(Protocol):
    @property
    def opens_on(self) -> dt.date: ...
    @property
    def cumulative(self) -> int: ...


def opened_by(stages: Iterable[Opening], day: dt.date) -> int:
    """What the payment stages opened by `day` allow in all (0 before the first opens)."""
    return max((s.cumulative for s in stages if s.opens_on <= day), default=0)


class CashOpening(Opening, Protocol):
    @property
    def cash_cumulative(self) -> int | None: ...


def cash_opened_by(stages: Iterable[CashOpening], day: dt.date) -> int | None:
    """What the stages opened by `day` allow in cash in all; None for stages granted before
    cash was limited per stage."""
    opened = [s.cash_cumulative for s in stages if s.opens_on <= day]
    if any(c is None for c in opened):
        return None
    return max((c for c in opened if c is not None), default=0)


class PersonOpening(Protocol):
    @property
    def opens_on(self) -> dt.date: ...
    @property
    def persons(self) -> dict[str, int] | None: ...
    @property
    def persons_cash(self) -> dict[str, int] | None: ...


def person_opened_by(
    stages: Iterable[PersonOpening], member_id: str, day: dt.date
) -> tuple[int, int] | None:
    """What the stages opened by `day` allow one person, in all and in cash; None for stages
    granted before they were limited per person."""
    opened = list(stages)
    if any(s.persons is None or s.persons_cash is None for s in opened):
        return None
    now = [s for s in opened if s.opens_on <= day]
    return (
        max(((s.persons or {}).get(member_id, 0) for s in now), default=0),
        max(((s.persons_cash or {}).get(member_id, 0) for s in now), default=0),
    )


class StageAmount(msgspec.Struct, frozen=True, kw_only=True):
    stage: str
    opens_on: dt.date
    amount: int
    cumulative: int
    cash: int = 0
    """Of `amount`, what may be paid in cash: the cash parts of the stage's lines (within
    `amount`, when the household cap cut the stage)."""
    cash_cumulative: int = 0
    """Cash this stage and the earlier ones open in all (the sum of their `cash`), within the
    case's cash ceiling: cash is never paid early on a later stage's cash line, nor on an
    earlier stage's in-kind lines."""
    persons: dict[str, int] = msgspec.field(default_factory=dict)
    """What this stage and the earlier ones open for each member, within their total."""
    persons_cash: dict[str, int] = msgspec.field(default_factory=dict)
    """Of that, what may be paid to each member in cash, within their cash limit."""


class StagedLine(Protocol):
    @property
    def amount(self) -> int: ...
    @property
    def cash(self) -> int: ...
    @property
    def stage(self) -> str: ...


@dataclass(frozen=True)
class PersonLines:
    """One person's lines as the stages see them."""

    member_id: str
    lines: Sequence[StagedLine]
    """Their own lines, and the household add-ons for the principal."""
    top_ups: Sequence[StagedLine]
    top_ups_granted: int
    total: int
    cash: int


@dataclass
class _ByStage:
    base: dict[str, int]
    top_ups: dict[str, int]
    cash: dict[str, int]


def _by_stage(person: PersonLines, order: dict[str, int]) -> _ByStage:
    """The person's amounts and cash parts per stage; top-ups as granted, earliest first."""
    found = _ByStage(defaultdict(int), defaultdict(int), defaultdict(int))
    for line in person.lines:
        found.base[line.stage] += line.amount
        found.cash[line.stage] += min(line.cash, line.amount)
    left = person.top_ups_granted
    for line in sorted(person.top_ups, key=lambda x: order[x.stage]):
        part = min(line.amount, left)
        found.top_ups[line.stage] += part
        found.cash[line.stage] += min(line.cash, part)
        left -= part
    return found


def stage_amounts(
    stages: Sequence[tuple[str, dt.date]],
    persons: Sequence[PersonLines],
    *,
    capped: int,
    cash_ceiling: int,
) -> tuple[StageAmount, ...]:
    """What each stage (name, opening day, in the order they open) opens for the household
    and for each person, in all and in cash (see the module's description)."""
    order = {name: i for i, (name, _) in enumerate(stages)}
    each = {p.member_id: _by_stage(p, order) for p in persons}
    result: list[StageAmount] = []
    base_left, cumulative, cash_cumulative = capped, 0, 0
    mine: dict[str, int] = defaultdict(int)
    mine_cash: dict[str, int] = defaultdict(int)
    for name, opens_on in stages:
        from_base = min(sum(b.base[name] for b in each.values()), base_left)
        base_left -= from_base
        amount = from_base + sum(b.top_ups[name] for b in each.values())
        cumulative += amount
        cash = min(sum(b.cash[name] for b in each.values()), amount)
        cash_cumulative += cash
        for p in persons:
            mine[p.member_id] += each[p.member_id].base[name] + each[p.member_id].top_ups[name]
            mine_cash[p.member_id] += each[p.member_id].cash[name]
        result.append(
            StageAmount(
                stage=name,
                opens_on=opens_on,
                amount=amount,
                cumulative=cumulative,
                cash=cash,
                cash_cumulative=min(cash_cumulative, cash_ceiling),
                persons={p.member_id: min(mine[p.member_id], p.total) for p in persons},
                persons_cash={p.member_id: min(mine_cash[p.member_id], p.cash) for p in persons},
            )
        )
    return tuple(result)
