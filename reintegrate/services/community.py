"""Use cases for community projects: one function per command, each one unit of work."""

from __future__ import annotations

import datetime as dt

import msgspec

from reintegrate import events as ev
from reintegrate.cases import Case
from reintegrate.community import drafting, lifecycle
from reintegrate.community import projects as cp
from reintegrate.errors import NotFound, ValidationFailed
from reintegrate.policy import policy_in_force
from reintegrate.policy_community import CommunityRules
from reintegrate.services.business import book_item, owner_cases
from reintegrate.services.context import Actor, new_id, utc
from reintegrate.services.packages import granted
from reintegrate.services.programmes import policies
from reintegrate.services.recording import record
from reintegrate.services.tranches import Decision, Grants, apply_to_grant
from reintegrate.store.base import EVERYWHERE, Store, UnitOfWork
from reintegrate.store.records import Lookup
from reintegrate.texts import Text


def load_project(
    projects: Lookup[cp.CommunityProject], project_id: str, actor: Actor
) -> cp.CommunityProject:
    """The project in the caller's scope (a unit of work's `projects`, or the API's read side)."""
    project = projects.get(project_id, actor.scope)
    if project is None:
        raise NotFound(
            Text("no community project {project_id}", project_id=project_id), field="project_id"
        )
    return project


PROJECTS = Grants(lambda uow, project_id, actor: load_project(uow.projects, project_id, actor))
"""Community projects, as the use cases on any grant's milestones take them."""


def rules(uow: UnitOfWork, programme_id: str, today: dt.date) -> CommunityRules:
    """The community rules of the policy version in force today."""
    policy = policy_in_force(policies(uow, programme_id), today)
    return cp.rules_of(policy.community, programme_id)


def _done(uow: UnitOfWork, project_id: str, actor: Actor) -> cp.CommunityProject:
    project = load_project(uow.projects, project_id, actor)
    uow.commit()
    return project


def _returnee_cases(
    uow: UnitOfWork, participants: ev.Participants, actor: Actor
) -> dict[str, Case]:
    """Every returnee's case, each in the caller's scope (another office's answers 404)."""
    case_ids = tuple(dict.fromkeys(r.case_id for r in participants.returnees))
    if not case_ids:
        raise ValidationFailed(
            Text("a project has 1 or more returnees"), field="participants.returnees"
        )
    return owner_cases(uow, case_ids, actor)


def draft_project(
    store: Store,
    actor: Actor,
    now: dt.datetime,
    *,
    budget_line: str,
    content: drafting.ProjectContent,
    participants: ev.Participants,
    project_id: str | None = None,
) -> cp.CommunityProject:
    """Draft a project in the office of its first returnee's case; items in other currencies
    are booked in the programme's today."""
    today = utc(now).date()
    with store.unit_of_work() as uow:
        cases = _returnee_cases(uow, participants, actor)
        first = cases[participants.returnees[0].case_id]
        programme = uow.programme(first.programme_id)
        assert programme is not None
        project_id = project_id or new_id("cp")
        if uow.projects.get(project_id, EVERYWHERE) is not None:
            raise ValidationFailed(
                Text("community project {project_id} exists already", project_id=project_id),
                field="project_id",
            )
        items = tuple(book_item(uow, i, programme.currency, today) for i in content.items)
        event = drafting.draft_project(
            project_id,
            office=first.office,
            programme_id=programme.programme_id,
            budget_lines=set(programme.budget_lines),
            budget_line=budget_line,
            currency=programme.currency,
            content=msgspec.structs.replace(content, items=items),
            participants=participants,
            cases=cases,
            rules=rules(uow, programme.programme_id, today),
        )
        record(uow, actor.user_id, utc(now), [event])
        return _done(uow, project_id, actor)


def apply_to_project(
    store: Store,
    actor: Actor,
    now: dt.datetime,
    project_id: str,
    decide: Decision[cp.CommunityProject],
) -> cp.CommunityProject:
    """Load the project in the caller's scope, decide the events, record them, commit."""
    return apply_to_grant(store, actor, now, PROJECTS.one(project_id), decide)


def submit_project(
    store: Store, actor: Actor, now: dt.datetime, project_id: str
) -> cp.CommunityProject:
    return apply_to_project(
        store, actor, now, project_id, lambda _, p, __: [drafting.submit_project(p)]
    )


def approve_project(
    store: Store, actor: Actor, now: dt.datetime, project_id: str
) -> cp.CommunityProject:
    """Approve: the envelope leaves the budget line and, when the policy counts shares, each
    returnee's share leaves their caps (granted now if it is their first approval)."""

    def decide(uow: UnitOfWork, p: cp.CommunityProject, today: dt.date) -> list[ev.Event]:
        community = rules(uow, p.programme_id, today)
        events: list[ev.Event] = []
        if community.counts_against_individual_cap:
            _grant_caps(uow, p.participants, actor, today, events)
        return [*events, lifecycle.approve_project(p, actor.user_id, community, today)]

    return apply_to_project(store, actor, now, project_id, decide)


def _grant_caps(
    uow: UnitOfWork,
    participants: ev.Participants,
    actor: Actor,
    today: dt.date,
    events: list[ev.Event],
) -> None:
    for case in _returnee_cases(uow, participants, actor).values():
        granted(uow, case, today, events)


def reject_project(
    store: Store, actor: Actor, now: dt.datetime, project_id: str, *, reason: str
) -> cp.CommunityProject:
    return apply_to_project(
        store,
        actor,
        now,
        project_id,
        lambda _, p, __: [lifecycle.reject_project(p, actor.user_id, reason)],
    )


def change_participants(
    store: Store,
    actor: Actor,
    now: dt.datetime,
    project_id: str,
    *,
    participants: ev.Participants,
) -> cp.CommunityProject:
    """New participants; for a running project whose shares count, each returnee's counted
    share is recomputed and the difference drawn from or given back to their caps."""

    def decide(uow: UnitOfWork, p: cp.CommunityProject, today: dt.date) -> list[ev.Event]:
        community = rules(uow, p.programme_id, today)
        cases = _returnee_cases(uow, participants, actor)
        drafting.check_participants(participants, cases, p.programme_id, community, p.office)
        events: list[ev.Event] = []
        if p.counts_against_caps:
            _grant_caps(uow, participants, actor, today, events)
        return [*events, lifecycle.change_participants(p, participants, community)]

    return apply_to_project(store, actor, now, project_id, decide)
