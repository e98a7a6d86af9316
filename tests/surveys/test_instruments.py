"""An instrument is validated field by field, the example instrument is sound, and changing
an instrument makes a new version while adopting the same one again does not."""

from __future__ import annotations

from pathlib import Path

import pytest

from reintegrate.errors import ValidationFailed
from reintegrate.surveys.instrument import (
    InstrumentInvalid,
    canonical,
    load_instrument,
)
from reintegrate.surveys.scoring import score
from reintegrate.surveys.versions import next_version

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "instruments" / "iom-rss.toml"

SMALL = """
id = "small"
title = "small"
[[dimensions]]
id = "economic"
title = "Economic"
weight = "{dimension_weight}"
[[dimensions.indicators]]
id = "income"
question = "Do you have an income?"
weight = "1"
scale = [{{ answer = "no", score = "0" }}, {{ answer = "yes", score = "{best}" }}]
"""


def _problems(text: str) -> list[dict[str, str]]:
    with pytest.raises(InstrumentInvalid) as raised:
        load_instrument(text)
    return raised.value.details["problems"]  # type: ignore[return-value]


def test_the_example_instrument_has_three_dimensions_and_fifteen_indicators() -> None:
    instrument = load_instrument(EXAMPLE.read_text())
    assert [d.id for d in instrument.dimensions] == ["economic", "social", "psychosocial"]
    assert len(instrument.indicators()) == 15
    assert "equal weights" in instrument.weights_note


def test_dimension_weights_that_do_not_sum_to_one_are_named_with_their_sum() -> None:
    problems = _problems(SMALL.format(dimension_weight="1/2", best="1"))
    assert problems == [
        {"field": "$.dimensions[*].weight", "message": "the weights sum to 1/2, not 1"}
    ]


def test_a_weight_that_is_not_a_number_names_its_field_and_value() -> None:
    problems = _problems(SMALL.format(dimension_weight="half", best="1"))
    assert problems[0]["field"] == "$.dimensions[0].weight"
    assert "'half'" in problems[0]["message"]


def test_a_scale_whose_best_answer_does_not_score_one_is_incomplete() -> None:
    problems = _problems(SMALL.format(dimension_weight="1", best="3/4"))
    assert problems == [
        {
            "field": "$.dimensions[0].indicators[0].scale",
            "message": "the worst answer must score 0 and the best 1",
        }
    ]


def test_a_score_above_one_names_the_answer_it_belongs_to() -> None:
    problems = _problems(SMALL.format(dimension_weight="1", best="2"))
    assert problems[0]["field"] == "$.dimensions[0].indicators[0].scale[1].score"


def test_an_unknown_field_is_refused_with_its_path() -> None:
    with pytest.raises(InstrumentInvalid) as raised:
        load_instrument(SMALL.format(dimension_weight="1", best="1") + 'colour = "red"\n')
    assert "colour" in raised.value.message


def test_an_answer_off_the_scale_is_refused_naming_the_indicator_and_the_answers() -> None:
    instrument = load_instrument(SMALL.format(dimension_weight="1", best="1"))
    with pytest.raises(ValidationFailed) as raised:
        score(instrument, {"income": "maybe"})
    assert raised.value.field == "answers.income"
    assert "no, yes" in raised.value.message


def test_an_answer_to_an_indicator_the_instrument_lacks_is_refused() -> None:
    instrument = load_instrument(SMALL.format(dimension_weight="1", best="1"))
    with pytest.raises(ValidationFailed) as raised:
        score(instrument, {"savings": "yes"})
    assert raised.value.field == "answers.savings"


def test_a_changed_instrument_is_a_new_version_and_the_same_one_is_not() -> None:
    first = canonical(load_instrument(SMALL.format(dimension_weight="1", best="1")))
    changed = canonical(
        load_instrument(SMALL.format(dimension_weight="1", best="1").replace("income?", "work?"))
    )
    assert next_version(None, first) == 1
    assert next_version((1, first), first) is None
    assert next_version((1, first), changed) == 2
