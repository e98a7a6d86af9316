"""Rich renderings for the command line: tables of what the store holds. No rules."""

from __future__ import annotations

from collections import Counter

from rich.table import Table

from reintegrate.cli.common import said, writing
from reintegrate.ledger import limit_use
from reintegrate.money import amount_text
from reintegrate.services.audit import AuditReport
from reintegrate.services.recording_ledger import words_of
from reintegrate.store.base import Snapshot
from reintegrate.texts import Text


def outcomes_table(outcomes: Counter[Text]) -> Table:
    """How many of each outcome the demo had, in the command's language and its order."""
    table = Table(said(Text("outcome")), said(Text("count")), title=said(Text("Demo data")))
    rows = sorted((said(outcome), count) for outcome, count in outcomes.items())
    for name, count in rows:
        table.add_row(name, str(count))
    return table


def budget_table(snapshot: Snapshot) -> Table:
    headings = (Text("budget line"), Text("currency"), Text("available"), Text("committed"))
    table = Table(*(said(h) for h in headings), title=said(Text("Budget lines")))
    for code, account in sorted(snapshot.accounts.items()):
        if code.startswith("budget:") and account.used:
            use = limit_use(account, snapshot.balances.__getitem__)
            table.add_row(
                said(words_of(account)),
                account.currency,
                writing().figure(amount_text(use.available, account.currency)),
                writing().figure(amount_text(use.used, account.currency)),
            )
    return table


def first_granted_case(snapshot: Snapshot) -> str | None:
    return min(snapshot.grants, default=None)


def audit_summary(report: AuditReport, shown: int = 20) -> str:
    """The verdict, then where each check first fails: the broken link with what was
    expected and found, the seq where replay stopped, the records that differ (the earliest
    divergence first) and the ledger's problems."""
    if report.ok:
        verified = Text(
            "audit verified: {entries} journal entries, chain intact, replay equal, "
            "ledger balanced",
            entries=report.entries,
        )
        return f"[green]{said(verified)}[/green]"
    failed = Text("audit FAILED over {entries} entries", entries=report.entries)
    lines = [f"[red]{said(failed)}[/red]"]
    broken = report.chain_break
    if broken is not None:
        breaks = Text(
            "chain breaks at seq {seq} ({field}): {problem}",
            seq=broken.seq,
            field=broken.field,
            problem=broken.problem,
        )
        found = Text(
            "expected {expected}, found {found}", expected=broken.expected, found=broken.found
        )
        lines += [f"  {said(breaks)}", f"    {said(found)}"]
    else:
        lines.append(f"  {said(Text('chain intact'))}")
    if report.replay_stopped is not None:
        stop = report.replay_stopped
        stopped = Text("replay stopped at seq {seq}: {problem}", seq=stop.seq, problem=stop.problem)
        lines.append(f"  {said(stopped)}")
    for n, difference in enumerate(report.differences[:shown]):
        record = difference.describe()
        line = (
            Text("first divergence: {record}", record=record)
            if n == 0
            else Text("differs: {record}", record=record)
        )
        lines.append(f"  {said(line)}")
    if report.differences_total > shown:
        more = Text("... {count} more records differ", count=report.differences_total - shown)
        lines.append(f"  {said(more)}")
    lines += [
        f"  {said(Text('ledger: {problem}', problem=p))}" for p in report.ledger_problems[:shown]
    ]
    lines += [
        f"  {said(Text('posting: {problem}', problem=p.describe()))}"
        for p in report.changed_postings[:shown]
    ]
    lines += [
        f"  {said(Text('persons: {problem}', problem=p))}" for p in report.person_problems[:shown]
    ]
    lines += [
        f"  {said(Text('free text: {problem}', problem=p))}" for p in report.note_problems[:shown]
    ]
    return "\n".join(lines)
