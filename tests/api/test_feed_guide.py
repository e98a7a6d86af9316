"""docs/embedding.md's partner code for the event feed and webhooks, run against the API:
it follows the feed to the end and back, and verifies a real delivery."""

from __future__ import annotations

import datetime as dt
import itertools
import re
import time
from pathlib import Path
from typing import Any

import pytest

from reintegrate.adapters.webhook_http import sender
from reintegrate.services import webhooks
from reintegrate.store.sql_webhooks import WebhookRows
from tests.api.conftest import World, approve, call
from tests.webhooks.receiver import receiver

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "embedding.md"
SECTION = "## Following changes: the event feed and webhooks"


def _guide() -> dict[str, Any]:
    text = GUIDE.read_text(encoding="utf-8").split(SECTION, 1)[1]
    namespace: dict[str, Any] = {"__name__": "guide"}
    for code in re.findall(r"```python\n(.*?)```", text, re.DOTALL):
        exec(compile(code, str(GUIDE), "exec"), namespace)
    return namespace


def test_the_guides_follower_reads_the_partners_events_and_resumes_from_a_cursor(
    world: World,
) -> None:
    follow = _guide()["follow_events"]
    http = world.client
    http.headers["Authorization"] = f"Bearer {http.tokens['partner']}"
    try:
        seen = call(world.client, "partner", "GET", "/events?limit=500").json()["items"]
        first = list(itertools.islice(follow(http), len(seen)))
        approve(world.client, world.submitted_package)
        [(after, _)] = itertools.islice(follow(http, after=first[-1][1]), 1)
    finally:
        del http.headers["Authorization"]

    assert [event for event, _ in first] == seen
    assert (after["type"], after["subject"]) == (
        "PackageApproved",
        f"packages/{world.submitted_package}",
    )


def test_the_guides_check_takes_a_real_delivery_and_refuses_a_changed_one(world: World) -> None:
    verified = _guide()["verified_event"]
    with receiver() as hooks:
        made = call(
            world.client,
            "partner",
            "POST",
            "/webhook-subscriptions",
            {"url": hooks.url, "types": ["PackageApproved"]},
        ).json()
        approve(world.client, world.submitted_package)
        rows, on_loopback = (
            WebhookRows(world.store.engine, world.store.keyring),
            sender(allow_private=True),
        )
        webhooks.deliver_due(rows, on_loopback, lambda: dt.datetime.now(dt.UTC))

    [delivery] = hooks.received
    event = verified(made["secret"], delivery.headers, delivery.body, time.time())
    assert event["subject"] == f"packages/{world.submitted_package}"
    with pytest.raises(ValueError, match="signature"):
        verified(made["secret"], delivery.headers, delivery.body + b" ", time.time())
    with pytest.raises(ValueError, match="5 minutes"):
        verified(made["secret"], delivery.headers, delivery.body, time.time() + 3600)
