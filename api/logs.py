"""JSON structured logs, one line per request: no bodies, no query strings, no personal data."""

from __future__ import annotations

import logging
import sys
import time
from typing import Any

import structlog
from litestar.types import ASGIApp

log = structlog.get_logger("reintegrate.api")


def configure_logging(level: int = logging.INFO) -> None:
    structlog.configure(
        processors=[
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.JSONRenderer(),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(level),
        logger_factory=structlog.PrintLoggerFactory(file=sys.stderr),
    )


def request_log_middleware(app: ASGIApp) -> ASGIApp:
    """Logs method, route template (not the concrete path), status, caller id and duration."""

    async def middleware(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        started = time.perf_counter()
        status = {"code": 500}

        async def capture(message: Any) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        try:
            await app(scope, receive, capture)
        except Exception as exc:  # answered by the exception handlers outside this middleware
            status["code"] = getattr(exc, "status_code", 500)
            raise
        finally:
            user = scope.get("user")
            log.info(
                "request",
                method=scope["method"],
                route=scope.get("path_template", "unmatched"),
                status=status["code"],
                user=getattr(user, "user_id", None),
                ms=round((time.perf_counter() - started) * 1000, 1),
            )

    return middleware
