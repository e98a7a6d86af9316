"""Webhook delivery and the event feed, end to end on one machine.

1. Paced: `--rate` payment requests a second for `--seconds` (services, as the API's commands
   run them), each journaling a `DisbursementRequested` that a partner's subscription follows.
   A deliverer (`python -m reintegrate webhooks deliver`, its own process, polling every
   `--interval` s; started, and one event delivered, before the clock runs) posts each,
   signed, to a receiver in this process (a small HTTP server on 127.0.0.1). Reported:
   events/s delivered and the time from each command's commit to its delivery's arrival
   (p50, p99, max; target p99 < 1 s at 100 events/s).
2. Burst: `--burst` more requests as fast as one process makes them; reported: how fast the
   deliverer drains them (events/s from the first commit to the last arrival).
3. Feed: the partner reads every event through `GET /events` (the app in process, through
   its middleware: token, query rules, JSON), pages of `--page`; reported: events/s read.

    python -m bench.webhooks_feed [--rate 100] [--seconds 10] [--burst 5000] [--interval 0.2]
        [--page 500] [--database postgresql+psycopg://USER:PASSWORD@HOST/DB]

On SQLite (the default) a temporary file is used and deleted. It reports figures; the target
is informative.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import msgspec
from litestar.testing import TestClient

from api.app import create_app
from bench.api_throughput import COMPONENT, CURRENCY, OFFICE, OFFICER, PACKAGE_ID, set_up_api
from bench.keys import ensure_keys
from reintegrate.access import Role, Scope
from reintegrate.grants.disbursements import Channel
from reintegrate.services import packages as ps
from reintegrate.services import webhooks
from reintegrate.services.users import add_user
from reintegrate.store.api_records import ApiRecords
from reintegrate.store.sql import SqlStore
from reintegrate.store.sql_webhooks import WebhookRows
from tests.webhooks.receiver import Received, receiver

PARTNER = Scope(offices=frozenset({OFFICE}))


def _request(store: SqlStore) -> tuple[str, float]:
    """One payment request of 0.01; its id and when it had committed."""
    made = ps.request_disbursement(
        store,
        OFFICER,
        dt.datetime.now(dt.UTC),
        package_id=PACKAGE_ID,
        component_id=COMPONENT,
        amount=1,
        currency=CURRENCY,
        channel=Channel.MOBILE_MONEY,
        invoice_ref=None,
    )
    return made.disbursement_id, time.perf_counter()


def _wait_for(arrived: dict[str, float], ids: list[str], limit_s: float = 120) -> None:
    deadline = time.perf_counter() + limit_s
    while time.perf_counter() < deadline and not all(i in arrived for i in ids):
        time.sleep(0.05)


def _p(values: list[float], q: float) -> float:
    ranked = sorted(values)
    return ranked[min(len(ranked) - 1, max(0, round(q * len(ranked)) - 1))]


def paced(store: SqlStore, arrived: dict[str, float], rate: int, seconds: int) -> None:
    committed: dict[str, float] = {}
    start = time.perf_counter()
    for n in range(rate * seconds):
        pause = start + n / rate - time.perf_counter()
        if pause > 0:
            time.sleep(pause)
        made, at = _request(store)
        committed[made] = at
    _wait_for(arrived, list(committed))
    latencies = [arrived[i] - at for i, at in committed.items() if i in arrived]
    span = max(arrived[i] for i in committed if i in arrived) - min(committed.values())
    print(f"paced: {len(committed)} events at {rate}/s; delivered {len(latencies)}")
    print(f"  delivered {len(latencies) / span:.0f} events/s")
    print(
        f"  commit to delivery: p50 {statistics.median(latencies) * 1000:.0f} ms, "
        f"p99 {_p(latencies, 0.99) * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms "
        f"(target p99 < 1000 ms: {'MET' if _p(latencies, 0.99) < 1 else 'NOT MET'})"
    )


def burst(store: SqlStore, arrived: dict[str, float], count: int) -> None:
    start = time.perf_counter()
    ids = [_request(store)[0] for _ in range(count)]
    made_s = time.perf_counter() - start
    _wait_for(arrived, ids)
    done = [arrived[i] for i in ids if i in arrived]
    span = max(done) - start
    print(f"burst: {count} events committed in {made_s:.1f} s ({count / made_s:.0f}/s)")
    print(f"  delivered {len(done)} in {span:.1f} s: {len(done) / span:.0f} events/s")


def feed(store: SqlStore, page: int) -> None:
    token = add_user(
        ApiRecords(store.engine),
        "partner-bench",
        dt.datetime.now(dt.UTC),
        role=Role.PARTNER,
        offices=frozenset({OFFICE}),
    )
    headers = {"Authorization": f"Bearer {token}"}
    with TestClient(create_app(store)) as client:
        for label in ("cold", "warm"):
            count, after, start = 0, "", time.perf_counter()
            while True:
                answer = client.get(f"/events?limit={page}{after}", headers=headers).json()
                count += len(answer["items"])
                if not answer["items"]:
                    break
                after = f"&after={answer['next_cursor']}"
            took = time.perf_counter() - start
            print(f"feed ({label}): {count} events read in {took:.2f} s: {count / took:.0f}/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=int, default=100)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--burst", type=int, default=5000)
    parser.add_argument("--interval", type=float, default=0.2)
    parser.add_argument("--page", type=int, default=500)
    parser.add_argument("--database", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database or f"sqlite:///{Path(folder) / 'hooks.sqlite'}"
        (Path(folder) / "keys").mkdir()
        ensure_keys(Path(folder) / "keys")  # the deliverer opens the store with them too
        set_up_api(url)
        store = SqlStore(url)
        arrived: dict[str, float] = {}

        def note(delivery: Received) -> None:
            arrived[msgspec.json.decode(delivery.body)["data"]["disbursement_id"]] = (
                time.perf_counter()
            )

        with receiver() as hooks:
            hooks.on_receipt = note
            rows = WebhookRows(store.engine, store.keyring)
            webhooks.subscribe(
                rows,
                "partner-bench",
                Role.PARTNER,
                PARTNER,
                dt.datetime.now(dt.UTC),
                url=hooks.url,
                types=("DisbursementRequested",),
                office=OFFICE,
            )
            command = [sys.executable, "-m", "reintegrate", "webhooks", "deliver", "-d", url]
            command.append("--allow-private-network")  # the bench's receiver is on loopback
            deliverer = subprocess.Popen([*command, "--interval", str(args.interval)])
            try:
                _wait_for(arrived, [_request(store)[0]])  # the deliverer has started
                paced(store, arrived, args.rate, args.seconds)
                burst(store, arrived, args.burst)
            finally:
                deliverer.terminate()
                deliverer.wait(10)
        feed(store, args.page)
        store.engine.dispose()
        store.reader.dispose()


if __name__ == "__main__":
    main()
