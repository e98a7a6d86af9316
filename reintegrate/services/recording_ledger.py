"""The ledger side of recording an event: the transaction it posts, in the currency of its
programme, and the balances after it once every limit is checked (`services.recording`)."""

from __future__ import annotations

from reintegrate import events as ev
from reintegrate import ledger
from reintegrate.community.postings import project_account_words, project_postings
from reintegrate.grants.postings import account_words, postings_for
from reintegrate.services.context import existing_programme
from reintegrate.store.base import UnitOfWork
from reintegrate.texts import Words


def transaction_of(
    uow: UnitOfWork, event: ev.Event, created: dict[str, str] | None = None
) -> ledger.Transaction | None:
    currency = _currency(uow, event, created or {})
    return postings_for(event, currency) or project_postings(event, currency)


def transactions_of(uow: UnitOfWork, events: list[ev.Event]) -> list[ledger.Transaction | None]:
    """The transaction each of `events` posts, before any is applied: a programme created
    by one of them gives the currency of those after it."""
    created: dict[str, str] = {}
    found = []
    for event in events:
        found.append(transaction_of(uow, event, created))
        if type(event) is ev.ProgrammeCreated:
            created[event.programme_id] = event.currency
    return found


def words_of(account: ledger.Account) -> Words:
    """What people read for `account`, in their language: the words of its kind, or its
    stored label as it is when those words would not say it in English (an account
    opened before the words were written as they are now, or of no known kind)."""
    words = account_words(account.code) or project_account_words(account.code)
    if words is None or str(words) != account.label:
        return ledger.as_labelled(account)
    return words


def codes_of(tx: ledger.Transaction) -> set[str]:
    """The accounts `tx` touches or opens."""
    touched = {p.account for p in tx.postings}
    touched.update([a.code for a in tx.opens])
    return touched


def checked_balances(uow: UnitOfWork, tx: ledger.Transaction) -> dict[str, int]:
    """The balances after `tx`, if every limit holds. What a limit has used is read only when
    one would break, for the refusal to say: replaying a journal posts every transaction
    again."""
    touched = codes_of(tx)
    accounts = uow.accounts(touched)
    balances = uow.balances(touched)

    def balance_of(code: str) -> int:
        if code not in balances:
            balances.update(uow.balances([code]))
        return balances[code]

    return ledger.post(tx, accounts, balance_of, words_of)


def _currency(uow: UnitOfWork, event: ev.Event, created: dict[str, str]) -> str:
    if type(event) is ev.ProgrammeCreated:  # not isinstance: a miss costs more on a struct
        return event.currency
    programme_id = getattr(event, "programme_id", None)
    if programme_id is None:
        return ""
    if programme_id in created:
        return created[programme_id]
    return existing_programme(uow.programme(programme_id), programme_id).currency
