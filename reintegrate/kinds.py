"""What a package component is: cash or in kind, its category and its dimension."""

from __future__ import annotations

import enum
from collections.abc import Mapping

from reintegrate.texts import Text


class Form(enum.StrEnum):
    CASH = "cash"
    IN_KIND = "in_kind"


FORM_WORDS: Mapping[str, Text] = {Form.CASH: Text("cash"), Form.IN_KIND: Text("in kind")}
"""A form as people read it (a report's row of cash, of in kind)."""


class Category(enum.StrEnum):
    BUSINESS = "business"
    HOUSING = "housing"
    MEDICAL = "medical"
    EDUCATION = "education"
    TRAINING = "training"
    PSYCHOSOCIAL = "psychosocial"
    TRAVEL = "travel"
    OTHER = "other"


class Dimension(enum.StrEnum):
    ECONOMIC = "economic"
    SOCIAL = "social"
    PSYCHOSOCIAL = "psychosocial"


DIMENSION_WORDS: Mapping[str, Text] = {
    Dimension.ECONOMIC: Text("economic"),
    Dimension.SOCIAL: Text("social"),
    Dimension.PSYCHOSOCIAL: Text("psychosocial"),
}
"""A dimension of reintegration as people read it."""

DEFAULT_DIMENSION = {
    Category.BUSINESS: Dimension.ECONOMIC,
    Category.TRAINING: Dimension.ECONOMIC,
    Category.HOUSING: Dimension.SOCIAL,
    Category.MEDICAL: Dimension.SOCIAL,
    Category.EDUCATION: Dimension.SOCIAL,
    Category.TRAVEL: Dimension.SOCIAL,
    Category.OTHER: Dimension.SOCIAL,
    Category.PSYCHOSOCIAL: Dimension.PSYCHOSOCIAL,
}


__all__ = ["DEFAULT_DIMENSION", "Category", "Dimension", "Form"]
