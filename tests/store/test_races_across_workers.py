"""32 requests at once against a component with room for exactly 5 of them, sent to two
worker processes: exactly 5 are accepted, whichever worker each lands on. The database alone
orders them."""

from __future__ import annotations

import json
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import httpx

from bench.api_throughput import API_PATH, COMPONENT_MINOR, CURRENCY

ASKED = 32
ROOM = 5
EACH = COMPONENT_MINOR // ROOM
BODY = json.dumps(
    {
        "component_id": "cash-1",
        "amount": {"amount": f"{EACH // 100}.{EACH % 100:02d}", "currency": CURRENCY},
        "channel": "mobile_money",
    }
)


def test_of_32_requests_at_once_exactly_the_5_that_fit_are_accepted(
    two_workers: tuple[str, str],
) -> None:
    base, token = two_workers
    start = Barrier(ASKED)

    def ask(_: int) -> int:
        headers = {
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/json",
            "Idempotency-Key": str(uuid.uuid4()),
        }
        with httpx.Client(timeout=60) as client:
            start.wait()
            return client.post(f"{base}{API_PATH}", content=BODY, headers=headers).status_code

    with ThreadPoolExecutor(ASKED) as pool:
        answers = Counter(pool.map(ask, range(ASKED)))

    assert answers == {201: ROOM, 422: ASKED - ROOM}
