"""What every `reintegrate` sub-command shares: the database option and opening it, and the
language its words are shown in."""

from __future__ import annotations

import datetime as dt
import enum
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from reintegrate.access import ROLE_WORDS, Role, scope_of
from reintegrate.adapters.keyring import (
    MASTER_KEY_ENV,
    FileKeyring,
    KeyFileError,
    keyring_from_env,
)
from reintegrate.adapters.translation import in_language, language_of_env, writer
from reintegrate.errors import DomainError
from reintegrate.people.keys import NO_KEYRING, Keyring
from reintegrate.services.context import Actor
from reintegrate.services.keys import stored_wrapped_keys
from reintegrate.services.users import Caller, authenticate
from reintegrate.store.api_records import ApiRecords
from reintegrate.store.migrate import SchemaBehind, ensure_schema
from reintegrate.store.sql import SqlStore, database_url
from reintegrate.texts import Text, Words, Writer, either, render


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


_CHOSEN: dict[str, Language] = {}
"""The language chosen for the command being run (`choose_language`), if one was."""


def choose_language(chosen: Language | None) -> None:
    """Set by `reintegrate --lang L ...` before any command runs: the language of every word
    the command shows, unless the command's own `--lang` says otherwise."""
    _CHOSEN.clear()
    if chosen is not None:
        _CHOSEN["lang"] = chosen


def language(chosen: Language | None) -> str:
    """The language a command speaks: its own `--lang` (which then holds for everything it
    shows, its refusals too), else `reintegrate --lang`, else the environment's (LC_ALL,
    LANG), else English."""
    if chosen is not None:
        _CHOSEN["lang"] = chosen
        return chosen.value
    if "lang" in _CHOSEN:
        return _CHOSEN["lang"].value
    return language_of_env(os.environ.get("LANG"), os.environ.get("LC_ALL"))


def words(text: Text) -> str:
    """`text` in the language of the command being run."""
    return in_language(text, language(None))


def writing() -> Writer:
    """How the command's language writes values: amounts, figures in a table, dates."""
    return writer(language(None))


def said(text: Words, writer: Writer | None = None) -> str:
    """`text` in the command's language (or `writer`'s, when a command's own `--lang` chose
    one), for rich to print as it is (no markup read in it)."""
    return escape(render(text, writer or writing()))


def say(where: Console, text: Text, *, style: str | None = None) -> None:
    """Print `text` in the command's language, whole (never wrapped into a table's width)."""
    where.print(said(text), style=style, highlight=False, soft_wrap=True)


def refusal(error: DomainError) -> str:
    """What the domain refused, in the command's language."""
    return words(error.text)


def refused(error: DomainError) -> Text:
    """The line a refused command prints: what was refused, and the field at fault if any."""
    if error.field:
        return Text("refused ({field}): {reason}", field=error.field, reason=refusal(error))
    return Text("refused: {reason}", reason=refusal(error))


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
        missing = Text("no database at {url} (the demo's is sqlite:///var/demo.db)", url=url)
        say(err, missing, style="red")
        raise typer.Exit(2)
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    store = SqlStore(url, keyring=_keyring(required=keys))
    try:
        ensure_schema(store.engine, migrate=migrate, on_step=_shown if migrate else None)
    except SchemaBehind as e:
        say(err, e.text, style="red")
        raise typer.Exit(2) from None
    _check_keys(store)
    return store


def _shown(revision: str, title: str, seconds: float) -> None:
    took = Decimal(f"{seconds:.1f}")
    applied = Text(
        "schema {revision} applied in {seconds} s: {title}",
        revision=revision,
        seconds=took,
        title=title,
    )
    say(err, applied)


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
    wanted = either([ROLE_WORDS[r] for r in roles])
    records = ApiRecords(store.engine)
    if user_id is None:
        caller = _token_caller(records, wanted)
        user_id, role, scope = caller.user_id, caller.role, caller.scope
    else:
        found = records.user(user_id)
        if found is None or found.revoked_at is not None:
            unknown = Text(
                "--as {user}: no such active user (reintegrate users list)", user=user_id
            )
            say(err, unknown, style="red")
            raise typer.Exit(2)
        role, scope = found.role, scope_of(found.role, found.offices)
    if role not in roles:
        needs = Text(
            "{user} is {role}: this step needs a user who is {roles}",
            user=user_id,
            role=role.value,
            roles=wanted,
        )
        say(err, needs, style="red")
        raise typer.Exit(2)
    return Actor(user_id, scope)


def _token_caller(records: ApiRecords, wanted: Text) -> Caller:
    token = os.environ.get(TOKEN_ENV, "").strip()
    if not token:
        required = Text(
            "--as USER or ${variable} is required: a user who is {roles}",
            variable=TOKEN_ENV,
            roles=wanted,
        )
        say(err, required, style="red")
        raise typer.Exit(2)
    caller = authenticate(records, token, dt.datetime.now(dt.UTC))
    if caller is None:
        invalid = Text(
            "${variable} is not a valid token (unknown, expired or revoked)", variable=TOKEN_ENV
        )
        say(err, invalid, style="red")
        raise typer.Exit(2)
    return caller


def run(command: Callable[[], T]) -> T:
    """Run a use case; a refusal prints what and where, and exits 1 with nothing written."""
    try:
        return command()
    except DomainError as error:
        say(err, refused(error), style="red")
        raise typer.Exit(1) from error


@contextmanager
def progress_shown(description: Text) -> Iterator[Callable[[int, int], None]]:
    """A progress bar on stderr for long work, gone when it ends; yields the callback the
    work calls with (done, total)."""
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=err, transient=True) as progress:
        task = progress.add_task(said(description), total=None)

        def advance(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        yield advance


def database_problem(error: BaseException) -> str:
    """The database driver's own first line about `error`, without SQLAlchemy's wrapping."""
    cause = getattr(error, "orig", None) or error
    lines = [line.strip() for line in str(cause).splitlines() if line.strip()]
    return lines[0] if lines else type(cause).__name__
