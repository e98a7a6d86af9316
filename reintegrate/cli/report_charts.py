"""`reintegrate report charts`: the dashboard's charts as files, for a report or a slide."""

from __future__ import annotations

import datetime as dt
import enum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from reintegrate.adapters.charts import money_charts
from reintegrate.adapters.charts_outcomes import outcome_charts
from reintegrate.cli.common import DatabaseOption, open_store, refusal, say
from reintegrate.cli.common import console as command_console
from reintegrate.cli.report_outcomes import sources_of
from reintegrate.errors import DomainError
from reintegrate.services.context import Actor
from reintegrate.services.dashboard import programme_dashboard
from reintegrate.services.dashboard_outcomes import SurveyOutcomes
from reintegrate.texts import Text

out = command_console()
err = command_console(stderr=True)
AUDITOR = Actor("auditor")
"""Who reads the database directly: every office (as `report financial`)."""


class ChartFormat(enum.StrEnum):
    SVG = "svg"
    PNG = "png"


def charts(
    programme: Annotated[str, typer.Option("--programme", help="the programme's id")],
    output: Annotated[Path, typer.Option("--output", "-o", help="the folder to write into")],
    format_: Annotated[ChartFormat, typer.Option("--format", help="svg or png")] = (
        ChartFormat.SVG
    ),
    database: DatabaseOption = None,
) -> None:
    """The charts of the programme's dashboard (spending against budget, payments by status
    over time, score distributions by group, follow-up completion), one file each, named
    after the chart (`spending.svg`...). A chart with nothing to show yet is not written,
    and the command says which."""
    store = open_store(database, existing=True)
    surveys = SurveyOutcomes(store, sources_of(store), dt.date.today)
    try:
        dashboard = programme_dashboard(store, AUDITOR, programme, surveys)
    except DomainError as error:
        err.print(escape(refusal(error)), style="red", highlight=False)
        raise typer.Exit(1) from error
    output.mkdir(parents=True, exist_ok=True)
    drawn = money_charts(dashboard) + outcome_charts(dashboard)
    for chart in drawn:
        path = output / f"{chart.name}.{format_.value}"
        if format_ is ChartFormat.SVG:
            path.write_text(chart.svg(), encoding="utf-8")
        else:
            path.write_bytes(chart.png())
        out.print(f"{escape(str(path))}: {escape(chart.title)}", highlight=False)
    names = {c.name for c in drawn}
    for name, missing in (
        ("payments", Text("{chart}: not drawn, no payment requested yet", chart="payments")),
        ("scores-", Text("{chart}: not drawn, no survey answers yet", chart="scores")),
        (
            "follow-ups",
            Text("{chart}: not drawn, no follow-up has fallen due yet", chart="follow-ups"),
        ),
    ):
        if not any(n.startswith(name) for n in names):
            say(out, missing)
