"""What every route needs from a request: the caller as an actor, the clock, the store."""

from __future__ import annotations

import base64
import datetime as dt
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from typing import Annotated, Any, TypeVar

from litestar import Request, post
from litestar.handlers import HTTPRouteHandler
from litestar.params import HeaderParameter, PathParameter, QueryParameter

from api.problems import STEP_PROBLEMS
from api.security import allow
from reintegrate.access import Role
from reintegrate.errors import DomainError
from reintegrate.people.access_log import Reader
from reintegrate.services.context import Actor
from reintegrate.services.users import Caller
from reintegrate.store.base import Store
from reintegrate.store.expected import RESOURCE_TABLES, VersionChanged, expecting
from reintegrate.store.queries import Queries
from reintegrate.store.sql import SqlStore
from reintegrate.texts import Text

IdempotencyKey = Annotated[
    str,
    HeaderParameter(
        name="Idempotency-Key",
        min_length=1,
        max_length=255,
        pattern=r"^[\x21-\x7e]+$",
        description="Unique per intended operation; a retry with the same key and body is answered "
        "with the stored response.",
    ),
]
IfMatch = Annotated[
    str | None,
    HeaderParameter(
        name="If-Match", required=False, max_length=100, description="ETag of the version you saw"
    ),
]
Limit = Annotated[
    int, QueryParameter(name="limit", ge=1, le=100, description="page size, at most 100")
]
Cursor = Annotated[str | None, QueryParameter(name="cursor", required=False, max_length=200)]
PathId = Annotated[
    str, PathParameter(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
]


class PreconditionFailed(DomainError):
    type = "precondition-failed"


class RequestInvalid(DomainError):
    """The request itself is malformed (a cursor or header this API never gave out): 400."""

    type = "request-invalid"


def actor(request: Request[Caller, Any, Any]) -> Actor:
    caller = request.user
    return Actor(caller.user_id, caller.scope)


def reader(request: Request[Caller, Any, Any], purpose: str | None = None) -> Reader:
    """Who reads persons' records through this request: the caller's role, the route's
    template (`/persons/{person_id}`, never the path with its values) and the purpose."""
    route = str(request.scope.get("path_template", "unmatched"))
    return Reader(role=request.user.role, route=route, purpose=purpose)


def now(request: Request[Any, Any, Any]) -> dt.datetime:
    clock = request.app.state.clock
    result: dt.datetime = clock()
    return result


def serialized(request: Request[Any, Any, Any]) -> AbstractContextManager[bool]:
    """One command at a time in this process: its writers queue here instead of polling the
    database's lock. Correctness does not rest on it: the database orders commands, across
    every worker (`reintegrate.journal.WAITED_AT_MOST` says how their times are ordered)."""
    if sql_store(request).locking:  # PostgreSQL orders commands itself, several at a time
        return nullcontext(True)
    lock: threading.Lock = request.app.state.command_lock
    return lock


FENCE = "idempotency_fence"
"""Where the idempotency middleware leaves how to see the store for a request whose key it
claimed before the request ran (`api.keyed.FencedStore`)."""


def store(request: Request[Any, Any, Any]) -> Store:
    """The store as this request's commands see it: fenced by its Idempotency-Key when the
    middleware claimed the key before the route ran."""
    found: SqlStore = request.app.state.store
    fenced: Callable[[SqlStore], Store] | None = request.scope.get("state", {}).get(FENCE)
    return found if fenced is None else fenced(found)


def sql_store(request: Request[Any, Any, Any]) -> SqlStore:
    """The store itself, for what only reads or wraps it."""
    found: SqlStore = request.app.state.store
    return found


def queries(request: Request[Any, Any, Any]) -> Queries:
    found: Queries = request.app.state.queries
    return found


def etag(kind: str, ident: str, version: int) -> str:
    return f'"{kind}-{ident}-v{version}"'


T = TypeVar("T")


def step(path: str, *roles: Role) -> Callable[[Callable[..., Any]], HTTPRouteHandler]:
    """A lifecycle step: a POST sub-resource answering 200 with the changed resource."""
    return post(
        path, guards=[allow(*roles)], sync_to_thread=True, status_code=200, responses=STEP_PROBLEMS
    )


def checked_step(
    request: Request[Any, Any, Any],
    if_match: str | None,
    current_etag: Callable[[], str],
    command: Callable[[], T],
) -> T:
    """Check If-Match against the resource as it is, then run the command expecting the
    resource at that version: its unit of work checks it again when it first reads it, in
    its own transaction, so that no command of any worker changes it in between
    (`store.expected`). Without the header nothing is read first: the command itself answers
    a missing resource."""
    with serialized(request):
        if if_match is None or if_match.strip() == "*":
            return command()
        current = current_etag()
        check_if_match(if_match, current)
        kind, ident, version = etag_parts(current)
        try:
            with expecting(kind, ident, version):
                return command()
        except VersionChanged as changed:
            raise PreconditionFailed(_changed(changed, if_match), field="If-Match") from None


def _changed(changed: VersionChanged, if_match: str) -> Text:
    sent = if_match.strip()
    if changed.found is None:
        return Text("the resource changed since the version you sent ({sent})", sent=sent)
    return Text(
        "the resource changed: it is now at version {found}, you sent {sent}",
        found=changed.found,
        sent=sent,
    )


def etag_parts(tag: str) -> tuple[str, str, int]:
    """The kind, id and version of an ETag that `etag` made."""
    body = tag.strip('"')
    rest, version = body.rsplit("-v", 1)
    kind = next(k for k in RESOURCE_TABLES if rest.startswith(f"{k}-"))
    return kind, rest.removeprefix(f"{kind}-"), int(version)


def check_if_match(if_match: str | None, current: str) -> None:
    """412 when the client's ETag is not the current one (no header: no check)."""
    if if_match is not None and if_match.strip() not in (current, "*"):
        said = Text(
            "the resource changed: its ETag is now {current}, you sent {sent}",
            current=current,
            sent=if_match.strip(),
        )
        raise PreconditionFailed(said, field="If-Match")


def not_given_out(field: str) -> Text:
    """A cursor (or another token the API hands out) that the API never gave."""
    return Text("{field} is not one this API gave out", field=field)


def encode_cursor(value: str) -> str:
    return base64.urlsafe_b64encode(value.encode()).decode().rstrip("=")


def decode_number_cursor(cursor: str | None, field: str = "cursor") -> int | None:
    """A cursor that holds a position in a numbered sequence (a journal seq, a log id)."""
    after = decode_cursor(cursor, field)
    if after is not None and not after.isdigit():
        raise RequestInvalid(not_given_out(field), field=field)
    return int(after) if after is not None else None


def decode_cursor(cursor: str | None, field: str = "cursor") -> str | None:
    if cursor is None:
        return None
    try:
        value = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (ValueError, UnicodeDecodeError) as exc:
        raise RequestInvalid(not_given_out(field), field=field) from exc
    if encode_cursor(value) != cursor:
        raise RequestInvalid(not_given_out(field), field=field)
    return value
