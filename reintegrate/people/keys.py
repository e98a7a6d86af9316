"""What the people rules need from cryptography, as interfaces: the domain seals, opens and
digests personal values through a `Keyring` and never imports a crypto library.

Envelope encryption: each person has a data key of their own, stored only *wrapped* (encrypted)
by a master key kept outside the database. Destroying a person's wrapped key leaves their
sealed record unreadable for ever (crypto-shredding). Digests are keyed (HMAC) with a key
separate from the master key, so that a digest of a phone number or an ID number cannot be
recomputed from a guess by anyone without that key.
"""

from __future__ import annotations

from typing import Protocol

from reintegrate.errors import DomainError
from reintegrate.texts import Text


class KeyUnavailable(DomainError):
    """A sealed value cannot be opened: its key was destroyed, or the master key is wrong."""

    type = "key-unavailable"


class Keyring(Protocol):
    def new_data_key(self) -> bytes:
        """A fresh data key, returned wrapped by the current master key (the only form in
        which it is ever stored)."""
        ...

    def seal(self, wrapped_key: bytes, context: bytes, plaintext: bytes) -> bytes:
        """`plaintext` encrypted and authenticated under the unwrapped data key; `context` is
        bound to it (the person id), so a sealed value moved to another person fails to open."""
        ...

    def seal_new(self, context: bytes, plaintext: bytes) -> tuple[bytes, bytes]:
        """A fresh data key, wrapped (`new_data_key`), and `plaintext` sealed under it
        (`seal`), without unwrapping the key just wrapped."""
        ...

    def open(self, wrapped_key: bytes, context: bytes, sealed: bytes) -> bytes:
        """The plaintext of `seal`; `KeyUnavailable` if the key or the context is wrong or the
        sealed bytes were changed."""
        ...

    def rewrap(self, wrapped_key: bytes) -> bytes:
        """The same data key, wrapped by the current master key (for key rotation)."""
        ...

    def master_key_id(self, wrapped_key: bytes) -> str:
        """The id of the master key that wrapped `wrapped_key`."""
        ...

    def digest(self, purpose: str, value: bytes) -> str:
        """A keyed digest (hex) of `value`; `purpose` separates the digests of different uses
        (an identifier's digest never equals a record's)."""
        ...


class NoKeyring:
    """The keyring of a store given no keys: every use says so."""

    def _refuse(self) -> KeyUnavailable:
        return KeyUnavailable(
            Text(
                "no master key is configured: personal data can be neither sealed nor opened "
                "(set REINTEGRATE_MASTER_KEY_FILE and REINTEGRATE_DIGEST_KEY_FILE)"
            )
        )

    def new_data_key(self) -> bytes:
        raise self._refuse()

    def seal(self, wrapped_key: bytes, context: bytes, plaintext: bytes) -> bytes:
        raise self._refuse()

    def seal_new(self, context: bytes, plaintext: bytes) -> tuple[bytes, bytes]:
        raise self._refuse()

    def open(self, wrapped_key: bytes, context: bytes, sealed: bytes) -> bytes:
        raise self._refuse()

    def rewrap(self, wrapped_key: bytes) -> bytes:
        raise self._refuse()

    def master_key_id(self, wrapped_key: bytes) -> str:
        raise self._refuse()

    def digest(self, purpose: str, value: bytes) -> str:
        raise self._refuse()


NO_KEYRING: Keyring = NoKeyring()
