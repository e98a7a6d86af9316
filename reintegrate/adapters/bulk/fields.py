"""A plain CSV file as arrays of byte offsets: every field located without a string each.

"Plain" is what `csv_table` reads on its fast path: no quote character anywhere, line breaks
"\n" or "\r\n", no blank line, every line with the header's number of separators. Anything
else is left to the line-by-line reader (`split` answers None).

Fields are then read a column at a time: gathered into fixed-width byte strings (numpy "S"
arrays), trimmed as `str.strip` trims, and reduced to their distinct values.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Ints = npt.NDArray[np.int64]
Bytes = npt.NDArray[np.bytes_]

EDGE = np.zeros(256, dtype=bool)
EDGE[[9, 10, 11, 12, 13, 28, 29, 30, 31, 32]] = True
EDGE[128:] = True
"""Bytes that may begin or end something `str.strip` removes (any non-ASCII byte may be part
of a Unicode space): fields starting or ending with one are trimmed one by one."""


@dataclass(frozen=True, slots=True)
class Grid:
    """Where each field of the data rows starts and ends, in `raw`."""

    raw: bytes
    array: npt.NDArray[np.uint8]
    words: npt.NDArray[np.uint64]
    """The 8 bytes starting at each offset (up to the last 8), as a little-endian word."""
    cuts: Ints
    """The header's line break, then every separator and line break of the rows."""
    width: int

    @property
    def rows(self) -> int:
        return (len(self.cuts) - 1) // self.width

    def column(self, index: int) -> tuple[Ints, Ints]:
        """Start and end offsets of the `index`-th field of every row."""
        end = self.rows * self.width
        return self.cuts[index : end : self.width] + 1, self.cuts[index + 1 : end + 1 : self.width]


def split(raw: bytes, width: int, delimiter: str) -> Grid | None:
    """The fields of `raw` (the file's text as UTF-8 without byte-order mark, line breaks
    "\n", ending with exactly one), when every line holds `width` fields; else None."""
    array = np.frombuffer(raw, dtype=np.uint8)
    cuts = np.flatnonzero((array == 10) | (array == ord(delimiter)))
    if len(cuts) != raw.count(b"\n") * width or not (array[cuts[width - 1 :: width]] == 10).all():
        return None
    buffer = raw if len(raw) >= 8 else raw + bytes(8)
    words = np.ndarray((len(buffer) - 7,), dtype="<u8", buffer=buffer, strides=(1,))
    return Grid(raw, array, words, cuts[width - 1 :], width)


def trimmed(grid: Grid, starts: Ints, ends: Ints) -> tuple[Ints, Ints]:
    """The offsets of the fields without the spaces `str.strip` removes."""
    array = grid.array
    last = max(len(array) - 1, 0)
    filled = ends > starts
    edgy = filled & (EDGE[array[np.minimum(starts, last)]] | EDGE[array[ends - 1]])
    which = np.flatnonzero(edgy)
    if not len(which):
        return starts, ends
    starts, ends = starts.copy(), ends.copy()
    for at in which.tolist():
        start, end = int(starts[at]), int(ends[at])
        text = grid.raw[start:end].decode("utf-8")
        kept = text.strip()
        lead = len(text) - len(text.lstrip())
        starts[at] = start + len(text[:lead].encode("utf-8"))
        ends[at] = starts[at] + len(kept.encode("utf-8"))
    return starts, ends


def gather(grid: Grid, starts: Ints, ends: Ints, cap: int) -> Bytes | None:
    """The fields as fixed-width byte strings, or None when one is longer than `cap`."""
    found = gather_words(grid, starts, ends, cap)
    if found is None:
        return None
    size = found.shape[1] * 8
    return found.view(f"S{size}").ravel() if size else np.zeros(len(starts), dtype="S1")


def gather_words(grid: Grid, starts: Ints, ends: Ints, cap: int) -> npt.NDArray[np.uint64] | None:
    """Each field's bytes as little-endian words padded with zero bytes, one row per field;
    None when a field is longer than `cap`."""
    lengths = ends - starts
    size = int(lengths.max(initial=0))
    if size > cap:
        return None
    count = -(-size // 8)
    found = np.empty((len(starts), count), dtype=np.uint64)
    fixed = int(lengths.min(initial=0)) == size
    for column in range(count):
        word = _words_at(grid, starts + 8 * column if column else starts)
        if fixed:
            if (column + 1) * 8 > size:
                word &= _LOW_BYTES[size - 8 * column]
        else:
            word &= _LOW_BYTES[np.minimum(np.maximum(lengths - 8 * column, 0), 8)]
        found[:, column] = word
    return found


def _words_at(grid: Grid, at: Ints) -> npt.NDArray[np.uint64]:
    """The 8 bytes from each offset, as a little-endian word; zeros past the end."""
    limit = len(grid.words) - 1
    beyond = np.flatnonzero(at > limit)
    if not len(beyond):
        found: npt.NDArray[np.uint64] = grid.words[at]
        return found
    found = grid.words[np.minimum(at, limit)]
    for index in beyond.tolist():
        start = int(at[index])
        found[index] = int.from_bytes(grid.raw[start : start + 8].ljust(8, b"\0"), "little")
    return found


_LOW_BYTES = np.array([(1 << (8 * n)) - 1 for n in range(9)], dtype=np.uint64)


def distinct(values: Bytes) -> tuple[list[bytes], npt.NDArray[np.intp]]:
    """The distinct values and, for each value, the index of its distinct value.

    Runs of equal neighbours are reduced first (dates and statuses repeat in runs), then
    the runs' values are told apart by hash, checked against the values themselves."""
    if not len(values):
        return [], np.zeros(0, dtype=np.intp)
    starts = np.flatnonzero(np.concatenate(([True], values[1:] != values[:-1])))
    runs = values[starts]
    hashed = keys(runs)
    found = np.unique(hashed)
    inverse = np.searchsorted(found, hashed)
    first = np.zeros(len(found), dtype=np.intp)
    first[inverse[::-1]] = np.arange(len(runs) - 1, -1, -1)
    chosen = runs[first]
    if not (chosen[inverse] == runs).all():
        chosen, inverse = np.unique(runs, return_inverse=True)
    lengths = np.diff(np.append(starts, len(values)))
    return [bytes(value) for value in chosen], np.repeat(inverse.ravel(), lengths)


def keys(values: Bytes) -> npt.NDArray[np.uint64]:
    """A 64-bit hash of each byte string (equal strings, equal keys; compare to be sure)."""
    size = values.dtype.itemsize
    if size % 8:
        padded = np.zeros((len(values), -(-size // 8) * 8), dtype=np.uint8)
        padded[:, :size] = values.view(np.uint8).reshape(len(values), size)
        return word_keys(padded.view(np.uint64))
    return word_keys(values.view(np.uint64).reshape(len(values), size // 8))


def word_keys(words: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """`keys` of byte strings given as rows of little-endian words (zero words ignored at
    the end, so that the width does not matter)."""
    found = np.zeros(len(words), dtype=np.uint64)
    for column in range(words.shape[1]):
        word = words[:, column]
        mixed = (found ^ word) * np.uint64(0x9E3779B97F4A7C15)
        mixed ^= mixed >> np.uint64(29)
        found = np.where(word != 0, mixed, found) if column else mixed
    return found
