"""Disbursements: paying one component of an approved package, in cash or in kind, or a
community project's tranche (its `project_id` set; package and case left empty).

requested -> approved -> paid | failed | returned; a paid disbursement can be reversed.
A project's disbursement goes the same way with its own events (`ProjectDisbursement*`),
which post on the project's accounts rather than a package component's.
Cash goes to the beneficiary (bank, mobile money, cash agent); in kind goes to the
component's supplier against an invoice reference. A payment in another currency than the
programme's is converted at the booked rate, and the caps count that converted amount.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping

import msgspec

from reintegrate import events as ev
from reintegrate.errors import DomainError, InvalidTransition, ValidationFailed
from reintegrate.four_eyes import require_another_person
from reintegrate.grants.packages import (
    OPEN_FOR_PAYMENT,
    PACKAGE_STATUS_WORDS,
    Package,
    WindowClosed,
)
from reintegrate.kinds import Form
from reintegrate.money import Conversion, FxRate, amount_text, format_minor
from reintegrate.notes import Note
from reintegrate.notes import Text as FreeText
from reintegrate.reasons import stated_reason
from reintegrate.stages import cash_opened_by, opened_by, person_opened_by
from reintegrate.texts import Text


class Channel(enum.StrEnum):
    BANK = "bank"
    MOBILE_MONEY = "mobile_money"
    CASH_AGENT = "cash_agent"
    SUPPLIER_TRANSFER = "supplier_transfer"


CHANNEL_WORDS: dict[Channel, Text] = {
    Channel.BANK: Text("bank transfer"),
    Channel.MOBILE_MONEY: Text("mobile money"),
    Channel.CASH_AGENT: Text("cash agent"),
    Channel.SUPPLIER_TRANSFER: Text("transfer to a supplier"),
}
"""How a batch's provider pays, as a sentence says it: "a payment by {channel}"."""


CASH_CHANNELS = (Channel.BANK, Channel.MOBILE_MONEY, Channel.CASH_AGENT)


class DisbursementStatus(enum.StrEnum):
    REQUESTED = "requested"
    APPROVED = "approved"
    PAID = "paid"
    FAILED = "failed"
    RETURNED = "returned"
    REVERSED = "reversed"


DISBURSEMENT_STATUS_WORDS: Mapping[DisbursementStatus, Text] = {
    DisbursementStatus.REQUESTED: Text("requested"),
    DisbursementStatus.APPROVED: Text("approved"),
    DisbursementStatus.PAID: Text("paid"),
    DisbursementStatus.FAILED: Text("failed"),
    DisbursementStatus.RETURNED: Text("returned"),
    DisbursementStatus.REVERSED: Text("reversed"),
}
"""A disbursement's status as said in a sentence."""

IN_FLIGHT = (DisbursementStatus.REQUESTED, DisbursementStatus.APPROVED)


class StagedLimitExceeded(DomainError):
    """More would be paid than the stages opened so far allow."""

    type = "staged-limit-exceeded"


class Requested(msgspec.Struct, frozen=True, kw_only=True):
    """What a case has asked to pay so far (pending + paid), in all and of that in cash, for
    the household and for each member, in the programme currency: what the stages opened so
    far are checked against."""

    total: int = 0
    cash: int = 0
    persons: dict[str, int] = msgspec.field(default_factory=dict)
    persons_cash: dict[str, int] = msgspec.field(default_factory=dict)

    def plus(self, amount: int, component: ev.ComponentSpec) -> Requested:
        """Also `amount` on `component`."""
        cash = amount if component.form == Form.CASH else 0
        member = component.member_id
        return Requested(
            total=self.total + amount,
            cash=self.cash + cash,
            persons=self.persons | {member: self.persons.get(member, 0) + amount},
            persons_cash=self.persons_cash | {member: self.persons_cash.get(member, 0) + cash},
        )


class Disbursement(msgspec.Struct, frozen=True, kw_only=True):
    disbursement_id: str
    package_id: str
    component_id: str
    case_id: str
    programme_id: str
    office: str
    channel: Channel
    payee: str | Note
    invoice_ref: FreeText | None
    amount: int
    currency: str
    programme_amount: int
    rate: FxRate | None
    requested_on: dt.date
    status: DisbursementStatus
    requested_by: str
    approved_by: str | None = None
    confirmed_by: str | None = None
    provider_ref: str | None = None
    reason: FreeText | None = None
    version: int = 1
    project_id: str | None = None
    """The community project whose tranche this pays (package and case are then empty)."""
    tranche_id: str | None = None
    payout: FreeText | None = None
    """The sealed account a project's payee is paid into (`community.payouts`)."""


