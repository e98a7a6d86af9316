"""A status or kind shown in a sentence is a word of the reader's language, never the enum's
value: each table of words covers every value of its enum."""

from __future__ import annotations

import enum
from collections.abc import Mapping

import pytest

from reintegrate import events as ev
from reintegrate.access import ROLE_WORDS, Role
from reintegrate.adapters.translation import in_language
from reintegrate.business.plans import PLAN_STATUS_WORDS, PlanStatus
from reintegrate.community.projects import PROJECT_STATUS_WORDS, ProjectStatus
from reintegrate.grants.disbursements import (
    CHANNEL_WORDS,
    DISBURSEMENT_STATUS_WORDS,
    Channel,
    DisbursementStatus,
)
from reintegrate.grants.packages import PACKAGE_STATUS_WORDS, PackageStatus
from reintegrate.people.records import PersonStatus, person_is
from reintegrate.reconcile.batches.batch import BATCH_STATUS_WORDS, BatchStatus
from reintegrate.reconcile.batches.payees import INSTRUMENT_OF, INSTRUMENT_WORDS
from reintegrate.surveys.schedule import OUTCOME_WORDS, Outcome
from reintegrate.texts import Text
from reintegrate.tranches.grant import STEP_WORDS, Step
from reintegrate.tranches.milestones import EVIDENCE_KIND_WORDS


@pytest.mark.parametrize(
    ("kind", "words"),
    [
        (BatchStatus, BATCH_STATUS_WORDS),
        (PackageStatus, PACKAGE_STATUS_WORDS),
        (DisbursementStatus, DISBURSEMENT_STATUS_WORDS),
        (PlanStatus, PLAN_STATUS_WORDS),
        (ProjectStatus, PROJECT_STATUS_WORDS),
        (Role, ROLE_WORDS),
        (Step, STEP_WORDS),
        (ev.EvidenceKind, EVIDENCE_KIND_WORDS),
        (Outcome, OUTCOME_WORDS),
        (Channel, CHANNEL_WORDS),
        (ev.Resolution, ev.RESOLUTION_WORDS),
    ],
)
def test_every_value_of_an_enum_shown_in_a_sentence_has_its_word(
    kind: type[enum.Enum], words: Mapping[enum.Enum, Text]
) -> None:
    assert set(words) == set(kind)


def test_every_payout_instrument_a_channel_needs_has_its_word() -> None:
    assert set(INSTRUMENT_OF.values()) <= set(INSTRUMENT_WORDS)


def test_a_persons_status_reads_as_words_in_each_language() -> None:
    said = person_is("p-1", PersonStatus.ERASURE_REQUESTED)
    assert str(said) == "person p-1 is awaiting erasure"
    assert in_language(said, "fr") == "la personne p-1 est en attente d'effacement"
    assert in_language(said, "es") == "la persona p-1 está pendiente de supresión"


@pytest.mark.parametrize("status", list(PersonStatus))
def test_every_status_of_a_person_is_said_as_a_whole_sentence_in_each_language(
    status: PersonStatus,
) -> None:
    said = person_is("p-1", status)
    assert in_language(said, "fr").startswith("la personne p-1 ")
    assert in_language(said, "es").startswith("la persona p-1 ")
