"""Why: a decision that refuses, rejects, cancels, reverses or closes says it in words. One
rule for every such decision."""

from __future__ import annotations

from reintegrate.errors import ValidationFailed
from reintegrate.texts import Text

MAX_REASON = 500
"""The longest reason a decision kept with a statement import or a receipt follow-up takes."""


def stated_reason(reason: str, *, most: int | None = None) -> str:
    """`reason` without the blanks around it; `ValidationFailed` (field `reason`) when nothing
    is left, or when more than `most` characters are."""
    text = reason.strip()
    if most is not None and not 0 < len(text) <= most:
        raise ValidationFailed(
            Text("a reason of 1 to {most} characters is required", most=most), field="reason"
        )
    if not text:
        raise ValidationFailed(Text("a reason is required"), field="reason")
    return text
