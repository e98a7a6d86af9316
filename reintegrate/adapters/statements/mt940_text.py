"""An MT940 file's text: its encoding (UTF-8, UTF-16 by its byte order mark, Windows-1252
when it is not UTF-8, or the encoding given), the framing characters some banks send, and the
header lines a bank repeats before each statement. What was done is said as remarks."""

from __future__ import annotations

import codecs
import re

from reintegrate.adapters.statements import StatementRejected
from reintegrate.texts import Text

_HEADER = re.compile(r"[A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?|9[45]0|0{3,}")
"""A bank's header line before a statement: its BIC, the message type, a zero sequence."""
_FRAMING = re.compile(r"^\x01|\x03(?=\r?\n|\Z)", re.MULTILINE)
"""A message framed by start-of-header and end-of-text characters (mBank)."""
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def decode(data: bytes, encoding: str | None) -> tuple[str, list[Text]]:
    """The file's text, and a remark when it was not read as UTF-8."""
    remarks: list[Text] = []
    if encoding is None and data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = _decoded(data, "utf-16")
        remarks.append(Text("UTF-16 (by its byte order mark), read as such"))
    elif encoding is not None:
        text = _decoded(data, encoding)
        if encoding.lower().replace("_", "-") not in ("utf-8", "utf8", "ascii"):
            remarks.append(Text("read as {encoding}, as asked", encoding=encoding))
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            at = data.count(b"\n", 0, error.start) + 1
            text = data.decode("cp1252", errors="replace")
            remarks.append(
                Text(
                    "not UTF-8 (byte {byte} on line {line}): read as Windows-1252 (Latin-1); give"
                    " the encoding if it is another",
                    byte=f"0x{data[error.start]:02X}",
                    line=str(at),
                )
            )
    text = text.removeprefix("\ufeff")
    if _FRAMING.search(text):
        text = _FRAMING.sub("", text)
        remarks.append(Text("the message's SOH/ETX framing characters removed"))
    bad = _CONTROL.search(text)
    if bad is not None:
        raise StatementRejected(
            Text(
                "control character {character} in the text: not an MT940 text file"
                " (UTF-16 or binary?)",
                character=f"U+{ord(bad[0]):04X}",
            ),
            field=f"line {text.count(chr(10), 0, bad.start()) + 1}",
        )
    return text, remarks


TEXT_ENCODINGS = frozenset(
    {"utf-8", "utf-16", "ascii", "cp1252", "cp850", "cp852", "cp1250", "cp1251"}
    | {f"iso8859-{n}" for n in range(1, 16)}
)
"""The encodings an MT940 file may be read in: text encodings banks use, by Python's name
(`latin-1` is `iso8859-1`); never codecs that turn escapes into other characters."""


def _decoded(data: bytes, encoding: str) -> str:
    try:
        known = codecs.lookup(encoding).name
    except LookupError:
        known = ""
    if known not in TEXT_ENCODINGS:
        raise StatementRejected(
            Text(
                "unknown encoding '{encoding}': one of utf-8, utf-16, cp1252, latin-1 (iso-8859-1"
                " to -15), cp850, cp852, cp1250, cp1251",
                encoding=encoding,
            ),
            field="encoding",
        )
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        at = data.count(b"\n", 0, error.start) + 1
        raise StatementRejected(
            Text(
                "byte {byte} is not {encoding}",
                byte=f"0x{data[error.start]:02X}",
                encoding=encoding,
            ),
            field=f"line {at}",
        ) from error


def without_headers(lines: list[tuple[int, str]]) -> tuple[list[tuple[int, str]], str]:
    """The lines without the header lines a bank repeats before each statement's :20: (after
    the first), and which lines those were."""
    kept: list[tuple[int, str]] = []
    skipped: list[int] = []
    started = False
    for number, line in lines:
        if line.startswith(":20:") and started:
            while kept and _HEADER.fullmatch(kept[-1][1]) and not kept[-1][1].startswith(":"):
                skipped.append(kept.pop()[0])
        started = started or line.startswith(":20:")
        kept.append((number, line))
    return kept, ", ".join(map(str, sorted(skipped)))
