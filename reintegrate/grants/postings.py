"""The ledger transaction each event posts: caps and budgets as accounts that stay >= 0.

Accounts (all in the programme currency):
- `funds:{programme}`: where budgets come from (a source, may go negative);
- `budget:{programme}:{line}` (limit) and `...:committed`: a budget line and what is drawn;
- `caps:{programme}`: where entitlements come from (a source);
- `cap:{case}:household|cash|person:{member}|person-cash:{member}` (limits) and `...:used`
  (a member's cash limit only in cases granted with limits per person);
- `commitments:{programme}`: where package components are funded from (a source);
- `component:{package}:{component}:remaining` (limit), `:pending`, `:paid`: what is left to
  pay on one component of one package, what is in flight, what was paid.
So for every component, approved = remaining + pending + paid.
What people read for each kind of account (a refused limit names it) is `account_words`,
from its code; an account's stored label is those words in English.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Protocol

from reintegrate import events as ev
from reintegrate.ledger import Account, Posting, Transaction, move, transaction
from reintegrate.texts import Text

HELD_WORDS: Mapping[str, Text] = {"pending": Text("in flight"), "paid": Text("paid")}
"""What people read for the accounts of what is in flight and what was paid, of a package's
component or of a community project."""


def account_words(code: str) -> Text | None:
    """What people read for the grant account `code`, or None if it is not one: the words
    are built from the code alone (an account read back from the store carries only its
    English label), and their English is the label the account is opened with."""
    match code.split(":"):
        case ["funds", programme]:
            return Text("funds of {programme}", programme=programme)
        case ["caps", _]:
            return Text("entitlements issued")
        case ["commitments", _]:
            return Text("commitments")
        case ["budget", programme, line]:
            return Text("budget line {line} of {programme}", line=line, programme=programme)
        case ["budget", _, line, "committed"]:
            return Text("committed on {line}", line=line)
        case ["cap", case_id, "household"]:
            return Text("household entitlement of case {case_id}", case_id=case_id)
        case ["cap", case_id, "cash"]:
            return Text("cash ceiling of case {case_id}", case_id=case_id)
        case ["cap", case_id, "person", member]:
            return Text(
                "entitlement of member {member} of case {case_id}", member=member, case_id=case_id
            )
        case ["cap", case_id, "person-cash", member]:
            return Text("cash of member {member} of case {case_id}", member=member, case_id=case_id)
        case ["cap", *limit, "used"]:
            words = account_words(":".join(["cap", *limit]))
            return None if words is None else Text("{limit} (used)", limit=words)
        case ["component", _, component, "remaining"]:
            return Text("amount left to pay on component {component}", component=component)
        case ["component", _, _, part]:
            return HELD_WORDS.get(part)
    return None


def opened(
    code: str,
    currency: str,
    *,
    floor: int | None = 0,
    used: tuple[str, ...] = (),
    words: Callable[[str], Text | None] = account_words,
) -> Account:
    """The account `code`, labelled with its `words` in English (so what is stored and
    what people read cannot drift apart)."""
    said = words(code)
    if said is None:
        raise ValueError(f"no words for ledger account {code}")
    return Account(code=code, currency=currency, label=str(said), floor=floor, used=used)


def funds(programme: str, currency: str) -> Account:
    return opened(f"funds:{programme}", currency, floor=None)


def caps_source(programme: str, currency: str) -> Account:
    return opened(f"caps:{programme}", currency, floor=None)


def commitments_code(programme: str) -> str:
    return f"commitments:{programme}"


def commitments(programme: str, currency: str) -> Account:
    return opened(commitments_code(programme), currency, floor=None)


def budget_codes(programme: str, line: str) -> tuple[str, str]:
    """A budget line's account and the account of what is committed on it."""
    code = f"budget:{programme}:{line}"
    return code, f"{code}:committed"


def budget(programme: str, line: str, currency: str) -> tuple[Account, Account]:
    code, committed = budget_codes(programme, line)
    return opened(code, currency, used=(committed,)), opened(committed, currency)


def cap_codes(case_id: str, which: str) -> tuple[str, str]:
    """A cap's account and the account of what was used of it."""
    code = f"cap:{case_id}:{which}"
    return code, f"{code}:used"


