"""Free text goes with the last person of its case, and a group business plan's with the
last person of all its owners' cases, whichever order they are erased in."""

from __future__ import annotations

from reintegrate.people.erasure import texts_erased


def test_a_case_with_a_person_left_keeps_its_texts() -> None:
    assert texts_erased({"A": [True, False]}, {}, {}) is None


def test_the_last_person_of_a_case_takes_its_texts_and_its_own_plans() -> None:
    gone = texts_erased({"A": [True, True]}, {"P": ("A",)}, {})
    assert gone is not None
    assert gone.owners == ("A", "P")


def test_a_group_plan_goes_with_its_last_owner_case_erased_earlier_or_now() -> None:
    first = texts_erased({"A": [True]}, {"P": ("A", "B")}, {"B": [False]})
    assert first is not None
    assert first.owners == ("A",), "B still has people: the plan stays"
    second = texts_erased({"B": [True]}, {"P": ("A", "B")}, {"A": [True]})
    assert second is not None
    assert second.owners == ("B", "P")


def test_a_case_without_persons_is_never_taken_for_erased() -> None:
    assert texts_erased({"A": []}, {}, {}) is None
