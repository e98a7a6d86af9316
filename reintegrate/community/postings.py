"""The ledger transaction each community project event posts.

Accounts (programme currency):
- the budget line and its `:committed` account, as for packages: the envelope is drawn on
  approval and what was never paid goes back at the end;
- `project:{id}:remaining` (limit), `:pending`, `:paid`: what is left to pay on the project,
  what is in flight to the partner or a supplier, what was paid; so for every project,
  envelope = remaining + pending + paid until it closes. A tranche's disbursement moves
  remaining -> pending when requested, pending -> paid when confirmed, pending -> remaining
  when it fails or comes back, paid -> remaining when reversed (journals written before
  hold `ProjectTrancheReleased` and `ProjectPaymentSettled`, posted the same way);
- a returnee's counted share moves from their household cap and their own cap to the caps'
  `:used` accounts, as an individual package would: the same floors refuse an overdraw.
What people read for a project's accounts is `project_account_words`, from their codes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from reintegrate import events as ev
from reintegrate.grants.postings import (
    HELD_WORDS,
    budget,
    commitments,
    household_cap,
    opened,
    person_cap,
)
from reintegrate.ledger import Account, Posting, Transaction, move, transaction
from reintegrate.texts import Text


def project_account_words(code: str) -> Text | None:
    """What people read for the community project account `code`, or None if it is not one
    (as `grants.postings.account_words` for the other accounts)."""
    match code.split(":"):
        case ["project", project_id, "remaining"]:
            return Text("left to pay on community project {project_id}", project_id=project_id)
        case ["project", _, part]:
            return HELD_WORDS.get(part)
    return None


def project_accounts(project_id: str, currency: str) -> tuple[Account, Account, Account]:
    remaining, pending, paid = (
        f"project:{project_id}:{part}" for part in ("remaining", "pending", "paid")
    )
    words = project_account_words
    return (
        opened(remaining, currency, used=(pending, paid), words=words),
        opened(pending, currency, words=words),
        opened(paid, currency, words=words),
    )


def project_postings(event: ev.Event, c: str) -> Transaction | None:
    """The transaction a community project event posts in the programme's currency `c`."""
    post = _POSTS.get(type(event))
    return None if post is None else post(event, c)


def _approved(event: ev.CommunityProjectApproved, c: str) -> Transaction:
    available, _ = budget(event.programme_id, event.budget_line, c)
    remaining, pending, paid = project_accounts(event.project_id, c)
    postings = [
        *move(available, f"{available.code}:committed", event.envelope, c),
        *move(commitments(event.programme_id, c), remaining, event.envelope, c),
        *_shares(event.counted, c, draw=True),
    ]
    return transaction(postings, [remaining, pending, paid])


def _participants_changed(event: ev.ParticipantsChanged, c: str) -> Transaction | None:
    if not (event.draws or event.releases):
        return None
    return transaction(
        [*_shares(event.draws, c, draw=True), *_shares(event.releases, c, draw=False)]
    )


def _tranche_released(event: ev.ProjectTrancheReleased, c: str) -> Transaction:
    return _move(event.project_id, "remaining", "pending", event.amount, c)


def _payment_settled(event: ev.ProjectPaymentSettled, c: str) -> Transaction:
    target = "paid" if event.outcome is ev.PaymentOutcome.PAID else "remaining"
    return _move(event.project_id, "pending", target, event.amount, c)


def _disbursement_requested(event: ev.ProjectDisbursementRequested, c: str) -> Transaction:
    return _move(event.project_id, "remaining", "pending", event.amount, c)


def _disbursement_paid(event: ev.ProjectDisbursementPaid, c: str) -> Transaction:
    return _move(event.project_id, "pending", "paid", event.amount, c)


def _disbursement_failed(event: ev.ProjectDisbursementFailed, c: str) -> Transaction:
    return _move(event.project_id, "pending", "remaining", event.amount, c)


def _disbursement_reversed(event: ev.ProjectDisbursementReversed, c: str) -> Transaction:
    return _move(event.project_id, "paid", "remaining", event.amount, c)


def _closed(event: ev.CommunityProjectClosed, c: str) -> Transaction:
    available, committed = budget(event.programme_id, event.budget_line, c)
    remaining, _, _ = project_accounts(event.project_id, c)
    return transaction(
        [
            *move(committed, available, event.unspent, c),
            *move(remaining, commitments(event.programme_id, c), event.unspent, c),
            *_shares(event.releases, c, draw=False),
        ]
    )


def _move(project_id: str, source: str, target: str, amount: int, c: str) -> Transaction:
    code = f"project:{project_id}"
    return transaction(move(f"{code}:{source}", f"{code}:{target}", amount, c))


def share_caps(case_id: str, member_id: str, c: str) -> tuple[tuple[Account, Account], ...]:
    """The caps (limit, used) a returnee's counted share draws on: their household's and
    their own, never the cash ceiling (a share is paid to the project, not to them)."""
    return (household_cap(case_id, c), person_cap(case_id, member_id, c))


def share_use(case_id: str, shares: Iterable[tuple[str, int]], c: str) -> dict[str, int]:
    """What counted shares (member id, amount) of one case take from each of its caps, by
    the code of the cap's limit account."""
    taken: dict[str, int] = {}
    for member_id, amount in shares:
        for available, _ in share_caps(case_id, member_id, c):
            taken[available.code] = taken.get(available.code, 0) + amount
    return taken


def _shares(shares: tuple[ev.CountedShare, ...], c: str, *, draw: bool) -> list[Posting]:
    """Draw each share from (or give it back to) the caps it counts against."""
    postings: list[Posting] = []
    for share in shares:
        for available, used in share_caps(share.case_id, share.member_id, c):
            source, target = (available, used) if draw else (used, available)
            postings += move(source, target, share.amount, c)
    return postings


_POSTS: dict[type[Any], Callable[[Any, str], Transaction | None]] = {
    ev.CommunityProjectApproved: _approved,
    ev.ParticipantsChanged: _participants_changed,
    ev.ProjectTrancheReleased: _tranche_released,
    ev.ProjectPaymentSettled: _payment_settled,
    ev.ProjectDisbursementRequested: _disbursement_requested,
    ev.ProjectDisbursementPaid: _disbursement_paid,
    ev.ProjectDisbursementFailed: _disbursement_failed,
    ev.ProjectDisbursementReversed: _disbursement_reversed,
    ev.CommunityProjectClosed: _closed,
}
"""What posts each kind of community event, by its type: one look-up for every journal
entry replayed, where a `match` would try each class in turn."""