def request_disbursement(
    disbursement_id: str,
    pkg: Package,
    *,
    component_id: str,
    channel: Channel,
    invoice_ref: str | None,
    conversion: Conversion,
    today: dt.date,
    granted: ev.EntitlementGranted | None,
    already_requested: Requested,
) -> ev.DisbursementRequested:
    """Ask to pay part of a component; `already_requested` is the case's pending + paid."""
    if pkg.status not in OPEN_FOR_PAYMENT or granted is None:
        raise InvalidTransition(
            Text(
                "package {package_id} is {status}; only approved or active packages pay",
                package_id=pkg.package_id,
                status=PACKAGE_STATUS_WORDS[pkg.status],
            ),
            field="status",
        )
    comp = pkg.require_component(component_id)
    payee = _payee(comp, channel, invoice_ref)
    if conversion.source_minor <= 0 or conversion.target_minor <= 0:
        raise ValidationFailed(
            Text(
                "a disbursement's amount must be positive and worth at least one minor unit of "
                "{currency}",
                currency=conversion.target_currency,
            ),
            field="amount",
        )
    if today > granted.window_end:
        raise WindowClosed(
            Text(
                "the assistance window of case {case_id} closed on {on}",
                case_id=pkg.case_id,
                on=granted.window_end,
            ),
            field="window_end",
        )
    check_stages(
        granted, today, already_requested, conversion.target_minor, comp=comp, currency=pkg.currency
    )
    return ev.DisbursementRequested(
        disbursement_id=disbursement_id,
        package_id=pkg.package_id,
        component_id=component_id,
        case_id=pkg.case_id,
        programme_id=pkg.programme_id,
        channel=channel.value,
        payee=payee,
        invoice_ref=invoice_ref,
        amount=conversion.source_minor,
        currency=conversion.source_currency,
        programme_amount=conversion.target_minor,
        rate=conversion.rate,
        on=today,
    )


def _payee(comp: ev.ComponentSpec, channel: Channel, invoice_ref: str | None) -> str | Note:
    if comp.form == Form.CASH:
        if channel not in CASH_CHANNELS:
            raise ValidationFailed(
                Text("cash goes to the beneficiary by bank, mobile_money or cash_agent"),
                field="channel",
            )
        return f"beneficiary:{comp.member_id}"
    if channel is not Channel.SUPPLIER_TRANSFER:
        raise ValidationFailed(
            Text("an in-kind component is paid to its supplier (channel supplier_transfer)"),
            field="channel",
        )
    if not invoice_ref or not invoice_ref.strip():
        raise ValidationFailed(
            Text("an in-kind payment needs the supplier's invoice reference"), field="invoice_ref"
        )
    if not comp.supplier:
        raise ValidationFailed(Text("the component names no supplier to pay"), field="component_id")
    return comp.supplier


class StageLimit(msgspec.Struct, frozen=True, kw_only=True):
    """One limit the stages opened by a day set on a payment, and what was asked of it."""

    names: tuple[Text, str]
    """How the limit is named in a message and in a problem's `limit`."""
    opened: int
    used: int

    @property
    def left(self) -> int:
        return self.opened - self.used


def stage_limits(
    granted: ev.EntitlementGranted, today: dt.date, already: Requested, comp: ev.ComponentSpec
) -> list[StageLimit]:
    """What the stages opened by `today` allow a payment on `comp`, against what was asked
    so far: the household's in all and in cash, the component's member's in all and in cash
    (cash only for a cash component; each limit only in grants that carry it)."""
    cash, member = comp.form == Form.CASH, comp.member_id
    found: list[tuple[tuple[Text, str], int | None, int]] = [
        (_IN_ALL, opened_by(granted.stages, today), already.total),
    ]
    if cash:
        found.append((_IN_CASH, cash_opened_by(granted.stages, today), already.cash))
    mine = person_opened_by(granted.stages, member, today)
    if mine is not None:
        found.append((_for(member), mine[0], already.persons.get(member, 0)))
        if cash:
            found.append((_for_cash(member), mine[1], already.persons_cash.get(member, 0)))
    return [StageLimit(names=n, opened=o, used=u) for n, o, u in found if o is not None]


