"""Idempotency-Key on every POST (Stripe's semantics), as ASGI middleware.

The first request with a key runs and its response (any status below 500) is stored for the
caller; the same key and body later get that stored response again, marked
`Idempotent-Replayed: true`; the same key with another body gets 422; a key whose first
request is still running gets 409. The decisions are `reintegrate.idempotency`'s.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from anyio import to_thread
from litestar.types import ASGIApp

from api.problems import PROBLEM_JSON, problem
from reintegrate.errors import DomainError
from reintegrate.idempotency import Decision, check_key, decide, fingerprint
from reintegrate.services.users import Caller
from reintegrate.store.api_records import ApiRecords

Message = dict[str, Any]
T = TypeVar("T")
MAX_BODY = 1_000_000
REPLAYED = b"idempotent-replayed"
REPLAYED_HEADERS = frozenset({b"content-type", b"etag", b"location", b"content-disposition"})


class ClientGone(Exception):
    """The client disconnected before its body arrived: nothing is claimed or run."""


def body_limit(scope: Any) -> int:
    """The route's own body limit (an evidence upload allows more), else `MAX_BODY`."""
    handler = scope.get("route_handler")
    limit = handler.resolve_request_max_body_size() if handler is not None else None
    return int(limit) if limit else MAX_BODY


async def _read_body(receive: Any, limit: int) -> bytes | None:
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":  # the client left before sending it all
            raise ClientGone
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


async def _send_problem(send: Any, response: Any) -> None:
    headers = [(b"content-type", PROBLEM_JSON.encode())]
    await send({"type": "http.response.start", "status": response.status_code, "headers": headers})
    await send({"type": "http.response.body", "body": response.content})


async def _in_thread(scope: Any, call: Callable[..., T], *args: Any) -> T:
    """Run a store call on the app's record threads (`api.app.SQLITE_RECORD_THREADS`)."""
    return await to_thread.run_sync(call, *args, limiter=scope["app"].state.record_threads)


def idempotency_middleware(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            await app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        key = headers.get(b"idempotency-key", b"").decode("latin-1")
        caller = scope.get("user")
        if not key or not isinstance(caller, Caller):
            await app(scope, receive, send)  # the route itself answers the missing header or token
            return
        try:
            body = await _read_body(receive, body_limit(scope))
        except ClientGone:
            return
        if body is None:
            await _send_problem(
                send,
                problem(413, "request-too-large", f"bodies are at most {body_limit(scope)} bytes"),
            )
            return
        try:
            check_key(key)
        except DomainError as error:
            await _send_problem(
                send, problem(400, "request-invalid", error.message, field=error.field)
            )
            return
        state = scope["app"].state
        records: ApiRecords = state.records
        request_hash = fingerprint("POST", scope["path"], body)
        stored = await _in_thread(
            scope, records.claim_key, caller.user_id, key, request_hash, state.clock()
        )
        decision = decide(stored, request_hash, state.clock())
        if decision is Decision.MISMATCH:
            detail = "this Idempotency-Key was used with another request body or path"
            await _send_problem(
                send, problem(422, "idempotency-key-reused", detail, field="Idempotency-Key")
            )
            return
        if decision is Decision.IN_FLIGHT:
            detail = "a request with this Idempotency-Key is still running; retry later"
            await _send_problem(
                send, problem(409, "idempotency-key-in-flight", detail, field="Idempotency-Key")
            )
            return
        if decision is Decision.REPLAY and stored is not None and stored.status is not None:
            start_headers = [(n.encode("latin-1"), v.encode("latin-1")) for n, v in stored.headers]
            start_headers.append((REPLAYED, b"true"))
            await send(
                {"type": "http.response.start", "status": stored.status, "headers": start_headers}
            )
            await send({"type": "http.response.body", "body": stored.body or b""})
            return
        await _run_and_store(app, scope, body, send, (records, caller.user_id, key))

    return middleware


async def _run_and_store(
    app: ASGIApp, scope: Any, body: bytes, send: Any, claim: tuple[ApiRecords, str, str]
) -> None:
    """Run the request once and store its response under the claimed key (not a 5xx)."""
    records, caller, key = claim
    sent_body = False

    async def replay_body() -> Message:
        nonlocal sent_body
        if sent_body:
            return {"type": "http.disconnect"}
        sent_body = True
        return {"type": "http.request", "body": body, "more_body": False}

    captured: dict[str, Any] = {"status": 500, "headers": [], "body": []}

    async def capture(message: Message) -> None:
        if message["type"] == "http.response.start":
            captured["status"] = message["status"]
            for name, value in message.get("headers", []):
                if name.lower() in REPLAYED_HEADERS:
                    captured["headers"].append((name.decode("latin-1"), value.decode("latin-1")))
        elif message["type"] == "http.response.body":
            captured["body"].append(message.get("body", b""))
        await send(message)

    try:
        await app(scope, replay_body, capture)  # type: ignore[arg-type]
    except BaseException:
        await _in_thread(scope, records.release_key, caller, key)
        raise
    if captured["status"] >= 500:
        await _in_thread(scope, records.release_key, caller, key)
    else:
        await _in_thread(
            scope,
            records.complete_key,
            caller,
            key,
            captured["status"],
            b"".join(captured["body"]),
            tuple(captured["headers"]),
        )
