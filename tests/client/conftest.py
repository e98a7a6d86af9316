"""The demo server, in process: the API over a fresh demo database, with the demo users'
tokens, as `./run` serves it; and clients of it, sync and async."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient, TestClient

from api.app import create_app
from reintegrate import demo
from reintegrate.client import AsyncClient, Client
from reintegrate.store.api_records import ApiRecords
from reintegrate.store.sql import SqlStore


@dataclass(frozen=True)
class Demo:
    app: Litestar
    http: TestClient[Litestar]
    """The app in process, started."""
    tokens: dict[str, str]
    """The demo users' tokens by user id (`officer-dakar`, `auditor-1`...)."""

    def client(self, user: str) -> Client:
        """A client of `user` over the app."""
        return Client(token=self.tokens[user], http=self.http)

    def async_client(self, user: str) -> AsyncClient:
        """An async client of `user` over the app: start its `http` in the event loop
        (`async with client, client.http`)."""
        return AsyncClient(token=self.tokens[user], http=AsyncTestClient(self.app))


@pytest.fixture
def demo_server(tmp_path: Path) -> Iterator[Demo]:
    """A fresh demo database (six households: the demo leaves 12 approved mobile-money
    payments waiting for a batch) served by the API."""
    store = SqlStore(f"sqlite:///{tmp_path / 'demo.db'}")
    store.create_all()
    now = dt.datetime.now(dt.UTC)
    demo.load_demo(store, 6, now - dt.timedelta(days=1))
    tokens = dict(demo.add_demo_users(ApiRecords(store.engine), now))
    app = create_app(store)
    with TestClient(app) as http:
        yield Demo(app, http, tokens)
    store.engine.dispose()
    store.reader.dispose()
