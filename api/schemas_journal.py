"""The schema of a journal entry's event: a union of the event structs, tagged by `type`.

`GET /journal` shows each event exactly as it was hashed (the decoded JSON of its bytes,
never re-encoded from a struct); this type is what the OpenAPI document says of it, so that
a client generator makes one class per event type. Events of types journals no longer record
(`reintegrate.events.legacy`) are part of it: old journals hold them.
"""

from __future__ import annotations

import typing
from typing import Annotated

import msgspec

from reintegrate.events import Event
from reintegrate.events.legacy import LegacyEvent

AnyEvent = Event | LegacyEvent


def discriminator() -> dict[str, object]:
    """OpenAPI's discriminator of the union: the tag field, and each tag's schema."""
    structs: tuple[type[msgspec.Struct], ...] = typing.get_args(AnyEvent)
    mapping = {
        str(cls.__struct_config__.tag): f"#/components/schemas/{cls.__name__}" for cls in structs
    }
    field = next(cls.__struct_config__.tag_field for cls in structs)
    return {"propertyName": field, "mapping": mapping}


JournalEvent = Annotated[
    AnyEvent, msgspec.Meta(extra_json_schema={"extra": {"discriminator": discriminator()}})
]
"""A journal entry's event: one of the event structs, its `type` saying which."""
