"""The rules a community project's content must meet when it is drafted or its participants
change: where (ISO 3166 codes), what, who, with what money, paid against which milestones."""

from __future__ import annotations

import datetime as dt

import msgspec

from reintegrate import events as ev
from reintegrate.cases import Case
from reintegrate.community.projects import CommunityProject, ProjectStatus, require
from reintegrate.countries import is_area_code, is_country_code
from reintegrate.errors import ValidationFailed
from reintegrate.ids import check_id
from reintegrate.kinds import Dimension
from reintegrate.policy_community import CommunityRules, MemberRecords
from reintegrate.texts import Text
from reintegrate.tranches.drafting import (
    TrancheIn,
    check_items,
    check_milestones,
    grant_components,
    resolve_tranches,
    tranche_amounts,
)

MAX_RETURNEES = 500
MAX_MEMBER_IDS = 5000
MAX_COUNT = 100_000
PROJECT = Text("project")


class ProjectContent(msgspec.Struct, frozen=True, kw_only=True):
    """What a project says, as drafted; item amounts already booked in the programme currency."""

    community: ev.Community
    kind: ev.ProjectKind
    description: str
    partner: str
    dimensions: tuple[Dimension, ...]
    starts_on: dt.date
    ends_on: dt.date
    items: tuple[ev.BudgetItem, ...]
    milestones: tuple[ev.MilestoneSpec, ...]
    tranches: tuple[TrancheIn, ...]


def draft_project(
    project_id: str,
    *,
    office: str,
    programme_id: str,
    budget_lines: set[str],
    budget_line: str,
    currency: str,
    content: ProjectContent,
    participants: ev.Participants,
    cases: dict[str, Case],
    rules: CommunityRules,
) -> ev.CommunityProjectDrafted:
    check_id(project_id, "project_id")
    if budget_line not in budget_lines:
        raise ValidationFailed(
            Text(
                "programme {programme_id} has no budget line '{budget_line}'",
                programme_id=programme_id,
                budget_line=budget_line,
            ),
            field="budget_line",
        )
    _check_place_and_purpose(content)
    check_participants(participants, cases, programme_id, rules, office)
    check_items(content.items, PROJECT, Text("the implementing partner"))
    components = grant_components(content.items)
    for n, t in enumerate(content.tranches):
        if t.currency is not None and t.currency != currency:
            raise ValidationFailed(
                Text(
                    "tranches are paid in {currency}, the programme's currency, not {given}",
                    currency=currency,
                    given=t.currency,
                ),
                field=f"tranches[{n}].amount",
            )
    tranches = resolve_tranches(components, content.tranches)
    tranche_amounts(components, tranches)
    check_milestones(content.milestones, tranches, content.starts_on, PROJECT)
    for n, m in enumerate(content.milestones):
        if m.due_on > content.ends_on:
            raise ValidationFailed(
                Text(
                    "milestone {milestone_id} is due after the project ends ({ends_on})",
                    milestone_id=m.milestone_id,
                    ends_on=content.ends_on,
                ),
                field=f"milestones[{n}].due_on",
            )
    return ev.CommunityProjectDrafted(
        project_id=project_id,
        programme_id=programme_id,
        office=office,
        budget_line=budget_line,
        currency=currency,
        participants=participants,
        components=components,
        tranches=tranches,
        **{k: v for k, v in msgspec.structs.asdict(content).items() if k != "tranches"},
    )


def _check_place_and_purpose(content: ProjectContent) -> None:
    country, area = content.community.country, content.community.area
    if not is_country_code(country):
        raise ValidationFailed(
            Text("'{country}' is not an ISO 3166-1 alpha-2 country code", country=country),
            field="community.country",
        )
    if not is_area_code(country, area):
        raise ValidationFailed(
            Text(
                "'{area}' is not an ISO 3166-2 subdivision of {country} (e.g. {country}-...)",
                area=area,
                country=country,
            ),
            field="community.area",
        )
    for name, missing in (
        ("description", Text("a project states its description")),
        ("partner", Text("a project states its partner")),
    ):
        if not getattr(content, name).strip():
            raise ValidationFailed(missing, field=name)
    if not content.dimensions or len(set(content.dimensions)) != len(content.dimensions):
        raise ValidationFailed(
            Text("a project names one or more distinct dimensions"), field="dimensions"
        )
    if content.ends_on <= content.starts_on:
        raise ValidationFailed(Text("a project ends after it starts"), field="ends_on")


