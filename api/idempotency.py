"""Idempotency-Key on every POST (Stripe's semantics), as ASGI middleware.

The first request with a key runs and its response (any status below 500) is stored for the
caller; the same key and body later get that stored response again, marked
`Idempotent-Replayed: true`; the same key with another body gets 422; a key whose first
request is still running gets 409. The decisions are `reintegrate.idempotency`'s.

A response is held back until its key is settled (completed, or released after a 5xx), so
that a client retrying as soon as it has the answer finds it stored. A route that settles
its key in its command's own transaction (`api.keyed`) is not claimed here: this middleware
only hands it the checked key and stores what the route did not (a refusal).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from anyio import to_thread
from litestar.types import ASGIApp

from api.context import FENCE
from api.keyed import CLAIM, IN_COMMAND, IN_FLIGHT, PERSONAL_ANSWER, REUSED, FencedStore, KeyClaim
from api.owners import owner_gone
from api.problems import PROBLEM_JSON, language_in, problem
from reintegrate.errors import DomainError
from reintegrate.idempotency import Answer, Decision, Stored, check_key, decide, fingerprint
from reintegrate.services.users import Caller
from reintegrate.store.api_records import ApiRecords
from reintegrate.texts import Text

Message = dict[str, Any]
T = TypeVar("T")
MAX_BODY = 1_000_000
REPLAYED = b"idempotent-replayed"
REPLAYED_HEADERS = frozenset(
    {b"content-type", b"content-language", b"etag", b"location", b"content-disposition"}
)


class ClientGone(Exception):
    """The client disconnected before its body arrived: nothing is claimed or run."""


def body_limit(scope: Any) -> int:
    """The route's own body limit (an evidence upload allows more), else `MAX_BODY`."""
    handler = scope.get("route_handler")
    limit = handler.resolve_request_max_body_size() if handler is not None else None
    return int(limit) if limit else MAX_BODY


async def read_body(receive: Any, limit: int) -> bytes | None:
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


async def whole_body(scope: Any, receive: Any, send: Any) -> bytes | None:
    """The request's body; None when the client left, or when the body is over the route's
    limit (then answered with 413)."""
    try:
        body = await read_body(receive, body_limit(scope))
    except ClientGone:
        return None
    if body is None:
        most = Text("bodies are at most {limit} bytes", limit=body_limit(scope))
        await send_problem(
            send, problem(413, "request-too-large", most, language=language_in(scope))
        )
    return body


async def send_problem(send: Any, response: Any) -> None:
    """A problem made by `problem`, sent by a middleware, with its headers (the language it
    is in among them)."""
    headers = [(b"content-type", PROBLEM_JSON.encode())]
    headers += [(k.lower().encode(), str(v).encode("latin-1")) for k, v in response.headers.items()]
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
        body = await whole_body(scope, receive, send)
        if body is None:
            return
        try:
            check_key(key)
        except DomainError as error:
            said = error.text
            refusal = problem(
                400, "request-invalid", said, field=error.field, language=language_in(scope)
            )
            await send_problem(send, refusal)
            return
        request_hash = fingerprint("POST", scope["path"], body)
        claim = KeyClaim(caller.user_id, key, request_hash, scope["app"].state.clock())
        if _claims_in_command(scope):
            scope.setdefault("state", {})[CLAIM] = claim
            await _run_claimed_by_route(app, scope, body, send, claim)
        else:
            await _claim_and_run(app, scope, body, send, claim)

    return middleware


def _claims_in_command(scope: Any) -> bool:
    """Whether the route claims the key in its command's own transaction (`api.keyed`)."""
    handler = scope.get("route_handler")
    return handler is not None and bool(handler.opt.get(IN_COMMAND))


async def _claim_and_run(app: ASGIApp, scope: Any, body: bytes, send: Any, claim: KeyClaim) -> None:
    """Claim the key in a transaction of its own, then run the request (or answer for it)."""
    records: ApiRecords = scope["app"].state.records
    language = language_in(scope)
    stored = await _in_thread(scope, _claim, records, claim)
    gone = stored is not None and owner_gone(stored.owner)
    decision = decide(stored, claim.request_hash, claim.now, owner_gone=gone)
    if decision is Decision.ABANDONED and stored is not None:
        taken = await _in_thread(
            scope, records.take_over, claim.caller, claim.key, stored, claim.holder(), claim.now
        )
        decision = Decision.NEW if taken else Decision.IN_FLIGHT
    if decision is Decision.ANSWER_LOST and stored is not None:
        lost = lost_answer(stored.committed_seq, language)
        await _in_thread(
            scope, records.complete_key, claim.caller, claim.key, lost, stored.claim_id
        )
        await _send_answer(send, lost)
    elif decision is Decision.MISMATCH:
        refusal = problem(
            422, "idempotency-key-reused", REUSED, field="Idempotency-Key", language=language
        )
        await send_problem(send, refusal)
    elif decision is Decision.IN_FLIGHT:
        running = problem(
            409, "idempotency-key-in-flight", IN_FLIGHT, field="Idempotency-Key", language=language
        )
        await send_problem(send, running)
    elif decision is Decision.REPLAY and stored is not None and stored.status is not None:
        answer = Answer(status=stored.status, body=stored.body or b"", headers=stored.headers)
        await _send_answer(send, answer)
    else:
        scope.setdefault("state", {})[FENCE] = lambda found: FencedStore(found, claim)
        await _run_and_store(app, scope, body, send, claim)


