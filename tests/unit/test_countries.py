"""The domain's country and subdivision codes are ISO's, as the reference data shipped with
pycountry has them: the constants were generated from it and must not drift."""

from __future__ import annotations

from collections import defaultdict

import pycountry

from reintegrate.countries import ISO_3166_ALPHA_2, is_area_code, is_country_code
from reintegrate.iso_3166_2 import SUBDIVISIONS


def test_the_country_codes_are_iso_3166_1_alpha_2() -> None:
    assert frozenset(c.alpha_2 for c in pycountry.countries) == ISO_3166_ALPHA_2


def test_the_subdivision_codes_are_iso_3166_2_regenerate_them_if_not() -> None:
    reference: dict[str, set[str]] = defaultdict(set)
    for subdivision in pycountry.subdivisions:
        reference[subdivision.country_code].add(subdivision.code)
    assert {c: frozenset(codes) for c, codes in reference.items()} == SUBDIVISIONS


def test_an_area_is_a_subdivision_of_its_own_country_only() -> None:
    assert is_area_code("NE", "NE-8")
    assert not is_area_code("SN", "NE-8")
    assert not is_area_code("XX", "XX-1")
    assert not is_area_code("NE", 8)
    assert is_country_code("NE")
    assert not is_country_code("ne")
