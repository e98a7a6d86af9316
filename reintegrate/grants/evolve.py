"""How events change a package: `evolve_package`, the state a package's events lead to.

Recording a command and replaying the journal both call it, so it is looked up by the
event's type (see `_EVOLVE`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import msgspec

from reintegrate import events as ev
from reintegrate.grants.packages import Package, PackageStatus


def evolve_package(pkg: Package | None, event: ev.Event, actor: str) -> Package | None:
    """The package after `event` (None if the event does not concern packages)."""
    evolve = _EVOLVE.get(type(event))
    return pkg if evolve is None else evolve(pkg, event, actor)


def _drafted(_: Package | None, event: ev.PackageDrafted, actor: str) -> Package:
    return Package(
        package_id=event.package_id,
        case_id=event.case_id,
        programme_id=event.programme_id,
        office=event.office,
        budget_line=event.budget_line,
        currency=event.currency,
        components=event.components,
        status=PackageStatus.DRAFT,
        drafted_by=actor,
        plan_id=event.plan_id,
    )


def _submitted(pkg: Package | None, _: ev.PackageSubmitted, actor: str) -> Package:
    return _next(pkg, status=PackageStatus.SUBMITTED, submitted_by=actor)


def _approved(pkg: Package | None, event: ev.PackageApproved, actor: str) -> Package:
    return _next(
        pkg,
        status=PackageStatus.APPROVED,
        approved_by=actor,
        approved_on=event.on,
        policy_version=event.policy_version,
        cash_per_person=any(d.person_cash for d in event.draws),
    )


def _rejected(pkg: Package | None, event: ev.PackageRejected, _: str) -> Package:
    return _next(pkg, status=PackageStatus.REJECTED, reason=event.reason)


def _cancelled(pkg: Package | None, event: ev.PackageCancelled, _: str) -> Package:
    return _next(pkg, status=PackageStatus.CANCELLED, reason=event.reason)


def _closed(pkg: Package | None, _event: ev.PackageClosed, _actor: str) -> Package:
    return _next(pkg, status=PackageStatus.CLOSED)


def _first_payment(
    pkg: Package | None, _event: ev.DisbursementRequested, _actor: str
) -> Package | None:
    """A package's first payment request makes it active."""
    if pkg and pkg.status is PackageStatus.APPROVED:
        return _next(pkg, status=PackageStatus.ACTIVE)
    return pkg


def _increased(pkg: Package | None, event: ev.ComponentsIncreased, _: str) -> Package:
    return _resized(pkg, {d.component_id: d.amount for d in event.draws})


def _released(pkg: Package | None, event: ev.ComponentsReleased, _: str) -> Package:
    return _resized(pkg, {d.component_id: -d.amount for d in event.released})


def _resized(pkg: Package | None, changes: dict[str, int]) -> Package:
    assert pkg is not None, "a package is resized after its approval"
    components = tuple(
        msgspec.structs.replace(c, amount=c.amount + changes.get(c.component_id, 0))
        for c in pkg.components
    )
    return _next(pkg, components=components)


def _next(pkg: Package | None, **changes: object) -> Package:
    assert pkg is not None, "a package event follows the package's draft"
    return msgspec.structs.replace(pkg, version=pkg.version + 1, **changes)


_EVOLVE: dict[type[Any], Callable[[Package | None, Any, str], Package | None]] = {
    ev.PackageDrafted: _drafted,
    ev.PackageSubmitted: _submitted,
    ev.PackageApproved: _approved,
    ev.PackageRejected: _rejected,
    ev.PackageCancelled: _cancelled,
    ev.PackageClosed: _closed,
    ev.DisbursementRequested: _first_payment,
    ev.ComponentsIncreased: _increased,
    ev.ComponentsReleased: _released,
}
"""How each kind of event changes a package, by its type: one look-up for every package
event recorded or replayed, where a `match` would try each class in turn."""
