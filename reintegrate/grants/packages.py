"""Individual assistance packages: cash and in-kind components, lifecycle, four eyes.

draft -> submitted -> approved -> active -> closed, or rejected / cancelled. Each command
is a pure function that checks the rules and returns the events it causes;
`reintegrate.grants.evolve` turns an event into the next state. The caps themselves are
checked by the ledger when the events' postings are applied (see `reintegrate.grants.postings`).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from decimal import Decimal

import msgspec

from reintegrate import events as ev
from reintegrate.cases import Case
from reintegrate.entitlement import Entitlement
from reintegrate.errors import DomainError, InvalidTransition, ValidationFailed
from reintegrate.four_eyes import require_another_person
from reintegrate.ids import check_id
from reintegrate.kinds import Category, Dimension, Form
from reintegrate.money import amount_text, format_minor
from reintegrate.notes import Text as FreeText
from reintegrate.reasons import stated_reason
from reintegrate.texts import Text, each

MAX_COMPONENTS = 50


class PackageStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    ACTIVE = "active"
    CLOSED = "closed"
    REJECTED = "rejected"
    CANCELLED = "cancelled"


PACKAGE_STATUS_WORDS: Mapping[PackageStatus, Text] = {
    PackageStatus.DRAFT: Text("draft"),
    PackageStatus.SUBMITTED: Text("submitted"),
    PackageStatus.APPROVED: Text("approved"),
    PackageStatus.ACTIVE: Text("active"),
    PackageStatus.CLOSED: Text("closed"),
    PackageStatus.REJECTED: Text("rejected"),
    PackageStatus.CANCELLED: Text("cancelled"),
}
"""A package's status as said in a sentence."""

OPEN_FOR_PAYMENT = (PackageStatus.APPROVED, PackageStatus.ACTIVE)


class WindowClosed(DomainError):
    type = "window-closed"


class NotEligible(DomainError):
    type = "not-eligible"


class CashShareExceeded(DomainError):
    type = "cash-share-exceeded"


class Package(msgspec.Struct, frozen=True, kw_only=True):
    package_id: str
    case_id: str
    programme_id: str
    office: str
    budget_line: str
    currency: str
    components: tuple[ev.ComponentSpec, ...]
    status: PackageStatus
    drafted_by: str
    submitted_by: str | None = None
    approved_by: str | None = None
    approved_on: dt.date | None = None
    policy_version: str | None = None
    reason: FreeText | None = None
    plan_id: str | None = None
    """The business plan whose grant this package carries; the plan's commands move it."""
    cash_per_person: bool = False
    """Whether its cash draws on each member's own cash limit (its case's grant has them)."""
    version: int = 1

    @property
    def total(self) -> int:
        return sum(c.amount for c in self.components)

    @property
    def cash_total(self) -> int:
        return sum(c.amount for c in self.components if c.form == Form.CASH)

    def component(self, component_id: str) -> ev.ComponentSpec | None:
        return next((c for c in self.components if c.component_id == component_id), None)

    def require_component(self, component_id: str) -> ev.ComponentSpec:
        comp = self.component(component_id)
        if comp is None:
            raise ValidationFailed(
                Text(
                    "package {package_id} has no component '{component_id}'",
                    package_id=self.package_id,
                    component_id=component_id,
                ),
                field="component_id",
            )
        return comp


def draft_package(
    package_id: str,
    case: Case,
    *,
    budget_line: str,
    currency: str,
    components: tuple[ev.ComponentSpec, ...],
    budget_lines: set[str],
) -> ev.PackageDrafted:
    if budget_line not in budget_lines:
        raise ValidationFailed(
            Text(
                "programme {programme_id} has no budget line '{budget_line}'",
                programme_id=case.programme_id,
                budget_line=budget_line,
            ),
            field="budget_line",
        )
    if not 1 <= len(components) <= MAX_COMPONENTS:
        raise ValidationFailed(
            Text("a package has 1 to {most} components", most=MAX_COMPONENTS),
            field="components",
        )
    ids = [c.component_id for c in components]
    if len(set(ids)) != len(ids):
        raise ValidationFailed(Text("two components share an id"), field="components")
    for i, comp in enumerate(components):
        _check_component(comp, case, f"components[{i}]")
    return ev.PackageDrafted(
        package_id=package_id,
        case_id=case.case_id,
        programme_id=case.programme_id,
        office=case.office,
        budget_line=budget_line,
        currency=currency,
        components=components,
    )


