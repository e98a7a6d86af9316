"""The ledger transaction each event posts: caps and budgets as accounts that stay >= 0.

Accounts (all in the programme currency):
- `funds:{programme}`: where budgets come from (a source, may go negative);
- `budget:{programme}:{line}` (limit) and `...:committed`: a budget line and what is drawn;
- `caps:{programme}`: where entitlements come from (a source);
- `cap:{case}:household|cash|person:{member}` (limits) and `...:used`;
- `commitments:{programme}`: where package components are funded from (a source);
- `component:{package}:{component}:remaining` (limit), `:pending`, `:paid`: what is left to
  pay on one component of one package, what is in flight, what was paid.
So for every component, approved = remaining + pending + paid.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Protocol

from reintegrate import events as ev
from reintegrate.ledger import Account, Posting, Transaction, move, transaction


def funds(programme: str, currency: str) -> Account:
    return Account(code=f"funds:{programme}", currency=currency, label=f"funds of {programme}")


def caps_source(programme: str, currency: str) -> Account:
    return Account(code=f"caps:{programme}", currency=currency, label="entitlements issued")


def commitments(programme: str, currency: str) -> Account:
    return Account(code=f"commitments:{programme}", currency=currency, label="commitments")


def budget(programme: str, line: str, currency: str) -> tuple[Account, Account]:
    code = f"budget:{programme}:{line}"
    return (
        Account(
            code=code,
            currency=currency,
            label=f"budget line {line} of {programme}",
            floor=0,
            used=(f"{code}:committed",),
        ),
        Account(code=f"{code}:committed", currency=currency, label=f"committed on {line}", floor=0),
    )


def cap(case_id: str, which: str, label: str, currency: str) -> tuple[Account, Account]:
    code = f"cap:{case_id}:{which}"
    return (
        Account(code=code, currency=currency, label=label, floor=0, used=(f"{code}:used",)),
        Account(code=f"{code}:used", currency=currency, label=f"{label} (used)", floor=0),
    )


def household_cap(case_id: str, currency: str) -> tuple[Account, Account]:
    return cap(case_id, "household", f"household entitlement of case {case_id}", currency)


def cash_cap(case_id: str, currency: str) -> tuple[Account, Account]:
    return cap(case_id, "cash", f"cash ceiling of case {case_id}", currency)


def person_cap(case_id: str, member_id: str, currency: str) -> tuple[Account, Account]:
    label = f"entitlement of member {member_id} of case {case_id}"
    return cap(case_id, f"person:{member_id}", label, currency)


def component_code(package_id: str, component_id: str, part: str) -> str:
    """The ledger account of one part (remaining, pending, paid) of a package's component."""
    return f"component:{package_id}:{component_id}:{part}"


def component_accounts(
    package_id: str, component_id: str, currency: str
) -> tuple[Account, Account, Account]:
    code = f"component:{package_id}:{component_id}"
    return (
        Account(
            code=f"{code}:remaining",
            currency=currency,
            label=f"amount left to pay on component {component_id}",
            floor=0,
            used=(f"{code}:pending", f"{code}:paid"),
        ),
        Account(code=f"{code}:pending", currency=currency, label="in flight", floor=0),
        Account(code=f"{code}:paid", currency=currency, label="paid", floor=0),
    )


def postings_for(event: ev.Event, currency: str) -> Transaction | None:
    """The transaction `event` posts in the programme's `currency`, or None."""
    match event:
        case ev.ProgrammeCreated():
            return _programme_created(event)
        case ev.BudgetLineFunded():
            line, _ = budget(event.programme_id, event.line, currency)
            return transaction(
                move(funds(event.programme_id, currency), line, event.amount, currency)
            )
        case ev.EntitlementGranted():
            return _entitlement_granted(event, currency)
        case ev.PackageApproved():
            return _draw(event, event.draws, currency)
        case ev.ComponentsIncreased():
            return _draw(event, event.draws, currency, open_components=False)
        case ev.PackageCancelled() | ev.PackageClosed() | ev.ComponentsReleased() if event.released:
            return _release(event, event.released, currency)
        case ev.DisbursementRequested():
            return _component_move(event, "remaining", "pending", event.programme_amount, currency)
        case ev.DisbursementPaid():
            return _component_move(event, "pending", "paid", event.amount, currency)
        case ev.DisbursementFailed():
            return _component_move(event, "pending", "remaining", event.amount, currency)
        case ev.DisbursementReversed():
            return _component_move(event, "paid", "remaining", event.amount, currency)
    return None


