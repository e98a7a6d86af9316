"""The dashboard's link for a browser, as the API answers it and the client reads it."""

from __future__ import annotations

import datetime as dt

import msgspec


class PageLink(msgspec.Struct, frozen=True, kw_only=True):
    url: str
    """The page's path with its `link`: open it in a browser on this server."""
    expires_at: dt.datetime