def check_participants(
    participants: ev.Participants,
    cases: dict[str, Case],
    programme_id: str,
    rules: CommunityRules,
    office: str,
) -> None:
    """Returnees are members of cases of the programme followed by the project's office, each
    once (so whoever follows their cases sees the project that counts against their caps);
    community members are recorded the way the policy asks, and no more."""
    if not 1 <= len(participants.returnees) <= MAX_RETURNEES:
        raise ValidationFailed(
            Text("a project has 1 to {most} returnees", most=MAX_RETURNEES),
            field="participants.returnees",
        )
    seen: set[tuple[str, str]] = set()
    for n, r in enumerate(participants.returnees):
        where = f"participants.returnees[{n}]"
        case = cases[r.case_id]
        if case.programme_id != programme_id:
            raise ValidationFailed(
                Text(
                    "case {case_id} is not in programme {programme_id}",
                    case_id=r.case_id,
                    programme_id=programme_id,
                ),
                field=f"{where}.case_id",
            )
        if case.office != office:
            raise ValidationFailed(
                Text(
                    "case {case_id} is followed by office {office}, not {project_office}, the "
                    "project's",
                    case_id=r.case_id,
                    office=case.office,
                    project_office=office,
                ),
                field=f"{where}.case_id",
            )
        if case.member(r.member_id) is None:
            raise ValidationFailed(
                Text(
                    "case {case_id} has no member '{member_id}'",
                    case_id=r.case_id,
                    member_id=r.member_id,
                ),
                field=f"{where}.member_id",
            )
        if (r.case_id, r.member_id) in seen:
            raise ValidationFailed(Text("a returnee is named twice"), field=where)
        seen.add((r.case_id, r.member_id))
    _check_community_members(participants, rules)


def _check_community_members(participants: ev.Participants, rules: CommunityRules) -> None:
    if rules.members_recorded_as is MemberRecords.COUNTS and participants.members:
        raise ValidationFailed(
            Text("the policy records community members as counts by sex and age band, not by id"),
            field="participants.members",
        )
    if rules.members_recorded_as is MemberRecords.PSEUDONYMOUS and participants.counts:
        raise ValidationFailed(
            Text("the policy records community members by pseudonymous id, not as counts"),
            field="participants.counts",
        )
    if len(participants.members) > MAX_MEMBER_IDS:
        raise ValidationFailed(
            Text("a project lists at most {most} members", most=MAX_MEMBER_IDS),
            field="participants.members",
        )
    for n, member in enumerate(participants.members):
        check_id(member, f"participants.members[{n}]")
    if len(set(participants.members)) != len(participants.members):
        raise ValidationFailed(
            Text("a community member is listed twice"), field="participants.members"
        )
    groups: set[tuple[str, str]] = set()
    for n, c in enumerate(participants.counts):
        where = f"participants.counts[{n}]"
        if c.age_band not in rules.age_bands:
            raise ValidationFailed(
                Text(
                    "'{age_band}' is not an age band of the policy ({bands})",
                    age_band=c.age_band,
                    bands=", ".join(rules.age_bands),
                ),
                field=f"{where}.age_band",
            )
        if not 1 <= c.count <= MAX_COUNT:
            raise ValidationFailed(
                Text("a count is 1 to {most}", most=MAX_COUNT), field=f"{where}.count"
            )
        if (c.sex, c.age_band) in groups:
            raise ValidationFailed(Text("a group (sex, age band) is counted twice"), field=where)
        groups.add((c.sex, c.age_band))


def submit_project(project: CommunityProject) -> ev.CommunityProjectSubmitted:
    require(project, (ProjectStatus.DRAFT,), Text("submit"))
    return ev.CommunityProjectSubmitted(project_id=project.project_id)