def _claim(records: ApiRecords, claim: KeyClaim) -> Stored | None:
    c = claim
    return records.claim_key(c.caller, c.key, c.request_hash, c.now, holder=c.holder())


async def _send_answer(send: Any, answer: Answer) -> None:
    """A stored answer, marked as replayed."""
    start_headers = [(n.encode("latin-1"), v.encode("latin-1")) for n, v in answer.headers]
    start_headers.append((REPLAYED, b"true"))
    await send({"type": "http.response.start", "status": answer.status, "headers": start_headers})
    await send({"type": "http.response.body", "body": answer.body})


def lost_answer(seq: int | None, language: str) -> Answer:
    """What a retry is told when its first request's command committed (at journal `seq`,
    when known) but the request died before its answer was kept: it is never run again."""
    if seq is None:
        detail = Text(
            "this request was carried out, but the server stopped before its answer was kept: "
            "read the resource to see what it did; it is not run again"
        )
    else:
        detail = Text(
            "this request was carried out (journal entry {seq}), but the server stopped before "
            "its answer was kept: read the resource to see what it did; it is not run again",
            seq=seq,
        )
    return _key_problem("answer-lost", detail, language)


def _key_problem(type_: str, detail: Text, language: str) -> Answer:
    """A 409 about the request's Idempotency-Key, as an answer to keep and replay."""
    refusal = problem(409, type_, detail, field="Idempotency-Key", language=language)
    assert isinstance(refusal.content, bytes)
    said = ("content-language", language)
    return Answer(status=409, body=refusal.content, headers=(("content-type", PROBLEM_JSON), said))


NOT_KEPT = Text(
    "this request succeeded, but its answer held personal data and was not kept: send the "
    "request again with a new Idempotency-Key"
)


def _kept(scope: Any, answer: Answer) -> Answer:
    """What is kept of `answer` for replay: a success whose answer holds personal data is
    kept as a problem saying so (in the language of the request that got the data), never
    as the data."""
    handler = scope.get("route_handler")
    if handler is None or not handler.opt.get(PERSONAL_ANSWER) or answer.status >= 300:
        return answer
    return _key_problem("answer-not-kept", NOT_KEPT, language_in(scope))


class _Buffered:
    """A response held back until its key is settled, so that a client that retries as soon
    as it has the answer finds the key completed, never still in flight."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.status = 500
        self.headers: list[tuple[str, str]] = []
        self.body: list[bytes] = []

    async def keep(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
            for name, value in message.get("headers", []):
                if name.lower() in REPLAYED_HEADERS:
                    self.headers.append((name.decode("latin-1"), value.decode("latin-1")))
        elif message["type"] == "http.response.body":
            self.body.append(message.get("body", b""))
        self.messages.append(message)

    def answer(self) -> Answer:
        return Answer(status=self.status, body=b"".join(self.body), headers=tuple(self.headers))

    async def forward(self, send: Any) -> None:
        for message in self.messages:
            await send(message)


async def _run_buffered(app: ASGIApp, scope: Any, body: bytes) -> _Buffered:
    """Run the request with `body` (already read) and keep its response."""
    sent_body = False

    async def replay_body() -> Message:
        nonlocal sent_body
        if sent_body:
            return {"type": "http.disconnect"}
        sent_body = True
        return {"type": "http.request", "body": body, "more_body": False}

    out = _Buffered()
    await app(scope, replay_body, out.keep)  # type: ignore[arg-type]
    return out


async def _run_and_store(app: ASGIApp, scope: Any, body: bytes, send: Any, claim: KeyClaim) -> None:
    """Run the request once and store its response under the claimed key (not a 5xx)."""
    records: ApiRecords = scope["app"].state.records
    c = claim
    try:
        out = await _run_buffered(app, scope, body)
    except BaseException:
        await _release(scope, records, c)
        raise
    if out.status >= 500:
        await _release(scope, records, c)
    else:
        answer = _kept(scope, out.answer())
        await _in_thread(scope, records.complete_key, c.caller, c.key, answer, c.claim_id)
    await out.forward(send)


async def _release(scope: Any, records: ApiRecords, c: KeyClaim) -> None:
    """Free the key of a request that failed (unless its command committed: then a retry
    is told so, in this request's language)."""
    lost = lost_answer(None, language_in(scope))
    await _in_thread(scope, records.release_key, c.caller, c.key, c.claim_id, lost)


async def _run_claimed_by_route(
    app: ASGIApp, scope: Any, body: bytes, send: Any, claim: KeyClaim
) -> None:
    """Run a route that settles its key with its command. An answer it did not settle (a
    refusal whose command was rolled back, a request refused before the route ran) is
    stored here, as the other routes' answers are; a 5xx is not."""
    out = await _run_buffered(app, scope, body)
    if not claim.settled and out.status < 500:
        records: ApiRecords = scope["app"].state.records
        await _in_thread(
            scope,
            records.keep_answer,
            claim.caller,
            claim.key,
            claim.request_hash,
            claim.now,
            out.answer(),
        )
    await out.forward(send)
