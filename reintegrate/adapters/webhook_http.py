"""Posting a webhook delivery over HTTP, with the standard library: the status the receiver
answered, never its body (it is read and dropped, so that the connection closes cleanly).

A subscriber chooses the URL, and a partner organisation may subscribe: so by default a
delivery goes only to a public address. The connection checks the address it reached (after
name resolution, so a name that resolves to an internal address, at once or on a second
lookup, is caught too) and hangs up on a loopback, private, link-local, multicast or reserved
one before any request is sent: no delivery can probe or call the services beside the
deliverer (a cloud's metadata address, a database's port...). An operator whose receivers
are on the internal network allows it explicitly (`reintegrate webhooks deliver
--allow-private-network`).
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any

TIMEOUT_S = 10.0

Send = Callable[[str, dict[str, str], bytes], int | None]


class PrivateAddressRefused(OSError):
    """The receiver's address is not a public one, and private addresses are not allowed."""


def is_public(address: str) -> bool:
    """Whether an IP address (v4 or v6, as a socket reports it) is a public, routable one:
    not loopback, private, link-local, shared, multicast, reserved or unspecified. An IPv6
    address that maps or embeds an IPv4 one is judged by that IPv4 address."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour
        if embedded is not None:
            ip = embedded
    return ip.is_global and not ip.is_multicast


def _check_peer(sock: socket.socket) -> None:
    peer = sock.getpeername()[0]
    if not is_public(str(peer)):
        sock.close()
        raise PrivateAddressRefused(f"the receiver's address {peer} is not a public one")


class _PublicHTTP(http.client.HTTPConnection):
    def connect(self) -> None:
        super().connect()
        _check_peer(self.sock)


class _PublicHTTPS(http.client.HTTPSConnection):
    def connect(self) -> None:
        super().connect()
        _check_peer(self.sock)


class _PublicHTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req: urllib.request.Request) -> Any:
        return self.do_open(_PublicHTTP, req)


class _PublicHTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self) -> None:
        self.tls = ssl.create_default_context()
        super().__init__(context=self.tls)

    def https_open(self, req: urllib.request.Request) -> Any:
        return self.do_open(_PublicHTTPS, req, context=self.tls)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer like any other that is not 2xx: the delivery is retried at the
    URL subscribed, never sent where the receiver points."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


_ANYWHERE = urllib.request.build_opener(_NoRedirects)
_PUBLIC_ONLY = urllib.request.build_opener(_NoRedirects, _PublicHTTPHandler, _PublicHTTPSHandler)


def post(
    url: str,
    headers: dict[str, str],
    body: bytes,
    timeout: float = TIMEOUT_S,
    *,
    allow_private: bool = False,
) -> int | None:
    """The receiver's HTTP status, or None when it could not be reached in time or its
    address is not a public one (unless `allow_private`)."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    opener = _ANYWHERE if allow_private else _PUBLIC_ONLY
    try:
        with opener.open(request, timeout=timeout) as response:
            response.read(65_536)
            status: int = response.status
            return status
    except urllib.error.HTTPError as refused:
        return refused.code
    except (urllib.error.URLError, OSError, ValueError):
        return None


def sender(*, allow_private: bool) -> Send:
    """`post` with the deliverer's choice of receivers, as the deliverer calls it."""

    def send(url: str, headers: dict[str, str], body: bytes) -> int | None:
        return post(url, headers, body, allow_private=allow_private)

    return send
