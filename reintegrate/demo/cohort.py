"""The demo's monitoring cohort: GENERATED, not observed.

Scattered over many offices, countries and return months, the demo's households make atoms
(office x country x return month x group) far under the evidence's minimum of persons, so
every group of the outcome comparisons is suppressed. The cohort is what a programme that
monitors on purpose would have: in programme eurp, households concentrated in two offices
(Dakar, Senegal and Conakry, Guinea) and two return months (seven and eight months before
`now`), `per_atom` of them in each office and month. In each such atom exactly a third is
given cash only, a third in kind only and a third both; a third (spread over the forms) is
also in a community project of its office; a third is vulnerable. Both follow-ups fallen
due (three and six months) are made: the second always reached, the first now and then
declined or unreachable, so each group of each atom holds at least a third of `per_atom`
persons: hence `per_atom` is 0 or at least 30 (`MINIMUM_PER_ATOM`).

Answers are drawn, with the demo's seeded generator, around a level that depends on the
form of assistance and on the community project (made-up differences, so that the charts
show some). Nothing here decides anything: the use cases do.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Callable, Iterator

import msgspec

from reintegrate import events as ev
from reintegrate.access import EVERYWHERE
from reintegrate.cases import Case, Member, ReturnType, Vulnerability
from reintegrate.cases import Role as MemberRole
from reintegrate.community.projects import PROJECT_STATUS_WORDS, ProjectStatus
from reintegrate.demo.community import project_content
from reintegrate.demo.surveys import INSTRUMENT, LEVEL_BY_FORMS, follow_up
from reintegrate.kinds import Category, Dimension, Form
from reintegrate.services import community as cs
from reintegrate.services import surveys
from reintegrate.services.context import Actor
from reintegrate.services.programmes import CaseEntitlement
from reintegrate.store.base import Store
from reintegrate.surveys.instrument import load_instrument
from reintegrate.surveys.schedule import Outcome
from reintegrate.texts import Text

PROGRAMME = "eurp"
OFFICES = (("dakar", "SN", "SN-DK"), ("conakry", "GN", "GN-C"))
"""Office, country of return, and the ISO 3166-2 area of its community project."""
MONTHS_BEFORE = (8, 7)
"""Return months of the cohort, counted back from the month of `now`."""
COHORT_ATOMS = len(OFFICES) * len(MONTHS_BEFORE)
COHORT_PER_ATOM = 60
"""The cohort's size per office and return month that the demo server and command load."""
FORMS = ((Form.CASH,), (Form.IN_KIND,), (Form.CASH, Form.IN_KIND))
COMMUNITY_BONUS = 0.05
"""The made-up rise of the score level of a household also in a community project."""
MINIMUM_PER_ATOM = 30
"""A third of this is the evidence's minimum of persons (10) in each group of an atom."""


class Planned(msgspec.Struct, frozen=True, kw_only=True):
    """A cohort household: its forms of assistance, and whether it joins a community project."""

    forms: tuple[Form, ...]
    community: bool


def cohort_size_problem(per_atom: int) -> Text | None:
    """What is wrong with a cohort of `per_atom` households per office and return month."""
    if per_atom != 0 and per_atom < MINIMUM_PER_ATOM:
        return Text(
            "a monitoring cohort has 0 or at least {least} households per office and return "
            "month (a third of them in each group), not {size}",
            least=MINIMUM_PER_ATOM,
            size=per_atom,
        )
    return None


def check_cohort_size(per_atom: int) -> None:
    problem = cohort_size_problem(per_atom)
    if problem is not None:
        raise ValueError(str(problem))


