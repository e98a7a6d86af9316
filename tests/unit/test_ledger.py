"""The ledger: balanced transactions, and limits that are accounts which may not go below 0."""

from __future__ import annotations

import pytest

from reintegrate.ledger import (
    Account,
    AccountExists,
    Breach,
    LimitExceeded,
    Posting,
    Transaction,
    UnbalancedTransaction,
    UnknownAccount,
    move,
    post,
    transaction,
    validate_balanced,
    validate_floors,
    validate_zero_sum,
)
from reintegrate.texts import Label

SOURCE = Account(code="caps", currency="EUR", label="entitlements issued")
LIMIT = Account(
    code="cap:household",
    currency="EUR",
    label="household entitlement of case c1",
    floor=0,
    used=("cap:household:used",),
)
USED = Account(code="cap:household:used", currency="EUR", label="used", floor=0)
XOF_SOURCE = Account(code="xof:source", currency="XOF", label="XOF source")
XOF_TARGET = Account(code="xof:target", currency="XOF", label="XOF target")
ACCOUNTS = {a.code: a for a in (SOURCE, LIMIT, USED, XOF_SOURCE, XOF_TARGET)}


def balances_of(balances: dict[str, int]) -> dict[str, int]:
    """Every account at 0 unless given."""
    return {code: balances.get(code, 0) for code in ACCOUNTS}


def test_a_transaction_that_does_not_sum_to_zero_is_refused() -> None:
    tx = Transaction(postings=(Posting("caps", -100, "EUR"), Posting("cap:household", 90, "EUR")))

    with pytest.raises(UnbalancedTransaction, match="EUR postings sum to -10, not 0"):
        post(tx, ACCOUNTS, lambda code: 0)


def test_a_transaction_balanced_overall_but_not_per_currency_is_refused() -> None:
    tx = Transaction(postings=(Posting("caps", -100, "EUR"), Posting("xof:target", 100, "XOF")))

    assert validate_balanced(tx) == [
        "EUR postings sum to -100, not 0",
        "XOF postings sum to 100, not 0",
    ]
    with pytest.raises(UnbalancedTransaction):
        post(tx, ACCOUNTS, lambda code: 0)


def test_a_transaction_balanced_in_each_of_two_currencies_is_accepted() -> None:
    tx = transaction(
        [*move(SOURCE, LIMIT, 500, "EUR"), *move(XOF_SOURCE, XOF_TARGET, 65_000, "XOF")]
    )

    assert validate_balanced(tx) == []
    assert post(tx, ACCOUNTS, lambda code: 0) == {
        "caps": -500,
        "cap:household": 500,
        "xof:source": -65_000,
        "xof:target": 65_000,
    }


def test_a_posting_in_another_currency_than_its_account_is_refused() -> None:
    tx = Transaction(postings=(Posting("caps", -100, "XOF"), Posting("xof:target", 100, "XOF")))

    with pytest.raises(UnbalancedTransaction, match="XOF posted to EUR account"):
        post(tx, ACCOUNTS, lambda code: 0)


def test_a_posting_to_an_account_that_does_not_exist_is_refused() -> None:
    tx = transaction(move("caps", "nowhere", 100, "EUR"))

    with pytest.raises(UnknownAccount) as refused:
        post(tx, ACCOUNTS, lambda code: 0)
    assert refused.value.field == "nowhere"


def test_post_returns_the_new_balance_of_each_account_it_touches_only() -> None:
    balances = balances_of({"caps": -1000, "cap:household": 1000})
    tx = transaction(move(LIMIT, USED, 400, "EUR"))

    assert post(tx, ACCOUNTS, balances.__getitem__) == {
        "cap:household": 600,
        "cap:household:used": 400,
    }


def test_drawing_exactly_what_is_left_on_a_limit_is_allowed() -> None:
    balances = balances_of({"caps": -1000, "cap:household": 1000})
    tx = transaction(move(LIMIT, USED, 1000, "EUR"))

    assert post(tx, ACCOUNTS, balances.__getitem__)["cap:household"] == 0


def test_a_source_account_without_floor_may_go_below_zero() -> None:
    tx = transaction(move(SOURCE, LIMIT, 250_000, "EUR"))

    assert post(tx, ACCOUNTS, lambda code: 0)["caps"] == -250_000


def test_post_refuses_to_take_a_limit_below_zero_and_names_limit_size_used_and_asked() -> None:
    balances = balances_of(
        {"caps": -1000_00, "cap:household": 600_00, "cap:household:used": 400_00}
    )
    tx = transaction(move(LIMIT, USED, 700_00, "EUR"))

    with pytest.raises(LimitExceeded) as refused:
        post(tx, ACCOUNTS, balances.__getitem__)

    error = refused.value
    assert error.message == (
        "household entitlement of case c1: limit 1000.00 EUR, used 400.00 EUR, asked 700.00 EUR"
    )
    assert str(error) == error.message
    assert error.type == "limit-exceeded"
    assert error.field == "cap:household"
    assert error.details == {
        "limits": [
            {
                "account": "cap:household",
                "limit": "household entitlement of case c1",
                "currency": "EUR",
                "size": 1000_00,
                "used": 400_00,
                "asked": 700_00,
            }
        ],
        "limit": "household entitlement of case c1",
        "size": "1000.00",
        "used": "400.00",
        "requested": "700.00",
        "currency": "EUR",
    }
    assert error.breaches == [
        Breach(
            account="cap:household",
            limit="household entitlement of case c1",
            currency="EUR",
            size=1000_00,
            used=400_00,
            asked=700_00,
            words=Label("household entitlement of case c1"),
        )
    ]


