"""Every operation of the API, by area; both clients inherit them all."""

from __future__ import annotations

from reintegrate.client.ops_admin import (
    AuditOperations,
    ProgrammeOperations,
    VerificationOperations,
)
from reintegrate.client.ops_business import BusinessPlanOperations, BusinessPlanTrancheOperations
from reintegrate.client.ops_cases import (
    CaseOperations,
    DisbursementOperations,
    PackageOperations,
)
from reintegrate.client.ops_community import (
    CommunityProjectOperations,
    CommunityProjectTrancheOperations,
)
from reintegrate.client.ops_events import EventOperations, WebhookOperations
from reintegrate.client.ops_lists import ListOperations
from reintegrate.client.ops_outcomes import OutcomeOperations
from reintegrate.client.ops_people import PersonOperations
from reintegrate.client.ops_reconciliation import PaymentBatchOperations, StatementOperations
from reintegrate.client.ops_surveys import SurveyOperations


class Operations(
    ProgrammeOperations,
    PersonOperations,
    CaseOperations,
    PackageOperations,
    DisbursementOperations,
    BusinessPlanOperations,
    BusinessPlanTrancheOperations,
    CommunityProjectOperations,
    CommunityProjectTrancheOperations,
    PaymentBatchOperations,
    StatementOperations,
    VerificationOperations,
    AuditOperations,
    EventOperations,
    WebhookOperations,
    ListOperations,
    OutcomeOperations,
    SurveyOperations,
):
    """Each method is named by its operation's `operationId` in /schema/openapi.json (a few
    more answer a report as a file: `financial_report_file`, `get_reconciliation_file`)."""
