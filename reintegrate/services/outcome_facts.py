"""What the records say of the case and person each scored response is about: the facts the
evidence classifies (`outcomes.groups`) and whether the person returned again.

A response names its person and its case's return date; its case is the person's case in the
programme with that return date (any record merged into the person counts as them, as the
registry's once-only identity reads them). The person *returned again* when any of their
cases, in any programme, has a later return date: they were registered again after a later
migration.
"""

from __future__ import annotations

from collections.abc import Iterable

from reintegrate.business.plans import PlanStatus
from reintegrate.community.projects import ProjectStatus
from reintegrate.errors import DomainError
from reintegrate.grants.packages import PackageStatus
from reintegrate.kinds import Form
from reintegrate.outcomes.groups import CaseAssistance
from reintegrate.outcomes.observations import Facts
from reintegrate.outcomes.rows import ScoredResponse
from reintegrate.people.registry import open_person
from reintegrate.services.people import identity_of
from reintegrate.store.base import EVERYWHERE, CaseRecord, UnitOfWork


def facts_of(uow: UnitOfWork, responses: Iterable[ScoredResponse]) -> dict[str, Facts]:
    """The facts of each response whose case is found, by response id (each case's and
    person's records read once, however many responses name them)."""
    cases: dict[str, list[CaseRecord]] = {}
    known: dict[tuple[str, str], Facts] = {}
    found: dict[str, Facts] = {}
    for response in responses:
        person = response.person_id
        if person not in cases:
            cases[person] = cases_of(uow, person)
        case = case_of(cases[person], response)
        if case is None:
            continue
        if (case.case_id, person) not in known:
            known[case.case_id, person] = Facts(
                assistance=assistance_of(uow, case, person),
                returned_again=any(c.return_date > case.return_date for c in cases[person]),
            )
        found[response.response_id] = known[case.case_id, person]
    return found


def case_of(cases: list[CaseRecord], response: ScoredResponse) -> CaseRecord | None:
    """The person's case the response is about: in its programme, with its return date."""
    return next(
        (
            c
            for c in cases
            if c.programme_id == response.programme_id and c.return_date == response.returned_on
        ),
        None,
    )


def cases_of(uow: UnitOfWork, person_id: str) -> list[CaseRecord]:
    ids = sorted({case_id for case_id, _ in uow.cases_of_persons(identity_of(uow, person_id))})
    return [case for case_id in ids if (case := uow.case(case_id, EVERYWHERE)) is not None]


def assistance_of(uow: UnitOfWork, case: CaseRecord, person_id: str) -> CaseAssistance:
    packages = uow.packages_of_case(case.case_id)
    components = tuple(
        (PackageStatus(p.status), Form(c.form)) for p in packages for c in p.components
    )
    plan_ids = sorted({p.plan_id for p in packages if p.plan_id is not None})
    plans = uow.plans.get_many(plan_ids)
    project_ids = sorted({project for project, _, _ in uow.community_shares(case.case_id)})
    projects = uow.projects.get_many(project_ids)
    return CaseAssistance(
        components=components,
        projects=tuple(ProjectStatus(p.status) for p in projects.values()),
        plans=tuple(PlanStatus(p.status) for p in plans.values()),
        vulnerable=vulnerable(uow, person_id),
    )


def vulnerable(uow: UnitOfWork, person_id: str) -> bool | None:
    """Whether the person's record lists a vulnerability; None when it cannot be opened
    (the person was erased, or merged into another). A person whose erasure is asked is
    still read: their erasure counts their scores in the groups they were shown in."""
    person, sealed = uow.person(person_id), uow.sealed_person(person_id)
    if person is None or person.merged_into is not None or sealed is None:
        return None
    try:
        return bool(open_person(uow.keyring, person_id, sealed)[0].vulnerabilities)
    except DomainError:
        return None
