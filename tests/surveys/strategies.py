"""Random sound instruments and answers to them, for the properties of scoring."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import strategies as st

from reintegrate.surveys.instrument import (
    Instrument,
    MissingAnswers,
    ScaleAnswer,
    SurveyDimension,
    SurveyIndicator,
)


def _parts(draw: st.DrawFn, count: int) -> list[Fraction]:
    """`count` positive weights that sum to exactly 1."""
    raw = draw(st.lists(st.integers(1, 9), min_size=count, max_size=count))
    return [Fraction(r, sum(raw)) for r in raw]


def _scale(draw: st.DrawFn) -> tuple[ScaleAnswer, ...]:
    middle = sorted(draw(st.lists(st.fractions(0, 1, max_denominator=12), max_size=4)))
    scores = [Fraction(0), *middle, Fraction(1)]
    return tuple(ScaleAnswer(answer=f"a{k}", score=str(s)) for k, s in enumerate(scores))


@st.composite
def instruments(draw: st.DrawFn, missing: MissingAnswers | None = None) -> Instrument:
    dimension_count = draw(st.integers(1, 4))
    dimensions = []
    for d, weight in enumerate(_parts(draw, dimension_count)):
        count = draw(st.integers(1, 4))
        indicators = tuple(
            SurveyIndicator(id=f"d{d}i{i}", question="?", weight=str(w), scale=_scale(draw))
            for i, w in enumerate(_parts(draw, count))
        )
        dimensions.append(
            SurveyDimension(id=f"d{d}", title=f"d{d}", weight=str(weight), indicators=indicators)
        )
    chosen = missing if missing is not None else draw(st.sampled_from(MissingAnswers))
    return Instrument(id="random", title="random", missing=chosen, dimensions=tuple(dimensions))


@st.composite
def answers(draw: st.DrawFn, instrument: Instrument, every: bool = False) -> dict[str, str]:
    """Answers to some indicators (to each, if `every`)."""
    found = {}
    for indicator in instrument.indicators().values():
        if every or draw(st.booleans()):
            found[indicator.id] = draw(st.sampled_from([c.answer for c in indicator.scale]))
    return found
