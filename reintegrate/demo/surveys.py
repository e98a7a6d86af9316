"""Demo follow-ups and survey answers: GENERATED, not observed. Each case's follow-ups that
have fallen due are recorded (most reached, some declined or unreachable, some not yet
done, so that some are overdue), and the principal answers the example instrument.

The answers are drawn around a level that depends on the form of the case's assistance
(mixed cash and in kind highest, then in kind only, then cash only, then none) and rises a
little with each follow-up, with noise, so that a dashboard comparing groups shows
differences. These differences are made up for the demo and say nothing about the world.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Iterable
from fractions import Fraction
from pathlib import Path

from reintegrate.access import EVERYWHERE
from reintegrate.errors import DomainError
from reintegrate.grants.packages import PackageStatus
from reintegrate.kinds import Form
from reintegrate.services import survey_answers, surveys
from reintegrate.services.context import Actor
from reintegrate.store.base import CaseRecord, Store
from reintegrate.surveys.instrument import Instrument, exact, load_instrument
from reintegrate.surveys.schedule import OUTCOME_WORDS, Mode, Outcome
from reintegrate.texts import Text

INSTRUMENT = Path(__file__).resolve().parents[2] / "examples" / "instruments" / "iom-rss.toml"
ADMIN = Actor("admin")
MONITOR = Actor("officer-monitoring")
LEVEL_BY_FORMS = {
    frozenset({Form.CASH, Form.IN_KIND}): 0.68,
    frozenset({Form.IN_KIND}): 0.6,
    frozenset({Form.CASH}): 0.5,
    frozenset(): 0.42,
}
"""The made-up mean score of a case's answers, by the forms of its assistance."""
OUTCOMES = ((Outcome.REACHED, 70), (Outcome.DECLINED, 10), (Outcome.UNREACHABLE, 10), (None, 10))
"""How often a due follow-up is reached, declined, unreachable, or not attempted yet."""


def load_follow_ups(
    store: Store, case_ids: Iterable[str], now: dt.datetime, seed: int = 2026
) -> Counter[Text]:
    """Adopt the example instrument and record the demo's follow-ups and answers."""
    rng = random.Random(seed)
    instrument = load_instrument(INSTRUMENT.read_text())
    surveys.adopt_instrument(store, ADMIN, now, instrument)
    done: Counter[Text] = Counter()
    for case_id in case_ids:
        with store.reading() as uow:
            case = uow.case(case_id, EVERYWHERE)
            if case is None:
                continue
            due = surveys.due_follow_ups(uow, [case], now.date())
            forms = frozenset(
                c.form
                for p in uow.packages_of_case(case_id)
                if p.status is not PackageStatus.REJECTED
                for c in p.components
            )
        for item in due:
            level = LEVEL_BY_FORMS.get(forms, 0.5) + 0.04 * item.due.number
            done[
                _follow_up(
                    store,
                    rng,
                    case,
                    number=item.due.number,
                    due_on=item.due.due_on,
                    now=now,
                    survey=(instrument, level),
                )
            ] += 1
    return done


def _follow_up(
    store: Store,
    rng: random.Random,
    case: CaseRecord,
    *,
    number: int,
    due_on: dt.date,
    now: dt.datetime,
    survey: tuple[Instrument, float],
) -> Text:
    """Record follow-up `number` of `case` with a drawn outcome; the principal answers
    `survey`'s instrument around its level when reached."""
    outcome = rng.choices([o for o, _ in OUTCOMES], [w for _, w in OUTCOMES])[0]
    if outcome is None:
        return Text("follow-up not done yet")
    return follow_up(
        store, rng, case, number=number, due_on=due_on, now=now, survey=survey, outcome=outcome
    )


def follow_up(
    store: Store,
    rng: random.Random,
    case: CaseRecord,
    *,
    number: int,
    due_on: dt.date,
    now: dt.datetime,
    survey: tuple[Instrument, float],
    outcome: Outcome,
) -> Text:
    """Record follow-up `number` of `case` with `outcome`, within 20 days of its due date;
    the principal answers `survey`'s instrument around its level when reached."""
    on = min(due_on + dt.timedelta(days=rng.randint(0, 20)), now.date())
    try:
        recorded = surveys.record_follow_up(
            store,
            MONITOR,
            now,
            case.case_id,
            number=number,
            on=on,
            mode=rng.choice(list(Mode)),
            outcome=outcome,
        )
        if outcome is Outcome.REACHED:
            instrument, level = survey
            survey_answers.record_answers(
                store,
                MONITOR,
                now,
                recorded.follow_up_id,
                member_id="m1",
                answered_on=on,
                answers=_answers(rng, instrument, level),
            )
    except DomainError as exc:
        return Text("follow-up refused: {type}", type=exc.type)
    return Text("follow-up {outcome}", outcome=OUTCOME_WORDS[outcome])


def _answers(rng: random.Random, instrument: Instrument, level: float) -> dict[str, str]:
    """An answer to each indicator (a few left out), near `level` on its scale."""
    found = {}
    for indicator in instrument.indicators().values():
        if rng.random() < 0.05:
            continue
        wanted = Fraction(min(max(rng.gauss(level, 0.2), 0), 1))
        found[indicator.id] = min(
            indicator.scale, key=lambda c: abs((exact(c.score) or Fraction(0)) - wanted)
        ).answer
    return found
