"""Who runs a command, and when."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from reintegrate.store.base import EVERYWHERE, Scope


@dataclass(frozen=True)
class Actor:
    """A user id (never a name) and the offices whose cases they may touch."""

    user_id: str
    scope: Scope = EVERYWHERE


def utc(at: dt.datetime) -> dt.datetime:
    """`at` as an aware UTC time; naive times are refused rather than guessed."""
    if at.tzinfo is None:
        raise ValueError("command times must be timezone-aware")
    return at.astimezone(dt.UTC)
