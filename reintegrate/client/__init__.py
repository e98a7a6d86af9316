"""A typed client of the reintegrate HTTP API: docs/embedding.md, "The Python client".

`Client` (over `httpx.Client`) and `AsyncClient` (over `httpx.AsyncClient`) have one method
per operation of the API, named by its `operationId`, taking and answering the API's own
msgspec structs (`api.schemas*`). Every POST carries an Idempotency-Key made for that call
and sent again on each retry; refusals raise a `ProblemError` of the problem's type.
"""

from reintegrate.client.calls import Download, IfMatch, Upload
from reintegrate.client.clients import AsyncClient, Client
from reintegrate.client.exchange import Answer, Retries
from reintegrate.client.problem_types import (
    AnswerNotKept,
    CashShareExceeded,
    FourEyes,
    IdempotencyKeyInFlight,
    IdempotencyKeyReused,
    InvalidTransition,
    LimitExceeded,
    MilestoneNotVerified,
    PersonExists,
    RequestInvalid,
    ValidationFailed,
)
from reintegrate.client.problems import (
    BadRequest,
    Conflict,
    Forbidden,
    NotFound,
    PreconditionFailed,
    ProblemError,
    Refused,
    ServerError,
    Unauthenticated,
)

__all__ = [
    "Answer",
    "AnswerNotKept",
    "AsyncClient",
    "BadRequest",
    "CashShareExceeded",
    "Client",
    "Conflict",
    "Download",
    "Forbidden",
    "FourEyes",
    "IdempotencyKeyInFlight",
    "IdempotencyKeyReused",
    "IfMatch",
    "InvalidTransition",
    "LimitExceeded",
    "MilestoneNotVerified",
    "NotFound",
    "PersonExists",
    "PreconditionFailed",
    "ProblemError",
    "Refused",
    "RequestInvalid",
    "Retries",
    "ServerError",
    "Unauthenticated",
    "Upload",
    "ValidationFailed",
]
