"""The evidence as a document: what the API answers and the exports are written from.

Scores and rates leave as decimal strings, never floats; there is no person, case or
response identifier in it, only groups and their figures.
"""

from __future__ import annotations

from decimal import Decimal

import msgspec

from reintegrate.outcomes.evidence import Evidence, GroupFigures
from reintegrate.outcomes.quartiles import Quantile, Summary


class QuantileDocument(msgspec.Struct, frozen=True, kw_only=True):
    value: str
    exact: bool
    """False when the value is read from an erased person's score known only by its bucket."""


class SummaryDocument(msgspec.Struct, frozen=True, kw_only=True):
    n: int
    """Responses scored."""
    q1: QuantileDocument
    median: QuantileDocument
    q3: QuantileDocument


class GroupDocument(msgspec.Struct, frozen=True, kw_only=True):
    group: str
    suppressed: bool
    """True when the group is under the minimum size (possibly empty): nothing else is said."""
    returned_again: int | None = None
    """Responses of the group whose person returned again (of `composite.n`)."""
    returned_again_rate: str | None = None
    composite: SummaryDocument | None = None
    dimensions: dict[str, SummaryDocument | None] | None = None


class OutcomesDocument(msgspec.Struct, frozen=True, kw_only=True):
    programme_id: str
    by: str
    country: str | None
    cohort_from: str | None
    cohort_to: str | None
    offices: list[str] | None
    """The caller's offices whose responses are counted; None for every office."""
    minimum_group: int
    groups: list[GroupDocument]


def text(value: Decimal) -> str:
    return format(value, "f")


def quantile_document(q: Quantile) -> QuantileDocument:
    return QuantileDocument(value=text(q.value), exact=q.exact)


def summary_document(s: Summary | None) -> SummaryDocument | None:
    if s is None:
        return None
    return SummaryDocument(
        n=s.n,
        q1=quantile_document(s.q1),
        median=quantile_document(s.median),
        q3=quantile_document(s.q3),
    )


def group_document(g: GroupFigures) -> GroupDocument:
    if g.suppressed:
        return GroupDocument(group=g.group, suppressed=True)
    rate = g.returned_again_rate
    return GroupDocument(
        group=g.group,
        suppressed=False,
        returned_again=g.returned_again,
        returned_again_rate=None if rate is None else text(rate),
        composite=summary_document(g.composite),
        dimensions={d: summary_document(s) for d, s in (g.dimensions or {}).items()},
    )


def document(programme_id: str, found: Evidence) -> OutcomesDocument:
    q = found.query
    return OutcomesDocument(
        programme_id=programme_id,
        by=q.axis.value,
        country=q.country,
        cohort_from=q.cohort_from,
        cohort_to=q.cohort_to,
        offices=None if q.offices is None else sorted(q.offices),
        minimum_group=found.minimum,
        groups=[group_document(g) for g in found.groups],
    )
