"""Scoring a survey's answers under its instrument, exactly.

Each answer scores what its scale says (0 to 1). A dimension's score is the weighted mean of
its indicators' scores, the composite the weighted mean of the dimensions' scores, computed
with `fractions.Fraction`; the decimals shown and stored are those exact values rounded
half-even to `PLACES`. An unanswered indicator is handled as the instrument's `missing` says.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction

import msgspec

from reintegrate.errors import ValidationFailed
from reintegrate.surveys.instrument import Instrument, MissingAnswers, SurveyDimension, exact
from reintegrate.texts import Text

PLACES = Decimal("0.000001")
"""Scores are shown and stored with six decimals (rounded half-even from the exact value)."""


class ExactScores(msgspec.Struct, frozen=True, kw_only=True):
    complete: bool
    composite: Fraction | None
    dimensions: dict[str, Fraction]
    """Dimension id -> score, for the dimensions scored."""


class Scores(msgspec.Struct, frozen=True, kw_only=True):
    complete: bool
    composite: Decimal | None
    dimensions: dict[str, Decimal]


def rounded(value: Fraction) -> Decimal:
    """`value` as a decimal of `PLACES`, half-even."""
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        PLACES, rounding=ROUND_HALF_EVEN
    )


def check_answers(instrument: Instrument, answers: Mapping[str, str]) -> None:
    """Refuse an answer to an indicator the instrument lacks, or off its indicator's scale."""
    indicators = instrument.indicators()
    for name, answer in answers.items():
        indicator = indicators.get(name)
        if indicator is None:
            raise ValidationFailed(
                Text(
                    "'{name}' is not an indicator of {instrument}",
                    name=name,
                    instrument=instrument.id,
                ),
                field=f"answers.{name}",
            )
        allowed = [c.answer for c in indicator.scale]
        if answer not in allowed:
            raise ValidationFailed(
                Text(
                    "'{answer}' is not an answer to {name}; the answers are {allowed}",
                    answer=answer,
                    name=name,
                    allowed=", ".join(allowed),
                ),
                field=f"answers.{name}",
            )


def score_exact(instrument: Instrument, answers: Mapping[str, str]) -> ExactScores:
    """The exact scores of `answers` (indicator id -> answer), checked first."""
    check_answers(instrument, answers)
    strict = instrument.missing is MissingAnswers.INCOMPLETE
    dimensions: dict[str, Fraction] = {}
    for dimension in instrument.dimensions:
        found = _dimension_score(dimension, answers, strict)
        if found is not None:
            dimensions[dimension.id] = found
    complete = len(dimensions) == len(instrument.dimensions) and (
        not strict or all(i in answers for i in instrument.indicators())
    )
    composite = (
        _weighted([(_weight(d.weight), dimensions[d.id]) for d in instrument.dimensions])
        if complete
        else None
    )
    return ExactScores(complete=complete, composite=composite, dimensions=dimensions)


def score(instrument: Instrument, answers: Mapping[str, str]) -> Scores:
    """The scores of `answers`, rounded for showing and storing (`rounded`)."""
    found = score_exact(instrument, answers)
    return Scores(
        complete=found.complete,
        composite=None if found.composite is None else rounded(found.composite),
        dimensions={name: rounded(value) for name, value in found.dimensions.items()},
    )


def _dimension_score(
    dimension: SurveyDimension, answers: Mapping[str, str], strict: bool
) -> Fraction | None:
    """The weighted mean of the answered indicators' scores (weights scaled to a whole);
    None when none is answered, or, `strict`, when any is not."""
    parts: list[tuple[Fraction, Fraction]] = []
    for indicator in dimension.indicators:
        answer = answers.get(indicator.id)
        if answer is None:
            if strict:
                return None
            continue
        choice = next(c for c in indicator.scale if c.answer == answer)
        parts.append((_weight(indicator.weight), _weight(choice.score)))
    return _weighted(parts) if parts else None


def _weighted(parts: list[tuple[Fraction, Fraction]]) -> Fraction:
    """The mean of the values, each counted by its weight, the weights scaled to a whole."""
    total = sum((w for w, _ in parts), Fraction(0))
    return sum((w * v for w, v in parts), Fraction(0)) / total


def _weight(text: str) -> Fraction:
    value = exact(text)
    assert value is not None, f"a validated instrument's numbers are exact ({text!r})"
    return value
