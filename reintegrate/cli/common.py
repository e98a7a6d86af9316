"""What every `reintegrate` sub-command shares: the database option and opening it."""

from __future__ import annotations

import datetime as dt
import enum
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from reintegrate.access import Role, scope_of
from reintegrate.adapters.keyring import (
    MASTER_KEY_ENV,
    FileKeyring,
    KeyFileError,
    keyring_from_env,
)
from reintegrate.adapters.translation import language_of_env
from reintegrate.errors import DomainError
from reintegrate.people.keys import NO_KEYRING, Keyring
from reintegrate.services.context import Actor
from reintegrate.services.keys import stored_wrapped_keys
from reintegrate.services.users import Caller, authenticate
from reintegrate.store.api_records import ApiRecords
from reintegrate.store.migrate import SchemaBehind, ensure_schema
from reintegrate.store.sql import SqlStore, database_url


def console(*, stderr: bool = False) -> Console:
    """Where a command prints: on a terminal, as wide as it is; into a file or a pipe,
    nothing wrapped or cut, so that a script or an auditor's log gets every figure whole
    (rich would otherwise assume 80 columns and shorten table cells to "…")."""
    terminal = Console(stderr=stderr)
    if terminal.is_terminal:
        return terminal
    return Console(stderr=stderr, width=UNWRAPPED_WIDTH, soft_wrap=True)


UNWRAPPED_WIDTH = 1000
"""Columns assumed when writing to a file or pipe: wider than any line a command prints."""
err = console(stderr=True)
T = TypeVar("T")


class Language(enum.StrEnum):
    EN = "en"
    FR = "fr"
    ES = "es"


LanguageOption = Annotated[
    Language | None,
    typer.Option(
        "--lang",
        help="the language of the words shown (en, fr, es); default: from LC_ALL or LANG, "
        "else English",
    ),
]


def language(chosen: Language | None) -> str:
    """The language a command speaks: `--lang`, else the environment's (LC_ALL, LANG)."""
    if chosen is not None:
        return chosen.value
    return language_of_env(os.environ.get("LANG"), os.environ.get("LC_ALL"))


DatabaseOption = Annotated[
    str | None,
    typer.Option(
        "--database",
        "-d",
        help="SQLAlchemy URL; default: $REINTEGRATE_DATABASE_URL or sqlite:///reintegrate.db",
    ),
]


def open_store(
    url: str | None, *, existing: bool = False, keys: bool = False, migrate: bool = False
) -> SqlStore:
    """The database (its schema created when new; an older schema upgraded only with
    `migrate`, each migration shown as it is applied, else the command stops naming both
    schemas); with `existing`, a missing SQLite
    file is an error rather than a new empty database that would answer every question with
    nothing.

    The keys of persons' records are read from the files the environment names; with `keys`
    they are required. Either way, keys given must open every stored data key: a wrong or
    missing master key stops the command with one line."""
    url = url or database_url()
    if (
        existing
        and url.startswith("sqlite:///")
        and not Path(url.removeprefix("sqlite:///")).exists()
    ):
        err.print(f"[red]no database at {url}[/red] (the demo's is sqlite:///var/demo.db)")
        raise typer.Exit(2)
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    store = SqlStore(url, keyring=_keyring(required=keys))
    try:
        ensure_schema(store.engine, migrate=migrate, on_step=_shown if migrate else None)
    except SchemaBehind as e:
        err.print(f"[red]{escape(str(e))}[/red]", soft_wrap=True)
        raise typer.Exit(2) from None
    _check_keys(store)
    return store


def _shown(revision: str, title: str, seconds: float) -> None:
    err.print(f"schema {revision} applied in {seconds:.1f} s: {escape(title)}", soft_wrap=True)


def _keyring(*, required: bool) -> Keyring:
    if not required and not os.environ.get(MASTER_KEY_ENV, "").strip():
        return NO_KEYRING
    try:
        return keyring_from_env()
    except KeyFileError as e:
        err.print(f"[red]{escape(str(e))}[/red]", soft_wrap=True)
        raise typer.Exit(2) from None


def _check_keys(store: SqlStore) -> None:
    keyring = store.keyring
    if isinstance(keyring, FileKeyring):
        try:
            keyring.check(stored_wrapped_keys(store))
        except KeyFileError as e:
            err.print(f"[red]{escape(str(e))}[/red]", soft_wrap=True)
            raise typer.Exit(2) from None


TOKEN_ENV = "REINTEGRATE_TOKEN"

ActorOption = Annotated[
    str | None,
    typer.Option(
        "--as",
        help="the user who runs the command: an existing user id with a role allowed for it "
        f"(recorded in the journal; never a name); else the user whose token ${TOKEN_ENV} holds",
    ),
]


def acting(
    store: SqlStore, user_id: str | None, roles: tuple[Role, ...], option: str = "--as"
) -> Actor:
    """Who runs a command that acts for someone: the existing, active user `--as` names, or
    the one whose token REINTEGRATE_TOKEN holds, with one of `roles` (the API's roles for
    the same step, `reintegrate.access`), and the offices of that user."""
    wanted = " or ".join(r.value for r in roles)
    records = ApiRecords(store.engine)
    if user_id is None:
        caller = _token_caller(records, wanted)
        user_id, role, scope = caller.user_id, caller.role, caller.scope
    else:
        found = records.user(user_id)
        if found is None or found.revoked_at is not None:
            err.print(
                f"[red]--as {escape(user_id)}[/red]: no such active user (reintegrate users list)",
                soft_wrap=True,
            )
            raise typer.Exit(2)
        role, scope = found.role, scope_of(found.role, found.offices)
    if role not in roles:
        err.print(f"[red]{escape(user_id)} is {role}[/red]: this step needs a user who is {wanted}")
        raise typer.Exit(2)
    return Actor(user_id, scope)


def _token_caller(records: ApiRecords, wanted: str) -> Caller:
    token = os.environ.get(TOKEN_ENV, "").strip()
    if not token:
        err.print(f"[red]--as USER or ${TOKEN_ENV} is required[/red]: a user who is {wanted}")
        raise typer.Exit(2)
    caller = authenticate(records, token, dt.datetime.now(dt.UTC))
    if caller is None:
        err.print(f"[red]${TOKEN_ENV} is not a valid token[/red] (unknown, expired or revoked)")
        raise typer.Exit(2)
    return caller


def run(command: Callable[[], T]) -> T:
    """Run a use case; a refusal prints what and where, and exits 1 with nothing written."""
    try:
        return command()
    except DomainError as error:
        where = f" ({escape(error.field)})" if error.field else ""
        err.print(f"[red]refused[/red]{where}: {escape(error.message)}", soft_wrap=True)
        raise typer.Exit(1) from error


@contextmanager
def progress_shown(description: str) -> Iterator[Callable[[int, int], None]]:
    """A progress bar on stderr for long work, gone when it ends; yields the callback the
    work calls with (done, total)."""
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=err, transient=True) as progress:
        task = progress.add_task(description, total=None)

        def advance(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        yield advance


def database_problem(error: BaseException) -> str:
    """The database driver's own first line about `error`, without SQLAlchemy's wrapping."""
    cause = getattr(error, "orig", None) or error
    lines = [line.strip() for line in str(cause).splitlines() if line.strip()]
    return lines[0] if lines else type(cause).__name__
