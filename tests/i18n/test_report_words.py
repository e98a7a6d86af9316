"""What the auditor's checks, the cash-limit audit, the financial report's ledger check and a
caseload file's errors say, in French and Spanish: the same facts, each language's words,
numbers and amounts; ids, codes and columns as they are."""

from __future__ import annotations

import pytest

from reintegrate.adapters.translation import in_language
from reintegrate.grants.cash_limits import CashOverLimit
from reintegrate.people.caseload import check_columns
from reintegrate.reconcile.reports.check import ALL_LINES, BREAKDOWN_WORDS
from reintegrate.services.audit_compare import FieldDifference, RecordDifference
from reintegrate.texts import Text

OVER = CashOverLimit(case_id="c1", member_id="d1", limit=0, held=10_000_00, currency="EUR")
DIFFERENCE = RecordDifference(
    record="balances",
    key="cap:c1:cash",
    last_seq=12,
    fields=(
        FieldDifference(path="", stored=1200, replayed=None),
        FieldDifference(path="status", stored="a", replayed="b"),
    ),
    more_fields=3,
)


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("en", "case c1: cash of member d1: limit 0.00 EUR, held 10000.00 EUR"),
        ("fr", "dossier c1 : espèces du membre d1 : plafond 0,00\xa0€, détenu 10\u202f000,00\xa0€"),
        ("es", "expediente c1: efectivo del miembro d1: límite 0,00\xa0€, retenido 10.000,00\xa0€"),
    ],
)
def test_a_member_over_their_cash_limit_is_named_in_each_language(language: str, said: str) -> None:
    assert in_language(OVER.describe(), language) == said


@pytest.mark.parametrize(
    ("language", "said"),
    [
        (
            "en",
            "balances[cap:c1:cash] (last written by seq 12): stored 1200, replayed absent; "
            'status: stored "a", replayed "b"; and 3 more fields',
        ),
        (
            "fr",
            "balances[cap:c1:cash] (écrit en dernier par l'écriture 12) : stocké 1200, rejoué "
            'absent ; status : stocké "a", rejoué "b" ; et 3 champs de plus',
        ),
        (
            "es",
            "balances[cap:c1:cash] (escrito por última vez por el asiento 12): almacenado 1200, "
            'reproducido ausente; status: almacenado "a", reproducido "b"; y 3 campos más',
        ),
    ],
)
def test_a_record_that_differs_is_described_in_each_language_its_values_as_json(
    language: str, said: str
) -> None:
    assert in_language(DIFFERENCE.describe(), language) == said


def test_where_the_financial_report_differs_from_the_ledger_is_said_in_each_language() -> None:
    by_form = Text(
        "budget line {line}, by {breakdown}", line="individual", breakdown=BREAKDOWN_WORDS["form"]
    )
    assert str(by_form) == "budget line individual, by form"
    assert in_language(by_form, "fr") == "ligne budgétaire individual, par forme"
    assert in_language(by_form, "es") == "línea presupuestaria individual, por forma"
    assert in_language(ALL_LINES, "es") == "todas las líneas presupuestarias"


def test_a_caseload_header_is_refused_in_each_language_naming_its_columns_as_they_are() -> None:
    missing = next(e for e in check_columns(["household", "office"]) if e.column == "role")
    assert str(missing.message) == "this required column is missing"
    assert in_language(missing.message, "fr") == "cette colonne obligatoire manque"
    assert in_language(missing.message, "es") == "falta esta columna obligatoria"
