"""Who read whose personal data: each read that shows a personal or sensitive field is
recorded (who, which person, through which route, when, for what purpose, which classes of
field). The record holds ids and codes only, never a personal value."""

from __future__ import annotations

import datetime as dt
import re

import msgspec

from reintegrate.access import Role
from reintegrate.errors import ValidationFailed
from reintegrate.people.classification import PERSON_FIELDS, DataClass, visible_fields
from reintegrate.texts import Text

_PURPOSE = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}\Z")


class PersonalRead(msgspec.Struct, frozen=True, kw_only=True):
    at: dt.datetime
    user_id: str
    role: Role
    person_id: str
    route: str
    """The route's template (`/persons/{person_id}`), never a URL with values."""
    purpose: str | None
    classes: tuple[DataClass, ...]
    """The classes of the fields shown (personal, sensitive)."""


def check_purpose(purpose: str | None) -> str | None:
    """A purpose is a code (`casework`, `payment-batch`...), never prose that could hold a name."""
    if purpose is not None and not _PURPOSE.match(purpose):
        raise ValidationFailed(
            Text("a purpose is a code of 1-64 of a-z 0-9 _ . - (e.g. casework)"),
            field="X-Purpose",
        )
    return purpose


class Reader(msgspec.Struct, frozen=True, kw_only=True):
    """How a person's record is being read: by which role, through which route (its
    template), for what declared purpose."""

    role: Role
    route: str
    purpose: str | None = None


def personal_read(
    reader: Reader, *, at: dt.datetime, user_id: str, person_id: str
) -> PersonalRead | None:
    """The record of `reader` reading `person_id`, or None if their role sees nothing
    personal."""
    role, route, purpose = reader.role, reader.route, reader.purpose
    classes = sorted(
        {
            PERSON_FIELDS[f]
            for f in visible_fields(role)
            if PERSON_FIELDS[f] in (DataClass.PERSONAL, DataClass.SENSITIVE)
        }
    )
    if not classes:
        return None
    return PersonalRead(
        at=at,
        user_id=user_id,
        role=role,
        person_id=person_id,
        route=route,
        purpose=check_purpose(purpose),
        classes=tuple(classes),
    )
