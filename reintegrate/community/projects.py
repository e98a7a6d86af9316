"""What a community project is, and the rules on who takes part and what it may be worth.

- Participation: at least `min_community_share` of the participants are community members
  who are not returnees (`ParticipationTooLow`).
- Value: the envelope is worth at most `max_per_participant` per participant
  (`ValuePerParticipantExceeded`).
- Per-capita share: the envelope split equally over all participants, exact to the minor unit
  by largest remainder (ties go to returnees, who come first, so what is counted against caps
  is never understated). A returnee's share is counted against their caps when the policy says
  so; the ledger refuses a share that would push a returnee over a cap.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from decimal import Decimal
from typing import ClassVar

import msgspec

from reintegrate import events as ev
from reintegrate.errors import DomainError, InvalidTransition
from reintegrate.kinds import Dimension
from reintegrate.money import allocate, amount_text, format_minor, parse_amount
from reintegrate.notes import Note
from reintegrate.notes import Text as FreeText
from reintegrate.policy_community import CommunityRules
from reintegrate.texts import Text, either
from reintegrate.tranches.grant import STEP_WORDS, Step
from reintegrate.tranches.milestones import Milestone
from reintegrate.tranches.release import Tranche


class NoCommunityRules(DomainError):
    type = "no-community-rules"


class ParticipationTooLow(DomainError):
    type = "participation-too-low"


class ValuePerParticipantExceeded(DomainError):
    type = "value-per-participant-exceeded"


class ProjectStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    REJECTED = "rejected"
    APPROVED = "approved"
    ACTIVE = "active"
    """A first tranche was released."""
    COMPLETED = "completed"
    ABANDONED = "abandoned"


PROJECT_STATUS_WORDS: Mapping[ProjectStatus, Text] = {
    ProjectStatus.DRAFT: Text("draft"),
    ProjectStatus.SUBMITTED: Text("submitted"),
    ProjectStatus.REJECTED: Text("rejected"),
    ProjectStatus.APPROVED: Text("approved"),
    ProjectStatus.ACTIVE: Text("active"),
    ProjectStatus.COMPLETED: Text("completed"),
    ProjectStatus.ABANDONED: Text("abandoned"),
}
"""A community project's status as said in a sentence."""

RUNNING = (ProjectStatus.APPROVED, ProjectStatus.ACTIVE)
CHANGEABLE = (ProjectStatus.DRAFT, ProjectStatus.SUBMITTED, *RUNNING)
TAKING_EVIDENCE = (ProjectStatus.SUBMITTED, *RUNNING)


class PaymentStatus(enum.StrEnum):
    PENDING = "pending"
    PAID = "paid"
    FAILED = "failed"
    RETURNED = "returned"
    REVERSED = "reversed"


class ProjectPayment(msgspec.Struct, frozen=True, kw_only=True):
    payment_id: str
    tranche_id: str
    payee: str | Note
    amount: int
    released_on: dt.date
    released_by: str
    status: PaymentStatus = PaymentStatus.PENDING
    settled_on: dt.date | None = None
    provider_ref: str | None = None


class Outcome(msgspec.Struct, frozen=True, kw_only=True):
    milestone_id: str
    returnees_reached: int
    community_reached: int
    jobs_created: int
    services_created: int
    on: dt.date
    reported_by: str


class CommunityProject(msgspec.Struct, frozen=True, kw_only=True):
    project_id: str
    programme_id: str
    office: str
    budget_line: str
    currency: str
    community: ev.Community
    kind: ev.ProjectKind
    description: FreeText
    partner: str
    dimensions: tuple[Dimension, ...]
    starts_on: dt.date
    ends_on: dt.date
    participants: ev.Participants
    items: tuple[ev.BudgetItem, ...]
    components: tuple[ev.PlanComponent, ...]
    milestones: tuple[Milestone, ...]
    tranches: tuple[Tranche, ...]
    status: ProjectStatus
    drafted_by: str
    submitted_by: str | None = None
    decided_by: str | None = None
    decided_on: dt.date | None = None
    rejection_reason: FreeText | None = None
    counted: tuple[ev.CountedShare, ...] = ()
    counts_against_caps: bool = False
    payments: tuple[ProjectPayment, ...] = ()
    outcomes: tuple[Outcome, ...] = ()
    ended_on: dt.date | None = None
    version: int = 1

    @property
    def envelope(self) -> int:
        return sum(c.amount for c in self.components)

    def paid(self) -> int:
        return sum(p.amount for p in self.payments if p.status is PaymentStatus.PAID)

    def pending(self) -> int:
        return sum(p.amount for p in self.payments if p.status is PaymentStatus.PENDING)

    def remaining(self) -> int:
        """What is left to pay on the envelope (none once the project ended)."""
        return 0 if self.ended_on is not None else self.envelope - self.paid() - self.pending()

    @property
    def case_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(r.case_id for r in self.participants.returnees))

    grant_kind: ClassVar[ev.GrantKind] = ev.GrantKind.COMMUNITY_PROJECT

    @property
    def grant_id(self) -> str:
        return self.project_id

    def require_open(self, step: Step) -> None:
        """Evidence is taken once submitted and while running; milestones are verified while
        the project runs."""
        require(self, RUNNING if step is Step.VERIFY else TAKING_EVIDENCE, STEP_WORDS[step])


