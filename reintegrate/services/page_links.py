"""Short-lived links that open one page in a browser, for a user who has a bearer token.

A browser cannot send `Authorization: Bearer` when someone opens a page, and the token
(valid for months, good for every route) must never go into a URL. So a user who may see a
page asks the API for a link to it (`GET /programmes/{programme_id}/dashboard/link`, with
their token): the link names the user, the one path it opens and when it expires, and is
signed with the digest key (HMAC-SHA256 under its own purpose), so it cannot be made or
changed without that key. It opens that path only, with GET only, for 15 minutes (the rule
is `access.page_link_opens`); it holds ids and a time, never personal data. Checking it
reads the user again: a user revoked (or whose role changed) since the link was made gets
what they now may, as with a token. Nothing is stored, so any worker checks any link.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hmac

import msgspec

from reintegrate.access import PAGE_LINK_LIFETIME, page_link_opens, scope_of
from reintegrate.people.keys import Keyring
from reintegrate.services.users import Caller
from reintegrate.store.api_records import ApiRecords

PURPOSE = "page-link"
"""The digest key's purpose for links: no digest of anything else can pass for one."""
MAX_LINK = 400


class LinkClaims(msgspec.Struct, frozen=True, array_like=True):
    user_id: str
    path: str
    expires: int
    """Unix seconds."""


def issue_link(
    keyring: Keyring, user_id: str, path: str, now: dt.datetime
) -> tuple[str, dt.datetime]:
    """A link for `user_id` to open `path` until the time returned."""
    expires = now.replace(microsecond=0) + PAGE_LINK_LIFETIME
    claims = msgspec.json.encode(LinkClaims(user_id, path, int(expires.timestamp())))
    encoded = base64.urlsafe_b64encode(claims).rstrip(b"=")
    return f"{encoded.decode()}.{keyring.digest(PURPOSE, encoded)}", expires


def link_caller(
    records: ApiRecords, keyring: Keyring, link: str, path: str, now: dt.datetime
) -> Caller | None:
    """Whom `link` lets open `path` now; None if it is forged, for another path, expired,
    or its user can no longer sign in."""
    claims = _verified(keyring, link)
    if claims is None:
        return None
    user = records.user(claims.user_id)
    expires_at = dt.datetime.fromtimestamp(claims.expires, dt.UTC)
    if user is None or not page_link_opens(claims.path, path, expires_at, user.revoked_at, now):
        return None
    return Caller(user_id=user.user_id, role=user.role, scope=scope_of(user.role, user.offices))


def _verified(keyring: Keyring, link: str) -> LinkClaims | None:
    encoded, dot, signature = link.partition(".")
    if not dot or len(link) > MAX_LINK:
        return None
    expected = keyring.digest(PURPOSE, encoded.encode())
    if not hmac.compare_digest(expected.encode(), signature.encode()):
        return None
    try:
        padded = encoded + "=" * (-len(encoded) % 4)
        return msgspec.json.decode(base64.urlsafe_b64decode(padded), type=LinkClaims)
    except (binascii.Error, ValueError, msgspec.DecodeError):
        return None
