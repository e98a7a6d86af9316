"""The parts every grant paid in tranches shows alike (budget items, components, milestones
and their evidence) to response bodies. Formatting only; evidence is shown by its hash,
media type and size, never its content."""

from __future__ import annotations

from api import schemas_tranches as st
from api.views import money, rate_view
from reintegrate import events as ev
from reintegrate.notes import plain, plain_or_none
from reintegrate.tranches.milestones import Milestone


def item_view(i: ev.BudgetItem, c: str) -> st.ItemView:
    return st.ItemView(
        item=plain(i.item),
        form=i.form,
        amount=money(i.amount, i.currency),
        programme_amount=money(i.programme_amount, c),
        rate=rate_view(i.rate) if i.rate else None,
        supplier=plain_or_none(i.supplier),
    )


def component_view(p: ev.PlanComponent, c: str) -> st.GrantComponentView:
    return st.GrantComponentView(
        component_id=p.component_id,
        form=p.form,
        amount=money(p.amount, c),
        supplier=plain_or_none(p.supplier),
    )


def milestone_view(m: Milestone, c: str) -> st.MilestoneView:
    return st.MilestoneView(
        milestone_id=m.milestone_id,
        title=plain(m.title),
        required=list(m.required),
        due_on=m.due_on,
        unlocks=m.unlocks,
        evidence=[
            st.EvidenceView(
                evidence_id=e.evidence_id,
                kind=e.kind,
                file_hash=e.file_hash,
                media_type=e.media_type,
                size=e.size,
                amount=None if e.amount is None else money(e.amount, c),
                status=e.status,
                submitted_by=e.submitted_by,
                submitted_on=e.submitted_on,
                reason=plain_or_none(e.reason),
            )
            for e in m.evidence
        ],
        verified_by=m.verified_by,
        verified_on=m.verified_on,
    )
