"""`kill -9` of the server under a write load, then a restart and a retry of every request:
no acknowledged write is missing, no key is stuck, no request has two effects, and the
journal verifies. On SQLite with one worker and on PostgreSQL with two."""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from bench.api_throughput import API_PATH, BODY, set_up_api
from reintegrate.services.audit import verify_audit
from reintegrate.store.sql import SqlStore
from tests.store.servers import Server

REQUESTS = 600
CLIENTS = 8
KILL_AFTER = 150
"""The server is killed once this many requests were answered, while others are running."""


@pytest.fixture
def server(database_url: str, tmp_path: Path) -> Iterator[tuple[Server, str]]:
    token = set_up_api(database_url)
    workers = 2 if database_url.startswith("postgresql") else 1
    running = Server(database_url, tmp_path, workers)
    running.start()
    try:
        yield running, token
    finally:
        running.stop()


def request_of(key: str) -> tuple[str, bytes]:
    """Half the keys ask for a payment (a route that claims its key in its command's own
    transaction), half register a person (a route whose key is claimed before it runs)."""
    n = int(key.rsplit("-", 1)[1])
    if n % 2 == 0:
        return API_PATH, BODY.encode()
    person = {
        "office": "dakar",
        "given_names": "Crash",
        "family_name": f"Test-{n}",
        "birth_year": 1980 + n % 30,
        "nationality": "SN",
        "external_refs": [f"crash-ref-{n}"],
    }
    return "/persons", json.dumps(person).encode()


def post(client: httpx.Client, base: str, token: str, key: str) -> int | str | None:
    """The answer's status (a 409's problem type instead), or None when no answer came (the
    server died meanwhile)."""
    headers = {
        "Authorization": f"Bearer {token}",
        "Content-Type": "application/json",
        "Idempotency-Key": key,
    }
    path, body = request_of(key)
    try:
        answer = client.post(f"{base}{path}", content=body, headers=headers)
    except httpx.TransportError:
        return None
    return str(answer.json()["type"]) if answer.status_code == 409 else answer.status_code


def kinds(store: SqlStore) -> Counter[str]:
    return Counter(type(e.event).__name__ for e in store.entries())


def kinds_in(url: str) -> Counter[str]:
    store = SqlStore(url)
    try:
        return kinds(store)
    finally:
        store.engine.dispose()
        store.reader.dispose()


def test_a_server_killed_under_load_loses_nothing_and_leaves_no_key_stuck(
    server: tuple[Server, str], database_url: str
) -> None:
    running, token = server
    before = kinds_in(database_url)
    keys = [f"crash-{n:04d}" for n in range(REQUESTS)]
    answered = threading.Semaphore(0)

    def send(client: httpx.Client, key: str) -> int | str | None:
        status = post(client, running.base, token, key)
        if status is not None:
            answered.release()
        return status

    def kill_after_some_answers() -> None:
        for _ in range(KILL_AFTER):
            answered.acquire()
        running.kill()

    killer = threading.Thread(target=kill_after_some_answers)
    killer.start()
    with httpx.Client(timeout=10) as client, ThreadPoolExecutor(CLIENTS) as pool:
        first = dict(zip(keys, pool.map(lambda k: send(client, k), keys), strict=True))
    killer.join()
    acknowledged = [k for k, status in first.items() if status == 201]
    assert acknowledged, "some requests were answered before the kill"
    assert None in first.values(), "the kill came while requests were still being sent"

    running.start()
    with httpx.Client(timeout=10) as client:
        retried = {key: post(client, running.base, token, key) for key in keys}

    assert set(Counter(retried.values())) <= {201, "/problems/answer-lost"}, Counter(
        retried.values()
    )
    store = SqlStore(database_url)
    try:
        report = verify_audit(store)
        assert report.ok, report
        effects = kinds(store) - before
        with store.engine.connect() as conn:
            stuck = conn.exec_driver_sql(
                "SELECT count(*) FROM idempotency_keys WHERE status IS NULL"
            ).scalar_one()
    finally:
        store.engine.dispose()
        store.reader.dispose()
    assert effects["DisbursementRequested"] == REQUESTS // 2, "one effect for each key"
    assert effects["PersonRegistered"] == REQUESTS // 2, "one effect for each key"
    assert stuck == 0
    assert all(retried[k] == 201 for k in acknowledged), "an acknowledged write is replayed"
