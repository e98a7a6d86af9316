"""The file keyring: envelope encryption, key rotation, keyed digests and its key files."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import stat
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reintegrate.adapters.keyring import (
    DIGEST_KEY_ENV,
    MASTER_KEY_ENV,
    FileKeyring,
    KeyFileError,
    add_master_key,
    keyring_from_env,
    load_keyring,
    retire_master_keys,
    write_new_key_files,
)
from reintegrate.people.keys import Keyring, KeyUnavailable

PERSON = b"person-1"
RECORD = b'{"name": "Amina Diallo", "phone": "+221 77 123 45 67"}'


def b64(key: bytes) -> str:
    return base64.b64encode(key).decode("ascii")


def key_files(directory: Path) -> tuple[Path, Path]:
    master, digest = directory / "keys" / "master.keys", directory / "keys" / "digest.key"
    write_new_key_files(master, digest)
    return master, digest


@pytest.fixture(scope="module")
def keyring(tmp_path_factory: pytest.TempPathFactory) -> FileKeyring:
    return load_keyring(*key_files(tmp_path_factory.mktemp("keyring")))


def test_a_file_keyring_is_a_keyring(keyring: FileKeyring) -> None:
    implementation: Keyring = keyring
    assert implementation is keyring


@given(plaintext=st.binary(), context=st.binary())
def test_a_sealed_value_opens_to_its_plaintext(
    keyring: FileKeyring, plaintext: bytes, context: bytes
) -> None:
    data_key = keyring.new_data_key()
    assert keyring.open(data_key, context, keyring.seal(data_key, context, plaintext)) == plaintext


@given(plaintext=st.binary(), context=st.binary())
def test_a_value_sealed_under_a_new_key_opens_with_that_key_alone(
    keyring: FileKeyring, plaintext: bytes, context: bytes
) -> None:
    data_key, sealed = keyring.seal_new(context, plaintext)
    assert keyring.master_key_id(data_key) == keyring.master_key_id(keyring.new_data_key())
    assert keyring.open(data_key, context, sealed) == plaintext
    assert keyring.open(keyring.rewrap(data_key), context, sealed) == plaintext
    with pytest.raises(KeyUnavailable):
        keyring.open(keyring.seal_new(context, plaintext)[0], context, sealed)


def test_sealing_twice_gives_different_bytes(keyring: FileKeyring) -> None:
    data_key = keyring.new_data_key()
    assert keyring.seal(data_key, PERSON, RECORD) != keyring.seal(data_key, PERSON, RECORD)


def test_a_sealed_record_opens_only_with_its_own_person_context(keyring: FileKeyring) -> None:
    data_key = keyring.new_data_key()
    sealed = keyring.seal(data_key, PERSON, RECORD)
    with pytest.raises(KeyUnavailable):
        keyring.open(data_key, b"person-2", sealed)


def test_a_changed_byte_anywhere_in_a_sealed_record_stops_it_opening(
    keyring: FileKeyring,
) -> None:
    data_key = keyring.new_data_key()
    sealed = keyring.seal(data_key, PERSON, RECORD)
    for i in range(len(sealed)):
        changed = sealed[:i] + bytes([sealed[i] ^ 1]) + sealed[i + 1 :]
        with pytest.raises(KeyUnavailable):
            keyring.open(data_key, PERSON, changed)
    for cut in (b"", sealed[:5], sealed[:-1]):
        with pytest.raises(KeyUnavailable):
            keyring.open(data_key, PERSON, cut)


def test_a_record_does_not_open_with_another_persons_data_key(keyring: FileKeyring) -> None:
    sealed = keyring.seal(keyring.new_data_key(), PERSON, RECORD)
    with pytest.raises(KeyUnavailable):
        keyring.open(keyring.new_data_key(), PERSON, sealed)


@pytest.mark.parametrize("damage", ["empty", "truncated", "flipped", "extended"])
def test_a_destroyed_or_damaged_data_key_opens_nothing(keyring: FileKeyring, damage: str) -> None:
    data_key = keyring.new_data_key()
    sealed = keyring.seal(data_key, PERSON, RECORD)
    damaged = {
        "empty": b"",
        "truncated": data_key[:-1],
        "flipped": data_key[:-1] + bytes([data_key[-1] ^ 1]),
        "extended": data_key + b"\x00",
    }[damage]
    with pytest.raises(KeyUnavailable):
        keyring.open(damaged, PERSON, sealed)
    with pytest.raises(KeyUnavailable):
        keyring.rewrap(damaged)


def test_a_key_error_tells_nothing_of_the_key_or_the_plaintext(tmp_path: Path) -> None:
    master, digest = key_files(tmp_path)
    keyring = load_keyring(master, digest)
    data_key = keyring.new_data_key()
    sealed = keyring.seal(data_key, PERSON, RECORD)
    with pytest.raises(KeyUnavailable) as caught:
        keyring.open(data_key, b"person-2", sealed)
    message = str(caught.value)
    assert "Amina" not in message
    master_key = master.read_text().splitlines()[1].split()[1]
    assert master_key not in message
    assert master_key not in repr(keyring)


def test_rewrapping_after_a_new_master_key_keeps_records_readable(tmp_path: Path) -> None:
    master, digest = key_files(tmp_path)
    before = load_keyring(master, digest)
    data_key = before.new_data_key()
    old_id = before.master_key_id(data_key)
    sealed = before.seal(data_key, PERSON, RECORD)

    new_id = add_master_key(master)
    rotated = load_keyring(master, digest)
    assert rotated.open(data_key, PERSON, sealed) == RECORD
    rewrapped = rotated.rewrap(data_key)
    assert (rotated.master_key_id(rewrapped), rotated.master_key_id(data_key)) == (new_id, old_id)
    assert rotated.master_key_id(rotated.new_data_key()) == new_id

    assert retire_master_keys(master, keep=new_id) == [old_id]
    after = load_keyring(master, digest)
    assert after.open(rewrapped, PERSON, sealed) == RECORD
    with pytest.raises(KeyUnavailable, match=old_id):
        after.open(data_key, PERSON, sealed)


def test_a_new_master_key_goes_first_and_keeps_the_other_lines(tmp_path: Path) -> None:
    master, _ = key_files(tmp_path)
    before = master.read_text().splitlines()
    new_id = add_master_key(master)
    after = master.read_text().splitlines()
    assert after[0] == before[0]
    assert after[1].startswith(f"{new_id} ")
    assert after[2:] == before[1:]
    assert stat.S_IMODE(master.stat().st_mode) == 0o600
    assert sorted(p.name for p in master.parent.iterdir()) == ["digest.key", "master.keys"]


def test_a_new_master_key_id_holds_the_date_and_random_hex(tmp_path: Path) -> None:
    master, _ = key_files(tmp_path)
    new_id = add_master_key(master)
    assert new_id[0] == "k"
    assert new_id[1:9].isdigit()
    assert new_id[9] == "-"
    assert len(new_id) == 16
    int(new_id[10:], 16)


def test_retiring_keys_keeps_only_the_named_key(tmp_path: Path) -> None:
    master, digest = key_files(tmp_path)
    first = load_keyring(master, digest).master_key_id(load_keyring(master, digest).new_data_key())
    second, third = add_master_key(master), add_master_key(master)
    assert retire_master_keys(master, keep=second) == [third, first]
    keyring = load_keyring(master, digest)
    assert keyring.master_key_id(keyring.new_data_key()) == second


def test_retiring_all_keys_but_an_unknown_one_changes_nothing(tmp_path: Path) -> None:
    master, _ = key_files(tmp_path)
    text = master.read_text()
    with pytest.raises(KeyFileError, match="does not hold key 'k-missing'"):
        retire_master_keys(master, keep="k-missing")
    assert master.read_text() == text


def test_a_digest_is_deterministic(keyring: FileKeyring) -> None:
    assert keyring.digest("identifier", b"SN12345678") == keyring.digest(
        "identifier", b"SN12345678"
    )
    assert len(keyring.digest("identifier", b"SN12345678")) == 64


def test_a_digest_separates_purposes(keyring: FileKeyring) -> None:
    assert keyring.digest("identifier", b"x") != keyring.digest("record", b"x")
    with pytest.raises(ValueError, match="NUL"):
        keyring.digest("a\x00b", b"c")


def test_a_digest_differs_under_another_digest_key(tmp_path: Path) -> None:
    one = load_keyring(*key_files(tmp_path / "one"))
    other = load_keyring(*key_files(tmp_path / "other"))
    assert one.digest("identifier", b"SN1") != other.digest("identifier", b"SN1")


def test_new_key_files_are_private(tmp_path: Path) -> None:
    master, digest = key_files(tmp_path)
    assert stat.S_IMODE(master.stat().st_mode) == 0o600
    assert stat.S_IMODE(digest.stat().st_mode) == 0o600


@pytest.mark.parametrize("existing", ["master.keys", "digest.key"])
def test_new_key_files_never_overwrite_a_file(tmp_path: Path, existing: str) -> None:
    (tmp_path / existing).write_text("precious\n")
    with pytest.raises(KeyFileError, match="already exists"):
        write_new_key_files(tmp_path / "master.keys", tmp_path / "digest.key")
    assert (tmp_path / existing).read_text() == "precious\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == [existing]


KEY = b64(secrets.token_bytes(32))
BAD_MASTER_FILES = {
    "no key": ("# only a comment\n\n", "holds no key"),
    "bad line": (f"k1 {KEY}\nk2\n", "line 2 is not 'KEY_ID BASE64_KEY'"),
    "bad id": (f"K1! {KEY}\n", "line 1 is not 'KEY_ID BASE64_KEY'"),
    "long id": (f"{'k' * 33} {KEY}\n", "line 1 is not"),
    "not base64": ("# keys\nk1 not*base64\n", "line 2: the key is not base64"),
    "short key": (f"k1 {b64(bytes(16))}\n", "line 1: the key is 16 bytes, not 32"),
    "duplicate": (f"k1 {KEY}\n\nk1 {b64(bytes(32))}\n", "line 3: duplicate key id 'k1'"),
    "not text": (b"\xff\xfe".decode("latin-1"), "is not UTF-8 text"),
}


@pytest.mark.parametrize("case", sorted(BAD_MASTER_FILES))
def test_a_bad_master_key_file_is_named_in_one_line(tmp_path: Path, case: str) -> None:
    master, digest = key_files(tmp_path)
    text, expected = BAD_MASTER_FILES[case]
    master.write_bytes(text.encode("latin-1"))
    with pytest.raises(KeyFileError) as caught:
        load_keyring(master, digest)
    assert_one_line_naming(str(caught.value), str(master), expected)
    assert KEY not in str(caught.value)


BAD_DIGEST_FILES = {
    "no key": ("# nothing\n", "holds no key"),
    "two keys": (f"{KEY}\n{KEY}\n", "line 2: the file must hold a single key"),
    "with an id": (f"d1 {KEY}\n", "line 1 is not a single BASE64_KEY"),
    "short key": (f"{b64(bytes(31))}\n", "line 1: the key is 31 bytes, not 32"),
}


@pytest.mark.parametrize("case", sorted(BAD_DIGEST_FILES))
def test_a_bad_digest_key_file_is_named_in_one_line(tmp_path: Path, case: str) -> None:
    master, digest = key_files(tmp_path)
    text, expected = BAD_DIGEST_FILES[case]
    digest.write_text(text)
    with pytest.raises(KeyFileError) as caught:
        load_keyring(master, digest)
    assert_one_line_naming(str(caught.value), str(digest), expected)
    assert KEY not in str(caught.value)


def test_a_missing_or_unreadable_key_file_is_named_in_one_line(tmp_path: Path) -> None:
    master, digest = key_files(tmp_path)
    with pytest.raises(KeyFileError) as caught:
        load_keyring(tmp_path / "absent.keys", digest)
    assert_one_line_naming(str(caught.value), str(tmp_path / "absent.keys"), "does not exist")
    with pytest.raises(KeyFileError) as caught:
        load_keyring(master, tmp_path)
    assert_one_line_naming(str(caught.value), str(tmp_path), "cannot be read")


@pytest.mark.parametrize("missing", [MASTER_KEY_ENV, DIGEST_KEY_ENV])
def test_an_unset_key_file_variable_is_named(tmp_path: Path, missing: str) -> None:
    master, digest = key_files(tmp_path)
    environ = {MASTER_KEY_ENV: str(master), DIGEST_KEY_ENV: str(digest), missing: " "}
    with pytest.raises(KeyFileError) as caught:
        keyring_from_env(environ)
    assert_one_line_naming(str(caught.value), missing, "is not set")


def test_the_key_files_named_by_the_environment_make_a_keyring(tmp_path: Path) -> None:
    master, digest = key_files(tmp_path)
    keyring = keyring_from_env({MASTER_KEY_ENV: str(master), DIGEST_KEY_ENV: str(digest)})
    data_key = keyring.new_data_key()
    sealed = keyring.seal(data_key, PERSON, RECORD)
    assert load_keyring(master, digest).open(data_key, PERSON, sealed) == RECORD
    environ = {MASTER_KEY_ENV: str(tmp_path / "nowhere"), DIGEST_KEY_ENV: str(digest)}
    with pytest.raises(KeyFileError) as caught:
        keyring_from_env(environ)
    assert_one_line_naming(str(caught.value), MASTER_KEY_ENV, str(tmp_path / "nowhere"))


def test_check_accepts_the_data_keys_it_wrapped(tmp_path: Path) -> None:
    master, digest = key_files(tmp_path)
    keyring = load_keyring(master, digest)
    old = keyring.new_data_key()
    add_master_key(master)
    rotated = load_keyring(master, digest)
    rotated.check([old, rotated.new_data_key()])
    rotated.check([])


def test_check_detects_a_different_master_key_under_the_same_id(tmp_path: Path) -> None:
    master, digest = key_files(tmp_path)
    stored = [load_keyring(master, digest).new_data_key()]
    kid = master.read_text().splitlines()[1].split()[0]
    master.write_text(f"{kid} {KEY}\n")
    with pytest.raises(KeyFileError) as caught:
        load_keyring(master, digest).check(stored)
    assert_one_line_naming(str(caught.value), str(master), f"master key '{kid}' in ")
    assert str(caught.value).endswith("cannot unwrap the stored data keys: wrong key")


def test_check_detects_a_master_key_file_without_the_wrapping_key(tmp_path: Path) -> None:
    master, digest = key_files(tmp_path)
    stored = [load_keyring(master, digest).new_data_key()]
    kid = master.read_text().splitlines()[1].split()[0]
    master.write_text(f"other {KEY}\n")
    with pytest.raises(KeyFileError) as caught:
        load_keyring(master, digest).check(stored)
    expected = f"does not hold key '{kid}' that wrapped stored data keys"
    assert_one_line_naming(str(caught.value), str(master), expected)


def test_check_rejects_a_malformed_stored_data_key(keyring: FileKeyring) -> None:
    with pytest.raises(KeyFileError, match="a stored data key is malformed"):
        keyring.check([keyring.new_data_key(), b"\x01\x02k1"])


def assert_one_line_naming(message: str, name: str, expected: str) -> None:
    assert "\n" not in message
    assert name in message
    assert expected in message


def test_check_opens_one_data_key_per_master_key_and_still_finds_a_wrong_later_one(
    tmp_path: Path,
) -> None:
    master, digest = key_files(tmp_path)
    first = load_keyring(master, digest)
    under_first = [first.new_data_key() for _ in range(3)]
    add_master_key(master)
    rotated = load_keyring(master, digest)
    under_second = [rotated.new_data_key() for _ in range(3)]
    lines = master.read_text().splitlines()
    newest = next(line.split()[0] for line in lines if line and not line.startswith("#"))
    master.write_text(
        "\n".join(f"{newest} {KEY}" if line.startswith(newest) else line for line in lines) + "\n"
    )
    with pytest.raises(KeyFileError, match="wrong key"):
        load_keyring(master, digest).check([*under_first, *under_second])
    load_keyring(master, digest).check(under_first)


@given(purpose=st.text().filter(lambda p: "\x00" not in p), value=st.binary())
def test_a_digest_is_hmac_sha256_of_its_purpose_and_value(purpose: str, value: bytes) -> None:
    key = secrets.token_bytes(32)
    keyring = FileKeyring([("k1", secrets.token_bytes(32))], key)
    expected = hmac.new(key, purpose.encode() + b"\x00" + value, hashlib.sha256).hexdigest()
    assert keyring.digest(purpose, value) == expected
