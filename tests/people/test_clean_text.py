"""Free text of a person's record (names, address, bank, operator): trimmed, in NFC, refused
with the first control or invisible character it holds."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from reintegrate.errors import ValidationFailed
from reintegrate.people.validation import clean_text

INVISIBLE = {"Cc", "Cf", "Cs", "Co", "Cn"}


def _first_invisible(text: str) -> str | None:
    return next((ch for ch in text if unicodedata.category(ch) in INVISIBLE), None)


@given(raw=st.text(max_size=30))
@example(raw="Awa\u00a0Diop")  # a no-break space: a separator, not invisible
@example(raw="Awa\u200bDiop")  # a zero-width space
@example(raw="\u202eAwa")  # a right-to-left override
@example(raw="Awa\ue000")  # a private-use character
@example(raw="Awa\u0378")  # an unassigned one
@example(raw="Awa\tDiop")
def test_text_is_refused_exactly_when_it_holds_an_invisible_character(raw: str) -> None:
    text = unicodedata.normalize("NFC", raw).strip()
    if not text:
        return
    bad = _first_invisible(text)
    if bad is None:
        assert clean_text(raw, "given_names", most=100) == text
    else:
        with pytest.raises(ValidationFailed, match=f"U\\+{ord(bad):04X}"):
            clean_text(raw, "given_names", most=100)
