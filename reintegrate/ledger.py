"""Double-entry ledger in integer minor units, where every cap is an account balance.

An account with a `floor` may not go below it: a household's entitlement, its cash ceiling,
a budget line, what is left to pay on a package component. Drawing on a limit moves units
from the limit account to its `used` account, so `size = available + used` at any time.
A transaction is a set of postings that sums to zero in each currency; `post` applies it to
the balances only if every floor holds, else it raises `LimitExceeded` naming each limit,
its size, what was used and what was asked. Nothing here does I/O: balances are passed in,
and so is how people are told of an account (`post`'s `named`): the ledger knows no kind
of account, only their codes and stored labels.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping

import msgspec

from reintegrate.errors import DomainError
from reintegrate.money import amount_text, format_minor
from reintegrate.texts import Label, Text, Words, each


class Account(msgspec.Struct, frozen=True, kw_only=True):
    code: str
    currency: str
    label: str
    floor: int | None = None
    """Lowest balance allowed; None for a source account that may go negative."""
    used: tuple[str, ...] = ()
    """For a limit: the accounts that hold what was drawn from it."""


class Posting(msgspec.Struct, frozen=True, array_like=True):
    account: str
    amount: int
    currency: str


class Transaction(msgspec.Struct, frozen=True, kw_only=True):
    postings: tuple[Posting, ...]
    opens: tuple[Account, ...] = ()


class UnbalancedTransaction(DomainError):
    type = "unbalanced-transaction"


class UnknownAccount(DomainError):
    type = "unknown-account"


class AccountExists(DomainError):
    """A transaction opens an account that is already open: its id is in use."""

    type = "account-exists"


class Breach(msgspec.Struct, frozen=True, kw_only=True):
    """One limit that a transaction would break."""

    account: str
    limit: str
    """The limit account's stored label: what machines read."""
    currency: str
    size: int
    used: int
    asked: int
    words: Words
    """What people read for the limit: its words, or its label as it is (`as_labelled`)."""

    def describe(self) -> Text:
        c = self.currency
        return Text(
            "{limit}: limit {size}, used {used}, asked {asked}",
            limit=self.words,
            size=amount_text(self.size, c),
            used=amount_text(self.used, c),
            asked=amount_text(self.asked, c),
        )


class LimitExceeded(DomainError):
    """A transaction would take a limit account below its floor."""

    type = "limit-exceeded"

    def __init__(self, breaches: list[Breach]) -> None:
        first = breaches[0]
        super().__init__(
            each([b.describe() for b in breaches]),
            field=first.account,
            details={
                "limits": [_figures(b) for b in breaches],
                "limit": first.limit,
                "size": format_minor(first.size, first.currency),
                "used": format_minor(first.used, first.currency),
                "requested": format_minor(first.asked, first.currency),
                "currency": first.currency,
            },
        )
        self.breaches = breaches


def _figures(breach: Breach) -> dict[str, object]:
    """A breach as machines read it: its words are for people, in their language."""
    figures = msgspec.structs.asdict(breach)
    del figures["words"]
    return figures


def as_labelled(account: Account) -> Words:
    """An account named by its stored label, the same in every language."""
    return Label(account.label)


def move(source: Account | str, target: Account | str, amount: int, currency: str) -> list[Posting]:
    """The two postings that move `amount` from `source` to `target`."""
    src = source if isinstance(source, str) else source.code
    dst = target if isinstance(target, str) else target.code
    return [Posting(src, -amount, currency), Posting(dst, amount, currency)]


def transaction(postings: Iterable[Posting], opens: Iterable[Account] = ()) -> Transaction:
    """A transaction without zero postings, merged per account."""
    given = tuple(postings)
    merged: dict[tuple[str, str], int] = {}
    for p in given:
        key = (p.account, p.currency)
        merged[key] = merged.get(key, 0) + p.amount
    if len(merged) == len(given) and 0 not in merged.values():
        kept = given  # nothing to merge or drop: the postings as given (replay makes millions)
    else:
        kept = tuple([Posting(a, amt, c) for (a, c), amt in merged.items() if amt != 0])
    return Transaction(postings=kept, opens=tuple(opens))


def validate_balanced(tx: Transaction) -> list[str]:
    """Every currency whose postings do not sum to zero, as messages."""
    sums: dict[str, int] = defaultdict(int)
    for p in tx.postings:
        sums[p.currency] += p.amount
    return [f"{c} postings sum to {s}, not 0" for c, s in sorted(sums.items()) if s != 0]


