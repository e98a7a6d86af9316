"""The classification table is the one source: the docs show it, and no role but the
office's caseworkers sees a sensitive field."""

from __future__ import annotations

from pathlib import Path

from reintegrate.access import Role
from reintegrate.people.classification import (
    PERSON_FIELDS,
    DataClass,
    classification_table,
    may_log,
    visible_fields,
)
from reintegrate.people.records import PersonalData

DOC = Path(__file__).resolve().parents[2] / "docs" / "classification.md"


def test_the_documented_table_is_the_one_the_code_applies() -> None:
    assert DOC.read_text().endswith(classification_table())


def test_every_field_of_a_persons_record_has_a_class() -> None:
    assert set(PersonalData.__struct_fields__) <= set(PERSON_FIELDS)


def test_only_caseworkers_of_the_office_see_sensitive_fields() -> None:
    sensitive = {f for f, c in PERSON_FIELDS.items() if c is DataClass.SENSITIVE}
    for role in Role:
        seen = sensitive & visible_fields(role)
        assert bool(seen) == (role in (Role.OFFICER, Role.APPROVER)), role


def test_auditors_see_pseudonymous_ids_only() -> None:
    assert visible_fields(Role.AUDITOR) == {
        "person_id",
        "office",
        "status",
        "version",
        "proposed_fields",
    }


def test_no_personal_or_sensitive_field_may_be_logged() -> None:
    for field, cls in PERSON_FIELDS.items():
        assert may_log(field) == (cls in (DataClass.PUBLIC, DataClass.INTERNAL)), field
