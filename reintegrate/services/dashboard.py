"""A programme's dashboard: its money from the financial report, its payments over time, and
what became of its returnees (score distributions, follow-ups) from an outcome source.

Read only. Who may ask is the caller's business (the API allows those who may read the
financial report); an actor who works for some offices gets those offices' figures, as the
report gives them.

The outcome sections come from an `OutcomeSource`: surveys and follow-ups are recorded
elsewhere, and a programme without any shows none (`NO_OUTCOMES`), never made-up figures.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Protocol

from reintegrate.access import Scope
from reintegrate.dashboard.build import payments_by_month, spending_by_form, spending_by_line
from reintegrate.dashboard.figures import CompletionBar, Dashboard, ScoreSection
from reintegrate.grants.figures import PaymentFigures
from reintegrate.services.context import Actor, existing_programme
from reintegrate.services.page_links import issue_link
from reintegrate.services.reports import financial_report
from reintegrate.store.base import PackagesPage, Store


class OutcomeSource(Protocol):
    """Where the dashboard's outcome sections come from, scoped like every other query."""

    def score_sections(self, programme_id: str, scope: Scope) -> tuple[ScoreSection, ...]:
        """Score distributions by group (small groups already suppressed)."""
        ...

    def follow_ups(self, programme_id: str, scope: Scope) -> tuple[CompletionBar, ...]:
        """Follow-ups fallen due, done, reached, declined, unreachable and overdue."""
        ...


class NoOutcomes:
    """The source of a store that records no survey answers and no follow-ups: it has none
    to show, so the dashboard says so."""

    def score_sections(self, programme_id: str, scope: Scope) -> tuple[ScoreSection, ...]:
        return ()

    def follow_ups(self, programme_id: str, scope: Scope) -> tuple[CompletionBar, ...]:
        return ()


NO_OUTCOMES = NoOutcomes()


def programme_dashboard(
    store: Store, actor: Actor, programme_id: str, outcomes: OutcomeSource = NO_OUTCOMES
) -> Dashboard:
    """The dashboard of `programme_id` as `actor` may see it (`NotFound` if there is none)."""
    report = financial_report(store, actor, programme_id)
    offices = actor.scope.offices
    with store.consistent_read() as view:
        payments = payments_by_month(_disbursements(view.packages_pages(programme_id)), offices)
    return Dashboard(
        programme_id=report.programme_id,
        name=report.name,
        currency=report.currency,
        as_of_seq=report.as_of_seq,
        offices=report.offices,
        agrees_with_ledger=not report.differences,
        lines=spending_by_line(report),
        forms=spending_by_form(report),
        payments=payments,
        scores=outcomes.score_sections(programme_id, actor.scope),
        follow_ups=outcomes.follow_ups(programme_id, actor.scope),
    )


def _disbursements(pages: Iterator[PackagesPage]) -> Iterator[PaymentFigures]:
    for page in pages:
        yield from page.disbursements


def dashboard_link(
    store: Store, user_id: str, programme_id: str, path: str, now: dt.datetime
) -> tuple[str, dt.datetime]:
    """A link for `user_id` to open `path`, the dashboard of `programme_id` (`NotFound` if
    there is no such programme), and when it expires."""
    with store.reading() as uow:
        existing_programme(uow.programme(programme_id), programme_id)
    return issue_link(store.keyring, user_id, path, now)
