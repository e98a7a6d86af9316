"""Journal entries as CloudEvents 1.0 in their JSON format: what the event feed answers and
what webhooks post. The event is shown through `events.public`, never as journaled."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec

from reintegrate.events import decode_event
from reintegrate.events.public import public_payload, subject_of

SOURCE = "/journal"
"""Every event's `source`: this deployment's journal; with `id` (the entry's seq) it names
the event uniquely."""


class CloudEvent(msgspec.Struct, frozen=True, kw_only=True):
    specversion: str
    id: str
    source: str
    type: str
    time: dt.datetime
    datacontenttype: str
    subject: str
    data: dict[str, Any]


def cloud_event(seq: int, at: str, body: bytes) -> CloudEvent:
    """The CloudEvent of the journal entry `seq`, written at `at` (ISO 8601, as the journal
    keeps it), whose event is `body`; the entry's event type must be one that is shown."""
    event = decode_event(body)
    subject = subject_of(event)
    if subject is None:
        raise ValueError(f"entry {seq} holds a {type(event).__name__}, which is never shown")
    return CloudEvent(
        specversion="1.0",
        id=str(seq),
        source=SOURCE,
        type=type(event).__name__,
        time=dt.datetime.fromisoformat(at),
        datacontenttype="application/json",
        subject=subject.path,
        data=public_payload(event),
    )


ENCODER = msgspec.json.Encoder()


def encoded(event: CloudEvent) -> bytes:
    return ENCODER.encode(event)
