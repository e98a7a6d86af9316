"""A decision that refuses, cancels or reverses says why, in words."""

from __future__ import annotations

import pytest

from reintegrate.errors import ValidationFailed
from reintegrate.reasons import MAX_REASON, stated_reason


def test_a_reason_is_kept_without_the_blanks_around_it() -> None:
    assert stated_reason("  duplicate request \n") == "duplicate request"


@pytest.mark.parametrize("blank", ["", "   ", "\n\t"])
def test_a_blank_reason_is_refused_naming_the_field(blank: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        stated_reason(blank)
    assert refused.value.field == "reason"
    assert str(refused.value.text) == "a reason is required"


def test_a_bounded_reason_is_refused_when_longer_than_its_bound_or_blank() -> None:
    assert stated_reason(" " + "x" * MAX_REASON + " ", most=MAX_REASON) == "x" * MAX_REASON
    for said in ("x" * (MAX_REASON + 1), "  "):
        with pytest.raises(ValidationFailed) as refused:
            stated_reason(said, most=MAX_REASON)
        assert str(refused.value.text) == "a reason of 1 to 500 characters is required"
