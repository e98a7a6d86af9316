"""Verify a journal export (`reintegrate audit export`) with the standard library only.

Usage: python3 verify_export.py EXPORT_FILE [--prev-hash HASH]

Checks that the entries follow each other (seq + 1), that each one's `prev_hash` is the
`hash` of the line before, and that each `hash` is sha256(prev_hash + canonical JSON of
{actor, at, event, seq}). The first line's `prev_hash` is checked against --prev-hash (the
`hash` of the entry before the export), or 64 zeros when the export starts at seq 1.
Prints the number of entries verified, or the first break; exit status 0 or 1.
See docs/audit-export.md.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Iterable

GENESIS = "0" * 64
COVERED = ("actor", "at", "event", "seq")


def canonical(value: object) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def entry_hash(entry: dict[str, object]) -> str:
    covered = {key: entry[key] for key in COVERED}
    return hashlib.sha256(str(entry["prev_hash"]).encode("ascii") + canonical(covered)).hexdigest()


def verify(lines: Iterable[str], prev_hash: str | None) -> tuple[int, int, int, str | None]:
    """(entries verified, first seq, last seq, the first break described or None)."""
    count = first = expected_seq = 0
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
            seq, link, stored = entry["seq"], entry["prev_hash"], entry["hash"]
            recomputed = entry_hash(entry)
        except (ValueError, KeyError, TypeError) as error:
            return count, first, expected_seq - 1, f"line {number} is not an entry ({error})"
        if count == 0:  # the first entry links to one outside the file
            first = expected_seq = seq
            prev_hash = GENESIS if prev_hash is None and seq == 1 else prev_hash
        where = f"chain broken at seq {seq} (line {number})"
        if seq != expected_seq:
            problem = f"chain broken at line {number}: expected seq {expected_seq}, found seq {seq}"
        elif prev_hash is not None and link != prev_hash:
            problem = f"{where}: prev_hash is {link}, expected {prev_hash}"
        elif recomputed != stored:
            problem = f"{where}: hash is {stored}, but the entry hashes to {recomputed}"
        else:
            count, expected_seq, prev_hash = count + 1, seq + 1, stored
            continue
        return count, first, expected_seq - 1, problem
    return count, first, expected_seq - 1, None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Verify the hash chain of a journal export.")
    parser.add_argument("export", help="a file written by `reintegrate audit export`")
    parser.add_argument("--prev-hash", help="the hash of the entry just before the export")
    args = parser.parse_args(argv)
    with open(args.export, encoding="utf-8") as file:
        count, first, last, problem = verify(file, args.prev_hash)
    if problem is None and count == 0:
        problem = "the export holds no entry"
    if problem is not None:
        print(problem)
        return 1
    print(f"{count} entries verified (seq {first} to {last})")
    if first != 1 and args.prev_hash is None:
        print(f"the link to seq {first - 1} was not checked: give its hash as --prev-hash")
    return 0


if __name__ == "__main__":
    sys.exit(main())
