"""Ed25519 signing of journal checkpoints, with a private key read from a file outside the
database (`REINTEGRATE_CHECKPOINT_KEY_FILE`: one base64 line of the 32-byte private key);
HMAC-SHA256 signing of webhook deliveries, per the Standard Webhooks specification."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import secrets
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

CHECKPOINT_KEY_ENV = "REINTEGRATE_CHECKPOINT_KEY_FILE"


class SigningKeyError(Exception):
    """A checkpoint key file that is missing, unreadable or not a key."""


def new_key_file(path: Path) -> str:
    """Write a new private key to `path` (readable by its owner only; never overwritten) and
    return its public key, base64."""
    key = secrets.token_bytes(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(base64.b64encode(key).decode() + "\n")
    return public_key_of(Ed25519PrivateKey.from_private_bytes(key))


def new_key() -> Ed25519PrivateKey:
    """A new private key, in memory only."""
    return Ed25519PrivateKey.generate()


def load_key(path: Path) -> Ed25519PrivateKey:
    try:
        raw = base64.b64decode(path.read_text().strip(), validate=True)
        return Ed25519PrivateKey.from_private_bytes(raw)
    except OSError as e:
        raise SigningKeyError(f"cannot read the checkpoint key file {path}: {e.strerror}") from None
    except (binascii.Error, ValueError):
        raise SigningKeyError(f"{path} holds no Ed25519 private key (base64, 32 bytes)") from None


def public_key_of(key: Ed25519PrivateKey) -> str:
    raw = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return base64.b64encode(raw).decode()


def sign(key: Ed25519PrivateKey, data: bytes) -> str:
    return base64.b64encode(key.sign(data)).decode()


def verifies(public_key: str, data: bytes, signature: str) -> bool:
    """Whether `signature` (base64) is `public_key`'s (base64) over `data`."""
    try:
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key, validate=True))
        key.verify(base64.b64decode(signature, validate=True), data)
    except (InvalidSignature, binascii.Error, ValueError):
        return False
    return True


WEBHOOK_SECRET_PREFIX = "whsec_"


def new_webhook_secret() -> str:
    """A new webhook signing secret: `whsec_` and 32 random bytes in base64."""
    return WEBHOOK_SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def webhook_headers(secret: str, message_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    """The Standard Webhooks headers of a delivery: `webhook-signature` is `v1,` and the
    base64 HMAC-SHA256, under the secret's bytes, of `{id}.{timestamp}.{body}`."""
    key = base64.b64decode(secret.removeprefix(WEBHOOK_SECRET_PREFIX))
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": f"v1,{digest}",
        "content-type": "application/json",
    }
