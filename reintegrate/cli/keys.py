"""`reintegrate keys`: the master and digest keys that protect persons' records."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from reintegrate.adapters import signing
from reintegrate.adapters.keyring import (
    DIGEST_KEY_ENV,
    MASTER_KEY_ENV,
    KeyFileError,
    add_master_key,
    keyring_from_env,
    retire_master_keys,
    write_new_key_files,
)
from reintegrate.cli.common import DatabaseOption, console, open_store, progress_shown, say
from reintegrate.services.keys import rotate_data_keys
from reintegrate.texts import Text

keys_app = typer.Typer(no_args_is_help=True, help="Master and digest keys of persons' records.")
out = console()
err = console(stderr=True)


def _env_path(var: str) -> Path:
    value = os.environ.get(var, "").strip()
    if not value:
        say(err, Text("{variable} is not set: it must name a key file", variable=var), style="red")
        raise typer.Exit(2)
    return Path(value)


@keys_app.command("new")
def keys_new() -> None:
    """Create the master key file and the digest key file that the environment names
    (REINTEGRATE_MASTER_KEY_FILE, REINTEGRATE_DIGEST_KEY_FILE), readable by their owner only;
    an existing file is never overwritten."""
    master, digest = _env_path(MASTER_KEY_ENV), _env_path(DIGEST_KEY_ENV)
    try:
        write_new_key_files(master, digest)
    except KeyFileError as e:
        err.print(f"[red]{e}[/red]")
        raise typer.Exit(2) from None
    created = Text(
        "Created {master} and {digest}. Keep copies apart from the database's backups.",
        master=str(master),
        digest=str(digest),
    )
    say(out, created)


@keys_app.command("checkpoint-new")
def keys_checkpoint_new() -> None:
    """Create the Ed25519 key that signs journal checkpoints, in the file
    REINTEGRATE_CHECKPOINT_KEY_FILE names (readable by its owner only; never overwritten),
    and print its public key: publish it where auditors find it."""
    path = _env_path(signing.CHECKPOINT_KEY_ENV)
    try:
        public_key = signing.new_key_file(path)
    except FileExistsError:
        say(
            err, Text("{file} exists already: it is never overwritten", file=str(path)), style="red"
        )
        raise typer.Exit(2) from None
    say(
        out,
        Text("Created {file}. Its public key (REINTEGRATE_CHECKPOINT_PUBLIC_KEY):", file=str(path)),
    )
    out.print(public_key, highlight=False)


@keys_app.command("rotate")
def keys_rotate(
    database: DatabaseOption = None,
    retire: Annotated[
        bool, typer.Option(help="remove the older master keys from the file once done")
    ] = True,
) -> None:
    """Add a new master key to the master key file and re-wrap every data key with it
    (persons' and free text's); then, by default, remove the older master keys from the file."""
    master = _env_path(MASTER_KEY_ENV)
    store = open_store(database, existing=True)
    new_id = add_master_key(master)
    store.keyring = keyring_from_env()
    with progress_shown(Text("re-wrapping data keys")) as shown:
        done = [0]

        def advance(n: int) -> None:
            done[0] += n
            shown(done[0], 0)

        count = rotate_data_keys(store, advance)
    retired = retire_master_keys(master, new_id) if retire else []
    wrapped = (
        Text(
            "{count} data keys now wrapped by master key {key}; retired {retired}",
            count=count,
            key=new_id,
            retired=", ".join(retired),
        )
        if retired
        else Text("{count} data keys now wrapped by master key {key}", count=count, key=new_id)
    )
    say(out, wrapped)
