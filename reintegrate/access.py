"""Who may see what: roles, and the offices a caller's queries are scoped to."""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Mapping

import msgspec

from reintegrate.errors import ValidationFailed
from reintegrate.texts import Text


class Role(enum.StrEnum):
    ADMIN = "admin"
    OFFICER = "officer"
    APPROVER = "approver"
    FINANCE = "finance"
    AUDITOR = "auditor"
    PARTNER = "partner"
    """A local partner organisation: its own cases only; its office is the partner's id."""


ROLE_WORDS: Mapping[Role, Text] = {
    Role.ADMIN: Text("admin"),
    Role.OFFICER: Text("officer"),
    Role.APPROVER: Text("approver"),
    Role.FINANCE: Text("finance"),
    Role.AUDITOR: Text("auditor"),
    Role.PARTNER: Text("partner"),
}
"""A role as said in a sentence."""

SEES_EVERY_OFFICE = frozenset({Role.ADMIN, Role.AUDITOR})

FINANCE_STEPS = (Role.ADMIN, Role.FINANCE)
"""Who may batch payments, import statements, decide and apply reconciliations and save a
provider's column mapping, through the API or the command line alike."""
FINANCE_READERS = (Role.ADMIN, Role.FINANCE, Role.AUDITOR)
"""Who may read batches, statements, reconciliations and financial reports."""
EXPORTS_PAYMENT_FILES = (Role.FINANCE,)
"""Who may export a batch's payment file, which names the people paid and their accounts."""
IMPORTS_CASELOAD = (Role.ADMIN, Role.OFFICER, Role.PARTNER)
"""Who may import a caseload file (persons and their cases, for their own offices): who may
register persons and cases one by one, through the API or the command line alike."""
READS_OUTCOMES = (Role.ADMIN, Role.APPROVER, Role.AUDITOR, Role.FINANCE, Role.OFFICER)
"""Who may read a programme's evidence on outcomes: those who run it (admins, approvers,
finance, who also see it on the dashboard), auditors, and officers; those who work for some
offices get the figures of their offices' responses."""
ASKS_ERASURE = (Role.ADMIN,)
CONFIRMS_ERASURE = (Role.ADMIN, Role.APPROVER)
"""Who may ask for a person's erasure, and who may confirm it (another person than who asked)."""
MONITORS = (Role.OFFICER, Role.PARTNER)
"""Who may list the follow-ups due and record follow-ups and survey answers, for the cases
of their own offices (a partner's office is the partner)."""
READS_RESPONSES = (Role.OFFICER,)
"""Who may read a person's survey responses, with their answers: officers of their office."""
ADOPTS_INSTRUMENTS = (Role.ADMIN,)
"""Who may adopt a survey instrument (or a new version of one)."""


class Scope(msgspec.Struct, frozen=True, kw_only=True):
    """Whose data a caller may see: None means every office (auditors, admins)."""

    offices: frozenset[str] | None = None

    def allows(self, office: str) -> bool:
        return self.offices is None or office in self.offices


EVERYWHERE = Scope()


def scope_of(role: Role, offices: frozenset[str]) -> Scope:
    """Admins and auditors see every office; everyone else only their own offices."""
    return EVERYWHERE if role in SEES_EVERY_OFFICE else Scope(offices=offices)


def token_is_valid(
    expires_at: dt.datetime, revoked_at: dt.datetime | None, now: dt.datetime
) -> bool:
    """A token works until it expires or its user is revoked."""
    return now < expires_at and (revoked_at is None or now < revoked_at)


PAGE_LINK_LIFETIME = dt.timedelta(minutes=15)
"""How long a link that opens a page in a browser stays valid (`services.page_links`)."""


def page_link_opens(
    link_path: str,
    path: str,
    expires_at: dt.datetime,
    revoked_at: dt.datetime | None,
    now: dt.datetime,
) -> bool:
    """A page link opens the one path it names, until it expires, while its user is not
    revoked (what it then shows is what the user's role and offices may see now)."""
    return link_path == path and token_is_valid(expires_at, revoked_at, now)


_USER_ID = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}\Z")


def check_new_user(user_id: str, role: Role, offices: frozenset[str]) -> None:
    """User ids are codes, never names; everyone but admins and auditors works for an office."""
    if not _USER_ID.match(user_id):
        raise ValidationFailed(
            Text("user ids are 1-64 of a-z 0-9 _ . - (no names)"), field="user_id"
        )
    if role not in SEES_EVERY_OFFICE and not offices:
        raise ValidationFailed(
            Text("a {role} user works for at least one office", role=ROLE_WORDS[role]),
            field="offices",
        )
