"""`reintegrate audit`: what an auditor runs (verify) and hands on (export)."""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, BinaryIO

import msgspec
import typer
from rich.markup import escape

from reintegrate.adapters import signing
from reintegrate.checkpoints import SignedCheckpoint
from reintegrate.cli import render
from reintegrate.cli.common import (
    DatabaseOption,
    console,
    open_store,
    progress_shown,
    refusal,
    say,
)
from reintegrate.journal import ExportRangeInvalid
from reintegrate.services.audit import verify_audit
from reintegrate.services.audit_export import journal_export
from reintegrate.services.cash_limits import cases_over_cash_limits
from reintegrate.services.checkpoints import journal_against, make_checkpoint
from reintegrate.store.sql import SqlStore
from reintegrate.texts import Text

audit_app = typer.Typer(no_args_is_help=True, help="What an auditor runs.")
out = console()
err = console(stderr=True)


PUBLIC_KEY_ENV = "REINTEGRATE_CHECKPOINT_PUBLIC_KEY"


@audit_app.command("verify")
def audit_verify(
    database: DatabaseOption = None,
    checkpoint: Annotated[
        Path | None,
        typer.Option(help="a checkpoint kept outside the database: the journal must still hold it"),
    ] = None,
    public_key: Annotated[
        str | None,
        typer.Option(help=f"the checkpoints' public key, base64 (default: ${PUBLIC_KEY_ENV})"),
    ] = None,
) -> None:
    """Recompute the hash chain, replay the journal, compare with the stored state; exit 1
    and name the first divergence when anything differs. With --checkpoint, also check that
    the journal still holds the signed head it had then (no truncation, no rewrite)."""
    store = open_store(database, existing=True)
    problems = _checkpoint_problems(store, checkpoint, public_key) if checkpoint else []
    for problem in problems:
        say(err, Text("checkpoint: {problem}", problem=problem), style="red")
    if not print_audit(store) or problems:
        raise typer.Exit(1)
    if checkpoint is not None:
        say(out, Text("the journal holds the checkpoint {file}", file=str(checkpoint)))


def _checkpoint_problems(store: SqlStore, path: Path, public_key: str | None) -> list[Text]:
    trusted = public_key or os.environ.get(PUBLIC_KEY_ENV, "").strip()
    if not trusted:
        required = Text(
            "--public-key or ${variable} is required: a checkpoint is worth only the key it is "
            "checked with",
            variable=PUBLIC_KEY_ENV,
        )
        say(err, required, style="red")
        raise typer.Exit(2)
    try:
        signed = msgspec.json.decode(path.read_bytes(), type=SignedCheckpoint)
    except (OSError, msgspec.DecodeError, msgspec.ValidationError) as e:
        say(err, Text("{file} is not a checkpoint: {problem}", file=str(path), problem=str(e)))
        raise typer.Exit(2) from None
    return journal_against(store, signed, trusted, signing.verifies)


@audit_app.command("checkpoint")
def audit_checkpoint(
    database: DatabaseOption = None,
    output: Annotated[Path | None, typer.Option(help="file to write; stdout if not given")] = None,
) -> None:
    """Sign the journal's head (seq, hash, time) with the key REINTEGRATE_CHECKPOINT_KEY_FILE
    names, keep a copy in the database (GET /audit/checkpoint), and write it out: keep that
    file outside the database, where whoever can change the database cannot change it."""
    key_file = os.environ.get(signing.CHECKPOINT_KEY_ENV, "").strip()
    if not key_file:
        unset = Text(
            "{variable} is not set: it names the key file", variable=signing.CHECKPOINT_KEY_ENV
        )
        say(err, unset, style="red")
        raise typer.Exit(2)
    try:
        key = signing.load_key(Path(key_file))
    except signing.SigningKeyError as e:
        err.print(f"[red]{escape(str(e))}[/red]")
        raise typer.Exit(2) from None
    store = open_store(database, existing=True)
    signed = make_checkpoint(
        store,
        lambda data: signing.sign(key, data),
        signing.public_key_of(key),
        dt.datetime.now(dt.UTC),
    )
    document = msgspec.json.format(msgspec.json.encode(signed)) + b"\n"
    if output is None:
        sys.stdout.buffer.write(document)
    else:
        output.write_bytes(document)
        written = Text(
            "checkpoint at seq {seq} written to {file}", seq=signed.seq, file=str(output)
        )
        say(out, written)


def print_audit(store: SqlStore) -> bool:
    """Verify `store`, with progress on stderr, and print the report; whether it is ok."""
    with progress_shown(Text("verifying the journal")) as advance:
        report = verify_audit(store, progress=advance)
    out.print(render.audit_summary(report))
    return report.ok


@audit_app.command("cash-limits")
def audit_cash_limits(database: DatabaseOption = None) -> None:
    """List the members of cases granted before cash was limited per person whose packages
    hold more cash than their own limit would now allow; exit 1 if there is any. Their caps
    are not changed: the grant stays as it was made."""
    store = open_store(database, existing=True)
    checking = Text("checking cases granted before cash limits per person")
    with progress_shown(checking) as advance:
        found = cases_over_cash_limits(store, advance)
    for over in found:
        say(out, over.describe())
    if found:
        raise typer.Exit(1)
    say(out, Text("no case holds more cash for a member than their cash limit would allow"))


@audit_app.command("export")
def audit_export(
    first: Annotated[
        int | None, typer.Option("--from", help="first seq to export (default 1)")
    ] = None,
    last: Annotated[
        int | None, typer.Option("--to", help="last seq to export (default the journal's last)")
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="file to write (default stdout)")
    ] = None,
    database: DatabaseOption = None,
) -> None:
    """Write journal entries as JSON Lines, exactly as stored, with their hashes
    (docs/audit-export.md; check a file with docs/verify_export.py)."""
    store = open_store(database, existing=True)
    try:
        with journal_export(store, first, last) as export, _sink(output) as sink:
            for chunk in export.chunks:
                sink.write(chunk)
    except ExportRangeInvalid as error:
        err.print(escape(refusal(error)), style="red", highlight=False)
        raise typer.Exit(2) from error
    exported = (
        Text("exported seq {first} to {last} to stdout", first=export.first, last=export.last)
        if output is None
        else Text(
            "exported seq {first} to {last} to {file}",
            first=export.first,
            last=export.last,
            file=str(output),
        )
    )
    say(err, exported)


@contextmanager
def _sink(output: Path | None) -> Iterator[BinaryIO]:
    if output is None:
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    with output.open("wb") as file:
        yield file
