"""JSON structured logs, one line per request: no bodies, no query strings, no personal data.

The lines are rendered on the request's path but written by a thread of their own, a batch
every `WRITE_EVERY` seconds (`LineBatches`): a write to stderr on the request's path is a
system call, during which the interpreter goes to another thread and must be won back, and
in the disbursement benchmark that cost about a twentieth of the API's throughput. A line
is therefore on stderr at most `WRITE_EVERY` seconds after its request ended; what is still
held when the process exits normally (uvicorn stops on SIGTERM and Ctrl-C) is written then.
"""

from __future__ import annotations

import atexit
import logging
import sys
import threading
import time
from collections import deque
from typing import Any, BinaryIO, cast

import msgspec
import structlog
from litestar.types import ASGIApp

log = structlog.get_logger("reintegrate.api")

WRITE_EVERY = 0.1
"""Seconds between two batches of log lines."""


def _as_text(value: Any) -> str:
    return repr(value)  # what structlog's own JSON renderer does with a value JSON lacks


_ENCODER = msgspec.json.Encoder(enc_hook=_as_text)


class LineBatches:
    """A file-like sink that keeps the lines written to it and hands them, joined, to `out`
    from a daemon thread every `every` seconds (and when asked to, or at exit)."""

    def __init__(self, out: BinaryIO, every: float = WRITE_EVERY) -> None:
        self.out = out
        self.every = every
        self._lines: deque[bytes] = deque()  # append and popleft are safe between threads
        self._writing = threading.Lock()
        self._writer: threading.Thread | None = None
        atexit.register(self.write_out)

    def write(self, data: bytes) -> int:
        self._lines.append(data)
        if self._writer is None:
            self._start()
        return len(data)

    def flush(self) -> None:
        """Nothing: structlog flushes after every line, and the lines go out in batches."""

    def write_out(self) -> None:
        """Write every line held so far, in order, in one write."""
        with self._writing:
            batch = []
            while self._lines:
                batch.append(self._lines.popleft())
            if batch:
                self.out.write(b"".join(batch))
                self.out.flush()

    def _start(self) -> None:
        with self._writing:
            if self._writer is None:
                self._writer = threading.Thread(target=self._run, name="log-lines", daemon=True)
                self._writer.start()

    def _run(self) -> None:
        while True:
            time.sleep(self.every)
            try:
                self.write_out()
            except (OSError, ValueError):  # stderr closed or full: that batch is lost, and
                continue  # the thread goes on, so that lines never pile up in memory


def configure_logging(level: int = logging.INFO, out: BinaryIO | None = None) -> LineBatches:
    """Logs as JSON lines to `out` (stderr), in batches; returns the sink (to write it out)."""
    sink = LineBatches(out if out is not None else sys.stderr.buffer)
    structlog.configure(
        processors=[
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.JSONRenderer(serializer=_json),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(level),
        logger_factory=structlog.BytesLoggerFactory(file=cast(BinaryIO, sink)),  # write, flush
    )
    return sink


def _json(event: Any, **_: Any) -> bytes:
    return _ENCODER.encode(event)


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
