"""The README's curl walk-through, run as written against `reintegrate serve --demo`."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

README = Path(__file__).resolve().parent.parent / "README.md"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    """The API with demo data on a free port of 127.0.0.1, run from `tmp_path`."""
    port = free_port()
    command = [
        sys.executable, "-m", "reintegrate", "serve", "--demo", "--demo-households", "10",
        "--demo-monitoring-cohort", "0", "--port", str(port), "--database", f"sqlite:///{tmp_path}/demo.db",
    ]  # fmt: skip
    log = (tmp_path / "server.log").open("w")
    process = subprocess.Popen(command, cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            assert process.poll() is None, (tmp_path / "server.log").read_text()
            try:
                with urllib.request.urlopen(f"{base}/health", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                time.sleep(0.3)
        else:
            pytest.fail("the server did not start in 90 s")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


def walkthrough(section: str = "Walk-through with curl") -> str:
    pattern = rf"## {re.escape(section)}\n.*?```sh\n(.*?)```"
    match = re.search(pattern, README.read_text(), re.S)
    assert match is not None, f"the README lost its section '{section}'"
    return match.group(1)


def run_section(
    section: str, server: str, tmp_path: Path, language: str | None = None
) -> subprocess.CompletedProcess[str]:
    if shutil.which("curl") is None:
        pytest.skip("curl is not installed")
    asked = {} if language is None else {"ACCEPT_LANGUAGE": language}
    return subprocess.run(
        ["bash", "-euo", "pipefail", "-c", walkthrough(section)],
        cwd=tmp_path,
        env={**os.environ, "BASE": server, **asked},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_readme_walkthrough_runs_as_written(server: str, tmp_path: Path) -> None:
    result = run_section("Walk-through with curl", server, tmp_path)

    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[:1] + lines[2:7] == [
        "{'amount': '3615.00', 'currency': 'EUR'}",
        "submitted",
        "approved",
        "approved",
        "{'amount': '609.80', 'currency': 'EUR'}",
        "DisbursementPaid",
    ]
    assert re.fullmatch(
        r"principal, age \d+ on return \(no age band\), country category partner", lines[1]
    )
    assert lines[7] == (
        "amount left to pay on component c2: limit 2000.00 EUR, used 0.00 EUR, asked 2000.01 EUR"
    )
    assert len(lines) == 8


def test_the_readme_walkthrough_run_in_french_says_its_details_in_french(
    server: str, tmp_path: Path
) -> None:
    result = run_section("Walk-through with curl", server, tmp_path, language="fr")

    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "{'amount': '3615.00', 'currency': 'EUR'}"
    assert re.fullmatch(
        r"personne principale, \d+ ans au retour \(aucune tranche d'âge\), "
        r"catégorie de pays partner",
        lines[1],
    )
    assert lines[2:7] == ["submitted", "approved", "approved", lines[5], "DisbursementPaid"]
    assert lines[7] == (
        "montant restant à payer sur la composante c2 : "
        "plafond 2\u202f000,00\xa0€, utilisé 0,00\xa0€, demandé 2\u202f000,01\xa0€"
    )


def test_the_readme_business_plan_runs_from_draft_to_its_last_tranche(
    server: str, tmp_path: Path
) -> None:
    result = run_section("A business plan, from draft to its last tranche", server, tmp_path)

    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines() == [
        "submitted",
        "3.60",
        "approved",
        "active",
        "480.00",
        "160.00",
        "completed",
    ]