def _programme_created(event: ev.ProgrammeCreated) -> Transaction:
    c, p = event.currency, event.programme_id
    opens: list[Account] = [funds(p, c), caps_source(p, c), commitments(p, c)]
    postings: list[Posting] = []
    for line in event.budget_lines:
        available, committed = budget(p, line.code, c)
        opens += [available, committed]
        postings += move(funds(p, c), available, line.amount, c)
    return transaction(postings, opens)


def _entitlement_granted(event: ev.EntitlementGranted, c: str) -> Transaction:
    source = caps_source(event.programme_id, c)
    pairs = [
        (household_cap(event.case_id, c), event.household),
        (cash_cap(event.case_id, c), event.cash),
        *((person_cap(event.case_id, m, c), amount) for m, amount in event.persons.items()),
    ]
    opens = [account for pair, _ in pairs for account in pair]
    postings = [p for (limit, _), amount in pairs for p in move(source, limit, amount, c)]
    return transaction(postings, opens)


class _PackageFact(Protocol):
    @property
    def package_id(self) -> str: ...
    @property
    def case_id(self) -> str: ...
    @property
    def programme_id(self) -> str: ...
    @property
    def budget_line(self) -> str: ...


class _ComponentFact(Protocol):
    @property
    def package_id(self) -> str: ...
    @property
    def component_id(self) -> str: ...


def _draw(
    fact: _PackageFact, draws: tuple[ev.Draw, ...], c: str, *, open_components: bool = True
) -> Transaction:
    """Approval (or a component's increase): every cap and the budget line give up the
    amounts at once."""
    postings: list[Posting] = []
    opens: list[Account] = []
    for (available, used), amount in _limits(fact, draws, c):
        postings += move(available, used, amount, c)
    for d in draws:
        remaining, pending, paid = component_accounts(fact.package_id, d.component_id, c)
        if open_components:
            opens += [remaining, pending, paid]
        postings += move(commitments(fact.programme_id, c), remaining, d.amount, c)
    return transaction(postings, opens)


def _release(fact: _PackageFact, draws: tuple[ev.Draw, ...], c: str) -> Transaction:
    """Cancellation or closing: what was never paid goes back to every cap and the budget line."""
    postings: list[Posting] = []
    for (available, used), amount in _limits(fact, draws, c):
        postings += move(used, available, amount, c)
    for d in draws:
        remaining, _, _ = component_accounts(fact.package_id, d.component_id, c)
        postings += move(remaining, commitments(fact.programme_id, c), d.amount, c)
    return transaction(postings)


def _limits(
    fact: _PackageFact, draws: tuple[ev.Draw, ...], c: str
) -> list[tuple[tuple[Account, Account], int]]:
    per_member: dict[str, int] = defaultdict(int)
    for d in draws:
        per_member[d.member_id] += d.amount
    total = sum(d.amount for d in draws)
    cash = sum(d.amount for d in draws if d.cash)
    case = fact.case_id
    return [
        (budget(fact.programme_id, fact.budget_line, c), total),
        (household_cap(case, c), total),
        (cash_cap(case, c), cash),
        *((person_cap(case, m, c), amount) for m, amount in sorted(per_member.items())),
    ]


def _component_move(
    fact: _ComponentFact, source: str, target: str, amount: int, c: str
) -> Transaction:
    package, component = fact.package_id, fact.component_id
    return transaction(
        move(
            component_code(package, component, source),
            component_code(package, component, target),
            amount,
            c,
        )
    )