def post(
    tx: Transaction,
    accounts: Mapping[str, Account],
    balance_of: Callable[[str], int],
    named: Callable[[Account], Words] = as_labelled,
) -> dict[str, int]:
    """New balances of the accounts `tx` touches, if it is balanced and every floor holds.

    `accounts` are the open accounts `tx` touches; the accounts it opens are added to them.
    A refusal names each limit it would break as `named` says (its label by default).
    """
    problems = validate_balanced(tx)
    if problems:
        raise UnbalancedTransaction(Text("{problems}", problems="; ".join(problems)))
    if tx.opens:
        reopened = sorted(a.code for a in tx.opens if a.code in accounts)
        if reopened:
            raise AccountExists(
                Text("ledger account {account} is open already", account=reopened[0]),
                field=reopened[0],
            )
        accounts = {**accounts, **{a.code: a for a in tx.opens}}
    deltas: dict[str, int] = defaultdict(int)
    for p in tx.postings:
        account = accounts.get(p.account)
        if account is None:
            raise UnknownAccount(
                Text("no ledger account {account}", account=p.account), field=p.account
            )
        if account.currency != p.currency:
            raise UnbalancedTransaction(
                Text(
                    "{posted} posted to {currency} account",
                    posted=p.currency,
                    currency=account.currency,
                )
            )
        deltas[p.account] += p.amount
    new = {code: balance_of(code) + delta for code, delta in deltas.items()}
    breaches = [
        _breach(account, balance_of, -deltas[code], named)
        for code, balance in new.items()
        if (floor := (account := accounts[code]).floor) is not None and balance < floor
    ]
    if breaches:
        raise LimitExceeded(breaches)
    return new


class LimitUse(msgspec.Struct, frozen=True, kw_only=True):
    """A limit account's state: `size = available + used`."""

    size: int
    used: int
    available: int


def limit_use(account: Account, balance_of: Callable[[str], int]) -> LimitUse:
    available = balance_of(account.code)
    used = sum(balance_of(code) for code in account.used)
    return LimitUse(size=available + used, used=used, available=available)


def _breach(
    account: Account,
    balance_of: Callable[[str], int],
    asked: int,
    named: Callable[[Account], Words],
) -> Breach:
    use = limit_use(account, balance_of)
    size, used = use.size, use.used
    return Breach(
        account=account.code,
        limit=account.label,
        currency=account.currency,
        size=size,
        used=used,
        asked=asked,
        words=named(account),
    )


def validate_zero_sum(balances: Mapping[str, int], accounts: Mapping[str, Account]) -> list[Text]:
    """Currencies whose balances over all accounts do not sum to zero."""
    sums: dict[str, int] = defaultdict(int)
    for code, balance in balances.items():
        sums[accounts[code].currency] += balance
    return [
        Text("{currency} balances sum to {sum}", currency=c, sum=s)
        for c, s in sorted(sums.items())
        if s != 0
    ]


def validate_floors(balances: Mapping[str, int], accounts: Mapping[str, Account]) -> list[Text]:
    """Accounts below their floor (must always be empty), by code: only those are sorted,
    as sorting every account of a large ledger costs seconds."""
    below = [
        (code, balance, floor)
        for code, balance in balances.items()
        if (floor := accounts[code].floor) is not None and balance < floor
    ]
    return [
        Text("{code} is at {balance}, below its floor {floor}", code=c, balance=b, floor=f)
        for c, b, f in sorted(below)
    ]


class PostingFound(msgspec.Struct, frozen=True, kw_only=True):
    """A stored posting whose transaction no longer sums to zero in its currency."""

    row: int | None
    """The posting's row (its id in the database), where the store has rows."""
    seq: int
    """The journal entry whose transaction it belongs to."""
    account: str
    amount: int
    currency: str
    transaction_sum: int
    """What the postings of entry `seq` in `currency` sum to: not 0, as they must."""

    def describe(self) -> Text:
        where = (
            Text("posting row {row}", row=self.row) if self.row is not None else Text("a posting")
        )
        return Text(
            "{posting} of seq {seq} ({account}, {amount} {currency} in minor units): the "
            "transaction of seq {seq} sums to {sum} {currency}, not 0, so this posting was "
            "changed",
            posting=where,
            seq=self.seq,
            account=self.account,
            amount=self.amount,
            currency=self.currency,
            sum=self.transaction_sum,
        )


def unbalanced(
    postings: Iterable[tuple[int | None, int, str, int, str]], accounts: Collection[str]
) -> list[PostingFound]:
    """Of `postings` (row, seq, account, amount, currency), those on `accounts` whose
    transaction does not sum to zero in its currency, by seq then row."""
    rows = list(postings)
    sums: dict[tuple[int, str], int] = defaultdict(int)
    for _, seq, _, amount, currency in rows:
        sums[seq, currency] += amount
    found = [
        PostingFound(
            row=row,
            seq=seq,
            account=account,
            amount=amount,
            currency=currency,
            transaction_sum=sums[seq, currency],
        )
        for row, seq, account, amount, currency in rows
        if account in accounts and sums[seq, currency] != 0
    ]
    return sorted(found, key=lambda p: (p.seq, p.row or 0))
