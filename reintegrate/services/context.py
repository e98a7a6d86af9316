"""Who runs a command, and when."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import TypeVar

from reintegrate.errors import NotFound
from reintegrate.store.base import EVERYWHERE, Scope
from reintegrate.texts import Text

T = TypeVar("T")


@dataclass(frozen=True)
class Actor:
    """A user id (never a name) and the offices whose cases they may touch."""

    user_id: str
    scope: Scope = EVERYWHERE


def new_id(prefix: str) -> str:
    """A fresh random id for what a command makes (a package, a person, a salt...): 16 hex
    digits, 64 random bits (a UUID's first 16 digits held 60, at four times the cost, which
    an import of 30,000 persons pays 70,000 times)."""
    return f"{prefix}_{secrets.token_hex(8)}"


def utc(at: dt.datetime) -> dt.datetime:
    """`at` as an aware UTC time; naive times are refused rather than guessed."""
    if at.tzinfo is None:
        raise ValueError("command times must be timezone-aware")
    return at.astimezone(dt.UTC)


def existing_programme(found: T | None, programme_id: str) -> T:
    """`found`, the programme `programme_id` as the store read it; `NotFound` naming the
    programme when there is none."""
    if found is None:
        raise NotFound(
            Text("no programme {programme_id}", programme_id=programme_id), field="programme_id"
        )
    return found
