"""`reintegrate statement`: what a provider's statement file holds, before anything is imported."""

from __future__ import annotations

import enum
import json
from decimal import Decimal
from pathlib import Path
from typing import Annotated

import msgspec
import typer
from rich.markup import escape
from rich.table import Table

from reintegrate.adapters.statements import StatementRejected
from reintegrate.adapters.statements.csv_format import CsvMapping
from reintegrate.adapters.statements.detect import describe, read_statement
from reintegrate.cli.common import (
    DatabaseOption,
    console,
    open_store,
    refusal,
    run,
    said,
    say,
    writing,
)
from reintegrate.reconcile.statements.lines import by_currency
from reintegrate.services.provider_mappings import mapping_for_import
from reintegrate.texts import Amount, Text

statement_app = typer.Typer(
    no_args_is_help=True, help="Provider statements: CSV, SWIFT MT940, ISO 20022 camt.053."
)
out = console()
err = console(stderr=True)


class StatementFormat(enum.StrEnum):
    CSV = "csv"
    MT940 = "mt940"
    CAMT053 = "camt053"


EncodingOption = Annotated[
    str | None,
    typer.Option(
        help="an MT940 file's encoding (cp1252, latin-1, cp850...); a file that is not UTF-8 "
        "is read as Windows-1252 otherwise, and its remarks say so"
    ),
]


@statement_app.command("show")
def show(
    file: Annotated[Path, typer.Argument(help="the statement file")],
    *,
    format_: Annotated[
        StatementFormat | None,
        typer.Option("--format", help="the file's format; detected when not given"),
    ] = None,
    mapping: Annotated[
        Path | None,
        typer.Option("--mapping", help="the provider's CSV column mapping (JSON or TOML)"),
    ] = None,
    saved_mapping: Annotated[
        str | None,
        typer.Option(help="read a CSV with the mapping saved for this provider name instead"),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="one JSON object, a list for several statements")
    ] = False,
    encoding: EncodingOption = None,
    database: DatabaseOption = None,
) -> None:
    """Print what a statement file holds: format, account, balances, entries and their sums."""
    data = read_file(file)
    csv_mapping = read_mapping(mapping) if mapping is not None else None
    if saved_mapping is not None:
        store = open_store(database, existing=True)
        csv_mapping = run(lambda: mapping_for_import(store, csv_mapping, saved_mapping))
    try:
        read = read_statement(
            data,
            format=format_.value if format_ else None,
            mapping=csv_mapping,
            encoding=encoding,
        )
    except StatementRejected as error:
        rejected = (
            Text("{file}: rejected at {field}", file=str(file), field=error.field)
            if error.field
            else Text("{file}: rejected at the file", file=str(file))
        )
        say(err, rejected, style="red")
        err.print(refusal(error), markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(1) from error
    parts = [part for st in read.statements for part in by_currency(st)]
    described = [describe(part) for part in parts]
    if as_json:
        shown = described[0] if len(described) == 1 else described
        typer.echo(json.dumps(shown, indent=2, ensure_ascii=False))
        return
    out.print(f"{escape(str(file))}  sha256 {read.content_hash}", highlight=False, soft_wrap=True)
    for number, (part, fields) in enumerate(zip(parts, described, strict=True), 1):
        out.print(_table(fields, part.remarks, number, len(described)))


def read_file(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        cannot = Text("cannot read {file}: {problem}", file=str(path), problem=error.strerror or "")
        say(err, cannot, style="red")
        raise typer.Exit(2) from error


def read_mapping(path: Path) -> CsvMapping:
    raw = read_file(path)
    try:
        if path.suffix.lower() == ".toml":
            return msgspec.toml.decode(raw, type=CsvMapping)
        return msgspec.json.decode(raw, type=CsvMapping)
    except msgspec.DecodeError as error:
        invalid = Text("invalid CSV mapping {file}: {problem}", file=str(path), problem=str(error))
        say(err, invalid, style="red")
        raise typer.Exit(2) from error


def _table(
    fields: dict[str, str | int | list[str] | None],
    remarks: tuple[Text, ...],
    number: int,
    count: int,
) -> Table:
    title = (
        Text(
            "statement {number} of {count}: {format} ({version})",
            number=number,
            count=count,
            format=str(fields["format"]),
            version=str(fields["version"]),
        )
        if fields["version"]
        else Text(
            "statement {number} of {count}: {format}",
            number=number,
            count=count,
            format=str(fields["format"]),
        )
    )
    table = Table(show_header=False, title=said(title))
    table.add_column(style="bold")
    table.add_column(justify="right")
    code = fields["currency"]
    for label, key in (
        (Text("account"), "account"),
        (Text("currency"), "currency"),
        (Text("opening balance"), "opening_balance"),
        (Text("closing balance"), "closing_balance"),
        (Text("entries"), "entries"),
        (Text("credits"), "credits"),
        (Text("debits"), "debits"),
        (Text("discrepancy"), "discrepancy"),
    ):
        value = fields[key]
        shown = "—" if value is None else str(value)
        if key.endswith(("balance", "credits", "debits", "discrepancy")) and value is not None:
            shown = writing().amount(Amount(Decimal(str(value)), str(code)))
        table.add_row(said(label), escape(shown))
    for remark in remarks:
        table.add_row(said(Text("remark")), said(remark))
    return table
