"""/events: the domain events a caller may see, as CloudEvents, long-polled."""

from __future__ import annotations

import time
from typing import Annotated, Any

import anyio
from anyio import to_thread
from litestar import Controller, Request, get
from litestar.params import QueryParameter

from api.context import decode_number_cursor, encode_cursor
from api.problems import READ_PROBLEMS
from api.schemas_events import EventPage
from api.security import EVERY_ROLE, allow
from reintegrate.adapters.cloudevents import cloud_event
from reintegrate.events.public import followed_types
from reintegrate.services.users import Caller
from reintegrate.store.queries_events import EventFeed

POLL_S = 0.2
"""How often a waiting request looks at the database again: every worker sees what any
worker committed, with no signal between processes."""
MAX_WAIT_S = 30

After = Annotated[
    str | None,
    QueryParameter(
        name="after",
        required=False,
        max_length=200,
        description="the `next_cursor` of the page before; none: from the start",
    ),
]
Types = Annotated[
    str | None,
    QueryParameter(
        name="types",
        required=False,
        max_length=4000,
        description="event types, comma-separated (e.g. PackageApproved,DisbursementPaid); "
        "none: every type shown",
    ),
]
Wait = Annotated[
    int,
    QueryParameter(
        name="wait",
        ge=0,
        le=MAX_WAIT_S,
        description=f"seconds to wait for an event when none is there yet, at most {MAX_WAIT_S}",
    ),
]
FeedLimit = Annotated[
    int, QueryParameter(name="limit", ge=1, le=500, description="page size, at most 500")
]


class EventController(Controller):
    path = "/events"
    tags = ("events",)

    @get("/", guards=[allow(*EVERY_ROLE)], responses=READ_PROBLEMS)
    async def follow_events(
        self,
        request: Request[Caller, Any, Any],
        after: After = None,
        types: Types = None,
        wait: Wait = 0,
        limit: FeedLimit = 100,
    ) -> EventPage:
        """The events after `after` that the caller may see (those of its offices' cases,
        packages, payments, plans and projects; every event for auditors and admins), oldest
        first, without personal data. With `wait`, an empty answer waits up to that many
        seconds for the first event to come. Page on with `next_cursor`."""
        start = decode_number_cursor(after, field="after") or 0
        wanted = followed_types(types)
        feed: EventFeed = request.app.state.event_feed
        scope = request.user.scope
        deadline = time.monotonic() + wait
        while True:
            rows = await to_thread.run_sync(feed.after, scope, start, wanted, limit)
            left = deadline - time.monotonic()
            if rows or left <= 0:
                break
            await anyio.sleep(min(POLL_S, left))
        last = rows[-1][0] if rows else start
        return EventPage(
            items=[cloud_event(seq, at, body) for seq, at, body in rows],
            next_cursor=encode_cursor(str(last)),
        )
