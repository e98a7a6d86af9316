"""`reintegrate serve --workers 2`: two processes, one database, the real clock. Every
legitimate command is accepted, whichever worker reads the clock first and whichever reaches
the journal first, and the journal verifies."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from bench.api_throughput import API_PATH, BODY, set_up_api
from reintegrate.services.audit import verify_audit
from reintegrate.store.sql import SqlStore

CLIENTS = 16
REQUESTS = 320


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture
def two_workers(database_url: str, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """The API served by two worker processes over `database_url`: (base URL, a token)."""
    token = set_up_api(database_url)
    port = free_port()
    command = [
        sys.executable, "-m", "reintegrate", "serve", "--workers", "2",
        "--port", str(port), "--database", database_url,
    ]  # fmt: skip
    log_path = tmp_path / "server.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(command, cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_up(base, process, log_path)
            yield base, token
        finally:
            process.terminate()
            process.wait(timeout=30)


def wait_until_up(base: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text()
        try:
            if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    pytest.fail("the workers did not start in 60 s")


def test_two_workers_accept_every_legitimate_command_with_the_real_clock(
    two_workers: tuple[str, str], database_url: str
) -> None:
    base, token = two_workers

    def ask(client: httpx.Client) -> int:
        headers = {
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/json",
            "Idempotency-Key": str(uuid.uuid4()),
        }
        return client.post(f"{base}{API_PATH}", content=BODY, headers=headers).status_code

    with httpx.Client(timeout=30) as client, ThreadPoolExecutor(CLIENTS) as pool:
        answers = Counter(pool.map(lambda _: ask(client), range(REQUESTS)))

    assert answers == {201: REQUESTS}
    store = SqlStore(database_url)
    try:
        report = verify_audit(store)
        assert report.ok, report
        requested = [
            e for e in store.entries() if type(e.event).__name__ == "DisbursementRequested"
        ]
        assert len(requested) == REQUESTS
    finally:
        store.engine.dispose()
        store.reader.dispose()