def _check_component(comp: ev.ComponentSpec, case: Case, where: str) -> None:
    for field, kind in (("form", Form), ("category", Category), ("dimension", Dimension)):
        value = getattr(comp, field)
        if value not in set(kind):
            allowed = ", ".join(k.value for k in kind)
            raise ValidationFailed(
                Text(
                    "{field} '{value}' is not one of {allowed}",
                    field=field,
                    value=str(value),
                    allowed=allowed,
                ),
                field=f"{where}.{field}",
            )
    check_id(comp.component_id, f"{where}.component_id")
    if case.member(comp.member_id) is None:
        raise ValidationFailed(
            Text(
                "case {case_id} has no member '{member_id}'",
                case_id=case.case_id,
                member_id=comp.member_id,
            ),
            field=f"{where}.member_id",
        )
    if comp.amount <= 0:
        raise ValidationFailed(
            Text("a component's amount must be positive"), field=f"{where}.amount"
        )
    if comp.form == Form.IN_KIND and not comp.supplier:
        raise ValidationFailed(
            Text("an in-kind component names the supplier who is paid"), field=f"{where}.supplier"
        )
    if comp.form == Form.CASH and comp.supplier:
        raise ValidationFailed(
            Text("a cash component is paid to the beneficiary, not a supplier"),
            field=f"{where}.supplier",
        )


def submit_package(pkg: Package, actor: str) -> ev.PackageSubmitted:
    _require(pkg, (PackageStatus.DRAFT,), Text("submit"))
    return ev.PackageSubmitted(package_id=pkg.package_id)


def approve_package(
    pkg: Package,
    actor: str,
    today: dt.date,
    granted: ev.EntitlementGranted,
    cash_share: Decimal | None,
) -> ev.PackageApproved:
    """Approve a submitted package; the caps are drawn when its postings are applied."""
    _require(pkg, (PackageStatus.SUBMITTED,), Text("approve"))
    require_another_person(
        actor,
        (pkg.drafted_by, pkg.submitted_by),
        did=Text("drafted or submitted package {package_id}", package_id=pkg.package_id),
        cannot=Text("approve it"),
    )
    if today > granted.window_end:
        raise WindowClosed(
            Text(
                "the assistance window of case {case_id} closed on {on}",
                case_id=pkg.case_id,
                on=granted.window_end,
            ),
            field="window_end",
            details={"window_end": granted.window_end.isoformat()},
        )
    if cash_share is not None and pkg.cash_total > cash_share * pkg.total:
        allowed = int(cash_share * pkg.total)
        raise CashShareExceeded(
            Text(
                "cash share of the package: limit {share} of {total} = {allowed}, asked {asked}",
                share=cash_share,
                total=amount_text(pkg.total, pkg.currency),
                allowed=amount_text(allowed, pkg.currency),
                asked=amount_text(pkg.cash_total, pkg.currency),
            ),
            field="components",
            details={
                "limit": "cash share of the package",
                "size": format_minor(allowed, pkg.currency),
                "used": "0",
                "requested": format_minor(pkg.cash_total, pkg.currency),
                "currency": pkg.currency,
            },
        )
    return ev.PackageApproved(
        package_id=pkg.package_id,
        case_id=pkg.case_id,
        programme_id=pkg.programme_id,
        budget_line=pkg.budget_line,
        policy_version=granted.policy_version,
        on=today,
        draws=draws_of(
            pkg,
            {c.component_id: c.amount for c in pkg.components},
            person_cash=granted.persons_cash is not None,
        ),
    )


def draws_of(
    pkg: Package, amounts: Mapping[str, int], *, person_cash: bool | None = None
) -> tuple[ev.Draw, ...]:
    """What the package's components draw from (or give back to) the caps: `amounts` by
    component, those above 0; a cash draw also on its member's own cash limit where the
    package's case has them (`person_cash`, the package's own once approved)."""
    per_person = pkg.cash_per_person if person_cash is None else person_cash
    return tuple(
        ev.Draw(
            component_id=c.component_id,
            member_id=c.member_id,
            cash=c.form == Form.CASH,
            amount=amounts[c.component_id],
            person_cash=per_person,
        )
        for c in pkg.components
        if amounts.get(c.component_id, 0) > 0
    )


