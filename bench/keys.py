"""The keys that seal persons' records, for benchmarks: the environment's, else key files
kept under bench/results/keys/ (beside the databases some benchmarks keep between runs, whose
persons must still open), made on first use."""

from __future__ import annotations

import os
from pathlib import Path

from reintegrate.adapters.keyring import DIGEST_KEY_ENV, MASTER_KEY_ENV, write_new_key_files

KEPT = Path(__file__).resolve().parent / "results" / "keys"


def ensure_keys(directory: Path = KEPT) -> None:
    """Name key files in the environment (for this process and the servers it starts),
    unless it names some already."""
    if os.environ.get(MASTER_KEY_ENV, "").strip():
        return
    master, digest = directory / "master.keys", directory / "digest.key"
    if not master.exists():
        write_new_key_files(master, digest)
    os.environ[MASTER_KEY_ENV] = str(master)
    os.environ[DIGEST_KEY_ENV] = str(digest)
