"""The event feed's page and the webhook subscriptions' bodies."""

from __future__ import annotations

from typing import Annotated

import msgspec

from api.schemas import Id, In, Out
from reintegrate.adapters.cloudevents import CloudEvent

EventType = Annotated[str, msgspec.Meta(min_length=1, max_length=64, pattern=r"^[A-Za-z]+$")]


class EventPage(Out, frozen=True, kw_only=True):
    items: list[CloudEvent]
    """CloudEvents 1.0 in their JSON format, in journal order."""
    next_cursor: str
    """Where to go on from: pass it as `after` (the same as given when nothing came)."""


class WebhookSubscriptionCreate(In, frozen=True, kw_only=True):
    url: Annotated[str, msgspec.Meta(min_length=8, max_length=2000)]
    types: Annotated[tuple[EventType, ...], msgspec.Meta(max_length=100)] = ()
    """The event types to receive; none: every type the feed shows."""
    office: Id | None = None
    """The office whose events to receive: a partner's own (the default), or, for an admin,
    any office (none: every office)."""


class WebhookSubscriptionView(Out, frozen=True, kw_only=True):
    subscription_id: str
    url: str
    types: list[str]
    office: str | None
    created_by: str
    created_at: str


class WebhookSubscriptionCreated(WebhookSubscriptionView, frozen=True, kw_only=True):
    secret: str
    """`whsec_` and base64: verify each delivery's `webhook-signature` with it. Shown once."""


class WebhookSubscriptionPage(Out, frozen=True, kw_only=True):
    items: list[WebhookSubscriptionView]
    next_cursor: str | None