def cohort_cases(rng: random.Random, per_atom: int, now: dt.datetime) -> list[tuple[Case, Planned]]:
    """`per_atom` single-person households in each office and return month, planned."""
    check_cohort_size(per_atom)
    found = []
    for office, country, _ in OFFICES:
        for back in MONTHS_BEFORE:
            first = _month_start(now.date(), back)
            community = set(rng.sample(range(per_atom), per_atom // 3))
            vulnerable = set(rng.sample(range(per_atom), per_atom // 3))
            for i in range(per_atom):
                case_id = f"case-mc-{office}-{first:%Y%m}-{i + 1:03d}"
                returned = first + dt.timedelta(days=rng.randint(0, 27))
                vulnerabilities = (rng.choice(list(Vulnerability)),) if i in vulnerable else ()
                case = _case(
                    case_id, office, country, returned, vulnerabilities=vulnerabilities, rng=rng
                )
                found.append((case, Planned(forms=FORMS[i % 3], community=i in community)))
    return found


def _month_start(today: dt.date, back: int) -> dt.date:
    months = today.year * 12 + today.month - 1 - back
    return dt.date(months // 12, months % 12 + 1, 1)


def _case(
    case_id: str,
    office: str,
    country: str,
    returned: dt.date,
    *,
    vulnerabilities: tuple[Vulnerability, ...],
    rng: random.Random,
) -> Case:
    principal = Member(
        member_id="m1",
        person_id=f"ref-{case_id}-1",
        role=MemberRole.PRINCIPAL,
        nationality=country,
        birth_year=returned.year - rng.randint(19, 58),
        vulnerabilities=vulnerabilities,
    )
    return Case(
        case_id=case_id,
        programme_id=PROGRAMME,
        office=office,
        country_of_return=country,
        return_date=returned,
        return_type=ReturnType.ASSISTED_VOLUNTARY,
        members=(principal,),
    )


def planned_components(
    planned: Planned,
) -> Callable[[CaseEntitlement], Iterator[ev.ComponentSpec]]:
    """The components of a planned household's package: six tenths of the principal's
    entitlement (room is left for a share in a community project), in the planned forms."""

    def components(ent: CaseEntitlement) -> Iterator[ev.ComponentSpec]:
        e = ent.entitlement
        person = e.persons[0]
        amount = person.total * 6 // 10
        cash = min(person.cash, e.cash_ceiling, amount) if Form.CASH in planned.forms else 0
        if Form.IN_KIND in planned.forms and cash:
            cash //= 2
        if cash:
            yield ev.ComponentSpec(
                component_id="m1-cash",
                member_id="m1",
                form=Form.CASH,
                category=Category.OTHER,
                dimension=Dimension.ECONOMIC,
                amount=cash,
                description="reintegration cash",
            )
        if Form.IN_KIND in planned.forms and amount - cash > 0:
            yield ev.ComponentSpec(
                component_id="m1-business",
                member_id="m1",
                form=Form.IN_KIND,
                category=Category.BUSINESS,
                dimension=Dimension.ECONOMIC,
                amount=amount - cash,
                supplier="supplier-cohort",
            )

    return components


def load_cohort_projects(
    store: Store, planned: list[tuple[Case, Planned]], now: dt.datetime
) -> Counter[Text]:
    """One approved community project in each office, joined by its planned households."""
    done: Counter[Text] = Counter()
    for office, country, area in OFFICES:
        case_ids = tuple(c.case_id for c, p in planned if p.community and c.office == office)
        if not case_ids:
            continue
        officer, project_id = Actor(f"officer-{office}"), f"cp-cohort-{office}"
        cs.draft_project(
            store,
            officer,
            now,
            budget_line="individual",
            content=project_content(now.date(), ev.Community(country=country, area=area)),
            participants=_participants(case_ids),
            project_id=project_id,
        )
        cs.submit_project(store, officer, now, project_id)
        cs.approve_project(store, Actor("approver-1"), now, project_id)
        approved = PROJECT_STATUS_WORDS[ProjectStatus.APPROVED]
        done[Text("cohort community project {status}", status=approved)] += 1
    return done


def _participants(case_ids: tuple[str, ...]) -> ev.Participants:
    """The returnees, and as many members of their community (half of each sex)."""
    half = len(case_ids) // 2
    counts = (
        ev.MemberCount(sex=ev.CountedSex.FEMALE, age_band="18-35", count=len(case_ids) - half),
        ev.MemberCount(sex=ev.CountedSex.MALE, age_band="18-35", count=half),
    )
    returnees = tuple(ev.ReturneeParticipant(case_id=c, member_id="m1") for c in case_ids)
    return ev.Participants(returnees=returnees, counts=counts)


def load_cohort_follow_ups(
    store: Store, rng: random.Random, planned: list[tuple[Case, Planned]], now: dt.datetime
) -> Counter[Text]:
    """Every follow-up of the cohort fallen due: the first reached nine times in ten (else
    declined or unreachable), the later ones reached; answers around the planned level."""
    instrument = load_instrument(INSTRUMENT.read_text())
    done: Counter[Text] = Counter()
    for case, plan in planned:
        with store.reading() as uow:
            record = uow.case(case.case_id, EVERYWHERE)
            if record is None:
                continue
            due = surveys.due_follow_ups(uow, [record], now.date())
        level = LEVEL_BY_FORMS[frozenset(plan.forms)] + COMMUNITY_BONUS * plan.community
        for item in due:
            outcome = Outcome.REACHED
            if item.due.number == 1 and rng.random() < 0.1:
                outcome = rng.choice((Outcome.DECLINED, Outcome.UNREACHABLE))
            survey = (instrument, level + 0.04 * item.due.number)
            done[
                follow_up(
                    store,
                    rng,
                    record,
                    number=item.due.number,
                    due_on=item.due.due_on,
                    now=now,
                    survey=survey,
                    outcome=outcome,
                )
            ] += 1
    return done
