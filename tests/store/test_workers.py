"""`reintegrate serve --workers 2`: two processes, one database, the real clock. Every
legitimate command is accepted, whichever worker reads the clock first and whichever reaches
the journal first, and the journal verifies."""

from __future__ import annotations

import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import httpx

from bench.api_throughput import API_PATH, BODY
from reintegrate.services.audit import verify_audit
from reintegrate.store.sql import SqlStore

CLIENTS = 16
REQUESTS = 320


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
