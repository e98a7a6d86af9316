"""What a camt.053 statement leaves out that its schema requires, and how it is read anyway:
the remarks `statement show` lists for it."""

from __future__ import annotations

from collections.abc import Callable
from xml.etree.ElementTree import Element

from reintegrate.texts import Text


def text_of(element: Element, path: str) -> str | None:
    """The text of the element at `path`, stripped; None when absent or empty."""
    found = element.find(path)
    text = (found.text or "").strip() if found is not None else ""
    return text or None


def status_of(ntry: Element) -> str | None:
    """An entry's status: `<Sts>BOOK</Sts>` up to .06, `<Sts><Cd>BOOK</Cd></Sts>` or a
    proprietary `<Sts><Prtry>...</Prtry></Sts>` from .07; "" when `Sts` says nothing this
    reader knows how to read, None only when the entry has no `Sts` at all."""
    if ntry.find("Sts") is None:
        return None
    return text_of(ntry, "Sts/Cd") or text_of(ntry, "Sts/Prtry") or text_of(ntry, "Sts") or ""


def undated(ntry: Element) -> bool:
    return ntry.find("BookgDt") is None and ntry.find("ValDt") is None


def statement_day(stmt: Element, document_day: str | None = None) -> str | None:
    """The day the statement speaks for (ISO text): the end of its period, when it was made,
    its balances' day, or when the document was made."""
    for path in ("FrToDt/ToDtTm", "FrToDt/ToDt", "CreDtTm", "Bal/Dt/Dt"):
        found = text_of(stmt, path)
        if found:
            return found[:10]
    return None if document_day is None else document_day[:10]


def remarks(stmt: Element, document_day: str | None = None) -> tuple[Text, ...]:
    """What was left out, element by element, and how it was read."""
    entries = stmt.findall("Ntry")
    balances = stmt.findall("Bal")
    day = statement_day(stmt, document_day)
    dated = (
        Text("dated by the statement ({day})", day=day)
        if day is not None
        else Text("dated by the statement")
    )
    found: list[Text] = []
    for what, of, test, reading in (
        (Text("state no status (Sts)"), entries, lambda e: status_of(e) is None, _AS_BOOKED),
        (Text("give no booking nor value date"), entries, undated, dated),
        (
            Text("have no credit or debit mark (CdtDbtInd)"),
            balances,
            lambda b: text_of(b, "CdtDbtInd") is None,
            Text("read as credit balances"),
        ),
    ):
        named = (Text("entries"), "Ntry") if of is entries else (Text("balances"), "Bal")
        found += _remark(what, of, test, reading, named)
    return tuple(found)


_AS_BOOKED = Text("read as booked")


def _remark(
    what: Text,
    elements: list[Element],
    test: Callable[[Element], bool],
    reading: Text,
    named: tuple[Text, str],
) -> list[Text]:
    noun, name = named
    places = [i for i, element in enumerate(elements, 1) if test(element)]
    if not places:
        return []
    shown = ", ".join(map(str, places[:10])) + ("..." if len(places) > 10 else "")
    return [
        Text(
            "{count} of {total} {elements} {what}, which the schema requires; {reading}"
            " ({name} {places})",
            count=len(places),
            total=len(elements),
            elements=noun,
            what=what,
            reading=reading,
            name=name,
            places=shown,
        )
    ]
