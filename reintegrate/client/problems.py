"""The server's problem+json answers (RFC 9457) as exceptions, one class per problem type.

Every refusal raises a `ProblemError` carrying the problem: its `type` (`limit-exceeded`,
without the `/problems/` prefix), `status`, `detail`, the `field` at fault, and for a cap
the `limit`, its `size`, what was `used` and what was `requested`, in `currency`. A type this
client does not know raises the class of its status (`Conflict`, `Refused`...), or
`ProblemError` itself.
"""

from __future__ import annotations

from typing import Any, ClassVar

from api.schemas import Problem

PREFIX = "/problems/"


class ProblemError(Exception):
    """The server refused a request; nothing was changed by it."""

    TYPE: ClassVar[str] = ""
    """The problem type this class stands for ("" for the class of a whole status)."""
    STATUS: ClassVar[int] = 0

    def __init__(self, problem: Problem, body: dict[str, Any]) -> None:
        super().__init__(f"{problem.status} {problem.type}: {problem.detail}")
        self.problem = problem
        self.body = body
        """The whole problem as JSON, with any member the struct does not name."""

    @property
    def type(self) -> str:
        """The problem's type without its prefix, as the domain names it (`four-eyes`)."""
        return self.problem.type.removeprefix(PREFIX)

    @property
    def status(self) -> int:
        return self.problem.status

    @property
    def detail(self) -> str:
        return self.problem.detail

    @property
    def field(self) -> str | None:
        return self.problem.field

    @property
    def limit(self) -> str | None:
        return self.problem.limit

    @property
    def size(self) -> str | None:
        return self.problem.size

    @property
    def used(self) -> str | None:
        return self.problem.used

    @property
    def requested(self) -> str | None:
        return self.problem.requested

    @property
    def currency(self) -> str | None:
        return self.problem.currency


class BadRequest(ProblemError):
    STATUS = 400


class Unauthenticated(ProblemError):
    STATUS = 401
    TYPE = "unauthenticated"


class Forbidden(ProblemError):
    STATUS = 403


class NotFound(ProblemError):
    STATUS = 404
    TYPE = "not-found"


class Conflict(ProblemError):
    STATUS = 409


class PreconditionFailed(ProblemError):
    STATUS = 412
    TYPE = "precondition-failed"


class TooLarge(ProblemError):
    STATUS = 413


class UnsupportedMediaType(ProblemError):
    STATUS = 415


class Refused(ProblemError):
    """422: refused by a rule of the domain (a cap, a window, a validation)."""

    STATUS = 422


class ServerError(ProblemError):
    """5xx: the server failed (nothing was changed); retried before it is raised."""

    STATUS = 500


STATUS_CLASSES = (
    BadRequest,
    Unauthenticated,
    Forbidden,
    NotFound,
    Conflict,
    PreconditionFailed,
    TooLarge,
    UnsupportedMediaType,
    Refused,
)
