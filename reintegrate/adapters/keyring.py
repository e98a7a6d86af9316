"""The `Keyring` of `reintegrate.people.keys`, with master keys and the digest key read from
files outside the database.

Master key file: one `KEY_ID BASE64_KEY` line per 32-byte key; the first is current (wraps new
data keys), the others still unwrap. Digest key file: one `BASE64_KEY` line. In both, blank
lines and `#` comment lines are ignored. No message here ever holds key bytes or plaintext.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import datetime as dt
import functools
import hmac
import os
import re
import secrets
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from reintegrate.people.keys import NO_KEYRING, Keyring, KeyUnavailable
from reintegrate.texts import Text

MASTER_KEY_ENV = "REINTEGRATE_MASTER_KEY_FILE"
DIGEST_KEY_ENV = "REINTEGRATE_DIGEST_KEY_FILE"
KEY_BYTES = 32
NONCE_BYTES = 12
VERSION = 1
_KEY_ID = re.compile(r"[a-z0-9_-]{1,32}")
_WRAPPED_KEY_BYTES = KEY_BYTES + 16  # AES-GCM appends a 16-byte tag
_CHECK_PROBLEMS = {  # KeyFileError messages of `FileKeyring.check`, by `KeyUnavailable` problem
    "malformed": "a stored data key is malformed: it cannot be unwrapped",
    "not-held": "{source} does not hold key '{kid}' that wrapped stored data keys",
    "wrong-key": "master key '{kid}' in {source} cannot unwrap the stored data keys: wrong key",
}


class KeyFileError(Exception):
    """A key file is missing, unreadable or malformed, or does not match the stored data."""


class FileKeyring:
    """Envelope encryption with AES-256-GCM and HMAC-SHA256 digests."""

    __slots__ = ("_current", "_digest_key", "_masters", "_source")

    def __init__(
        self, master_keys: Sequence[tuple[str, bytes]], digest_key: bytes, *, source: str = ""
    ) -> None:
        """`master_keys` in file order (the first is current); `source` names their file."""
        valid = all(len(key) == KEY_BYTES and _KEY_ID.fullmatch(kid) for kid, key in master_keys)
        if not (master_keys and valid and len(digest_key) == KEY_BYTES):
            raise ValueError("a keyring needs 32-byte master keys with valid ids, and a digest key")
        self._masters = {kid: AESGCM(key) for kid, key in master_keys}
        self._current = master_keys[0][0]
        self._digest_key = digest_key
        self._source = source or "the master key file"

    def __repr__(self) -> str:
        return f"FileKeyring(master key ids={list(self._masters)})"

    def new_data_key(self) -> bytes:
        return self._wrap(secrets.token_bytes(KEY_BYTES))

    def seal(self, wrapped_key: bytes, context: bytes, plaintext: bytes) -> bytes:
        return _seal(self._unwrap(wrapped_key), context, plaintext)

    def seal_new(self, context: bytes, plaintext: bytes) -> tuple[bytes, bytes]:
        data_key = secrets.token_bytes(KEY_BYTES)
        return self._wrap(data_key), _seal(data_key, context, plaintext)

    def open(self, wrapped_key: bytes, context: bytes, sealed: bytes) -> bytes:
        data_key = AESGCM(self._unwrap(wrapped_key))
        if len(sealed) < 1 + NONCE_BYTES + 16 or sealed[0] != VERSION:
            raise KeyUnavailable(Text("the sealed value is malformed"))
        try:
            return data_key.decrypt(sealed[1 : 1 + NONCE_BYTES], sealed[1 + NONCE_BYTES :], context)
        except InvalidTag:
            raise KeyUnavailable(
                Text("the sealed value does not open: wrong data key or context, or it was changed")
            ) from None

    def rewrap(self, wrapped_key: bytes) -> bytes:
        return self._wrap(self._unwrap(wrapped_key))

    def master_key_id(self, wrapped_key: bytes) -> str:
        return _split_wrapped(wrapped_key)[0]

    def digest(self, purpose: str, value: bytes) -> str:
        if "\x00" in purpose:
            raise ValueError("a digest purpose cannot hold a NUL character")
        message = purpose.encode() + b"\x00" + value
        return hmac.digest(self._digest_key, message, "sha256").hex()

    def check(self, wrapped_keys: Iterable[bytes]) -> None:
        """`KeyFileError` unless the first of `wrapped_keys` wrapped by each master key unwraps
        (a start-up check that the key files are the right ones: a master key that opens one
        data key it wrapped opens them all, and a registry of a million people is checked in
        the time it takes to read their wrapped keys; `audit verify` opens every one)."""
        checked: set[str] = set()
        try:
            for wrapped in wrapped_keys:
                kid = _split_wrapped(wrapped)[0]
                if kid not in checked:
                    self._unwrap(wrapped)
                    checked.add(kid)
        except KeyUnavailable as e:
            problem = _CHECK_PROBLEMS[str(e.details["problem"])]
            raise KeyFileError(problem.format(source=self._source, **e.details)) from None

    def _wrap(self, data_key: bytes) -> bytes:
        kid, nonce = self._current, secrets.token_bytes(NONCE_BYTES)
        body = self._masters[kid].encrypt(nonce, data_key, _wrap_aad(kid))
        return bytes([VERSION, len(kid)]) + kid.encode("ascii") + nonce + body

    def _unwrap(self, wrapped_key: bytes) -> bytes:
        kid, nonce, body = _split_wrapped(wrapped_key)
        details = {"problem": "not-held", "kid": kid}
        if kid not in self._masters:
            raise KeyUnavailable(Text("master key '{kid}' is not held", kid=kid), details=details)
        try:
            return self._masters[kid].decrypt(nonce, body, _wrap_aad(kid))
        except InvalidTag:
            details["problem"] = "wrong-key"
            raise KeyUnavailable(
                Text("master key '{kid}' does not unwrap", kid=kid), details=details
            ) from None


def _seal(data_key: bytes, context: bytes, plaintext: bytes) -> bytes:
    nonce = secrets.token_bytes(NONCE_BYTES)
    sealed = AESGCM(data_key).encrypt(nonce, plaintext, context)
    return bytes([VERSION]) + nonce + sealed


def _wrap_aad(kid: str) -> bytes:
    return b"reintegrate data key:" + kid.encode("ascii")


def _split_wrapped(wrapped: bytes) -> tuple[str, bytes, bytes]:
    """(master key id, nonce, encrypted key) of a wrapped data key."""
    size = wrapped[1] if len(wrapped) > 1 else 0
    kid = wrapped[2 : 2 + size].decode("ascii", errors="replace")
    if (
        wrapped[:1] != bytes([VERSION])
        or not _KEY_ID.fullmatch(kid)
        or len(wrapped) != 2 + size + NONCE_BYTES + _WRAPPED_KEY_BYTES
    ):
        raise KeyUnavailable(
            Text("the wrapped data key is malformed"), details={"problem": "malformed"}
        )
    start = 2 + size
    return kid, wrapped[start : start + NONCE_BYTES], wrapped[start + NONCE_BYTES :]


def load_keyring(master_path: Path, digest_path: Path) -> FileKeyring:
    """The keyring of a master key file and a digest key file."""
    return _load(master_path, digest_path, "", "")


def keyring_from_env(environ: Mapping[str, str] = os.environ) -> FileKeyring:
    """The keyring of the files named by `REINTEGRATE_MASTER_KEY_FILE` and
    `REINTEGRATE_DIGEST_KEY_FILE`."""
    for var in (MASTER_KEY_ENV, DIGEST_KEY_ENV):
        if not environ.get(var, "").strip():
            raise KeyFileError(f"{var} is not set: it must name a key file")
    master, digest = (Path(environ[v].strip()) for v in (MASTER_KEY_ENV, DIGEST_KEY_ENV))
    return _load(master, digest, MASTER_KEY_ENV, DIGEST_KEY_ENV)


def _load(master_path: Path, digest_path: Path, master_var: str, digest_var: str) -> FileKeyring:
    _, entries = _read_master(master_path, master_var)
    if not entries:
        raise KeyFileError(f"{_label('master key', master_path, master_var)} holds no key")
    digest_key = _parse_digest(digest_path, _label("digest key", digest_path, digest_var))
    masters = [(kid, key) for _, kid, key in entries]
    return FileKeyring(masters, digest_key, source=f"the master key file {master_path}")


def _label(kind: str, path: Path, var: str) -> str:
    return f"the {kind} file {path}" + (f" (named by {var})" if var else "")


def _read(path: Path, label: str) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise KeyFileError(f"{label} does not exist") from None
    except OSError as e:
        raise KeyFileError(f"{label} cannot be read: {e.strerror}") from None
    except UnicodeDecodeError:
        raise KeyFileError(f"{label} is not UTF-8 text") from None


def _key_lines(text: str) -> list[tuple[int, list[str]]]:
    """(0-based line index, fields) of each line that is neither blank nor a comment."""
    lines = enumerate(text.splitlines())
    return [(i, line.split()) for i, line in lines if line.strip() and line.strip()[0] != "#"]


def _decode_key(encoded: str, where: str) -> bytes:
    try:
        key = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise KeyFileError(f"{where}: the key is not base64") from None
    if len(key) != KEY_BYTES:
        raise KeyFileError(f"{where}: the key is {len(key)} bytes, not {KEY_BYTES}")
    return key


def _parse_master(text: str, label: str) -> list[tuple[int, str, bytes]]:
    """(0-based line index, key id, key) of each key line, in file order."""
    entries: list[tuple[int, str, bytes]] = []
    for i, fields in _key_lines(text):
        where = f"{label}, line {i + 1}"
        if len(fields) != 2 or not _KEY_ID.fullmatch(fields[0]):
            raise KeyFileError(f"{where} is not 'KEY_ID BASE64_KEY' (id: 1-32 of a-z 0-9 _ -)")
        if any(kid == fields[0] for _, kid, _ in entries):
            raise KeyFileError(f"{where}: duplicate key id '{fields[0]}'")
        entries.append((i, fields[0], _decode_key(fields[1], where)))
    return entries


def _parse_digest(path: Path, label: str) -> bytes:
    lines = _key_lines(_read(path, label))
    if not lines:
        raise KeyFileError(f"{label} holds no key")
    if len(lines) > 1:
        raise KeyFileError(f"{label}, line {lines[1][0] + 1}: the file must hold a single key")
    i, fields = lines[0]
    if len(fields) != 1:
        raise KeyFileError(f"{label}, line {i + 1} is not a single BASE64_KEY")
    return _decode_key(fields[0], f"{label}, line {i + 1}")


def _new_key() -> str:
    return base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode("ascii")


def _new_key_id() -> str:
    return f"k{dt.datetime.now(dt.UTC):%Y%m%d}-{secrets.token_hex(3)}"


def write_new_key_files(master_path: Path, digest_path: Path) -> None:
    """Creates a master key file and a digest key file (mode 0600), each with a new key."""
    for path in (master_path, digest_path):
        if path.exists():
            raise KeyFileError(f"{path} already exists: it is never overwritten")
    master = f"# reintegrate master keys: the first is current\n{_new_key_id()} {_new_key()}\n"
    _create(master_path, master)
    _create(digest_path, f"# reintegrate digest key\n{_new_key()}\n")


def _create(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise KeyFileError(f"{path} already exists: it is never overwritten") from None
    with os.fdopen(fd, "w", encoding="utf-8") as file:
        os.fchmod(file.fileno(), 0o600)
        file.write(text)


def add_master_key(master_path: Path) -> str:
    """Adds a new master key before the others (so it becomes current); returns its id."""
    text, entries = _read_master(master_path)
    kid = _new_key_id()
    while any(kid == old for _, old, _ in entries):
        kid = _new_key_id()
    lines = text.splitlines()
    at = entries[0][0] if entries else len(lines)
    _replace(master_path, [*lines[:at], f"{kid} {_new_key()}", *lines[at:]])
    return kid


def retire_master_keys(master_path: Path, keep: str) -> list[str]:
    """Removes every master key but `keep`; returns the removed ids."""
    text, entries = _read_master(master_path)
    if all(kid != keep for _, kid, _ in entries):
        raise KeyFileError(f"the master key file {master_path} does not hold key '{keep}'")
    removed = {i: kid for i, kid, _ in entries if kid != keep}
    kept = [line for i, line in enumerate(text.splitlines()) if i not in removed]
    _replace(master_path, kept)
    return list(removed.values())


def _read_master(path: Path, var: str = "") -> tuple[str, list[tuple[int, str, bytes]]]:
    label = _label("master key", path, var)
    text = _read(path, label)
    return text, _parse_master(text, label)


def _replace(path: Path, lines: list[str]) -> None:
    """Writes `lines` to `path` atomically (a 0600 temporary file, then a rename)."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            os.fchmod(file.fileno(), 0o600)
            file.write("".join(f"{line}\n" for line in lines))
            file.flush()
            os.fsync(file.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def keyring_from_env_if_named(environ: Mapping[str, str] = os.environ) -> Keyring:
    """The keyring the environment names (read again only when a file changes), or one that
    refuses every use if it names none."""
    master, digest = environ.get(MASTER_KEY_ENV, "").strip(), environ.get(DIGEST_KEY_ENV, "")
    if not master:
        return NO_KEYRING
    return _cached(master, digest.strip(), _mtime(master), _mtime(digest.strip()))


def _mtime(path: str) -> int:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return -1


@functools.lru_cache(maxsize=4)
def _cached(master: str, digest: str, master_mtime: int, digest_mtime: int) -> FileKeyring:
    del master_mtime, digest_mtime  # part of the cache key only
    return keyring_from_env({MASTER_KEY_ENV: master, DIGEST_KEY_ENV: digest})
