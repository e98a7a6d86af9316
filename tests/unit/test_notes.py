"""Free text is found by its type wherever an event holds it, sealed into notes before the
journal sees it, and opened back into the very same words."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reintegrate import events as ev
from reintegrate import kinds
from reintegrate.notes import Note, notes_in, open_notes, plain, seal_texts


def component(description: str, supplier: str | None = None) -> ev.ComponentSpec:
    return ev.ComponentSpec(
        component_id="k1",
        member_id="p",
        form=kinds.Form.IN_KIND if supplier else kinds.Form.CASH,
        category=kinds.Category.BUSINESS,
        dimension=kinds.Dimension.ECONOMIC,
        amount=100,
        supplier=supplier,
        description=description,
    )


def drafted(*components: ev.ComponentSpec) -> ev.PackageDrafted:
    return ev.PackageDrafted(
        package_id="pk1",
        case_id="c1",
        programme_id="eurp",
        budget_line="L1",
        office="accra",
        currency="EUR",
        components=components,
    )


def sealer(owner: str) -> tuple[dict[Note, str], Callable[[str], Note]]:
    kept: dict[Note, str] = {}

    def seal(words: str) -> Note:
        note = Note(owner=owner, digest=hashlib.sha256(f"{owner}/{words}".encode()).hexdigest())
        kept[note] = words
        return note

    return kept, seal


def test_the_words_of_nested_components_are_sealed_and_nothing_else_is() -> None:
    kept, seal = sealer("c1")
    event = drafted(component("a sewing machine", "Accra Tools Ltd"), component(""))

    sealed = seal_texts(event, seal)

    first, second = sealed.components
    assert isinstance(first.description, Note)
    assert isinstance(first.supplier, Note)
    assert second.description == "", "an empty text has nothing to seal"
    assert second.supplier is None
    assert (sealed.package_id, sealed.office, first.component_id) == ("pk1", "accra", "k1")
    assert sorted(kept.values()) == ["Accra Tools Ltd", "a sewing machine"]


def test_an_event_without_free_text_is_returned_as_it_is() -> None:
    event = ev.PackageSubmitted(package_id="pk1")
    assert seal_texts(event, lambda _: Note(owner="x", digest="y")) is event


def test_a_field_that_only_carries_a_sealed_text_is_never_sealed_again() -> None:
    """A payment's payee is a beneficiary's id or the supplier's note, copied from the package:
    it is not words typed with the command."""
    event = ev.DisbursementRequested(
        disbursement_id="d1",
        package_id="pk1",
        component_id="k1",
        case_id="c1",
        programme_id="eurp",
        channel="bank",
        payee="beneficiary:p",
        invoice_ref="INV-7",
        amount=100,
        currency="EUR",
        programme_amount=100,
        rate=None,
        on=dt.date(2026, 12, 6),
    )
    sealed = seal_texts(event, lambda words: Note(owner="c1", digest=words))
    assert sealed.payee == "beneficiary:p"
    assert sealed.invoice_ref == Note(owner="c1", digest="INV-7")


def test_a_view_shows_only_opened_text() -> None:
    assert plain("words") == "words"
    with pytest.raises(AssertionError, match="a note of c1 was shown without being opened"):
        plain(Note(owner="c1", digest="d"))


@given(
    descriptions=st.lists(st.text(min_size=1), min_size=1, max_size=4),
    supplier=st.text(min_size=1),
)
def test_sealing_then_opening_gives_back_the_same_words(
    descriptions: list[str], supplier: str
) -> None:
    kept, seal = sealer("c1")
    event = drafted(*(component(d, supplier) for d in descriptions))

    sealed = seal_texts(event, seal)

    assert all(isinstance(n, Note) for n in notes_in(sealed))
    assert len(list(notes_in(sealed))) == 2 * len(descriptions)
    assert len({c.supplier for c in sealed.components}) == 1, "the same words, the same note"
    assert open_notes(sealed, kept.__getitem__) == event
    assert open_notes([sealed, sealed], kept.__getitem__) == [event, event]
