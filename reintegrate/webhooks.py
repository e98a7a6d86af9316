"""Webhook subscriptions and the delivery schedule: who may subscribe to which office's
events, and when a delivery that failed is tried again.

Delivery is at least once: a delivery is tried until the receiver answers 2xx, at growing
intervals, for 24 hours after its first attempt, and then abandoned. The receiver drops
repeats by the `webhook-id` header, the event's id.
"""

from __future__ import annotations

import re

from reintegrate.access import SEES_EVERY_OFFICE, Role
from reintegrate.errors import ValidationFailed
from reintegrate.texts import Text

FIRST_RETRY_MS = 5_000
LONGEST_WAIT_MS = 3_600_000
RETRY_FOR_MS = 24 * 3_600_000
"""Retries stop this long after the first attempt."""

MAX_SUBSCRIBED_TYPES = 100
_URL = re.compile(r"^https?://[^\s/?#@]+(/[^\s#]*)?\Z", re.IGNORECASE)


def next_due_ms(attempts: int, first_ms: int, now_ms: int) -> int | None:
    """When to try a delivery again after its `attempts`-th attempt failed at `now_ms`: 5 s,
    then twice as long each time up to an hour; None once that is past 24 hours after the
    first attempt (`first_ms`)."""
    wait = min(FIRST_RETRY_MS * 2 ** min(max(attempts - 1, 0), 20), LONGEST_WAIT_MS)
    due = now_ms + wait
    return None if due - first_ms > RETRY_FOR_MS else due


def delivered(status: int | None) -> bool:
    """A receiver takes a delivery by answering 2xx; anything else (or no answer) is retried."""
    return status is not None and 200 <= status < 300


def subscription_office(role: Role, offices: frozenset[str], asked: str | None) -> str | None:
    """The office whose events a new subscription receives: an admin's, any office or (None)
    every office; a partner's, its own office only (the one it works for, when not given)."""
    if role in SEES_EVERY_OFFICE:
        return asked
    if asked is None:
        if len(offices) != 1:
            raise ValidationFailed(
                Text("you work for {count} offices: name the one to follow", count=len(offices)),
                field="office",
            )
        return next(iter(offices))
    if asked not in offices:
        raise ValidationFailed(
            Text("you may follow your own office's events only, not '{office}'", office=asked),
            field="office",
        )
    return asked


def check_url(url: str) -> str:
    """An http(s) URL with a host and no credentials in it."""
    if len(url) > 2000 or not _URL.match(url):
        raise ValidationFailed(
            Text(
                "url must be an http:// or https:// URL with a host and no user or password "
                "(at most {most} characters; got {length})",
                most=2000,
                length=len(url),
            ),
            field="url",
        )
    return url
