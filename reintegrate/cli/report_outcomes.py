"""`reintegrate report outcomes`: the evidence on outcomes as JSON, CSV or an XLSX workbook,
as the user `--as` names may read it (the API's roles and office scope)."""

from __future__ import annotations

import enum
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from reintegrate.access import READS_OUTCOMES
from reintegrate.adapters.outcome_files import to_csv, to_json, to_xlsx
from reintegrate.cli.common import ActorOption, DatabaseOption, acting, open_store, refusal
from reintegrate.cli.common import console as command_console
from reintegrate.errors import DomainError
from reintegrate.outcomes.document import OutcomesDocument, document
from reintegrate.outcomes.groups import Axis
from reintegrate.services.outcomes import (
    OutcomeQuestion,
    OutcomeSources,
    outcome_sources,
    outcomes,
)
from reintegrate.store.sql import SqlStore

err = command_console(stderr=True)
sources_of: Callable[[SqlStore], OutcomeSources] = outcome_sources
"""Where the command reads scored responses and erased persons' counts: the database's."""


class OutcomeFormat(enum.StrEnum):
    JSON = "json"
    CSV = "csv"
    XLSX = "xlsx"


WRITERS: dict[OutcomeFormat, Callable[[OutcomesDocument], bytes]] = {
    OutcomeFormat.JSON: lambda doc: to_json(doc) + b"\n",
    OutcomeFormat.CSV: lambda doc: to_csv(doc).encode(),
    OutcomeFormat.XLSX: to_xlsx,
}


def report_outcomes(
    *,
    programme: Annotated[str, typer.Option("--programme", help="the programme's id")],
    output: Annotated[Path, typer.Option("--output", "-o", help="the file to write")],
    by: Annotated[Axis, typer.Option("--by", help="the axis to compare by")] = Axis.FORM,
    format_: Annotated[OutcomeFormat, typer.Option("--format", help="how to write it")] = (
        OutcomeFormat.CSV
    ),
    country: Annotated[
        str | None, typer.Option("--country", help="ISO 3166-1 alpha-2 country of return")
    ] = None,
    cohort_from: Annotated[
        str | None, typer.Option("--cohort-from", help="first return month, YYYY-MM")
    ] = None,
    cohort_to: Annotated[
        str | None, typer.Option("--cohort-to", help="last return month, YYYY-MM")
    ] = None,
    user: ActorOption = None,
    database: DatabaseOption = None,
) -> None:
    """Outcome scores (n, quartiles, median of the composite and of each dimension) and the
    rate of returning again, per group of `--by`; groups under the minimum size suppressed."""
    store = open_store(database, existing=True, keys=True)
    who = acting(store, user, READS_OUTCOMES)
    question = OutcomeQuestion(
        programme_id=programme,
        axis=by,
        country=country,
        cohort_from=cohort_from,
        cohort_to=cohort_to,
    )
    try:
        found = outcomes(store, sources_of(store), who, question)
    except DomainError as error:
        err.print(escape(refusal(error)), style="red", highlight=False)
        raise typer.Exit(1) from error
    output.write_bytes(WRITERS[format_](document(programme, found)))
