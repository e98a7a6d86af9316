"""A webhook receiver on a local port, in a thread: it keeps what it was sent and answers
the statuses it is told to, in turn (then 204)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    url: str
    received: list[Received] = field(default_factory=list)
    answers: list[int] = field(default_factory=list)
    """The statuses to answer next, first first; 204 once they are used up."""
    on_receipt: Any = None
    """Called with each delivery (the benchmark times them)."""


@contextmanager
def receiver() -> Iterator[Receiver]:
    found = Receiver(url="")
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length", "0")))
            with lock:
                delivery = Received({k.lower(): v for k, v in self.headers.items()}, body)
                found.received.append(delivery)
                status = found.answers.pop(0) if found.answers else 204
            if found.on_receipt is not None:
                found.on_receipt(delivery)
            self.send_response(status)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    found.url = f"http://127.0.0.1:{server.server_address[1]}/hooks"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield found
    finally:
        server.shutdown()
        server.server_close()
