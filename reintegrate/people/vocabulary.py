"""Reasons recorded in the journal come from fixed vocabularies, never free text: a name or a
phone number typed into a reason could never be removed from a hash-chained journal."""

from __future__ import annotations

import enum


class ErasureReason(enum.StrEnum):
    PERSON_ASKED = "person_asked"
    """The person asked for their data to be erased (GDPR art. 17)."""
    RETENTION_ENDED = "retention_ended"
    """The programme's retention period after the case closed has passed."""
    REGISTERED_IN_ERROR = "registered_in_error"
    CONSENT_WITHDRAWN = "consent_withdrawn"


class CorrectionReason(enum.StrEnum):
    DATA_ENTRY_ERROR = "data_entry_error"
    DOCUMENT_PRESENTED = "document_presented"
    """A document shows the right value (a birth certificate, a passport)."""
    PERSON_REPORTED_CHANGE = "person_reported_change"
    """A new phone number, address or payout account."""
    CONSENT_CHANGED = "consent_changed"
