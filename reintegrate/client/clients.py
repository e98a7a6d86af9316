"""The two clients: `Client` over `httpx.Client`, `AsyncClient` over `httpx.AsyncClient`.

They share every operation (`Operations`) and the whole exchange (`exchange.py`); each only
sends a request and waits in its own way.
"""

from __future__ import annotations

import asyncio
import time
from types import TracebackType
from typing import Self, TypeVar

import httpx

from reintegrate.client.calls import Call
from reintegrate.client.exchange import Answer, Exchange, Retries, Send, exchange
from reintegrate.client.operations import AsyncSender, Sender
from reintegrate.client.ops import Operations

R = TypeVar("R")
TIMEOUT = 30.0


class Settings:
    """What both clients hold: the caller's token and how they retry."""

    def __init__(self, token: str | None, retries: Retries) -> None:
        self.token, self.retries = token, retries

    def exchange(self, call: Call[R]) -> Exchange[R]:
        headers = {} if self.token is None else {"Authorization": f"Bearer {self.token}"}
        return exchange(call, headers, self.retries)


class Client(Operations, Sender, Settings):
    """The API over HTTP, synchronously: `Client("https://host", token)`, or over an
    `httpx.Client` of your own (`http=`, its `base_url` the server's), shared with
    `as_user(token)` for another user. Close it (or use `with`) when done."""

    def __init__(
        self,
        base_url: str = "",
        token: str | None = None,
        *,
        http: httpx.Client | None = None,
        retries: Retries = Retries(),  # noqa: B008 (frozen)
    ) -> None:
        Settings.__init__(self, token, retries)
        self.owns_http = http is None
        self.http = http if http is not None else httpx.Client(base_url=base_url, timeout=TIMEOUT)

    def as_user(self, token: str) -> Client:
        """A client for another user over the same connections."""
        return Client(token=token, http=self.http, retries=self.retries)

    def send(self, call: Call[R]) -> Answer[R]:
        steps = self.exchange(call)
        step = next(steps)
        try:
            while True:
                if isinstance(step, Send):
                    step = steps.send(self._request(step))
                else:
                    time.sleep(step.seconds)
                    step = steps.send(None)
        except StopIteration as done:
            answer: Answer[R] = done.value
            return answer

    def _request(self, step: Send) -> httpx.Response | httpx.TransportError:
        try:
            return self.http.request(**step.arguments)
        except httpx.TransportError as failed:
            return failed

    def close(self) -> None:
        if self.owns_http:
            self.http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class AsyncClient(Operations, AsyncSender, Settings):
    """The same API, awaited: every operation returns a coroutine, and a list's `all(...)`
    an async iterator."""

    def __init__(
        self,
        base_url: str = "",
        token: str | None = None,
        *,
        http: httpx.AsyncClient | None = None,
        retries: Retries = Retries(),  # noqa: B008 (frozen)
    ) -> None:
        Settings.__init__(self, token, retries)
        self.owns_http = http is None
        self.http = (
            http if http is not None else httpx.AsyncClient(base_url=base_url, timeout=TIMEOUT)
        )

    def as_user(self, token: str) -> AsyncClient:
        return AsyncClient(token=token, http=self.http, retries=self.retries)

    async def send(self, call: Call[R]) -> Answer[R]:
        steps = self.exchange(call)
        step = next(steps)
        try:
            while True:
                if isinstance(step, Send):
                    step = steps.send(await self._request(step))
                else:
                    await asyncio.sleep(step.seconds)
                    step = steps.send(None)
        except StopIteration as done:
            answer: Answer[R] = done.value
            return answer

    async def _request(self, step: Send) -> httpx.Response | httpx.TransportError:
        try:
            return await self.http.request(**step.arguments)
        except httpx.TransportError as failed:
            return failed

    async def close(self) -> None:
        if self.owns_http:
            await self.http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()
