"""Edit distance between two names, with rapidfuzz (a C implementation of Levenshtein)."""

from __future__ import annotations

from rapidfuzz.distance import Levenshtein


def edit_distance(a: str, b: str) -> int:
    """Insertions, deletions and substitutions that turn `a` into `b`."""
    return int(Levenshtein.distance(a, b))