def require(project: CommunityProject, allowed: tuple[ProjectStatus, ...], action: Text) -> None:
    if project.status not in allowed:
        raise InvalidTransition(
            Text(
                "community project {project_id} is {status}; cannot {action} it "
                "(only when {allowed})",
                project_id=project.project_id,
                status=PROJECT_STATUS_WORDS[project.status],
                action=action,
                allowed=either([PROJECT_STATUS_WORDS[s] for s in allowed]),
            ),
            field="status",
        )


def rules_of(rules: CommunityRules | None, programme_id: str) -> CommunityRules:
    if rules is None:
        raise NoCommunityRules(
            Text(
                "the policy in force for programme {programme_id} has no [community] rules: "
                "it funds no community projects",
                programme_id=programme_id,
            ),
            field="programme_id",
        )
    return rules


def check_participation(participants: ev.Participants, rules: CommunityRules) -> None:
    """Enough community members who are not returnees."""
    total, members = participants.total, participants.community_members
    wanted = rules.min_community_share_value()
    if total == 0 or Decimal(members) < wanted * total:
        raise ParticipationTooLow(
            Text(
                "{members} of {total} participants are community members who are not "
                "returnees; the policy asks for at least {wanted} of them",
                members=members,
                total=total,
                wanted=wanted,
            ),
            field="participants",
            details={
                "limit": "minimum share of community members",
                "size": str(wanted),
                "used": str(members),
                "requested": str(total),
            },
        )


def check_value_per_participant(
    envelope: int, participants: ev.Participants, rules: CommunityRules, currency: str
) -> None:
    """The envelope is worth at most `max_per_participant` per participant."""
    limit = parse_amount(rules.max_per_participant, currency) * participants.total
    if envelope > limit:
        c = currency
        raise ValuePerParticipantExceeded(
            Text(
                "an envelope of {envelope} for {participants} participants is more than "
                "{most} per participant (at most {limit})",
                envelope=amount_text(envelope, c),
                participants=participants.total,
                most=amount_text(parse_amount(rules.max_per_participant, c), c),
                limit=amount_text(limit, c),
            ),
            field="items",
            details={
                "limit": "value per participant",
                "size": format_minor(limit, c),
                "used": "0",
                "requested": format_minor(envelope, c),
                "currency": c,
            },
        )


def per_capita_shares(amount: int, participants: ev.Participants) -> tuple[ev.CountedShare, ...]:
    """Each returnee's share of `amount` split equally over every participant."""
    total = participants.total
    if total == 0:
        return ()
    parts = allocate(amount, [1] * total)
    return tuple(
        ev.CountedShare(case_id=r.case_id, member_id=r.member_id, amount=part)
        for r, part in zip(participants.returnees, parts, strict=False)
    )


def share_changes(
    old: tuple[ev.CountedShare, ...], new: tuple[ev.CountedShare, ...]
) -> tuple[tuple[ev.CountedShare, ...], tuple[ev.CountedShare, ...]]:
    """What to draw from and give back to each returnee's caps to go from `old` to `new`."""
    before = {(s.case_id, s.member_id): s.amount for s in old}
    after = {(s.case_id, s.member_id): s.amount for s in new}
    draws, releases = [], []
    for key in sorted(before.keys() | after.keys()):
        delta = after.get(key, 0) - before.get(key, 0)
        share = ev.CountedShare(case_id=key[0], member_id=key[1], amount=abs(delta))
        if delta > 0:
            draws.append(share)
        elif delta < 0:
            releases.append(share)
    return tuple(draws), tuple(releases)