def check_stages(
    granted: ev.EntitlementGranted,
    today: dt.date,
    already: Requested,
    asked: int,
    *,
    comp: ev.ComponentSpec,
    currency: str,
) -> None:
    """Refuse `asked` on `comp` beyond any limit of `stage_limits`, naming the first."""
    for limit in stage_limits(granted, today, already, comp):
        if asked > limit.left:
            _stage_limit(
                granted,
                today,
                limit.names,
                opened=limit.opened,
                already=limit.used,
                asked=asked,
                currency=currency,
            )


_IN_ALL = (Text("stages open"), "payment stages opened so far")
_IN_CASH = (Text("cash of stages open"), "cash of payment stages opened so far")


def _for(member: str) -> tuple[Text, str]:
    return (
        Text("stages open for member {member}", member=member),
        f"payment stages opened so far for member {member}",
    )


def _for_cash(member: str) -> tuple[Text, str]:
    return (
        Text("cash of stages open for member {member}", member=member),
        f"cash of payment stages opened so far for member {member}",
    )


def _stage_limit(
    granted: ev.EntitlementGranted,
    today: dt.date,
    limit: tuple[Text, str],
    *,
    opened: int,
    already: int,
    asked: int,
    currency: str,
) -> None:
    next_stage = next((s for s in granted.stages if s.opens_on > today), None)
    said = Text(
        "{limit} on {today}: limit {size}, used {used}, asked {asked}",
        limit=limit[0],
        today=today,
        size=amount_text(opened, currency),
        used=amount_text(already, currency),
        asked=amount_text(asked, currency),
    )
    if next_stage is not None:
        said = Text("{said}; next stage opens on {on}", said=said, on=next_stage.opens_on)
    raise StagedLimitExceeded(
        said,
        field="amount",
        details={
            "limit": limit[1],
            "size": format_minor(opened, currency),
            "used": format_minor(already, currency),
            "requested": format_minor(asked, currency),
            "currency": currency,
        },
    )


def approve_disbursement(d: Disbursement, actor: str) -> ev.DisbursementApproved:
    _require(d, (DisbursementStatus.REQUESTED,), Text("approve"))
    require_another_person(
        actor,
        d.requested_by,
        did=Text("requested disbursement {disbursement_id}", disbursement_id=d.disbursement_id),
        cannot=Text("approve it"),
    )
    return ev.DisbursementApproved(disbursement_id=d.disbursement_id)


def confirm_disbursement(
    d: Disbursement, actor: str, today: dt.date, provider_ref: str | None
) -> ev.DisbursementPaid | ev.ProjectDisbursementPaid:
    _require(d, (DisbursementStatus.APPROVED,), Text("confirm"))
    require_another_person(
        actor,
        (d.approved_by, d.requested_by),
        did=Text(
            "requested or approved disbursement {disbursement_id}",
            disbursement_id=d.disbursement_id,
        ),
        cannot=Text("confirm it as paid"),
    )
    if d.project_id is not None:
        return ev.ProjectDisbursementPaid(
            disbursement_id=d.disbursement_id,
            project_id=d.project_id,
            programme_id=d.programme_id,
            amount=d.programme_amount,
            on=today,
            provider_ref=provider_ref,
        )
    return ev.DisbursementPaid(
        disbursement_id=d.disbursement_id,
        package_id=d.package_id,
        component_id=d.component_id,
        programme_id=d.programme_id,
        amount=d.programme_amount,
        on=today,
        provider_ref=provider_ref,
    )


def fail_disbursement(
    d: Disbursement, reason: str, *, returned: bool
) -> ev.DisbursementFailed | ev.ProjectDisbursementFailed:
    """Not delivered; the amount is owed again on the component (or the project's tranche)
    and may be requested anew."""
    allowed = (DisbursementStatus.APPROVED,) if returned else IN_FLIGHT
    _require(d, allowed, Text("mark as returned") if returned else Text("mark as failed"))
    if d.project_id is not None:
        return ev.ProjectDisbursementFailed(
            disbursement_id=d.disbursement_id,
            project_id=d.project_id,
            programme_id=d.programme_id,
            amount=d.programme_amount,
            reason=stated_reason(reason),
            returned=returned,
        )
    return ev.DisbursementFailed(
        disbursement_id=d.disbursement_id,
        package_id=d.package_id,
        component_id=d.component_id,
        programme_id=d.programme_id,
        amount=d.programme_amount,
        reason=stated_reason(reason),
        returned=returned,
    )


class Paying(msgspec.Struct, frozen=True, kw_only=True):
    """Whether the grant a payment is on still pays (`what` names it in a refusal)."""

    what: Text
    status: Text
    open: bool


