"""Reading providers' statements: CSV with a saved column mapping, MT940, camt.053."""

from __future__ import annotations

from reintegrate.errors import DomainError


class StatementRejected(DomainError):
    """A statement file that cannot be read whole; nothing of it is imported.

    `field` names where in the file the fault is ("line 12, column amount", "Ntry[3]/Amt").
    """

    type = "statement-rejected"
