"""The dashboard as one HTML page, rendered on the server from `reintegrate.dashboard`.

Every value from the data is escaped; the charts are SVG elements the charts adapter made
(text escaped by its XML writer, styles as attributes), placed in the page as they are. The
page loads one stylesheet, from the app itself (`ASSETS`), and nothing else: no script, no
font, no image from anywhere. Each section says plainly when it has nothing to show yet.
"""

from __future__ import annotations

from html import escape

from reintegrate.adapters.charts import Chart, money_charts
from reintegrate.adapters.charts_outcomes import outcome_charts
from reintegrate.dashboard.figures import Dashboard, SpendingBar
from reintegrate.money import format_minor

ASSETS = "/dashboard-assets"
STYLESHEET = f"{ASSETS}/dashboard.css"
POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'"
)
"""The page's Content-Security-Policy: its own stylesheet and nothing else (no script)."""
HEADERS = {
    "Content-Security-Policy": POLICY,
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
}
"""No referrer (a link in the address bar goes nowhere else), no copy kept by a cache."""


def render(dashboard: Dashboard) -> str:
    charts = {c.name: c for c in money_charts(dashboard) + outcome_charts(dashboard)}
    name = escape(dashboard.name)
    sections = (
        _section(
            "spending",
            "Spending against budget",
            [charts.get("spending")],
            "No budget line yet.",
            _spending_table(dashboard),
        ),
        _section(
            "payments",
            "Payments by status over time",
            [charts.get("payments")],
            "No payment requested yet.",
        ),
        _section(
            "scores",
            "Scores by group",
            [c for n, c in charts.items() if n.startswith("scores-")],
            "No survey answers yet.",
        ),
        _section(
            "follow-ups",
            "Follow-up completion",
            [charts.get("follow-ups")],
            "No follow-up has fallen due yet.",
        ),
    )
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>Dashboard: {name}</title>\n"
        f'<link rel="stylesheet" href="{STYLESHEET}">\n</head>\n<body>\n'
        f"<header>\n<h1>{name} <small>{escape(dashboard.programme_id)}</small></h1>\n"
        f"{_scope(dashboard)}\n</header>\n<main>\n{''.join(sections)}</main>\n"
        f"{_reading_notes()}\n</body>\n</html>\n"
    )


def _scope(dashboard: Dashboard) -> str:
    whose = (
        "the whole programme"
        if dashboard.offices is None
        else "the offices " + ", ".join(escape(o) for o in dashboard.offices)
    )
    ledger = (
        '<span class="ok">agrees with the ledger</span>'
        if dashboard.agrees_with_ledger
        else '<span class="bad">differs from the ledger: see the financial report</span>'
    )
    return (
        f'<p class="scope">Figures of {whose}, as of journal entry {dashboard.as_of_seq}; '
        f"money in {escape(dashboard.currency)}, {ledger}.</p>"
    )


def _section(key: str, title: str, charts: list[Chart | None], empty: str, extra: str = "") -> str:
    drawn = [c for c in charts if c is not None]
    body = (
        "".join(f'<figure class="chart">{c.svg()}</figure>\n' for c in drawn)
        if drawn
        else f'<p class="empty">{escape(empty)}</p>\n'
    )
    return f'<section id="{key}">\n<h2>{escape(title)}</h2>\n{body}{extra}</section>\n'


def _spending_table(dashboard: Dashboard) -> str:
    if not dashboard.lines:
        return ""
    rows = "".join(
        _spending_row(bar, dashboard.currency) for bar in dashboard.lines + dashboard.forms
    )
    return (
        '<table>\n<caption>The figures of the chart</caption>\n<thead><tr><th scope="col">'
        "line or form</th><th>budget</th><th>committed</th><th>paid</th><th>pending</th>"
        f"</tr></thead>\n<tbody>\n{rows}</tbody>\n</table>\n"
    )


def _spending_row(bar: SpendingBar, currency: str) -> str:
    cells = [bar.budget, bar.committed, bar.paid, bar.pending]
    shown = "".join(
        f"<td>{'' if c is None else escape(format_minor(c, currency))}</td>" for c in cells
    )
    return f'<tr><th scope="row">{escape(bar.label)}</th>{shown}</tr>\n'


def _reading_notes() -> str:
    return (
        "<footer>\n<h2>How to read this page</h2>\n<ul>\n"
        "<li>Spending: per budget line, its budget (grey) beside what approved packages and "
        "projects hold of it (committed), what was paid and what is in flight (pending); the "
        "same per form of assistance.</li>\n"
        "<li>Payments: the amount requested each month, coloured by where each payment stands "
        "now.</li>\n"
        "<li>Scores: each box spans the middle half of a group's scores (first to third "
        "quartile), the line in it is the median, n the number of people; a group too small "
        "to show without singling people out says only &ldquo;fewer than N&rdquo;.</li>\n"
        "<li>Follow-ups: of those fallen due, who was reached, who declined (their right), "
        "who could not be reached, and those overdue or still within their time.</li>\n"
        "</ul>\n</footer>"
    )
