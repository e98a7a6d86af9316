"""What every list route takes besides `cursor` and `limit`: its filters, each checked, and a
cursor that holds them.

A filter is a query parameter the handler declares (so the OpenAPI document lists it and
`api.query_rules` accepts it); the store applies it in SQL (`reintegrate.store.listing`).
A `next_cursor` names the filters it was given under (a digest of them, never their values):
a cursor sent with other filters than its page's is refused with 400, naming `cursor`,
rather than read as a position in another listing.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
from collections.abc import Callable, Sequence
from typing import Annotated, TypeVar

import msgspec
from litestar.params import QueryParameter

from api.context import RequestInvalid, decode_cursor, encode_cursor, not_given_out
from reintegrate.business.plans import PlanStatus
from reintegrate.community.projects import ProjectStatus
from reintegrate.grants.disbursements import Channel, DisbursementStatus
from reintegrate.grants.packages import PackageStatus
from reintegrate.reconcile.batches.batch import BatchStatus
from reintegrate.store.listing import ListFilters
from reintegrate.texts import Text

T = TypeVar("T")
_ID = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"


def _status(kind: type[enum.StrEnum], what: str) -> object:
    return QueryParameter(
        name="status",
        required=False,
        max_length=32,
        description=f"only {what} in this status: {', '.join(kind)}",
        schema_extra={"enum": [s.value for s in kind]},
    )


DisbursementStatusFilter = Annotated[str | None, _status(DisbursementStatus, "payments")]
PackageStatusFilter = Annotated[str | None, _status(PackageStatus, "packages")]
PlanStatusFilter = Annotated[str | None, _status(PlanStatus, "plans")]
ProjectStatusFilter = Annotated[str | None, _status(ProjectStatus, "projects")]
BatchStatusFilter = Annotated[str | None, _status(BatchStatus, "batches")]
ChannelFilter = Annotated[
    str | None,
    QueryParameter(
        name="channel",
        required=False,
        max_length=32,
        description=f"only those paid through this channel: {', '.join(Channel)}",
        schema_extra={"enum": [c.value for c in Channel]},
    ),
]
OfficeFilter = Annotated[
    str | None,
    QueryParameter(
        name="office",
        required=False,
        min_length=1,
        max_length=64,
        pattern=_ID,
        description="only those of this office; an office the caller does not work for "
        "gives an empty page",
    ),
]
ProgrammeFilter = Annotated[
    str | None,
    QueryParameter(
        name="programme_id",
        required=False,
        min_length=1,
        max_length=64,
        pattern=_ID,
        description="only those of this programme",
    ),
]
PersonFilter = Annotated[
    str | None,
    QueryParameter(
        name="person_id",
        required=False,
        min_length=1,
        max_length=64,
        pattern=_ID,
        description="only those of the cases whose household has this person (a "
        "pseudonymous id) as a member",
    ),
]


def _since(name: str, what: str) -> object:
    """A time, read here (`since`) rather than by the framework, which would also take a
    number of seconds for one."""
    return QueryParameter(
        name=name,
        required=False,
        max_length=40,
        description=f"only those {what} at or after this time (RFC 3339, with its offset)",
        schema_extra={"format": "date-time"},
    )


CreatedSince = Annotated[str | None, _since("created_since", "made")]
UpdatedSince = Annotated[str | None, _since("updated_since", "made or changed")]


def checked_status(kind: type[enum.StrEnum], value: str | None, field: str = "status") -> None:
    """400 naming `field` and the values it takes when `value` is none of them."""
    allowed = [s.value for s in kind]
    if value is not None and value not in allowed:
        said = Text(
            "{field} '{value}' is not one of {allowed}",
            field=field,
            value=value,
            allowed=", ".join(allowed),
        )
        raise RequestInvalid(said, field=field)


def filters(
    *,
    status: tuple[type[enum.StrEnum], str | None] | None = None,
    channel: str | None = None,
    created_since: str | None = None,
    updated_since: str | None = None,
    office: str | None = None,
    programme_id: str | None = None,
    person_id: str | None = None,
) -> ListFilters:
    """The filters of a request, each checked: a status or channel the resource has, times
    with their offset."""
    kind, value = status if status is not None else (None, None)
    if kind is not None:
        checked_status(kind, value)
    checked_status(Channel, channel, "channel")
    return ListFilters(
        status=value,
        channel=channel,
        office=office,
        programme_id=programme_id,
        person_id=person_id,
        created_since=since("created_since", created_since),
        updated_since=since("updated_since", updated_since),
    )


def since(field: str, value: str | None) -> dt.datetime | None:
    """`value` as an RFC 3339 time with its offset; 400 naming `field` otherwise."""
    if value is None:
        return None
    try:
        at = msgspec.convert(value, dt.datetime)
    except msgspec.ValidationError:
        said = Text(
            "{field} '{value}' is not an RFC 3339 time (2025-06-01T00:00:00Z)",
            field=field,
            value=value,
        )
        raise RequestInvalid(said, field=field) from None
    if at.tzinfo is None:
        said = Text(
            "{field} '{value}' has no offset from UTC: send it with one (2025-06-01T00:00:00Z)",
            field=field,
            value=value,
        )
        raise RequestInvalid(said, field=field)
    return at


def _digest(given: ListFilters) -> str:
    text = "&".join(f"{k}={v}" for k, v in sorted(given.given().items()))
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def after(cursor: str | None, given: ListFilters) -> str | None:
    """The key a cursor continues after; 400 for a cursor of a listing with other filters."""
    value = decode_cursor(cursor)
    if value is None:
        return None
    digest, dot, key = value.partition(".")
    if not dot or not key:
        raise RequestInvalid(not_given_out("cursor"), field="cursor")
    if digest != _digest(given):
        other = Text(
            "cursor belongs to a listing with other filters: send the same filters as the "
            "page it came from, or start without a cursor"
        )
        raise RequestInvalid(other, field="cursor")
    return key


def next_cursor(
    found: Sequence[T], limit: int, given: ListFilters, key: Callable[[T], str]
) -> str | None:
    """The cursor of the page after the first `limit` of `found` (read one more than
    `limit`, to know if there is one), under `given` filters; None on the last page."""
    if len(found) <= limit:
        return None
    return encode_cursor(f"{_digest(given)}.{key(found[limit - 1])}")
