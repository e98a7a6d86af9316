"""One operation's exchange with the server, retries included, without I/O.

`exchange` is a generator: it yields what to send (`Send`) or how long to wait (`Wait`), is
sent back each answer (or the transport error that stood for it), and returns the decoded
`Answer` or raises the problem. Both clients drive it: the sync one with `httpx.Client` and
`time.sleep`, the async one with `httpx.AsyncClient` and `asyncio.sleep`; everything else
(the Idempotency-Key, which answers are retried, the backoff, decoding) is here, once.

A POST gets one Idempotency-Key, made here, and every retry sends the same one: the server
then runs the command at most once and answers a retry with the stored answer.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Generator
from dataclasses import dataclass
from email.message import Message
from typing import Any, Generic, TypeVar, cast

import httpx

from reintegrate.client.calls import Call, Download, decode, encode
from reintegrate.client.problem_types import IdempotencyKeyInFlight, problem_from

T = TypeVar("T")
PROBLEM_JSON = "application/problem+json"
RETRIED_STATUSES = frozenset({502, 503, 504})


@dataclass(frozen=True)
class Retries:
    """How often and how patiently a request is tried again: after a 409
    `idempotency-key-in-flight` (the first request with its key still runs), a 502, 503 or
    504, or a connection that failed. Waits double from `first_wait` up to `longest_wait`,
    each with up to a quarter more at random so that clients do not retry in step; a
    `Retry-After` of a few seconds is honoured."""

    attempts: int = 5
    """Tries in all (1: never retry)."""
    first_wait: float = 0.1
    longest_wait: float = 5.0

    def wait(self, attempt: int, retry_after: str | None = None) -> float:
        """Seconds to wait after try number `attempt` (from 0) failed."""
        if retry_after is not None and retry_after.strip().isdigit():
            return min(float(retry_after), self.longest_wait)
        base = min(self.first_wait * 2.0**attempt, self.longest_wait)
        return base * (1 + random.random() / 4)  # jitter, not a secret


@dataclass(frozen=True)
class Answer(Generic[T]):
    """A successful answer: the decoded `value`, the resource version's `etag` (send it
    back as `if_match`), whether it was `replayed` from an earlier request with the same
    key, and that `idempotency_key`."""

    value: T
    etag: str | None
    status: int
    replayed: bool = False
    idempotency_key: str | None = None


@dataclass(frozen=True)
class Send:
    """Send this request (the arguments of `httpx.Client.request`)."""

    arguments: dict[str, Any]


@dataclass(frozen=True)
class Wait:
    seconds: float


Outcome = httpx.Response | httpx.TransportError
Exchange = Generator[Send | Wait, Outcome | None, Answer[T]]


def new_key() -> str:
    return f"client-{uuid.uuid4()}"


def exchange(call: Call[T], headers: dict[str, str], retries: Retries) -> Exchange[T]:
    """Send `call` with `headers` (the token), retrying as `retries` says."""
    key = new_key() if call.is_post else None
    arguments = request_arguments(call, headers, key)
    attempt = 0
    while True:
        outcome = yield Send(arguments)
        assert outcome is not None, "the driver sends back every answer"
        if attempt + 1 < retries.attempts and is_retried(outcome):
            yield Wait(retries.wait(attempt, retry_after(outcome)))
            attempt += 1
            continue
        return settle(call, outcome, key)


def request_arguments(call: Call[Any], headers: dict[str, str], key: str | None) -> dict[str, Any]:
    sent = {**headers, **call.headers}
    if key is not None:
        sent["Idempotency-Key"] = key
    arguments: dict[str, Any] = {"method": call.method, "url": call.path, "headers": sent}
    if call.query:
        arguments["params"] = dict(call.query)
    if call.files is not None:
        files = call.files.items()
        arguments["files"] = {k: (f.filename, f.content, f.media_type) for k, f in files}
        arguments["data"] = dict(call.form or {})
    elif call.body is not None or call.is_post:
        arguments["content"] = encode(call.body) if call.body is not None else b"{}"
        sent["Content-Type"] = "application/json"
    return arguments


def is_retried(outcome: Outcome) -> bool:
    if isinstance(outcome, httpx.TransportError):
        return True
    if outcome.status_code in RETRIED_STATUSES:
        return True
    return outcome.status_code == 409 and problem_type(outcome) == IdempotencyKeyInFlight.TYPE


def problem_type(response: httpx.Response) -> str | None:
    if media_type(response) != PROBLEM_JSON:
        return None
    try:
        kind: object = response.json().get("type")
    except ValueError:
        return None
    return kind.removeprefix("/problems/") if isinstance(kind, str) else None


def retry_after(outcome: Outcome) -> str | None:
    return None if isinstance(outcome, httpx.TransportError) else outcome.headers.get("retry-after")


def settle(call: Call[T], outcome: Outcome, key: str | None) -> Answer[T]:
    """The answer decoded, or its problem raised (the transport error, if that was last)."""
    if isinstance(outcome, httpx.TransportError):
        raise outcome
    if not outcome.is_success:
        raise problem_from(outcome.status_code, outcome.content)
    return Answer(
        value=read_value(call, outcome),
        etag=outcome.headers.get("etag"),
        status=outcome.status_code,
        replayed=outcome.headers.get("idempotent-replayed") == "true",
        idempotency_key=key,
    )


def read_value(call: Call[T], response: httpx.Response) -> T:
    if call.answer is Download:
        file = Download(response.content, media_type(response), filename(response))
        return cast("T", file)  # T is Download here
    return decode(response.content, call.answer)


def media_type(response: httpx.Response) -> str:
    given: str = response.headers.get("content-type", "")
    return given.split(";", maxsplit=1)[0].strip()


def filename(response: httpx.Response) -> str | None:
    disposition = response.headers.get("content-disposition")
    if disposition is None:
        return None
    message = Message()
    message["content-disposition"] = disposition
    name = message.get_filename()
    return name if isinstance(name, str) else None
