"""Properties of scoring: scores lie in [0, 1], rise with each answer, apply the weights
exactly, and treat an unanswered indicator as the instrument says."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from reintegrate.surveys.instrument import Instrument, MissingAnswers, exact, validate_instrument
from reintegrate.surveys.scoring import rounded, score, score_exact
from tests.surveys.strategies import answers, instruments


def _exact(text: str) -> Fraction:
    value = exact(text)
    assert value is not None
    return value


def _score_of(instrument: Instrument, indicator: str, answer: str) -> Fraction:
    scale = instrument.indicators()[indicator].scale
    return _exact(next(c.score for c in scale if c.answer == answer))


@given(st.data())
def test_every_generated_instrument_is_sound(data: st.DataObject) -> None:
    assert validate_instrument(data.draw(instruments())) == []


@given(st.data())
def test_scores_lie_between_zero_and_one(data: st.DataObject) -> None:
    instrument = data.draw(instruments())
    found = score_exact(instrument, data.draw(answers(instrument)))
    assert all(0 <= s <= 1 for s in found.dimensions.values())
    assert found.composite is None or 0 <= found.composite <= 1


@given(st.data())
def test_a_better_answer_never_lowers_a_score(data: st.DataObject) -> None:
    instrument = data.draw(instruments())
    given_answers = data.draw(answers(instrument, every=True))
    indicator = data.draw(st.sampled_from(sorted(given_answers)))
    better = data.draw(
        st.sampled_from(
            [
                c.answer
                for c in instrument.indicators()[indicator].scale
                if _exact(c.score) >= _score_of(instrument, indicator, given_answers[indicator])
            ]
        )
    )
    before = score_exact(instrument, given_answers)
    after = score_exact(instrument, {**given_answers, indicator: better})
    assert before.composite is not None
    assert after.composite is not None
    assert after.composite >= before.composite
    assert all(after.dimensions[d] >= before.dimensions[d] for d in before.dimensions)


@given(st.data())
def test_the_composite_is_the_weighted_sum_of_answers_exactly(data: st.DataObject) -> None:
    instrument = data.draw(instruments())
    given_answers = data.draw(answers(instrument, every=True))
    expected = sum(
        (
            _exact(d.weight) * _exact(i.weight) * _score_of(instrument, i.id, given_answers[i.id])
            for d in instrument.dimensions
            for i in d.indicators
        ),
        Fraction(0),
    )
    found = score(instrument, given_answers)
    assert score_exact(instrument, given_answers).composite == expected
    assert found.composite == rounded(expected)
    assert found.complete


@given(st.data())
def test_a_missing_answer_is_left_out_and_its_dimension_weights_renormalised(
    data: st.DataObject,
) -> None:
    instrument = data.draw(instruments(MissingAnswers.RENORMALISE))
    given_answers = data.draw(answers(instrument))
    found = score_exact(instrument, given_answers)
    for dimension in instrument.dimensions:
        answered = [i for i in dimension.indicators if i.id in given_answers]
        if not answered:
            assert dimension.id not in found.dimensions
            continue
        total = sum((_exact(i.weight) for i in answered), Fraction(0))
        expected = sum(
            (
                _exact(i.weight) / total * _score_of(instrument, i.id, given_answers[i.id])
                for i in answered
            ),
            Fraction(0),
        )
        assert found.dimensions[dimension.id] == expected
    assert found.complete == (len(found.dimensions) == len(instrument.dimensions))
    assert (found.composite is None) == (not found.complete)


@given(st.data())
def test_a_missing_answer_makes_a_strict_survey_incomplete(data: st.DataObject) -> None:
    instrument = data.draw(instruments(MissingAnswers.INCOMPLETE))
    given_answers = data.draw(answers(instrument))
    found = score_exact(instrument, given_answers)
    every = len(given_answers) == len(instrument.indicators())
    assert found.complete == every
    assert (found.composite is not None) == every
    for dimension in instrument.dimensions:
        in_full = all(i.id in given_answers for i in dimension.indicators)
        assert (dimension.id in found.dimensions) == in_full
