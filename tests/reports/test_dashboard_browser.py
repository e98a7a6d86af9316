"""The dashboard in a real browser: headless Chromium opens the demo programme's page with
the link the API gave a manager, under the page's own Content-Security-Policy, and draws its
charts; the screenshot is kept as `var/artifacts/dashboard.png` (the README's picture is a
copy of it: `cp var/artifacts/dashboard.png docs/images/dashboard.png`).

Chromium is Debian's `chromium` package, which `.ci/run` installs: without it this test is
skipped on a workstation and fails in CI (`CI=true`), so CI cannot pass without it running.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn
from matplotlib import image

from api.app import create_app
from reintegrate import demo
from reintegrate.access import Role
from reintegrate.demo.cohort import COHORT_PER_ATOM
from reintegrate.services.users import add_user
from reintegrate.store.api_records import ApiRecords
from reintegrate.store.sql import SqlStore

ARTIFACTS = Path(__file__).resolve().parents[2] / "var" / "artifacts"
HOUSEHOLDS = 60
"""The demo's households, beside its monitoring cohort (what `./run` serves, smaller)."""
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
    "--enable-logging=stderr",
    "--v=0",
)
WIDTH, HEIGHT = 1280, 3000
"""The screenshot's size: the whole page, down to the follow-ups."""
SCORES = ("scores-form", "scores-level", "scores-business_plan")
"""The score charts of the sections the demo's answers fill."""
PAID_GREEN = (0, 158, 115)
"""The colour the charts give paid amounts (#009e73)."""


@pytest.fixture(scope="module")
def chromium() -> str:
    found = shutil.which("chromium")
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("chromium is not installed: .ci/run installs Debian's chromium package")
        pytest.skip("chromium is not installed (apt-get install chromium chromium-driver)")
    return found


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """The API over the demo data, served by uvicorn on a free port of this machine; its
    base URL and the token of a programme manager (an admin)."""
    path = tmp_path_factory.mktemp("browser") / "demo.db"
    store = SqlStore(f"sqlite:///{path}")
    store.create_all()
    now = dt.datetime.now(dt.UTC)
    demo.load_demo(
        store, HOUSEHOLDS, now - dt.timedelta(minutes=1), monitoring_cohort=COHORT_PER_ATOM
    )
    token = add_user(
        ApiRecords(store.engine), "manager-1", now, role=Role.ADMIN, offices=frozenset()
    )
    listening = socket.socket()
    listening.bind(("127.0.0.1", 0))
    config = uvicorn.Config(
        create_app(store), loop="asyncio", http="h11", log_level="warning", lifespan="on"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listening]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "the server did not start"
    yield f"http://127.0.0.1:{listening.getsockname()[1]}", token
    server.should_exit = True
    thread.join(timeout=10)
    listening.close()


def page_url(served: tuple[str, str]) -> str:
    base, token = served
    answer = httpx.get(
        f"{base}/programmes/eurp/dashboard/link", headers={"Authorization": f"Bearer {token}"}
    )
    assert answer.status_code == 200, answer.text
    url: str = answer.json()["url"]
    return base + url


def browse(chromium: str, profile: Path, url: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Chromium, with a fresh profile, on `url`."""
    command = [chromium, *FLAGS, f"--user-data-dir={profile}", *args, url]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done


def test_the_browser_draws_every_chart_with_its_title(
    chromium: str, served: tuple[str, str], tmp_path: Path
) -> None:
    done = browse(chromium, tmp_path / "profile", page_url(served), "--dump-dom")
    dom = done.stdout
    drawn = dict(re.findall(r'<svg [^>]*?id="([\w-]+)"[^>]*>\s*<title id="[\w-]+">([^<]+)<', dom))
    assert set(drawn) == {"spending", "payments", *SCORES, "follow-ups"}
    assert drawn["spending"] == "Spending against budget (EUR)"
    assert len(re.findall(r'id="spending-paid-\d+"', dom)) == 1, "one budget line"
    assert len(re.findall(r'id="payments-paid-\d+"', dom)) >= 2, "payments of several months"
    assert "No survey answers yet." not in dom
    assert "Content Security Policy" not in done.stderr, "the page's policy blocked something"


def test_the_monitoring_cohort_draws_forms_and_levels_of_assistance_as_boxes(
    chromium: str, served: tuple[str, str], tmp_path: Path
) -> None:
    dom = browse(chromium, tmp_path / "profile", page_url(served), "--dump-dom").stdout

    assert len(re.findall(r'id="scores-form-box-\d+"', dom)) >= 2, "forms not suppressed"
    assert len(re.findall(r'id="scores-level-box-\d+"', dom)) >= 2, "levels not suppressed"
    assert re.search(r'id="follow-ups-reached-\d+"', dom), "reached follow-ups drawn"


def test_the_screenshot_shows_the_charts_in_their_colours(
    chromium: str, served: tuple[str, str], tmp_path: Path
) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / "dashboard.png"
    shot.unlink(missing_ok=True)
    args = (f"--screenshot={shot}", f"--window-size={WIDTH},{HEIGHT}")
    done = browse(chromium, tmp_path / "profile", page_url(served), *args)
    assert "Content Security Policy" not in done.stderr
    pixels = image.imread(shot)
    height, width = pixels.shape[:2]
    assert (width, height) == (WIDTH, HEIGHT)
    rgb = (pixels[:, :, :3] * 255).round()
    green = ((abs(rgb - PAID_GREEN)).max(axis=2) <= 2).sum()
    assert green > 500, "the paid amounts are drawn in their colour"
