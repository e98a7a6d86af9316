"""Servers run as an operator runs them, for the store tests: `reintegrate serve` in a
subprocess, on a free port."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


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


class Server:
    """`reintegrate serve --workers N` over a database, in its own process group, on a free
    port; started, killed or stopped as an operator (or a power loss) would."""

    def __init__(self, database_url: str, folder: Path, workers: int) -> None:
        self.url, self.folder, self.workers = database_url, folder, workers
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        command = [
            sys.executable, "-m", "reintegrate", "serve", "--workers", str(self.workers),
            "--port", str(self.port), "--database", self.url,
        ]  # fmt: skip
        log = self.folder / "server.log"
        with log.open("a") as out:
            self.process = subprocess.Popen(
                command, cwd=self.folder, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        wait_until_up(self.base, self.process, log)

    def kill(self) -> None:
        """SIGKILL to the server and its workers: nothing is flushed, nothing cleaned up."""
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)
