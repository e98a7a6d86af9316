"""A case's explained entitlement on the command line, worded in the reader's language: its
labels, reasons and headings translated, its amounts written as that language writes them,
its stage names and member ids as they are."""

from __future__ import annotations

from rich.console import Group
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table

from reintegrate.cli.common import said
from reintegrate.entitlement import Entitlement, Line
from reintegrate.money import amount_text
from reintegrate.services.programmes import CaseEntitlement
from reintegrate.texts import Amount, Text, Value, Words, Writer, english, render


def entitlement_panel(case_id: str, shown: CaseEntitlement, words: Writer = english) -> Panel:
    """Every line and why, the summary, and every cap with what is used and left."""

    def say(text: Words) -> str:
        return said(text, words)

    e = shown.entitlement
    group = Group(_lines(e, words), _summary(e, words))
    if shown.caps:
        caps = Table(
            *(say(t) for t in (Text("limit"), Text("size"), Text("used"))),
            *(say(t) for t in (Text("individual"), Text("community"), Text("remaining"))),
            box=None,
        )
        for cap_use in shown.caps:
            caps.add_row(
                say(cap_use.words),
                *(
                    _figure(minor, e.currency, words)
                    for minor in (cap_use.size, cap_use.used, cap_use.individual)
                ),
                *(_figure(m, e.currency, words) for m in (cap_use.community, cap_use.remaining)),
            )
        group = Group(*group.renderables, caps)
    return Panel(group, title=say(Text("Entitlement of case {case_id}", case_id=case_id)))


def _figure(minor: int, currency: str, words: Writer) -> str:
    return words.figure(amount_text(minor, currency))


def _lines(e: Entitlement, words: Writer) -> Table:
    headings = (Text("member"), Text("line"), Text("amount"), Text("of which cash"))
    table = Table(*(said(h, words) for h in (*headings, Text("stage"), Text("why"))), box=None)

    def add(who: str, line: Line) -> None:
        table.add_row(
            escape(who),
            said(line.label, words),
            _figure(line.amount, e.currency, words),
            _figure(line.cash, e.currency, words),
            escape(line.stage),
            said(line.reason, words),
        )

    for person in e.persons:
        for line in (*person.lines, *person.top_ups):
            add(person.member_id, line)
        if person.excluded is not None:
            zero = _figure(0, e.currency, words)
            excluded, why = said(Text("excluded"), words), said(person.excluded, words)
            table.add_row(escape(person.member_id), excluded, zero, zero, "", why)
    for add_on in e.household_add_ons:
        add(render(Text("household"), words), add_on)
    return table


def _summary(e: Entitlement, words: Writer) -> str:
    def say(text: Text) -> str:
        return said(text, words)

    def money(minor: int) -> Amount:
        return amount_text(minor, e.currency)

    policy = Text(
        "policy {programme} {version}, as of {day}",
        programme=e.programme,
        version=e.policy_version,
        day=e.as_of,
    )
    eligibility = (
        Text("{policy}; eligible", policy=policy)
        if e.eligible
        else Text("{policy}; not eligible", policy=policy)
    )
    cap: Value = Text("none") if e.household_cap is None else money(e.household_cap)
    ceiling = Text(
        "cash ceiling {cash} ({why}); window ends {day}",
        cash=money(e.cash_ceiling),
        why=e.cash_ceiling_reason,
        day=e.window_end,
    )
    stages = ", ".join(
        render(
            Text(
                "{stage} from {day}: {amount}",
                stage=s.stage,
                day=s.opens_on,
                amount=money(s.cumulative),
            ),
            words,
        )
        for s in e.stages
    )
    total = say(Text("total {total}", total=money(e.total)))
    return "\n".join(
        [
            say(eligibility),
            *(say(Text("not eligible: {reason}", reason=r)) for r in e.reasons),
            say(
                Text(
                    "before household cap {before}; household cap {cap}; top-ups {top_ups}",
                    before=money(e.before_household_cap),
                    cap=cap,
                    top_ups=money(e.top_ups),
                )
            ),
            f"[bold]{total}[/bold], {say(ceiling)}",
            say(Text("stages: {stages}", stages=stages)),
        ]
    )
