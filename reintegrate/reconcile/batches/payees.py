"""Who a batch's payments go to, as the provider's file names them.

A payment to a person goes to the payout instrument of theirs that the batch's channel pays
to: a mobile-money wallet, a bank account, or cash handed over against one of their ID
documents. These values come from the person's sealed record when finance exports the batch
and are never stored; a payment to a supplier names the supplier, as the batch does. If any
person of a batch lacks the instrument, the whole export is refused: a provider never gets a
file with payments left out.
"""

from __future__ import annotations

from collections.abc import Mapping

import msgspec

from reintegrate.errors import DomainError
from reintegrate.grants.disbursements import Channel
from reintegrate.people.records import BankAccount, CashPickup, MobileMoney, PersonalData
from reintegrate.texts import Text

MAX_ACCOUNT_NUMBER = 34
"""pain.001's longest account identifier other than an IBAN (Max34Text)."""
INSTRUMENT_OF = {
    Channel.MOBILE_MONEY: "mobile_money",
    Channel.BANK: "bank_account",
    Channel.CASH_AGENT: "cash_pickup",
    Channel.SUPPLIER_TRANSFER: "bank_account",
}
"""The payout instrument a person paid by each channel needs."""
INSTRUMENT_WORDS: dict[str, Text] = {
    "mobile_money": Text("mobile money wallet"),
    "bank_account": Text("bank account"),
    "cash_pickup": Text("cash pickup"),
}
"""A payout instrument, as a sentence says it: "a person with no {instrument}"."""


class Payee(msgspec.Struct, frozen=True, kw_only=True):
    """A person paid, with the fields of the instrument their payment goes to (empty where
    the channel does not need them)."""

    name: str
    mobile_number: str = ""
    """E.164."""
    iban: str = ""
    bic: str = ""
    bank: str = ""
    account_number: str = ""
    """A local account number, for an account without an IBAN."""
    document_type: str = ""
    document_number: str = ""
    document_country: str = ""


class PayoutInstrumentMissing(DomainError):
    """A person paid in a batch has no payout instrument of the kind its channel pays to."""

    type = "payout-instrument-missing"


def payees(
    channel: Channel, records: Mapping[str, PersonalData | Payee | None]
) -> dict[str, Payee]:
    """The payee of each payment to a person, by disbursement id, from the person's record
    (None: the payment's member names no registered person), or as given (a community
    project's payee, `account_payee`). Refused whole, naming the first payment at fault, if
    any payee lacks the instrument `channel` needs."""
    found = {
        d: data if isinstance(data, Payee) or data is None else payee_of(channel, data)
        for d, data in records.items()
    }
    missing = sorted(d for d, payee in found.items() if payee is None)
    if missing:
        needs = INSTRUMENT_OF[channel]
        raise PayoutInstrumentMissing(
            Text(
                "{count} payment(s) go to a person with no {instrument} on record "
                "(first: {first}); add it to their record, or cancel the batch",
                count=len(missing),
                instrument=INSTRUMENT_WORDS[needs],
                first=missing[0],
            ),
            field=f"items.{missing[0]}",
            details={"disbursement_ids": missing[:20], "needs": needs},
        )
    return {d: payee for d, payee in found.items() if payee is not None}


def payee_of(channel: Channel, data: PersonalData) -> Payee | None:
    """`data`'s payee for a payment by `channel`; None if they lack the instrument."""
    name = f"{data.given_names} {data.family_name}"
    if channel is Channel.MOBILE_MONEY:
        wallet = _wallet(data)
        return None if wallet is None else Payee(name=name, mobile_number=wallet.number)
    if channel is Channel.CASH_AGENT:
        return _cash_payee(name, data)
    account = next((p for p in data.payout if isinstance(p, BankAccount) and _usable(p)), None)
    return account_payee(name, account)


def account_payee(name: str, account: BankAccount | None) -> Payee | None:
    """The payee of a transfer to `name` into `account` (a person's, or the sealed account
    of a community project's partner or supplier); None without a usable account."""
    if account is None or not _usable(account):
        return None
    return Payee(
        name=name,
        iban=account.iban or "",
        bic=account.bic or "",
        bank=account.bank or "",
        account_number="" if account.iban else account.account_number or "",
    )


def _wallet(data: PersonalData) -> MobileMoney | None:
    return next((p for p in data.payout if isinstance(p, MobileMoney)), None)


def _cash_payee(name: str, data: PersonalData) -> Payee | None:
    """Cash is handed over against the ID document the person's instrument names; the agent
    gets their mobile number too where known (a wallet's, else the first phone)."""
    pickup = next((p for p in data.payout if isinstance(p, CashPickup)), None)
    if pickup is None or not 0 <= pickup.document < len(data.documents):
        return None
    document = data.documents[pickup.document]
    wallet = _wallet(data)
    phone = wallet.number if wallet is not None else next(iter(data.phones), "")
    return Payee(
        name=name,
        mobile_number=phone,
        document_type=document.type.value,
        document_number=document.number,
        document_country=document.issuing_country,
    )


def _usable(account: BankAccount) -> bool:
    """An IBAN, or a local account number short enough for pain.001."""
    number = account.account_number or ""
    return bool(account.iban) or 0 < len(number) <= MAX_ACCOUNT_NUMBER
