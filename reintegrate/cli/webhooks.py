"""`reintegrate webhooks deliver`: post the events subscribers follow, signed, until stopped.

Run as many deliverers as needed, on any machines that reach the database: each claims the
deliveries it posts in the database (`store.sql_webhooks`), so none is posted by two at once.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Annotated

import typer

from reintegrate.adapters.webhook_http import sender
from reintegrate.cli import common as cli_common
from reintegrate.services.webhooks import deliver_due
from reintegrate.store.sql_webhooks import WebhookRows
from reintegrate.texts import Text

webhooks_app = typer.Typer(no_args_is_help=True, help="Webhook deliveries.")
out = cli_common.console()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@webhooks_app.command("deliver")
def deliver_command(  # noqa: PLR0917  (typer passes options by keyword)
    database: cli_common.DatabaseOption = None,
    once: Annotated[bool, typer.Option(help="one round of due deliveries, then stop")] = False,
    interval: Annotated[
        float, typer.Option(min=0.05, max=60, help="seconds between looks when nothing is due")
    ] = 0.2,
    batch: Annotated[int, typer.Option(min=1, max=500, help="deliveries claimed at once")] = 50,
    parallel: Annotated[
        int, typer.Option(min=1, max=64, help="posts at once (for slow receivers)")
    ] = 1,
    allow_private_network: Annotated[
        bool,
        typer.Option(
            help="also deliver to loopback and private addresses (receivers on the internal "
            "network); by default only public addresses are reached"
        ),
    ] = False,
) -> None:
    """Post due deliveries, retrying failures with growing waits for 24 hours; runs until
    stopped (Ctrl-C), or one round with --once."""
    store = cli_common.open_store(database, existing=True)
    rows = WebhookRows(store.engine, store.keyring)
    post = sender(allow_private=allow_private_network)
    totals = {"delivered": 0, "retried": 0, "abandoned": 0}
    try:
        while True:
            done = deliver_due(rows, post, _now, limit=batch, parallel=parallel)
            totals["delivered"] += done.delivered
            totals["retried"] += done.retried
            totals["abandoned"] += done.abandoned
            if once:
                break
            if done.claimed == 0:
                time.sleep(interval)
    except KeyboardInterrupt:
        pass
    done_all = Text(
        "delivered {delivered}, to retry {retried}, abandoned {abandoned}",
        delivered=totals["delivered"],
        retried=totals["retried"],
        abandoned=totals["abandoned"],
    )
    cli_common.say(out, done_all)