def paying(pkg: Package) -> Paying:
    return Paying(
        what=Text("package {package_id}", package_id=pkg.package_id),
        status=PACKAGE_STATUS_WORDS[pkg.status],
        open=pkg.status in OPEN_FOR_PAYMENT,
    )


def reverse_disbursement(
    d: Disbursement, grant: Paying, actor: str, reason: str
) -> ev.DisbursementReversed | ev.ProjectDisbursementReversed:
    """Undo a confirmed payment: someone else than who confirmed it, while the package (or
    project) it is on still pays.

    On a closed or cancelled package the amount would be owed again on a package that can
    no longer pay it nor give it back to the caps, so the reversal is refused.
    """
    _require(d, (DisbursementStatus.PAID,), Text("reverse"))
    if not grant.open:
        raise InvalidTransition(
            Text(
                "{what} is {status}; a payment on it cannot be reversed",
                what=grant.what,
                status=grant.status,
            ),
            field="status",
        )
    require_another_person(
        actor,
        d.confirmed_by,
        did=Text("confirmed disbursement {disbursement_id}", disbursement_id=d.disbursement_id),
        cannot=Text("reverse it"),
    )
    if d.project_id is not None:
        return ev.ProjectDisbursementReversed(
            disbursement_id=d.disbursement_id,
            project_id=d.project_id,
            programme_id=d.programme_id,
            amount=d.programme_amount,
            reason=stated_reason(reason),
        )
    return ev.DisbursementReversed(
        disbursement_id=d.disbursement_id,
        package_id=d.package_id,
        component_id=d.component_id,
        programme_id=d.programme_id,
        amount=d.programme_amount,
        reason=stated_reason(reason),
    )


def _require(d: Disbursement, allowed: tuple[DisbursementStatus, ...], action: Text) -> None:
    if d.status not in allowed:
        raise InvalidTransition(
            Text(
                "cannot {action} disbursement {disbursement_id}: it is {status}",
                action=action,
                disbursement_id=d.disbursement_id,
                status=DISBURSEMENT_STATUS_WORDS[d.status],
            ),
            field="status",
            details={"status": d.status.value, "allowed": [s.value for s in allowed]},
        )


def evolve_disbursement(
    d: Disbursement | None, event: ev.Event, actor: str, office: str
) -> Disbursement | None:
    match event:
        case ev.ProjectDisbursementRequested():
            return Disbursement(
                disbursement_id=event.disbursement_id,
                package_id="",
                component_id=event.component_id,
                case_id="",
                programme_id=event.programme_id,
                office=office,
                channel=Channel(event.channel),
                payee=event.payee,
                invoice_ref=None,
                amount=event.amount,
                currency=event.currency,
                programme_amount=event.amount,
                rate=None,
                requested_on=event.on,
                status=DisbursementStatus.REQUESTED,
                requested_by=actor,
                project_id=event.project_id,
                tranche_id=event.tranche_id,
                payout=event.payout,
            )
        case ev.DisbursementRequested():
            return Disbursement(
                disbursement_id=event.disbursement_id,
                package_id=event.package_id,
                component_id=event.component_id,
                case_id=event.case_id,
                programme_id=event.programme_id,
                office=office,
                channel=Channel(event.channel),
                payee=event.payee,
                invoice_ref=event.invoice_ref,
                amount=event.amount,
                currency=event.currency,
                programme_amount=event.programme_amount,
                rate=event.rate,
                requested_on=event.on,
                status=DisbursementStatus.REQUESTED,
                requested_by=actor,
            )
        case ev.DisbursementApproved():
            return _next(d, status=DisbursementStatus.APPROVED, approved_by=actor)
        case ev.DisbursementPaid() | ev.ProjectDisbursementPaid():
            return _next(
                d,
                status=DisbursementStatus.PAID,
                confirmed_by=actor,
                provider_ref=event.provider_ref,
            )
        case ev.DisbursementFailed() | ev.ProjectDisbursementFailed():
            status = DisbursementStatus.RETURNED if event.returned else DisbursementStatus.FAILED
            return _next(d, status=status, reason=event.reason)
        case ev.DisbursementReversed() | ev.ProjectDisbursementReversed():
            return _next(d, status=DisbursementStatus.REVERSED, reason=event.reason)
    return d


def _next(d: Disbursement | None, **changes: object) -> Disbursement:
    assert d is not None, "a disbursement event follows its request"
    return msgspec.structs.replace(d, version=d.version + 1, **changes)
