"""Requests at once against components with room for exactly 5 of them each, sent to two
worker processes: exactly 5 per component are accepted, whichever worker each lands on. The
database alone orders them: on PostgreSQL the payments of different cases run side by side,
those of one case one after the other (docs/journal.md)."""

from __future__ import annotations

import json
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import httpx

from bench.api_throughput import API_PATH, COMPONENT_MINOR, CURRENCY, disbursements_path
from reintegrate.services.audit import verify_audit
from reintegrate.store.sql import SqlStore

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


def ask_at_once(base: str, token: str, paths: list[str]) -> list[int]:
    """POST the payment to each path, all requests released together: their statuses."""
    start = Barrier(len(paths))

    def ask(path: str) -> int:
        headers = {
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/json",
            "Idempotency-Key": str(uuid.uuid4()),
        }
        with httpx.Client(timeout=60) as client:
            start.wait()
            return client.post(f"{base}{path}", content=BODY, headers=headers).status_code

    with ThreadPoolExecutor(len(paths)) as pool:
        return list(pool.map(ask, paths))


def test_of_32_requests_at_once_exactly_the_5_that_fit_are_accepted(
    two_workers: tuple[str, str],
) -> None:
    base, token = two_workers
    answers = Counter(ask_at_once(base, token, [API_PATH] * ASKED))
    assert answers == {201: ROOM, 422: ASKED - ROOM}


def test_payments_on_four_cases_at_once_each_stop_at_their_own_room_and_the_journal_holds(
    two_workers_four_cases: tuple[str, str], database_url: str
) -> None:
    base, token = two_workers_four_cases
    paths = [disbursements_path(n % 4 + 1) for n in range(48)]

    answers = ask_at_once(base, token, paths)

    for package in range(1, 5):
        path = disbursements_path(package)
        mine = Counter(a for p, a in zip(paths, answers, strict=True) if p == path)
        assert mine == {201: ROOM, 422: 12 - ROOM}, f"{path}: {mine}"
    store = SqlStore(database_url)
    try:
        report = verify_audit(store)
        assert report.ok, report
        seqs = [entry.seq for entry in store.entries()]
        assert seqs == list(range(1, len(seqs) + 1))
    finally:
        store.engine.dispose()
        store.reader.dispose()
