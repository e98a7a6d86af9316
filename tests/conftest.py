"""Every test process has keys for persons' records: key files made once in a temporary
folder and named in the environment, as `./run` names var/keys/ (stores read their keyring
from there unless given one)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from reintegrate.adapters.keyring import DIGEST_KEY_ENV, MASTER_KEY_ENV, write_new_key_files

_KEYS = tempfile.TemporaryDirectory(prefix="reintegrate-test-keys-")


def pytest_configure(config: pytest.Config) -> None:
    master, digest = Path(_KEYS.name) / "master.keys", Path(_KEYS.name) / "digest.key"
    if not master.exists():
        write_new_key_files(master, digest)
    os.environ[MASTER_KEY_ENV] = str(master)
    os.environ[DIGEST_KEY_ENV] = str(digest)
