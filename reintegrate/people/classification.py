"""Every stored field about a person has a class, and the class decides who sees it and
whether it may be logged. This table is the one place that says so: the API's views, the log
filter and docs/classification.md are all derived from it.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping

from reintegrate.access import Role


class DataClass(enum.StrEnum):
    PUBLIC = "public"
    """Anyone with an account may see it."""
    INTERNAL = "internal"
    """Pseudonymous ids, statuses, amounts: every role of the office, auditors included."""
    PERSONAL = "personal"
    """Identifies a person: sealed at rest, never logged, shown on a need to know."""
    SENSITIVE = "sensitive"
    """Could harm the person if disclosed (vulnerabilities, ID numbers): sealed at rest,
    never logged, shown only to the office's caseworkers."""


PERSON_FIELDS: Mapping[str, DataClass] = {
    "person_id": DataClass.INTERNAL,
    "office": DataClass.INTERNAL,
    "status": DataClass.INTERNAL,
    "version": DataClass.INTERNAL,
    "proposed_fields": DataClass.INTERNAL,
    "given_names": DataClass.PERSONAL,
    "family_name": DataClass.PERSONAL,
    "birth_date": DataClass.PERSONAL,
    "birth_year": DataClass.PERSONAL,
    "sex": DataClass.PERSONAL,
    "nationality": DataClass.PERSONAL,
    "phones": DataClass.PERSONAL,
    "address": DataClass.PERSONAL,
    "consents": DataClass.PERSONAL,
    "payout": DataClass.PERSONAL,
    "external_refs": DataClass.PERSONAL,
    "documents": DataClass.SENSITIVE,
    "vulnerabilities": DataClass.SENSITIVE,
}
"""Each field of a person's record (and of its stored row) and its class."""

_EVERY_CLASS = frozenset(DataClass)
_PSEUDONYMOUS = frozenset({DataClass.PUBLIC, DataClass.INTERNAL})

ROLE_CLASSES: Mapping[Role, frozenset[DataClass]] = {
    Role.OFFICER: _EVERY_CLASS,
    Role.APPROVER: _EVERY_CLASS,
    Role.ADMIN: _PSEUDONYMOUS,
    Role.FINANCE: _PSEUDONYMOUS,
    Role.AUDITOR: _PSEUDONYMOUS,
    Role.PARTNER: _PSEUDONYMOUS,
}
"""The classes each role sees in full, within the offices of its scope."""

NEED_TO_KNOW: Mapping[Role, tuple[frozenset[str], str]] = {
    Role.FINANCE: (
        frozenset({"given_names", "family_name", "payout"}),
        "to pay the payments it handles",
    ),
    Role.PARTNER: (
        frozenset({"given_names", "family_name", "phones", "sex", "birth_year"}),
        "to reach the participants of its own projects",
    ),
}
"""Fields a role sees beyond its classes, and why."""


THROUGH_PAYMENTS: frozenset[Role] = frozenset({Role.FINANCE})
"""Roles that see a person's personal fields only once a payment to them was requested."""


def sees_record(role: Role, payment_requested: bool) -> bool:
    """Whether `role` is shown a person's record: every role but those that see people only
    through their payments, which see it once a payment to them was requested."""
    return role not in THROUGH_PAYMENTS or payment_requested


def visible_fields(role: Role) -> frozenset[str]:
    """The person fields `role` may see."""
    classes = ROLE_CLASSES[role]
    extra = NEED_TO_KNOW.get(role, (frozenset(), ""))[0]
    return frozenset(f for f, c in PERSON_FIELDS.items() if c in classes) | extra


def may_log(field: str) -> bool:
    """Personal and sensitive fields never reach a log line."""
    return PERSON_FIELDS.get(field, DataClass.PERSONAL) in _PSEUDONYMOUS


def is_personal(field: str) -> bool:
    return PERSON_FIELDS[field] not in _PSEUDONYMOUS


def classification_table() -> str:
    """docs/classification.md's table: every field, its class, and the roles that see it."""
    roles = list(Role)
    head = "| field | class | " + " | ".join(r.value for r in roles) + " |"
    rule = "|---|---|" + "---|" * len(roles)
    rows = [
        f"| `{field}` | {cls.value} | "
        + " | ".join("yes" if field in visible_fields(r) else "" for r in roles)
        + " |"
        for field, cls in PERSON_FIELDS.items()
    ]
    needs = [
        f"- **{role.value}** also sees {', '.join(f'`{f}`' for f in sorted(fields))}: {why}"
        + (", once a payment to the person was requested." if role in THROUGH_PAYMENTS else ".")
        for role, (fields, why) in NEED_TO_KNOW.items()
    ]
    return "\n".join([head, rule, *rows, "", *needs]) + "\n"
