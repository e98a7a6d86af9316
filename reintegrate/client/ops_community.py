"""Community projects: drafting, the lifecycle, participants, milestones, tranches and the
payments they make."""

from __future__ import annotations

from api import schemas as s
from api import schemas_community as scm
from reintegrate.client.calls import Call, IfMatch, Upload, get, post
from reintegrate.client.grants import Grant
from reintegrate.client.operations import operation
from reintegrate.events import EvidenceKind

View = scm.CommunityProjectView
PROJECT = Grant("/community-projects/{project_id}", View)
step = PROJECT.step


class CommunityProjectOperations:
    @operation
    def draft_project(body: scm.ProjectCreate) -> Call[View]:
        return post("/community-projects", View, body)

    @operation
    def get_project(project_id: str) -> Call[View]:
        return get(PROJECT.path, View, project_id=project_id)

    @operation
    def submit_community_project(project_id: str, *, if_match: IfMatch = None) -> Call[View]:
        return step("submission", tag=if_match, project_id=project_id)

    @operation
    def approve_community_project(project_id: str, *, if_match: IfMatch = None) -> Call[View]:
        return step("approval", tag=if_match, project_id=project_id)

    @operation
    def reject_community_project(
        project_id: str, body: s.ReasonIn, *, if_match: IfMatch = None
    ) -> Call[View]:
        return step("rejection", body, if_match, project_id=project_id)

    @operation
    def change_participants(
        project_id: str, body: scm.ParticipantsIn, *, if_match: IfMatch = None
    ) -> Call[View]:
        return step("participants", body, if_match, project_id=project_id)

    @operation
    def complete_community_project(project_id: str, *, if_match: IfMatch = None) -> Call[View]:
        return step("completion", tag=if_match, project_id=project_id)

    @operation
    def abandon_community_project(project_id: str, *, if_match: IfMatch = None) -> Call[View]:
        return step("abandonment", tag=if_match, project_id=project_id)


class CommunityProjectTrancheOperations:
    @operation
    def submit_community_project_evidence(
        project_id: str,
        milestone_id: str,
        file: Upload,
        kind: EvidenceKind,
        *,
        amount: str | None = None,
        currency: str | None = None,
        if_match: IfMatch = None,
    ) -> Call[View]:
        """Evidence of a milestone, as for a business plan's."""
        named = {"project_id": project_id, "milestone_id": milestone_id}
        return PROJECT.evidence(file, kind, amount, currency, if_match, **named)

    @operation
    def verify_community_project_milestone(
        project_id: str, milestone_id: str, *, if_match: IfMatch = None
    ) -> Call[View]:
        action = "milestones/{milestone_id}/verification"
        return step(action, tag=if_match, project_id=project_id, milestone_id=milestone_id)

    @operation
    def reject_community_project_evidence(
        project_id: str, milestone_id: str, body: s.ReasonIn, *, if_match: IfMatch = None
    ) -> Call[View]:
        action = "milestones/{milestone_id}/rejection"
        return step(action, body, if_match, project_id=project_id, milestone_id=milestone_id)

    @operation
    def report_outcomes(
        project_id: str, milestone_id: str, body: scm.OutcomesIn, *, if_match: IfMatch = None
    ) -> Call[View]:
        action = "milestones/{milestone_id}/outcomes"
        return step(action, body, if_match, project_id=project_id, milestone_id=milestone_id)

    @operation
    def release_community_project_tranche(
        project_id: str,
        tranche_id: str,
        body: scm.TrancheReleaseIn,
        *,
        if_match: IfMatch = None,
    ) -> Call[View]:
        action = "tranches/{tranche_id}/release"
        return step(action, body, if_match, project_id=project_id, tranche_id=tranche_id)
