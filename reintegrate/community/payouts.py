"""Where a community project's tranche is paid: the account of its payee (the partner for
cash, a supplier for goods in kind), given when the tranche is released.

A project's tranche is an ordinary disbursement by bank transfer, so that it is batched,
exported, matched and applied like any other payment. The account is a sealed text of the
project (`reintegrate.notes`): the journal holds only its note, the notes store holds it
encrypted under the project's key, and it is opened only to write a batch's file.
"""

from __future__ import annotations

import msgspec

from reintegrate.community.projects import PROJECT_STATUS_WORDS, RUNNING, CommunityProject
from reintegrate.grants.disbursements import Channel, Paying
from reintegrate.people.records import BankAccount
from reintegrate.texts import Text

CHANNEL = Channel.BANK
"""How a project's payee is paid: into their bank account, whether partner or supplier."""

_ENCODER = msgspec.json.Encoder(order="sorted")
_DECODER = msgspec.json.Decoder(BankAccount)


def payout_text(account: BankAccount) -> str:
    """The account as the text that is sealed (canonical JSON: one account, one text)."""
    return _ENCODER.encode(account).decode()


def payout_account(text: str) -> BankAccount | None:
    """The account a sealed payout text holds once opened; None when it holds none (its
    project's texts were erased)."""
    try:
        return _DECODER.decode(text)
    except (msgspec.DecodeError, msgspec.ValidationError):
        return None


def paying(project: CommunityProject) -> Paying:
    """Whether a payment on the project may still change (a reversal leaves it owed again)."""
    return Paying(
        what=Text("community project {project_id}", project_id=project.project_id),
        status=PROJECT_STATUS_WORDS[project.status],
        open=project.status in RUNNING,
    )
