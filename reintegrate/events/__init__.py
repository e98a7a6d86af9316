"""Domain events: what the journal records, one struct per fact.

Events carry ids and amounts (integer minor units), never personal data: people are named
by their case-local `member_id` or their pseudonymous `person_id`. Each event is
self-contained, so that the ledger postings and the projections can be rebuilt from the
journal alone.
"""

from typing import cast

import msgspec

from reintegrate.events import legacy
from reintegrate.events.business import *  # noqa: F403
from reintegrate.events.business import (
    BusinessPlanActivated,
    BusinessPlanApproved,
    BusinessPlanAssessed,
    BusinessPlanDrafted,
    BusinessPlanEnded,
    BusinessPlanSubmitted,
    OwnerLeft,
    TranchePartRepaid,
    TrancheReleased,
    VisitRecorded,
)
from reintegrate.events.community import *  # noqa: F403
from reintegrate.events.community import (
    CommunityProjectApproved,
    CommunityProjectClosed,
    CommunityProjectDrafted,
    CommunityProjectRejected,
    CommunityProjectSubmitted,
    OutcomesReported,
    ParticipantsChanged,
    ProjectDisbursementFailed,
    ProjectDisbursementPaid,
    ProjectDisbursementRequested,
    ProjectDisbursementReversed,
    ProjectPaymentSettled,
    ProjectTrancheReleased,
)
from reintegrate.events.core import *  # noqa: F403
from reintegrate.events.core import (
    BudgetLineFunded,
    CaseRegistered,
    ComponentsIncreased,
    ComponentsReleased,
    DisbursementApproved,
    DisbursementFailed,
    DisbursementPaid,
    DisbursementRequested,
    DisbursementReversed,
    EntitlementGranted,
    EntitlementRevised,
    FxRateRecorded,
    PackageApproved,
    PackageCancelled,
    PackageClosed,
    PackageDrafted,
    PackageRejected,
    PackageSubmitted,
    PolicyAdopted,
    ProgrammeCreated,
)
from reintegrate.events.people import *  # noqa: F403
from reintegrate.events.people import (
    CasesImported,
    MembersLinked,
    PersonCorrected,
    PersonCorrectionProposed,
    PersonErased,
    PersonErasureRequested,
    PersonRegistered,
    PersonsDistinguished,
    PersonsMerged,
    TextsErased,
)
from reintegrate.events.reconcile import *  # noqa: F403
from reintegrate.events.reconcile import (
    PaymentBatchCancelled,
    PaymentBatchCreated,
    PaymentBatchExported,
    ProviderMappingSaved,
    ReconciliationDecisionConfirmed,
    ReconciliationDecisionProposed,
    StatementImported,
)
from reintegrate.events.surveys import *  # noqa: F403
from reintegrate.events.surveys import FollowUpRecorded, InstrumentAdopted, SurveyAnswered
from reintegrate.events.tranches import *  # noqa: F403
from reintegrate.events.tranches import (
    GrantEvidenceSubmitted,
    GrantMilestoneRejected,
    GrantMilestoneVerified,
)
from reintegrate.events.verification import *  # noqa: F403
from reintegrate.events.verification import (
    FollowUpClosed,
    ReceiptAnswerRecorded,
    VerificationRoundDrawn,
)

Event = (
    ProgrammeCreated
    | BudgetLineFunded
    | PolicyAdopted
    | FxRateRecorded
    | CaseRegistered
    | EntitlementGranted
    | PackageDrafted
    | PackageSubmitted
    | PackageApproved
    | PackageRejected
    | PackageCancelled
    | PackageClosed
    | ComponentsIncreased
    | ComponentsReleased
    | DisbursementRequested
    | DisbursementApproved
    | DisbursementPaid
    | DisbursementFailed
    | DisbursementReversed
    | BusinessPlanDrafted
    | BusinessPlanSubmitted
    | BusinessPlanAssessed
    | BusinessPlanApproved
    | BusinessPlanActivated
    | GrantEvidenceSubmitted
    | GrantMilestoneVerified
    | GrantMilestoneRejected
    | TrancheReleased
    | TranchePartRepaid
    | VisitRecorded
    | OwnerLeft
    | BusinessPlanEnded
    | CommunityProjectDrafted
    | CommunityProjectSubmitted
    | CommunityProjectRejected
    | CommunityProjectApproved
    | ParticipantsChanged
    | ProjectTrancheReleased
    | ProjectPaymentSettled
    | ProjectDisbursementRequested
    | ProjectDisbursementPaid
    | ProjectDisbursementFailed
    | ProjectDisbursementReversed
    | OutcomesReported
    | CommunityProjectClosed
    | VerificationRoundDrawn
    | ReceiptAnswerRecorded
    | FollowUpClosed
    | PaymentBatchCreated
    | PaymentBatchExported
    | PaymentBatchCancelled
    | StatementImported
    | ReconciliationDecisionProposed
    | ReconciliationDecisionConfirmed
    | ProviderMappingSaved
    | PersonRegistered
    | PersonErasureRequested
    | PersonErased
    | TextsErased
    | PersonCorrectionProposed
    | PersonCorrected
    | EntitlementRevised
    | PersonsMerged
    | PersonsDistinguished
    | MembersLinked
    | CasesImported
    | InstrumentAdopted
    | FollowUpRecorded
    | SurveyAnswered
)

_STORED = msgspec.json.Decoder(Event | legacy.LegacyEvent)


def decode_event(body: bytes | msgspec.Raw) -> Event:
    """The event a journal entry's bytes hold; an event type journals no longer record is
    read as the event that records its fact today (`events.legacy`). Raises
    msgspec.ValidationError or DecodeError when the bytes hold no event."""
    event = _STORED.decode(body)
    current = legacy.CURRENT.get(type(event))
    return event if current is None else cast(Event, current(event))