def cap(case_id: str, which: str, currency: str) -> tuple[Account, Account]:
    code, used = cap_codes(case_id, which)
    return opened(code, currency, used=(used,)), opened(used, currency)


def household_cap(case_id: str, currency: str) -> tuple[Account, Account]:
    return cap(case_id, "household", currency)


def cash_cap(case_id: str, currency: str) -> tuple[Account, Account]:
    return cap(case_id, "cash", currency)


def person_cap(case_id: str, member_id: str, currency: str) -> tuple[Account, Account]:
    return cap(case_id, f"person:{member_id}", currency)


def person_cash_cap(case_id: str, member_id: str, currency: str) -> tuple[Account, Account]:
    """A member's own cash limit: cash is never drawn on their in-kind lines."""
    return cap(case_id, f"person-cash:{member_id}", currency)


def component_code(package_id: str, component_id: str, part: str) -> str:
    """The ledger account of one part (remaining, pending, paid) of a package's component."""
    return f"component:{package_id}:{component_id}:{part}"


class _Component(Protocol):
    @property
    def component_id(self) -> str: ...


class _HasComponents(Protocol):
    @property
    def package_id(self) -> str: ...
    @property
    def components(self) -> Sequence[_Component]: ...


def requested_codes(packages: Iterable[_HasComponents]) -> list[str]:
    """The accounts of what was requested of the packages' components: pending and paid."""
    return [
        component_code(pkg.package_id, c.component_id, part)
        for pkg in packages
        for c in pkg.components
        for part in ("pending", "paid")
    ]


def component_accounts(
    package_id: str, component_id: str, currency: str
) -> tuple[Account, Account, Account]:
    remaining, pending, paid = (
        component_code(package_id, component_id, part) for part in ("remaining", "pending", "paid")
    )
    return (
        opened(remaining, currency, used=(pending, paid)),
        opened(pending, currency),
        opened(paid, currency),
    )


def postings_for(event: ev.Event, currency: str) -> Transaction | None:
    """The transaction `event` posts in the programme's `currency`, or None."""
    post = _POSTS.get(type(event))
    return None if post is None else post(event, currency)


def _programme_created(event: ev.ProgrammeCreated, _currency: str) -> Transaction:
    c, p = event.currency, event.programme_id
    opens: list[Account] = [funds(p, c), caps_source(p, c), commitments(p, c)]
    postings: list[Posting] = []
    for line in event.budget_lines:
        available, committed = budget(p, line.code, c)
        opens += [available, committed]
        postings += move(funds(p, c), available, line.amount, c)
    return transaction(postings, opens)


def _budget_line_funded(event: ev.BudgetLineFunded, c: str) -> Transaction:
    line, _ = budget(event.programme_id, event.line, c)
    return transaction(move(funds(event.programme_id, c), line, event.amount, c))


def _package_approved(event: ev.PackageApproved, c: str) -> Transaction:
    return _draw(event, event.draws, c)


def _components_increased(event: ev.ComponentsIncreased, c: str) -> Transaction:
    return _draw(event, event.draws, c, open_components=False)


def _released(
    event: ev.PackageCancelled | ev.PackageClosed | ev.ComponentsReleased, c: str
) -> Transaction | None:
    return _release(event, event.released, c) if event.released else None


def _disbursement_requested(event: ev.DisbursementRequested, c: str) -> Transaction:
    return _component_move(event, "remaining", "pending", event.programme_amount, c)


def _disbursement_paid(event: ev.DisbursementPaid, c: str) -> Transaction:
    return _component_move(event, "pending", "paid", event.amount, c)


def _disbursement_failed(event: ev.DisbursementFailed, c: str) -> Transaction:
    return _component_move(event, "pending", "remaining", event.amount, c)


def _disbursement_reversed(event: ev.DisbursementReversed, c: str) -> Transaction:
    return _component_move(event, "paid", "remaining", event.amount, c)


def _entitlement_granted(event: ev.EntitlementGranted, c: str) -> Transaction:
    source = caps_source(event.programme_id, c)
    pairs = [
        (household_cap(event.case_id, c), event.household),
        (cash_cap(event.case_id, c), event.cash),
        *((person_cap(event.case_id, m, c), amount) for m, amount in event.persons.items()),
        *(
            (person_cash_cap(event.case_id, m, c), amount)
            for m, amount in (event.persons_cash or {}).items()
        ),
    ]
    opens = [account for pair, _ in pairs for account in pair]
    postings = [p for (limit, _), amount in pairs for p in move(source, limit, amount, c)]
    return transaction(postings, opens)


