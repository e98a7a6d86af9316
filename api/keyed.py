"""An Idempotency-Key claimed and answered inside the command's own transaction.

A route that opts in (`opt={IN_COMMAND: True}`) is not claimed by the middleware before it
runs: its unit of work inserts the key row first and, just before it commits, writes the
answer into it. The command's events and the key's answer then commit together or not at
all: one write transaction per request instead of three, no key left in flight by a crash
between the two, and a retry sent as soon as the answer arrives finds it stored.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from typing import Any

import msgspec
from litestar import Request, Response

from api.context import serialized, sql_store
from api.owners import this_process
from reintegrate.idempotency import (
    Answer,
    Decision,
    IdempotencyKeyInFlight,
    IdempotencyKeyReused,
    IdempotencyKeyTakenOver,
    Stored,
    decide,
)
from reintegrate.journal import Entry
from reintegrate.store.api_records import ApiRecords, Holder, answer_on, fence_on
from reintegrate.store.base import Snapshot, StoredView
from reintegrate.store.sql import SqlStore
from reintegrate.store.sql_uow import SqlUnitOfWork
from reintegrate.texts import Text

IN_COMMAND = "idempotency_key_in_command"
PERSONAL_ANSWER = "answer_holds_personal_data"
"""A route whose successful answer holds personal data (a payment file with names and
accounts): the answer is sent, never kept for replay (`api.idempotency`)."""
"""The route option saying that the route claims its Idempotency-Key itself."""
CLAIM = "idempotency_claim"
"""Where the middleware leaves the request's `KeyClaim` in the connection's state."""
REUSED = Text("this Idempotency-Key was used with another request body or path")
TAKEN_OVER = Text(
    "this request's Idempotency-Key was taken over by a retry after the request seemed "
    "abandoned: nothing was changed by this one"
)
IN_FLIGHT = Text("a request with this Idempotency-Key is still running; retry later")
JSON = "application/json"
ENCODER = msgspec.json.Encoder()

AnswerOf = Callable[[SqlUnitOfWork], Answer]
"""Builds a command's answer from its unit of work, before it commits."""


@dataclass
class KeyClaim:
    """What the middleware checked (the key's form, the request's fingerprint) and leaves to
    the route; `settled` once the route has answered for the key (stored its answer with the
    command, replayed the stored one, or refused it), so that the middleware stores nothing."""

    caller: str
    key: str
    request_hash: str
    now: dt.datetime
    settled: bool = False
    claim_id: str = field(default_factory=lambda: uuid.uuid4().hex)

    def holder(self) -> Holder:
        return Holder(claim_id=self.claim_id, owner=this_process())


class KeyKnown(Exception):
    """The key has a stored answer for this very request: it is replayed, nothing runs."""

    def __init__(self, stored: Stored) -> None:
        super().__init__("replay")
        self.stored = stored


class _OverStore:
    """A store seen through one request: everything but its units of work is the store's."""

    def __init__(self, store: SqlStore) -> None:
        self.store = store
        self.keyring = store.keyring

    def reading(self) -> AbstractContextManager[SqlUnitOfWork]:
        return self.store.reading()

    def entries(self, after: int = 0) -> Iterator[Entry]:
        return self.store.entries(after)

    def purge_erased(self) -> None:
        self.store.purge_erased()

    def snapshot(self) -> Snapshot:
        return self.store.snapshot()

    def consistent_read(self) -> AbstractContextManager[StoredView]:
        return self.store.consistent_read()


