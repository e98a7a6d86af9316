"""Hypothesis strategies shared by the property tests."""

from __future__ import annotations

from hypothesis import strategies as st


def amounts(low: int, high: int) -> st.SearchStrategy[str]:
    """Decimal strings of whole or cent amounts between `low` and `high` units."""
    return st.integers(low * 100, high * 100).map(lambda m: f"{m // 100}.{m % 100:02d}")


def cash_parts() -> st.SearchStrategy[str]:
    """What part of a policy line may be cash: all, none, or an amount."""
    return st.sampled_from(["all", "none"]) | amounts(0, 800)