def _entitlement_revised(event: ev.EntitlementRevised, c: str) -> Transaction:
    """Each cap moves by what the revision changes; a cap cut below what is used breaks its
    floor, and the command is refused with the figures."""
    source = caps_source(event.programme_id, c)
    members = sorted(set(event.persons) | set(event.previous_persons))
    pairs = [
        (household_cap(event.case_id, c), event.household - event.previous_household),
        (cash_cap(event.case_id, c), event.cash - event.previous_cash),
        *(
            (
                person_cap(event.case_id, m, c),
                event.persons.get(m, 0) - event.previous_persons.get(m, 0),
            )
            for m in members
        ),
        *(
            (
                person_cash_cap(event.case_id, m, c),
                (event.persons_cash or {}).get(m, 0)
                - (event.previous_persons_cash or {}).get(m, 0),
            )
            for m in members
            if event.previous_persons_cash is not None
        ),
    ]
    postings = [p for (limit, _), change in pairs for p in move(source, limit, change, c)]
    return transaction(postings)  # the caps' accounts were opened by the grant


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
    for available, used, amount in _limits(fact, draws):
        postings += move(available, used, amount, c)
    source = commitments_code(fact.programme_id)
    for d in draws:
        if open_components:
            opens += component_accounts(fact.package_id, d.component_id, c)
        remaining = component_code(fact.package_id, d.component_id, "remaining")
        postings += move(source, remaining, d.amount, c)
    return transaction(postings, opens)


def _release(fact: _PackageFact, draws: tuple[ev.Draw, ...], c: str) -> Transaction:
    """Cancellation or closing: what was never paid goes back to every cap and the budget line."""
    postings: list[Posting] = []
    for available, used, amount in _limits(fact, draws):
        postings += move(used, available, amount, c)
    target = commitments_code(fact.programme_id)
    for d in draws:
        remaining = component_code(fact.package_id, d.component_id, "remaining")
        postings += move(remaining, target, d.amount, c)
    return transaction(postings)


def _limits(fact: _PackageFact, draws: tuple[ev.Draw, ...]) -> list[tuple[str, str, int]]:
    """Each limit that `draws` concern, with the account of what is used of it and the
    amount: by codes only, as building the accounts themselves costs more than moving."""
    per_member: dict[str, int] = defaultdict(int)
    cash_per_member: dict[str, int] = defaultdict(int)
    for d in draws:
        per_member[d.member_id] += d.amount
        if d.cash and d.person_cash:
            cash_per_member[d.member_id] += d.amount
    total = sum(d.amount for d in draws)
    cash = sum(d.amount for d in draws if d.cash)
    case = fact.case_id
    return [
        (*budget_codes(fact.programme_id, fact.budget_line), total),
        (*cap_codes(case, "household"), total),
        (*cap_codes(case, "cash"), cash),
        *((*cap_codes(case, f"person:{m}"), amount) for m, amount in sorted(per_member.items())),
        *(
            (*cap_codes(case, f"person-cash:{m}"), amount)
            for m, amount in sorted(cash_per_member.items())
        ),
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


_POSTS: dict[type[Any], Callable[[Any, str], Transaction | None]] = {
    ev.ProgrammeCreated: _programme_created,
    ev.BudgetLineFunded: _budget_line_funded,
    ev.EntitlementGranted: _entitlement_granted,
    ev.EntitlementRevised: _entitlement_revised,
    ev.PackageApproved: _package_approved,
    ev.ComponentsIncreased: _components_increased,
    ev.PackageCancelled: _released,
    ev.PackageClosed: _released,
    ev.ComponentsReleased: _released,
    ev.DisbursementRequested: _disbursement_requested,
    ev.DisbursementPaid: _disbursement_paid,
    ev.DisbursementFailed: _disbursement_failed,
    ev.DisbursementReversed: _disbursement_reversed,
}
"""What posts each kind of event, by its type: one look-up, where a `match` would try each
class in turn (on msgspec structs an isinstance check that fails costs a fifth of a
microsecond, and replay asks this of every journal entry)."""
