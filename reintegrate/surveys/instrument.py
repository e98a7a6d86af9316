"""A survey instrument: dimensions of indicators, each indicator an answer scale mapped to a
score from 0 to 1, weights for indicators within a dimension and for dimensions within the
composite score.

Weights and scores are written as exact numbers: a decimal ("0.25") or a fraction ("1/3"),
so that equal weights of three dimensions are exactly a third each. `validate_instrument`
returns every problem, each naming its field; `load_instrument` raises `InstrumentInvalid`
with all of them. An instrument carries no version: the store numbers the versions it adopts
(`versions.next_version`).
"""

from __future__ import annotations

import enum
import re
from fractions import Fraction
from typing import Annotated, Literal

import msgspec

from reintegrate import texts
from reintegrate.policy_base import DocumentInvalid, Name, Problem, Text, _Strict, load_document

Exact = Annotated[str, msgspec.Meta(min_length=1, max_length=24)]
"""A non-negative exact number: "1", "0.25" or "1/3"."""
_EXACT = re.compile(r"^\d{1,9}(\.\d{1,9})?(/[1-9]\d{0,8})?$")


class MissingAnswers(enum.StrEnum):
    """What an unanswered indicator does to a survey."""

    RENORMALISE = "renormalise"
    """The indicator is left out and the other weights of its dimension scaled up to a whole;
    a dimension with no answer at all leaves the survey incomplete."""
    INCOMPLETE = "incomplete"
    """Any unanswered indicator makes the survey incomplete: no composite score, and only
    the dimensions answered in full are scored."""


class ScaleAnswer(_Strict, frozen=True, kw_only=True):
    answer: Name
    score: Exact


class SurveyIndicator(_Strict, frozen=True, kw_only=True):
    id: Name
    question: Text
    weight: Exact
    scale: Annotated[tuple[ScaleAnswer, ...], msgspec.Meta(max_length=12)]
    """The answers, each with its score; 0 for the worst, 1 for the best."""


class SurveyDimension(_Strict, frozen=True, kw_only=True):
    id: Name
    title: Text
    weight: Exact
    indicators: Annotated[tuple[SurveyIndicator, ...], msgspec.Meta(max_length=40)]


class Instrument(_Strict, frozen=True, kw_only=True):
    id: Name
    title: Text
    source: Text = ""
    weights_note: Text = ""
    """Where the weights come from (or that they are equal, lacking the published ones)."""
    missing: MissingAnswers = MissingAnswers.RENORMALISE
    dimensions: Annotated[tuple[SurveyDimension, ...], msgspec.Meta(max_length=12)]

    def indicators(self) -> dict[str, SurveyIndicator]:
        return {i.id: i for d in self.dimensions for i in d.indicators}


class InstrumentInvalid(DocumentInvalid):
    type = "instrument-invalid"


def exact(text: str) -> Fraction | None:
    """The exact value of a weight or a score; None when it is not written as one."""
    return Fraction(text) if _EXACT.match(text) else None


def load_instrument(data: bytes | str, fmt: Literal["toml", "json"] = "toml") -> Instrument:
    """Decode and validate an instrument; `InstrumentInvalid` lists every problem found."""
    return load_document(
        data,
        fmt,
        Instrument,
        what=texts.Text("instrument"),
        refused=InstrumentInvalid,
        validate=validate_instrument,
        named=lambda instrument: instrument.id,
    )


def canonical(instrument: Instrument) -> bytes:
    """The instrument as canonical JSON: two documents that say the same are equal bytes."""
    return msgspec.json.encode(msgspec.to_builtins(instrument), order="sorted")


def validate_instrument(instrument: Instrument) -> list[Problem]:
    """Every problem of a decoded instrument, each naming its field; empty when it is sound."""
    problems: list[Problem] = []
    if not instrument.dimensions:
        return [Problem("$.dimensions", texts.Text("an instrument needs at least one dimension"))]
    problems += _weights("$.dimensions", [d.weight for d in instrument.dimensions])
    _unique(problems, "$.dimensions", [d.id for d in instrument.dimensions])
    _unique(problems, "$.dimensions[*].indicators", list(_all_ids(instrument)))
    for i, dimension in enumerate(instrument.dimensions):
        where = f"$.dimensions[{i}].indicators"
        if not dimension.indicators:
            empty = texts.Text("dimension {dimension} has no indicator", dimension=dimension.id)
            problems.append(Problem(where, empty))
            continue
        problems += _weights(where, [ind.weight for ind in dimension.indicators])
        for j, indicator in enumerate(dimension.indicators):
            problems += _scale(f"{where}[{j}].scale", indicator.scale)
    return problems


def _all_ids(instrument: Instrument) -> list[str]:
    return [i.id for d in instrument.dimensions for i in d.indicators]


def _unique(problems: list[Problem], where: str, ids: list[str]) -> None:
    seen: set[str] = set()
    for name in ids:
        if name in seen:
            problems.append(Problem(where, texts.Text("the id '{id}' is given twice", id=name)))
        seen.add(name)


def _weights(where: str, weights: list[str]) -> list[Problem]:
    """Each weight exact and positive, and together exactly 1."""
    values = [exact(w) for w in weights]
    problems = [
        Problem(
            f"{where}[{i}].weight",
            texts.Text("'{weight}' is not a positive number such as 0.25 or 1/3", weight=w),
        )
        for i, (w, v) in enumerate(zip(weights, values, strict=True))
        if v is None or v <= 0
    ]
    if not problems and sum(v for v in values if v is not None) != 1:
        total = sum(v for v in values if v is not None)
        not_one = texts.Text("the weights sum to {total}, not 1", total=str(total))
        problems.append(Problem(f"{where}[*].weight", not_one))
    return problems


def _scale(where: str, scale: tuple[ScaleAnswer, ...]) -> list[Problem]:
    """At least two answers, each named once and scored from 0 to 1, the worst 0, the best 1,
    listed from worst to best."""
    if len(scale) < 2:
        too_few = texts.Text("a scale needs at least two answers, {count} given", count=len(scale))
        return [Problem(where, too_few)]
    problems: list[Problem] = []
    scores = [exact(c.score) for c in scale]
    for k, (choice, value) in enumerate(zip(scale, scores, strict=True)):
        if value is None or value > 1:
            problems.append(
                Problem(
                    f"{where}[{k}].score",
                    texts.Text("'{score}' is not a score from 0 to 1", score=choice.score),
                )
            )
    _unique(problems, where, [c.answer for c in scale])
    if problems:
        return problems
    known = [s for s in scores if s is not None]
    if known != sorted(known):
        in_order = texts.Text("answers must be listed from the worst to the best score")
        problems.append(Problem(where, in_order))
    if min(known) != 0 or max(known) != 1:
        ends = texts.Text("the worst answer must score 0 and the best 1")
        problems.append(Problem(where, ends))
    return problems
