"""`reintegrate batch`, `reintegrate statement import` and `reintegrate reconcile`: what an
auditor or finance officer runs to send payments to a provider and reconcile its statement."""

from __future__ import annotations

import datetime as dt
import enum
import gc
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from reintegrate import events as ev
from reintegrate.access import EXPORTS_PAYMENT_FILES, FINANCE_STEPS
from reintegrate.adapters import reconciliation_report as report
from reintegrate.adapters.batch_files import FORMATS
from reintegrate.cli.common import (
    ActorOption,
    DatabaseOption,
    acting,
    console,
    open_store,
    progress_shown,
    said,
    say,
    writing,
)
from reintegrate.cli.common import run as _run
from reintegrate.cli.statement import (
    EncodingOption,
    StatementFormat,
    read_file,
    read_mapping,
    statement_app,
)
from reintegrate.demo.provider import provider_statement
from reintegrate.grants.disbursements import Channel
from reintegrate.money import amount_text, format_minor
from reintegrate.reconcile.matching.match import DEFAULT_WINDOW_DAYS
from reintegrate.reconcile.matching.outcomes import Outcome, Reconciliation
from reintegrate.reconcile.statements.lines import discrepancy_text
from reintegrate.services import reconciliation as rs
from reintegrate.texts import Text

batch_app = typer.Typer(no_args_is_help=True, help="Payment batches sent to providers.")
reconcile_app = typer.Typer(no_args_is_help=True, help="Statements matched against payments.")
out = console()
err = console(stderr=True)


