"""Request log lines leave the request's path in batches, and none is lost or reordered."""

from __future__ import annotations

import io
import json
import threading
import time
from collections.abc import Iterator

import pytest
import structlog

from api.logs import LineBatches, configure_logging, log


@pytest.fixture(autouse=True)
def logging_as_it_was() -> Iterator[None]:
    """Each test configures the API's logging; the tests after it keep their own."""
    before = structlog.get_config()
    yield
    structlog.configure(**before)


def lines_of(out: io.BytesIO) -> list[bytes]:
    return out.getvalue().splitlines()


def test_lines_written_from_many_threads_all_come_out_once_and_in_each_threads_order() -> None:
    out = io.BytesIO()
    sink = LineBatches(out, every=0.001)

    def write(thread: int) -> None:
        for n in range(500):
            sink.write(f"{thread} {n}\n".encode())

    threads = [threading.Thread(target=write, args=(t,)) for t in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    sink.write_out()
    written = [line.split() for line in lines_of(out)]
    assert len(written) == 8 * 500
    for thread in range(8):
        mine = [int(n) for t, n in written if int(t) == thread]
        assert mine == list(range(500))


def test_a_line_reaches_the_output_without_being_asked_for() -> None:
    out = io.BytesIO()
    sink = LineBatches(out, every=0.01)
    sink.write(b"one line\n")
    deadline = time.monotonic() + 10
    while not out.getvalue() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert lines_of(out) == [b"one line"]


def test_a_request_log_line_is_one_json_object_with_what_the_request_log_says() -> None:
    out = io.BytesIO()
    sink = configure_logging(out=out)
    log.info("request", method="POST", route="/cases", status=201, user="officer-1", ms=1.5)
    sink.write_out()
    (line,) = lines_of(out)
    entry = json.loads(line)
    assert {k: entry[k] for k in ("event", "level", "method", "route", "status", "user")} == {
        "event": "request",
        "level": "info",
        "method": "POST",
        "route": "/cases",
        "status": 201,
        "user": "officer-1",
    }
    assert entry["timestamp"].endswith("Z")


class Opaque:
    def __repr__(self) -> str:
        return "<opaque>"


def test_a_value_json_has_no_form_for_is_logged_as_its_repr() -> None:
    out = io.BytesIO()
    sink = configure_logging(out=out)
    log.info("request", status=Opaque())
    sink.write_out()
    assert json.loads(lines_of(out)[0])["status"] == "<opaque>"
