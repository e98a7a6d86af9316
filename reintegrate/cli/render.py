"""Rich renderings for the command line: tables of what the store holds. No rules."""

from __future__ import annotations

from collections import Counter

from rich.markup import escape
from rich.table import Table

from reintegrate.ledger import limit_use
from reintegrate.money import format_minor
from reintegrate.services.audit import AuditReport
from reintegrate.store.base import Snapshot


def outcomes_table(outcomes: Counter[str]) -> Table:
    table = Table("outcome", "count", title="Demo data")
    for name, count in sorted(outcomes.items()):
        table.add_row(name, str(count))
    return table


def budget_table(snapshot: Snapshot) -> Table:
    table = Table("budget line", "currency", "available", "committed", title="Budget lines")
    for code, account in sorted(snapshot.accounts.items()):
        if code.startswith("budget:") and account.used:
            use = limit_use(account, snapshot.balances.__getitem__)
            table.add_row(
                account.label,
                account.currency,
                format_minor(use.available, account.currency),
                format_minor(use.used, account.currency),
            )
    return table


def first_granted_case(snapshot: Snapshot) -> str | None:
    return min(snapshot.grants, default=None)


def audit_summary(report: AuditReport, shown: int = 20) -> str:
    """The verdict, then where each check first fails: the broken link with what was
    expected and found, the seq where replay stopped, the records that differ (the earliest
    divergence first) and the ledger's problems."""
    if report.ok:
        return (
            f"[green]audit verified[/green]: {report.entries} journal entries, chain intact, "
            "replay equal, ledger balanced"
        )
    lines = [f"[red]audit FAILED[/red] over {report.entries} entries"]
    broken = report.chain_break
    if broken is not None:
        lines.append(
            f"  chain breaks at seq {broken.seq} ({broken.field}): {escape(broken.problem)}"
        )
        lines.append(f"    expected {escape(broken.expected)}, found {escape(broken.found)}")
    else:
        lines.append("  chain intact")
    if report.replay_stopped is not None:
        stop = report.replay_stopped
        lines.append(f"  replay stopped at seq {stop.seq}: {escape(stop.problem)}")
    for n, difference in enumerate(report.differences[:shown]):
        label = "first divergence" if n == 0 else "differs"
        lines.append(f"  {label}: {escape(difference.describe())}")
    if report.differences_total > shown:
        lines.append(f"  ... {report.differences_total - shown} more records differ")
    lines += [f"  ledger: {escape(p)}" for p in report.ledger_problems[:shown]]
    lines += [f"  posting: {escape(p.describe())}" for p in report.changed_postings[:shown]]
    lines += [f"  persons: {escape(p)}" for p in report.person_problems[:shown]]
    lines += [f"  free text: {escape(p)}" for p in report.note_problems[:shown]]
    return "\n".join(lines)