def grant_entitlement(ent: Entitlement, case: Case) -> ev.EntitlementGranted:
    """The caps of `case` from its explained entitlement; refused when it is not eligible."""
    if not ent.eligible:
        raise NotEligible(
            Text(
                "case {case_id} is not eligible: {reasons}",
                case_id=case.case_id,
                reasons=each(list(ent.reasons)),
            ),
            details={"reasons": [str(r) for r in ent.reasons]},
        )
    return ev.EntitlementGranted(
        case_id=case.case_id,
        programme_id=case.programme_id,
        policy_version=ent.policy_version,
        as_of=ent.as_of,
        household=ent.total,
        cash=ent.cash_ceiling,
        persons={p.member_id: p.total for p in ent.persons},
        persons_cash={p.member_id: p.cash for p in ent.persons},
        stages=tuple(
            ev.GrantStage(
                stage=s.stage,
                opens_on=s.opens_on,
                cumulative=s.cumulative,
                cash_cumulative=s.cash_cumulative,
                persons=s.persons,
                persons_cash=s.persons_cash,
            )
            for s in ent.stages
        ),
        window_end=ent.window_end,
    )


def reject_package(pkg: Package, actor: str, reason: str) -> ev.PackageRejected:
    _require(pkg, (PackageStatus.SUBMITTED,), Text("reject"))
    require_another_person(
        actor,
        (pkg.drafted_by, pkg.submitted_by),
        did=Text("drafted or submitted package {package_id}", package_id=pkg.package_id),
        cannot=Text("decide on it"),
    )
    return ev.PackageRejected(package_id=pkg.package_id, reason=stated_reason(reason))


def cancel_package(
    pkg: Package, reason: str, remaining: dict[str, int], pending: int
) -> ev.PackageCancelled:
    """Cancel; an approved package gives back what is unpaid to its caps and budget line."""
    _require(pkg, (PackageStatus.DRAFT, PackageStatus.SUBMITTED, *OPEN_FOR_PAYMENT), Text("cancel"))
    released = _release(pkg, remaining, pending) if pkg.status in OPEN_FOR_PAYMENT else ()
    return ev.PackageCancelled(
        package_id=pkg.package_id,
        case_id=pkg.case_id,
        programme_id=pkg.programme_id,
        budget_line=pkg.budget_line,
        reason=stated_reason(reason),
        released=released,
    )


def close_package(pkg: Package, remaining: dict[str, int], pending: int) -> ev.PackageClosed:
    """Close an approved or active package; what was never paid goes back to the caps."""
    _require(pkg, OPEN_FOR_PAYMENT, Text("close"))
    return ev.PackageClosed(
        package_id=pkg.package_id,
        case_id=pkg.case_id,
        programme_id=pkg.programme_id,
        budget_line=pkg.budget_line,
        released=_release(pkg, remaining, pending),
    )


def _release(pkg: Package, remaining: dict[str, int], pending: int) -> tuple[ev.Draw, ...]:
    if pending:
        raise InvalidTransition(
            Text(
                "package {package_id} has disbursements in progress; settle them first",
                package_id=pkg.package_id,
            ),
            field="status",
        )
    return draws_of(pkg, remaining)


def _require(pkg: Package, allowed: tuple[PackageStatus, ...], action: Text) -> None:
    if pkg.status not in allowed:
        raise InvalidTransition(
            Text(
                "cannot {action} package {package_id}: it is {status}",
                action=action,
                package_id=pkg.package_id,
                status=PACKAGE_STATUS_WORDS[pkg.status],
            ),
            field="status",
            details={"status": pkg.status.value, "allowed": [s.value for s in allowed]},
        )


class BelongsToPlan(DomainError):
    type = "package-belongs-to-plan"


def check_not_in_plan(pkg: Package, action: Text) -> None:
    """A business plan's packages move only through the plan's own steps (its assessment,
    approval, milestones and tranches), never through the package routes."""
    if pkg.plan_id is not None:
        raise BelongsToPlan(
            Text(
                "package {package_id} carries business plan {plan_id}; "
                "{action} it through the plan",
                package_id=pkg.package_id,
                plan_id=pkg.plan_id,
                action=action,
            ),
            field="package_id",
            details={"plan_id": pkg.plan_id},
        )
