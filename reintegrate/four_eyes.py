"""Four eyes: a step that must be taken by someone other than whoever took an earlier one."""

from __future__ import annotations

from reintegrate.errors import FourEyesViolation


def require_another_person(first: str | None, second: str, *, first_step: str, step: str) -> None:
    """`FourEyesViolation` if `second`, who would now `step`, is who did `first_step`."""
    if first is not None and first == second:
        raise FourEyesViolation(
            f"whoever {first_step} cannot also {step}: another person must",
            details={"user": second, "first_step": first_step},
        )
