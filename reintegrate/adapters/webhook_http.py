"""Posting a webhook delivery over HTTP, with the standard library: the status the receiver
answered, never its body (it is read and dropped, so that the connection closes cleanly)."""

from __future__ import annotations

import urllib.error
import urllib.request

TIMEOUT_S = 10.0


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer like any other that is not 2xx: the delivery is retried at the
    URL subscribed, never sent where the receiver points."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirects)


def post(url: str, headers: dict[str, str], body: bytes, timeout: float = TIMEOUT_S) -> int | None:
    """The receiver's HTTP status, or None when it could not be reached in time."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            response.read(65_536)
            status: int = response.status
            return status
    except urllib.error.HTTPError as refused:
        return refused.code
    except (urllib.error.URLError, OSError, ValueError):
        return None
