"""The `reintegrate` command: demo data, policy checks, entitlements, batches, statements,
reconciliation, reports and audit."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress
from rich.table import Table
from sqlalchemy.exc import SQLAlchemyError

from reintegrate import demo
from reintegrate.access import Role
from reintegrate.adapters.translation import writer
from reintegrate.cli import common as cli_common
from reintegrate.cli import render
from reintegrate.cli.audit import audit_app, print_audit
from reintegrate.cli.cases import cases_app
from reintegrate.cli.common import database_problem, said, say
from reintegrate.cli.db import db_app
from reintegrate.cli.entitlement import entitlement_panel
from reintegrate.cli.keys import keys_app
from reintegrate.cli.provider import provider_app
from reintegrate.cli.reconcile import batch_app, demo_statement, reconcile_app
from reintegrate.cli.report import report_app
from reintegrate.cli.report_charts import charts
from reintegrate.cli.report_outcomes import report_outcomes
from reintegrate.cli.retention import retention_app
from reintegrate.cli.statement import statement_app
from reintegrate.cli.webhooks import webhooks_app
from reintegrate.demo.cohort import COHORT_ATOMS, COHORT_PER_ATOM, cohort_size_problem
from reintegrate.errors import DomainError
from reintegrate.policy import PolicyInvalid, load_policy
from reintegrate.services import programmes as prog
from reintegrate.services import users
from reintegrate.services.context import Actor
from reintegrate.store.api_records import ApiRecords
from reintegrate.store.sql import SqlStore
from reintegrate.texts import Text

app = typer.Typer(no_args_is_help=True, help=__doc__, pretty_exceptions_enable=False)
policy_app = typer.Typer(no_args_is_help=True, help="Check and explain cap policies.")
users_app = typer.Typer(no_args_is_help=True, help="API users and their bearer tokens.")
app.add_typer(policy_app, name="policy")
app.add_typer(audit_app, name="audit")
app.add_typer(users_app, name="users")
app.add_typer(statement_app, name="statement")
report_app.command("outcomes")(report_outcomes)
app.add_typer(report_app, name="report")
report_app.command("charts")(charts)
app.add_typer(batch_app, name="batch")
app.add_typer(reconcile_app, name="reconcile")
app.add_typer(provider_app, name="provider")
app.add_typer(keys_app, name="keys")
app.add_typer(retention_app, name="retention")
app.add_typer(db_app, name="db")
app.add_typer(webhooks_app, name="webhooks")
app.add_typer(cases_app, name="cases")
app.command("demo-statement")(demo_statement)
out = cli_common.console()
err = cli_common.console(stderr=True)

DatabaseOption = cli_common.DatabaseOption


@app.callback()
def options(lang: cli_common.LanguageOption = None) -> None:
    """The options of every command, given before it: `reintegrate --lang fr audit verify`."""
    cli_common.choose_language(lang)


def _cohort_size(per_atom: int) -> int:
    problem = cohort_size_problem(per_atom)
    if problem is not None:
        raise typer.BadParameter(cli_common.words(problem))
    return per_atom


CohortOption = Annotated[
    int,
    typer.Option(
        min=0,
        max=1_000,
        callback=_cohort_size,
        help="households of the monitoring cohort per office and return month (0: none)",
    ),
]
_store = cli_common.open_store


@app.command("demo")
def demo_command(
    database: Annotated[str, typer.Option("--database", "-d", help="where to write the demo")] = (
        "sqlite:///var/demo.db"
    ),
    households: Annotated[int, typer.Option(min=1, max=10_000)] = 200,
    monitoring_cohort: CohortOption = COHORT_PER_ATOM,
    seed: int = 2026,
    fresh: Annotated[bool, typer.Option(help="delete an existing SQLite demo file first")] = True,
) -> None:
    """Load the example policies and a realistic data set, then show what it holds."""
    if fresh and database.startswith("sqlite:///"):
        path = Path(database.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    store = _store(database, keys=True)
    if _holds_data(store):
        not_empty = Text(
            "The database holds data already: demo data goes into an empty database "
            "(a SQLite file is emptied first unless --no-fresh)."
        )
        say(err, not_empty, style="red")
        raise typer.Exit(1)
    now = dt.datetime.now(dt.UTC)
    with Progress(console=err, transient=True) as progress:
        task = progress.add_task(
            said(Text("households")), total=households + COHORT_ATOMS * monitoring_cohort
        )
        outcomes = demo.load_demo(
            store,
            households,
            now,
            seed,
            tick=lambda: progress.advance(task),
            monitoring_cohort=monitoring_cohort,
        )
    out.print(render.outcomes_table(outcomes))
    out.print(render.budget_table(store.snapshot()))
    case_id = render.first_granted_case(store.snapshot())
    if case_id is not None:
        shown = prog.case_entitlement(store, Actor("auditor"), case_id, now.date())
        out.print(entitlement_panel(case_id, shown, cli_common.writing()))
    print_audit(store)
    out.print()
    say(out, Text("Demo database: {url}", url=database), style="bold")
    _demo_users(ApiRecords(store.engine), now)


@app.command("entitlement")
def entitlement_command(
    case_id: str,
    database: DatabaseOption = None,
    as_of: Annotated[str | None, typer.Option(help="YYYY-MM-DD; default today")] = None,
    lang: cli_common.LanguageOption = None,
) -> None:
    """Explain what a case is entitled to, and every cap with what is used and left; its
    labels and reasons in --lang."""
    try:
        day = dt.date.fromisoformat(as_of) if as_of else dt.datetime.now(dt.UTC).date()
    except ValueError as error:
        raise typer.BadParameter(
            f"'{as_of}' is not a date YYYY-MM-DD", param_hint="--as-of"
        ) from error
    store = _store(database, existing=True)
    try:
        shown = prog.case_entitlement(store, Actor("auditor"), case_id, day)
    except DomainError as error:
        say(err, error.text, style="red")
        raise typer.Exit(1) from error
    out.print(entitlement_panel(case_id, shown, writer(cli_common.language(lang))))


@policy_app.command("validate")
def policy_validate(file: Path) -> None:
    """Check a policy file (TOML or JSON); list every problem with the field it concerns."""
    try:
        data = file.read_bytes()
        policy = load_policy(data, "json") if file.suffix.lower() == ".json" else load_policy(data)
    except OSError as error:
        cannot = Text("cannot read {file}: {problem}", file=str(file), problem=error.strerror or "")
        say(err, cannot, style="red")
        raise typer.Exit(2) from error
    except PolicyInvalid as error:
        table = Table(
            said(Text("field")),
            said(Text("problem")),
            title=said(Text("{file}: invalid policy", file=str(file))),
        )
        for field, message in error.problem_list():
            table.add_row(field, said(message))
        err.print(table)
        raise typer.Exit(1) from error
    valid = Text(
        "valid: {programme} version {version} ({name})",
        programme=policy.programme,
        version=policy.version,
        name=policy.name,
    )
    say(out, valid, style="green")


@app.command("serve")
def serve_command(  # noqa: PLR0917  (typer passes options by keyword)
    host: Annotated[str, typer.Option(help="interface to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
    database: DatabaseOption = None,
    demo_data: Annotated[
        bool, typer.Option("--demo", help="load demo data and demo users into an empty database")
    ] = False,
    demo_households: Annotated[int, typer.Option(min=1, max=10_000)] = 200,
    demo_monitoring_cohort: CohortOption = COHORT_PER_ATOM,
    migrate: Annotated[
        bool,
        typer.Option(
            "--migrate", help="upgrade a database at an older schema first (back it up before)"
        ),
    ] = False,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            max=64,
            help="worker processes; each builds its app from the database URL (docs/operations.md)",
        ),
    ] = 1,
) -> None:
    """Serve the HTTP API (creating and migrating the database first). The keys of persons'
    records are required: REINTEGRATE_MASTER_KEY_FILE and REINTEGRATE_DIGEST_KEY_FILE."""
    store = _store(database, keys=True, migrate=migrate)
    if demo_data:
        _load_demo_if_empty(store, demo_households, demo_monitoring_cohort)
    import uvicorn  # noqa: PLC0415  (here: every other command starts without the web stack)

    from api.app import create_app  # noqa: PLC0415
    from api.logs import configure_logging  # noqa: PLC0415

    configure_logging()
    docs = Text(
        "API docs: {address}  (OpenAPI: /schema/openapi.json)",
        address=f"http://{host}:{port}/schema",
    )
    say(out, docs)
    if workers == 1:
        app = create_app(store)
        uvicorn.run(app, host=host, port=port, access_log=False, log_level="warning")
        return
    os.environ["REINTEGRATE_DATABASE_URL"] = store.url  # what each worker opens
    store.engine.dispose()
    store.reader.dispose()
    uvicorn.run(
        "api.workers:app_for_worker",
        factory=True,
        workers=workers,
        host=host,
        port=port,
        access_log=False,
        log_level="warning",
    )


def _holds_data(store: SqlStore) -> bool:
    with store.reading() as uow:
        return uow.last_entry() is not None


def _load_demo_if_empty(store: SqlStore, households: int, cohort: int) -> None:
    records = ApiRecords(store.engine)
    if records.users() or _holds_data(store):
        say(out, Text("The database holds users or data already: no demo data loaded."))
        return
    now = dt.datetime.now(dt.UTC)
    with Progress(console=err, transient=True) as progress:
        task = progress.add_task(
            said(Text("demo households")), total=households + COHORT_ATOMS * cohort
        )
        demo.load_demo(
            store, households, now, tick=lambda: progress.advance(task), monitoring_cohort=cohort
        )
    _demo_users(records, now)


def _demo_users(records: ApiRecords, now: dt.datetime) -> None:
    """The demo users, their tokens written to var/demo-tokens.env and shown once."""
    lines = [
        f"{user_id.upper().replace('-', '_')}_TOKEN={token}"
        for user_id, token in demo.add_demo_users(records, now)
    ]
    tokens = Path("var/demo-tokens.env")
    tokens.parent.mkdir(parents=True, exist_ok=True)
    tokens.write_text("\n".join(lines) + "\n")
    tokens.chmod(0o600)
    created = Text("Demo users created; their tokens are in {file} (shown once):", file=str(tokens))
    say(out, created)
    out.print("\n".join(lines), highlight=False)


@users_app.command("add")
def users_add(
    user_id: str,
    role: Annotated[Role, typer.Option(help="admin, officer, approver, finance, auditor, partner")],
    office: Annotated[
        list[str] | None, typer.Option(help="an office the user works for (repeat)")
    ] = None,
    days: Annotated[int, typer.Option(min=1, max=366, help="token lifetime")] = 90,
    database: DatabaseOption = None,
) -> None:
    """Create a user and print its token: the only time it is shown."""
    records = ApiRecords(_store(database).engine)
    try:
        token = users.add_user(
            records,
            user_id,
            dt.datetime.now(dt.UTC),
            role=role,
            offices=frozenset(office or []),
            days=days,
        )
    except DomainError as error:
        say(err, cli_common.refused(error), style="red")
        raise typer.Exit(1) from error
    out.print(token)


@users_app.command("list")
def users_list(database: DatabaseOption = None) -> None:
    """Users, roles, offices and whether they are revoked (never tokens)."""
    headings = (Text("user"), Text("role"), Text("offices"), Text("revoked"))
    table = Table(*(said(heading) for heading in headings))
    for user in ApiRecords(_store(database, existing=True).engine).users():
        revoked = user.revoked_at.isoformat() if user.revoked_at else ""
        table.add_row(user.user_id, user.role.value, ", ".join(sorted(user.offices)), revoked)
    out.print(table)


@users_app.command("revoke")
def users_revoke(user_id: str, database: DatabaseOption = None) -> None:
    """Revoke a user: every token it has stops working at once."""
    if not ApiRecords(_store(database, existing=True).engine).revoke_user(
        user_id, dt.datetime.now(dt.UTC)
    ):
        say(err, Text("no active user {user}", user=user_id), style="red")
        raise typer.Exit(1)
    say(out, Text("revoked {user}", user=user_id))


def main() -> None:
    """The `reintegrate` command: a database that cannot be used (unreachable, wrong
    password, not a database, full) stops it with one line and exit status 3."""
    try:
        app(sys.argv[1:])
    except (SQLAlchemyError, sqlite3.Error) as error:
        problem = Text("database error: {problem}", problem=database_problem(error))
        say(err, problem, style="red")
        sys.exit(3)
