"""`reintegrate provider mapping`: a provider's CSV column mapping saved once, under the
provider's name, and read for every statement it sends (`statement import --saved-mapping`)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated, Any

import msgspec
import typer
from rich.markup import escape
from rich.table import Table

from reintegrate.access import FINANCE_STEPS
from reintegrate.adapters.statements.csv_suggest import suggest_mapping
from reintegrate.cli.common import (
    ActorOption,
    DatabaseOption,
    acting,
    console,
    open_store,
    run,
    said,
    say,
    writing,
)
from reintegrate.cli.statement import read_file, read_mapping
from reintegrate.money import amount_text
from reintegrate.reconcile.statements.csv_mapping import CsvMapping
from reintegrate.reconcile.statements.lines import by_currency
from reintegrate.reconcile.statements.provider_mappings import ProviderMapping
from reintegrate.services import provider_mappings as pms
from reintegrate.texts import Text

provider_app = typer.Typer(no_args_is_help=True, help="Providers of payments and statements.")
mapping_app = typer.Typer(
    no_args_is_help=True, help="Providers' saved CSV column mappings, by provider name."
)
provider_app.add_typer(mapping_app, name="mapping")
out = console()
err = console(stderr=True)


@provider_app.command("suggest")
def suggest(
    file: Annotated[Path, typer.Argument(help="a CSV statement of the provider")],
    provider: Annotated[str | None, typer.Option(help="the provider's name, for saving")] = None,
    currency: Annotated[
        str | None, typer.Option(help="the file's currency, when no column names it")
    ] = None,
    output: Annotated[
        Path | None, typer.Option(help="write the proposed mapping here (JSON) to edit and save")
    ] = None,
) -> None:
    """Propose a column mapping for a provider's CSV statement, tried on the whole file: check
    it, then save it with `provider mapping save`. What was guessed is said on stderr."""
    found = suggest_mapping(read_file(file), provider=provider, currency=currency)
    for remark in found.remarks:
        say(err, remark)
    if found.read is not None:
        sums = ", ".join(
            said(
                Text(
                    "credits {credits}, debits {debits} {currency}",
                    credits=writing().figure(amount_text(part.credits, part.currency)),
                    debits=writing().figure(amount_text(part.debits, part.currency)),
                    currency=part.currency,
                )
            )
            for part in by_currency(found.read)
        )
        reads = Text(
            "the proposal reads {count} lines ({sums})", count=len(found.read.lines), sums=sums
        )
        err.print(said(reads), highlight=False, soft_wrap=True)
    if found.mapping is None:
        raise typer.Exit(1)
    text = json.dumps(proposed(found.mapping), indent=2, ensure_ascii=False) + "\n"
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        say(err, Text("wrote {file}", file=str(output)))
    if found.read is None:
        raise typer.Exit(1)


def proposed(mapping: CsvMapping) -> dict[str, Any]:
    """The mapping's fields that differ from their defaults: what a person checks."""
    defaults = {
        f.encode_name: msgspec.to_builtins(
            f.default_factory() if f.default is msgspec.NODEFAULT else f.default
        )
        for f in msgspec.structs.fields(CsvMapping)
        if f.default is not msgspec.NODEFAULT or f.default_factory is not msgspec.NODEFAULT
    }
    return {
        k: v
        for k, v in msgspec.to_builtins(mapping).items()
        if k not in defaults or v != defaults[k]
    }


@mapping_app.command("save")
def mapping_save(
    file: Annotated[Path, typer.Argument(help="the mapping (JSON or TOML) naming its provider")],
    user: ActorOption = None,
    database: DatabaseOption = None,
) -> None:
    """Save a CSV column mapping under the provider it names; saving again replaces it (the
    journal keeps every version)."""
    mapping = read_mapping(file)
    store = open_store(database, existing=True)
    who = acting(store, user, FINANCE_STEPS)
    saved = run(lambda: pms.save_provider_mapping(store, who, _now(), mapping))
    kept = Text(
        "mapping of {provider} saved (version {version})",
        provider=saved.provider,
        version=saved.version,
    )
    say(out, kept)


@mapping_app.command("show")
def mapping_show(
    provider: Annotated[str, typer.Argument(help="the provider's name")],
    as_json: Annotated[bool, typer.Option("--json", help="one JSON object")] = False,
    database: DatabaseOption = None,
) -> None:
    """The provider's saved mapping: every field, who saved it and when."""
    store = open_store(database, existing=True)
    saved = run(lambda: pms.provider_mapping(store, provider))
    if as_json:
        typer.echo(json.dumps(mapping_json(saved), indent=2, ensure_ascii=False))
        return
    title = Text("CSV column mapping of {provider}", provider=saved.provider)
    table = Table(show_header=False, title=said(title))
    table.add_column(style="bold")
    table.add_column()
    for label, value in _saved_rows(saved):
        table.add_row(said(label) if isinstance(label, Text) else escape(label), escape(value))
    out.print(table)


@mapping_app.command("list")
def mapping_list(database: DatabaseOption = None) -> None:
    """Every provider with a saved mapping."""
    store = open_store(database, existing=True)
    table = Table()
    table.add_column(said(Text("provider")), no_wrap=True)
    for heading in (Text("version"), Text("saved by"), Text("saved at")):
        table.add_column(said(heading))
    table.add_column(said(Text("columns")), overflow="fold")
    for saved in pms.provider_mappings(store):
        columns = ", ".join(f"{r}={c}" for r, c in saved.csv_mapping().columns().items())
        table.add_row(
            escape(saved.provider),
            str(saved.version),
            escape(saved.saved_by),
            saved.saved_at.isoformat(timespec="seconds"),
            escape(columns),
        )
    out.print(table)


def mapping_json(saved: ProviderMapping) -> dict[str, Any]:
    """The saved mapping as `--json` prints it: the mapping as an object, with its history."""
    return {
        "provider": saved.provider,
        "version": saved.version,
        "saved_by": saved.saved_by,
        "saved_at": saved.saved_at.isoformat(),
        "seq": saved.seq,
        "mapping": msgspec.to_builtins(saved.csv_mapping()),
    }


def _saved_rows(saved: ProviderMapping) -> list[tuple[Text | str, str]]:
    """Who saved the mapping and when (worded), then its fields (by their names in JSON)."""
    header: list[tuple[Text | str, str]] = [
        (Text("version"), str(saved.version)),
        (Text("saved by"), saved.saved_by),
        (Text("saved at"), saved.saved_at.isoformat(timespec="seconds")),
        (Text("journal entry"), str(saved.seq)),
    ]
    fields = msgspec.to_builtins(saved.csv_mapping())
    shown = [(name, json.dumps(value, ensure_ascii=False)) for name, value in fields.items()]
    return header + [(name, value) for name, value in shown if value != "null"]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
