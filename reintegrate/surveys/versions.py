"""Versions of an instrument: changing an instrument makes a new version; adopting the same
document again changes nothing. Answers keep the version they were given under."""

from __future__ import annotations


def next_version(latest: tuple[int, bytes] | None, document: bytes) -> int | None:
    """The version a canonical `document` is adopted as, given the latest adopted (its
    version and document); None when it is the latest already."""
    if latest is None:
        return 1
    version, stored = latest
    return None if stored == document else version + 1