class KeyedStore(_OverStore):
    """The store as one keyed request sees it: its unit of work claims the key first and
    stores the command's answer (`answer_of`) just before committing. A command opens one
    unit of work (one transaction per command), so the key is claimed once."""

    def __init__(
        self, store: SqlStore, records: ApiRecords, claim: KeyClaim, answer_of: AnswerOf
    ) -> None:
        super().__init__(store)
        self.records, self.claim, self.answer_of = records, claim, answer_of
        self.answer: Answer | None = None

    @contextmanager
    def unit_of_work(self, *, one_case: bool = False) -> Iterator[SqlUnitOfWork]:
        with self.store.unit_of_work(one_case=one_case) as uow:
            c = self.claim
            stored = self.records.claim_on(uow.fast, c.caller, c.key, c.request_hash, c.now)
            _refuse_if_known(stored, c)
            uow.before_commit(lambda: self._keep_answer(uow))
            yield uow

    def _keep_answer(self, uow: SqlUnitOfWork) -> None:
        self.answer = self.answer_of(uow)
        answer_on(uow.fast, self.claim.caller, self.claim.key, self.answer)


class FencedStore(_OverStore):
    """The store as a request whose key was claimed before it ran sees it: its command
    commits only together with the mark that it did (`fence_on`), and not at all if a retry
    took the key over meanwhile, so that a request and its retry never both have effect."""

    def __init__(self, store: SqlStore, claim: KeyClaim) -> None:
        super().__init__(store)
        self.claim = claim

    @contextmanager
    def unit_of_work(self, *, one_case: bool = False) -> Iterator[SqlUnitOfWork]:
        with self.store.unit_of_work(one_case=one_case) as uow:
            uow.before_commit(lambda: self._fence(uow))
            yield uow

    def _fence(self, uow: SqlUnitOfWork) -> None:
        last = uow.last_entry()
        c = self.claim
        if not fence_on(uow.fast, c.caller, c.key, c.claim_id, last.seq if last else 0):
            raise IdempotencyKeyTakenOver(TAKEN_OVER, field="Idempotency-Key")


def _refuse_if_known(stored: Stored | None, claim: KeyClaim) -> None:
    """Raise unless the key was free (or expired) and is now claimed for this request."""
    decision = decide(stored, claim.request_hash, claim.now)
    if decision is Decision.NEW:
        return
    claim.settled = True
    if decision is Decision.MISMATCH:
        raise IdempotencyKeyReused(REUSED, field="Idempotency-Key")
    if decision is Decision.IN_FLIGHT or stored is None:
        raise IdempotencyKeyInFlight(IN_FLIGHT, field="Idempotency-Key")
    raise KeyKnown(stored)


def keyed_command(
    request: Request[Any, Any, Any], run: Callable[[KeyedStore], object], answer_of: AnswerOf
) -> Response[Any]:
    """Run a command (`run` is given the store to run it on) under the command lock, its
    Idempotency-Key claimed and its answer stored in its own transaction; answer with that
    answer, or with the one stored for an earlier run of the same request."""
    claim: KeyClaim | None = request.state.get(CLAIM)
    assert claim is not None, "a keyed route runs behind the idempotency middleware"
    state = request.app.state
    keyed = KeyedStore(sql_store(request), state.records, claim, answer_of)
    try:
        with serialized(request):
            run(keyed)
    except KeyKnown as known:
        return replayed(known.stored)
    assert keyed.answer is not None, "the command committed, so its answer was written"
    claim.settled = True
    return answered(keyed.answer)


def json_answer(status: int, view: msgspec.Struct, etag: str) -> Answer:
    """A view as a JSON answer with its ETag, encoded as Litestar would encode it."""
    return Answer(
        status=status, body=ENCODER.encode(view), headers=(("content-type", JSON), ("etag", etag))
    )


def answered(answer: Answer, extra: dict[str, str] | None = None) -> Response[Any]:
    """`answer` as the response, its body sent as stored."""
    headers = {name: value for name, value in answer.headers if name.lower() != "content-type"}
    media = next((v for n, v in answer.headers if n.lower() == "content-type"), JSON)
    return Response(
        answer.body,
        status_code=answer.status,
        headers={**headers, **(extra or {})},
        media_type=media,
    )


def replayed(stored: Stored) -> Response[Any]:
    """The answer stored for a key, marked as replayed."""
    answer = Answer(status=stored.status or 200, body=stored.body or b"", headers=stored.headers)
    return answered(answer, {"Idempotent-Replayed": "true"})