def test_every_limit_a_transaction_would_break_is_named_in_posting_order() -> None:
    cash = Account(
        code="cap:cash", currency="EUR", label="cash ceiling", floor=0, used=("cap:cash:used",)
    )
    cash_used = Account(code="cap:cash:used", currency="EUR", label="cash used", floor=0)
    accounts = {**ACCOUNTS, cash.code: cash, cash_used.code: cash_used}
    balances = dict.fromkeys(accounts, 0) | {"cap:household": 100, "cap:cash": 50}
    tx = transaction([*move(LIMIT, USED, 300, "EUR"), *move(cash, cash_used, 300, "EUR")])

    with pytest.raises(LimitExceeded) as refused:
        post(tx, accounts, balances.__getitem__)

    assert [b.account for b in refused.value.breaches] == ["cap:household", "cap:cash"]
    assert refused.value.message == (
        "household entitlement of case c1: limit 1.00 EUR, used 0.00 EUR, asked 3.00 EUR; "
        "cash ceiling: limit 0.50 EUR, used 0.00 EUR, asked 3.00 EUR"
    )
    assert refused.value.details["limit"] == "household entitlement of case c1"


def test_an_account_with_a_positive_floor_may_not_go_below_it() -> None:
    reserve = Account(code="reserve", currency="EUR", label="reserve", floor=100)
    accounts = {**ACCOUNTS, reserve.code: reserve}
    balances = dict.fromkeys(accounts, 0) | {"reserve": 150}

    with pytest.raises(LimitExceeded) as refused:
        post(transaction(move(reserve, SOURCE, 60, "EUR")), accounts, balances.__getitem__)
    assert refused.value.breaches[0].asked == 60
    assert post(transaction(move(reserve, SOURCE, 50, "EUR")), accounts, balances.__getitem__) == {
        "reserve": 100,
        "caps": 50,
    }


def test_postings_to_the_same_account_are_merged_and_zero_postings_dropped() -> None:
    tx = transaction(
        [
            Posting("caps", -100, "EUR"),
            Posting("cap:household", 100, "EUR"),
            Posting("caps", -50, "EUR"),
            Posting("cap:household", 50, "EUR"),
            Posting("cap:household:used", 30, "EUR"),
            Posting("cap:household:used", -30, "EUR"),
        ],
        opens=[LIMIT],
    )

    assert tx.postings == (Posting("caps", -150, "EUR"), Posting("cap:household", 150, "EUR"))
    assert tx.opens == (LIMIT,)


def test_postings_to_one_account_in_two_currencies_are_kept_apart() -> None:
    tx = transaction([Posting("x", 100, "EUR"), Posting("x", 100, "XOF"), Posting("x", 5, "EUR")])

    assert tx.postings == (Posting("x", 105, "EUR"), Posting("x", 100, "XOF"))


def test_a_movement_there_and_back_merges_into_an_empty_transaction() -> None:
    tx = transaction([*move(LIMIT, USED, 70, "EUR"), *move(USED, LIMIT, 70, "EUR")])

    assert tx.postings == ()
    assert post(tx, ACCOUNTS, lambda code: 0) == {}


def test_balances_that_sum_to_zero_per_currency_pass_validate_zero_sum() -> None:
    balances = {"caps": -300, "cap:household": 200, "cap:household:used": 100, "xof:source": 0}

    assert validate_zero_sum(balances, ACCOUNTS) == []


def test_validate_zero_sum_names_each_currency_that_does_not_sum_to_zero() -> None:
    balances = {"caps": -300, "cap:household": 250, "xof:source": -5, "xof:target": 7}

    assert [str(p) for p in validate_zero_sum(balances, ACCOUNTS)] == [
        "EUR balances sum to -50",
        "XOF balances sum to 2",
    ]


def test_validate_floors_names_each_account_below_its_floor() -> None:
    balances = {"caps": -10_000, "cap:household": -1, "cap:household:used": 0, "xof:source": -5}

    assert [str(p) for p in validate_floors(balances, ACCOUNTS)] == [
        "cap:household is at -1, below its floor 0"
    ]


def test_validate_floors_is_empty_when_every_limit_holds() -> None:
    balances = {"caps": -10_000, "cap:household": 0, "cap:household:used": 10_000}

    assert validate_floors(balances, ACCOUNTS) == []


def test_a_transaction_may_open_the_accounts_it_posts_to() -> None:
    new_limit = Account(code="cap:new", currency="EUR", label="new limit", floor=0)
    tx = transaction(move(SOURCE, new_limit, 10_00, "EUR"), opens=[new_limit])

    assert post(tx, ACCOUNTS, lambda code: 0) == {
        "caps": -10_00,
        "cap:new": 10_00,
    }


def test_opening_an_account_that_is_already_open_is_refused() -> None:
    tx = transaction(move(SOURCE, LIMIT, 10_00, "EUR"), opens=[LIMIT])

    with pytest.raises(AccountExists, match="cap:household is open already"):
        post(tx, ACCOUNTS, lambda code: 0)
