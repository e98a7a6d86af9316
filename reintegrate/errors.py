"""The base of every rule violation the domain reports.

Each error has a stable `type` (used as the problem type in the API), a human message, the
input `field` at fault where there is one, and structured `details` (limits, amounts...).
The message is a `texts.Text` (a message id of the catalogs and its values), which the API
and the command line show in the reader's language; `message` is its English.
"""

from __future__ import annotations

from collections.abc import Mapping

from reintegrate.texts import Text


class DomainError(Exception):
    """A command broke a rule; nothing was written."""

    type: str = "domain-error"

    def __init__(
        self,
        message: Text,
        *,
        field: str | None = None,
        details: Mapping[str, object] | None = None,
    ) -> None:
        super().__init__(str(message))
        self.text = message
        """The message, to render in the reader's language."""
        self.message = str(message)
        self.field = field
        self.details: dict[str, object] = dict(details or {})


class NotFound(DomainError):
    type = "not-found"


class InvalidTransition(DomainError):
    """A lifecycle step that the current state does not allow."""

    type = "invalid-transition"


class FourEyesViolation(DomainError):
    """The same person tried to do two steps that must be done by two people."""

    type = "four-eyes"


class ValidationFailed(DomainError):
    type = "validation-failed"