class ReportFormat(enum.StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"
    XLSX = "xlsx"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _write(content: bytes, output: Path | None) -> None:
    if output is None:
        sys.stdout.buffer.write(content)
        sys.stdout.flush()
    else:
        output.write_bytes(content)
        say(err, Text("wrote {file} ({size} bytes)", file=str(output), size=len(content)))


@batch_app.command("create")
def batch_create(
    programme: str,
    provider: Annotated[Channel, typer.Option(help="how the provider pays")],
    currency: Annotated[str, typer.Option(help="ISO 4217 code of the payments")],
    user: ActorOption = None,
    database: DatabaseOption = None,
) -> None:
    """Batch the programme's approved payments by PROVIDER in CURRENCY not batched yet."""
    store = open_store(database, existing=True)
    who = acting(store, user, FINANCE_STEPS)
    batch = _run(
        lambda: rs.make_batch(
            store,
            who,
            _now(),
            programme_id=programme,
            provider=provider,
            currency=currency.upper(),
        )
    )
    made = Text(
        "batch {batch}: {count} payments, {total}",
        batch=batch.batch_id,
        count=batch.count,
        total=amount_text(batch.total, batch.currency),
    )
    say(out, made)


@batch_app.command("export")
def batch_export(
    batch_id: str,
    *,
    user: ActorOption = None,
    format_: Annotated[str, typer.Option("--format", help=f"one of {', '.join(FORMATS)}")] = "csv",
    output: Annotated[Path | None, typer.Option(help="file to write; stdout if not given")] = None,
    debtor: Annotated[str, typer.Option(help="the paying organisation's name (pain.001)")] = "",
    debtor_iban: Annotated[
        str | None, typer.Option(help="the paying organisation's IBAN (pain.001)")
    ] = None,
    debtor_bic: Annotated[
        str | None, typer.Option(help="the paying organisation's bank's BIC (pain.001)")
    ] = None,
    database: DatabaseOption = None,
) -> None:
    """Write the batch's file for the provider, naming the people paid with their payout
    instruments; every export is recorded with who made it and the file's hash."""
    store = open_store(database, existing=True)
    who = acting(store, user, EXPORTS_PAYMENT_FILES)
    if format_ not in FORMATS:
        unknown = Text(
            "unknown format {format}: one of {formats}", format=format_, formats=", ".join(FORMATS)
        )
        say(err, unknown, style="red")
        raise typer.Exit(2)
    _, content = _run(
        lambda: rs.export_batch(
            store,
            who,
            _now(),
            batch_id,
            fmt=format_,
            debtor=debtor,
            debtor_iban=debtor_iban,
            debtor_bic=debtor_bic,
        )
    )
    _write(content, output)


@batch_app.command("cancel")
def batch_cancel(
    batch_id: str,
    reason: Annotated[str, typer.Option(help="why the batch is not sent")],
    user: ActorOption = None,
    database: DatabaseOption = None,
) -> None:
    """Cancel a batch not exported yet; its payments may go in another batch."""
    store = open_store(database, existing=True)
    who = acting(store, user, FINANCE_STEPS)
    _run(lambda: rs.cancel_batch(store, who, _now(), batch_id, reason=reason))
    say(out, Text("batch {batch} cancelled", batch=batch_id))


@statement_app.command("import")
def statement_import(
    file: Annotated[Path, typer.Argument(help="the statement file")],
    *,
    programme: Annotated[str, typer.Option(help="the programme whose payments it shows")],
    user: ActorOption = None,
    format_: Annotated[
        StatementFormat | None, typer.Option("--format", help="detected when not given")
    ] = None,
    mapping: Annotated[
        Path | None, typer.Option(help="the provider's CSV column mapping (JSON or TOML)")
    ] = None,
    saved_mapping: Annotated[
        str | None,
        typer.Option(help="read a CSV with the mapping saved for this provider name instead"),
    ] = None,
    provider: Annotated[
        Channel | None,
        typer.Option(help="match against this provider's batches only (default: every one)"),
    ] = None,
    encoding: EncodingOption = None,
    accept_discrepancy: Annotated[
        bool,
        typer.Option(
            help="import statements whose balances do not reconcile with their entries, "
            "recording each discrepancy as a difference to explain"
        ),
    ] = False,
    database: DatabaseOption = None,
) -> None:
    """Import a statement once (the same file twice is refused); nothing is applied yet. A
    CSV is read with --mapping FILE or with --saved-mapping PROVIDER_NAME."""
    data = read_file(file)
    csv_mapping = read_mapping(mapping) if mapping is not None else None
    store = open_store(database, existing=True)
    who = acting(store, user, FINANCE_STEPS)
    remarks: list[Text] = []
    imported = _run(
        lambda: rs.import_statement(
            store,
            who,
            _now(),
            programme_id=programme,
            content=data,
            fmt=format_.value if format_ else None,
            mapping=csv_mapping,
            provider=provider,
            saved_mapping=saved_mapping,
            encoding=encoding,
            accept_discrepancy=accept_discrepancy,
            remarked=remarks.append,
        )
    )
    read = Text(
        "import {import_id} ({format}, sha256 {hash})",
        import_id=imported.import_id,
        format=imported.format,
        hash=imported.content_hash,
    )
    say(out, read)
    for remark in remarks:
        out.print(f"  {said(Text('read anyway: {remark}', remark=remark))}", highlight=False)
    for d in imported.discrepancies:
        recorded = Text("{discrepancy} (recorded, to explain)", discrepancy=discrepancy_text(d))
        out.print(f"  {said(recorded)}", highlight=False)
    for t in imported.totals:
        c = t.currency
        totals = Text(
            "{currency}: {entries} entries, credits {credits}, debits {debits}",
            currency=c,
            entries=t.entries,
            credits=writing().figure(amount_text(t.credits, c)),
            debits=writing().figure(amount_text(t.debits, c)),
        )
        out.print(f"  {said(totals)}", highlight=False)


@reconcile_app.command("show")
def reconcile_show(
    import_id: str,
    format_: Annotated[ReportFormat, typer.Option("--format")] = ReportFormat.TABLE,
    output: Annotated[Path | None, typer.Option(help="file to write (csv, xlsx)")] = None,
    window_days: Annotated[int, typer.Option(help="date window for lines without reference")] = (
        DEFAULT_WINDOW_DAYS
    ),
    database: DatabaseOption = None,
) -> None:
    """Every statement line and sent payment classified, each difference explained."""
    store = open_store(database, existing=True)
    imported, rec = _run(lambda: rs.reconcile(store, import_id, window_days=window_days))
    decisions = {d.position: d for d in imported.decisions}
    if format_ is ReportFormat.CSV:
        _write(report.as_csv(report.rows(rec, decisions)), output)
    elif format_ is ReportFormat.XLSX:
        if output is None:
            say(err, Text("--output FILE is needed for xlsx"), style="red")
            raise typer.Exit(2)
        _write(report.as_xlsx(rec, report.rows(rec, decisions), imported.decisions), output)
    elif format_ is ReportFormat.JSON:
        head: dict[str, object] = {
            "import_id": import_id,
            "totals": [report.totals_row(t) for t in rec.totals],
            "discrepancies": [
                {
                    "statement": d.statement,
                    "account": d.account,
                    "amount": format_minor(d.amount, d.currency),
                    "currency": d.currency,
                }
                for d in imported.discrepancies
            ],
        }
        for piece in report.as_json(head, report.rows(rec, decisions)):
            typer.echo(piece, nl=False)
    else:
        out.print(_totals_table(rec))
        for d in imported.discrepancies:
            kept = Text(
                "{discrepancy}: imported with the discrepancy, to explain",
                discrepancy=discrepancy_text(d),
            )
            say(out, kept, style="yellow")
        typer.echo(  # plain text at once: rich takes a millisecond a line, too slow at scale
            "".join(
                f"{row.outcome:<21} {row.position:<14} {row.disbursement_id:<22} "
                f"{row.explanation}\n"
                for row in report.difference_rows(rec, decisions)
            ),
            nl=False,
        )


def _totals_table(rec: Reconciliation) -> Table:
    table = Table(title="reconciliation (money out per class; credits count negative)")
    for column in report.TOTALS_COLUMNS:
        table.add_column(column, justify="left" if column == "currency" else "right")
    for t in rec.totals:
        values = report.totals_row(t)
        table.add_row(*(values[c] for c in report.TOTALS_COLUMNS))
    counts = ["findings", "", *(str(len(rec.of(o))) for o in Outcome), ""]
    table.add_row(*counts)
    return table


@reconcile_app.command("decide")
def reconcile_decide(
    import_id: str,
    position: Annotated[str, typer.Argument(help='the line ("line 12") or missing payment id')],
    *,
    user: ActorOption = None,
    reason: Annotated[str, typer.Option(help="why; recorded in the journal")],
    match: Annotated[
        str | None, typer.Option("--match", help="the payment this line settles")
    ] = None,
    database: DatabaseOption = None,
) -> None:
    """Propose a manual match (--match PAYMENT) or, without it, a write-off; a second
    person confirms it before it is applied."""
    store = open_store(database, existing=True)
    who = acting(store, user, FINANCE_STEPS)
    kind = ev.DecisionKind.MATCH if match else ev.DecisionKind.WRITE_OFF
    imported = _run(
        lambda: rs.propose_decision(
            store,
            who,
            _now(),
            import_id,
            position=position,
            kind=kind,
            reason=reason,
            disbursement_id=match,
        )
    )
    proposed = Text(
        "decision {decision} proposed ({kind})",
        decision=imported.decisions[-1].decision_id,
        kind=kind.value,
    )
    say(out, proposed)


@reconcile_app.command("confirm")
def reconcile_confirm(
    import_id: str, decision_id: str, user: ActorOption = None, database: DatabaseOption = None
) -> None:
    """Confirm someone else's decision."""
    store = open_store(database, existing=True)
    who = acting(store, user, FINANCE_STEPS)
    _run(lambda: rs.confirm_decision(store, who, _now(), import_id, decision_id))
    say(out, Text("decision {decision} confirmed", decision=decision_id))


@reconcile_app.command("apply")
def reconcile_apply(
    import_id: str, user: ActorOption = None, database: DatabaseOption = None
) -> None:
    """Record what the statement proves as paid, returned, failed or reversed payments, a
    chunk of findings per transaction: if it is interrupted, run it again to go on."""
    store = open_store(database, existing=True)
    who = acting(store, user, FINANCE_STEPS)
    with progress_shown(Text("recording what the statement proves")) as advance:
        kinds = _run(
            lambda: rs.apply_reconciliation(
                store, who, _now(), import_id, progress=advance, read=gc.freeze
            )
        )
    recorded = ", ".join(f"{n} {k}" for k, n in kinds.items())
    applied = (
        Text("applied: {recorded}", recorded=recorded) if recorded else Text("applied: nothing new")
    )
    say(out, applied)


def demo_statement(
    batch_file: Annotated[Path, typer.Argument(help="an exported batch (CSV)")],
    output: Annotated[Path, typer.Option(help="where to write the statement")],
) -> None:
    """Demo only: the statement a mobile-money provider might send back for a batch (one
    difference of each kind), to try `statement import` and `reconcile` on the demo data."""
    content = provider_statement(read_file(batch_file), _now().date())
    _write(content, output)
