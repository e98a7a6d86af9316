"""Four eyes: a step that must be taken by someone other than whoever took an earlier one.

Every such rule in the domain calls `require_another_person`, naming who took the earlier
steps of the same object, what they did, and what they therefore may not do; docs/api.md
lists the rules.
"""

from __future__ import annotations

from collections.abc import Iterable

from reintegrate.errors import FourEyesViolation
from reintegrate.texts import Text


def require_another_person(
    actor: str,
    earlier: str | Iterable[str | None] | None,
    *,
    did: str | Text,
    cannot: str | Text,
) -> None:
    """`FourEyesViolation` if `actor` is who took an earlier step (`earlier`: one user id or
    several, None for a step not taken): "{actor} {did} and cannot {cannot}"."""
    took = {earlier} if earlier is None or isinstance(earlier, str) else set(earlier)
    if actor in took - {None}:
        raise FourEyesViolation(
            Text(
                "{actor} {did} and cannot {cannot}",
                actor=actor,
                did=did,
                cannot=cannot,
            ),
            field="actor",
            details={"user": actor},
        )
