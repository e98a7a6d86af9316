"""What people read for each kind of ledger account: words built from its code, whose English
is the label the account is stored with, so that a refused limit is named in the reader's
language while what machines read stays the English label."""

from __future__ import annotations

import pytest

from reintegrate.adapters.translation import in_language
from reintegrate.community.postings import project_account_words, project_accounts
from reintegrate.grants import postings as acc
from reintegrate.ledger import Account, Breach
from reintegrate.services.recording_ledger import words_of
from reintegrate.texts import Label, Text

OPENED = [
    *acc.component_accounts("pkg_1", "c2", "EUR"),
    acc.funds("prog", "EUR"),
    acc.caps_source("prog", "EUR"),
    acc.commitments("prog", "EUR"),
    *acc.budget("prog", "individual", "EUR"),
    *acc.household_cap("c1", "EUR"),
    *acc.cash_cap("c1", "EUR"),
    *acc.person_cap("c1", "p", "EUR"),
    *acc.person_cash_cap("c1", "p", "EUR"),
    *project_accounts("proj-1", "EUR"),
]

LABELS = {
    "component:pkg_1:c2:remaining": "amount left to pay on component c2",
    "component:pkg_1:c2:pending": "in flight",
    "component:pkg_1:c2:paid": "paid",
    "funds:prog": "funds of prog",
    "caps:prog": "entitlements issued",
    "commitments:prog": "commitments",
    "budget:prog:individual": "budget line individual of prog",
    "budget:prog:individual:committed": "committed on individual",
    "cap:c1:household": "household entitlement of case c1",
    "cap:c1:household:used": "household entitlement of case c1 (used)",
    "cap:c1:cash": "cash ceiling of case c1",
    "cap:c1:cash:used": "cash ceiling of case c1 (used)",
    "cap:c1:person:p": "entitlement of member p of case c1",
    "cap:c1:person:p:used": "entitlement of member p of case c1 (used)",
    "cap:c1:person-cash:p": "cash of member p of case c1",
    "cap:c1:person-cash:p:used": "cash of member p of case c1 (used)",
    "project:proj-1:remaining": "left to pay on community project proj-1",
    "project:proj-1:pending": "in flight",
    "project:proj-1:paid": "paid",
}
"""Every kind of account with the label it was stored with before its words were messages:
stored labels and the `limit` of refusals must stay as they were."""


def test_every_kind_of_account_is_opened_with_the_label_it_always_had() -> None:
    assert {a.code: a.label for a in OPENED} == LABELS


@pytest.mark.parametrize("account", OPENED, ids=lambda a: a.code)
def test_the_words_of_an_account_are_its_label_in_english(account: Account) -> None:
    words = words_of(account)

    assert isinstance(words, Text)
    assert str(words) == account.label


def test_a_member_or_case_named_like_a_part_of_a_code_is_still_named_by_its_id() -> None:
    limit, used = acc.person_cap("used", "used", "EUR")

    assert (limit.label, used.label) == (
        "entitlement of member used of case used",
        "entitlement of member used of case used (used)",
    )


def test_an_account_of_no_known_kind_or_labelled_otherwise_is_named_by_its_label() -> None:
    unknown = Account(code="reserve", currency="EUR", label="reserve")
    older = Account(code="cap:c1:cash", currency="EUR", label="cash ceiling")

    assert acc.account_words("reserve") is None
    assert project_account_words("cap:c1:cash") is None
    assert words_of(unknown) == Label("reserve")
    assert words_of(older) == Label("cash ceiling")


def test_a_refused_limit_is_named_in_the_readers_language() -> None:
    remaining = acc.component_accounts("pkg_1", "c2", "EUR")[0]
    breach = Breach(
        account=remaining.code,
        limit=remaining.label,
        currency="EUR",
        size=2000_00,
        used=0,
        asked=2000_01,
        words=words_of(remaining),
    )

    assert str(breach.describe()) == (
        "amount left to pay on component c2: limit 2000.00 EUR, used 0.00 EUR, asked 2000.01 EUR"
    )
    french = in_language(breach.describe(), "fr")
    spanish = in_language(breach.describe(), "es")
    assert french.startswith("montant restant à payer sur la composante c2 : plafond ")
    assert spanish.startswith("importe pendiente de pago del componente c2: límite ")
