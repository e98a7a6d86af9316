"""Verify the hash chain of a reintegrate SQLite database with the standard library only.

Usage: python3 verify_chain.py DATABASE_FILE
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
import sys


def msgspec_time(iso: str) -> str:
    """A stored ISO time as msgspec encodes a UTC datetime: 'Z', microseconds only if any."""
    at = dt.datetime.fromisoformat(iso).astimezone(dt.UTC)
    text = at.strftime("%Y-%m-%dT%H:%M:%S")
    if at.microsecond:
        text += f".{at.microsecond:06d}"
    return text + "Z"


def main(path: str) -> int:
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    expected_prev, expected_seq = "0" * 64, 1
    count = 0
    for seq, at, actor, body, prev_hash, stored in db.execute(
        "SELECT seq, at, actor, body, prev_hash, hash FROM journal ORDER BY seq"
    ):
        if seq != expected_seq or prev_hash != expected_prev:
            print(f"chain broken at seq {seq}: sequence or prev_hash does not follow")
            return 1
        document = {"actor": actor, "at": msgspec_time(at), "event": json.loads(body), "seq": seq}
        canonical = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        digest = hashlib.sha256(prev_hash.encode("ascii") + canonical.encode()).hexdigest()
        if digest != stored:
            print(f"chain broken at seq {seq}: hash does not match the entry")
            return 1
        expected_prev, expected_seq, count = stored, seq + 1, count + 1
    print(f"{count} entries verified")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
