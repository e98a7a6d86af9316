"""The dashboard's charts, drawn with matplotlib: SVG for the page and files, PNG for files.

One drawing per chart, written in either format, so that the page and `reintegrate report
charts` show the same thing. matplotlib is imported on first use (it takes most of a second)
and set up once for the process: text stays text in SVG (searchable, and escaped by the
writer), and no label is read as mathematics (a `$` in a label is a dollar). Each series'
marks carry an id `{chart}-{series}-{index}`, which the tests and the browser check find.

Money is drawn in the programme currency's major unit; every figure comes from
`reintegrate.dashboard` (the chart adds nothing but pictures of it).
"""

from __future__ import annotations

import functools
import io
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from reintegrate.adapters.charts_svg import figure_svg, presentational
from reintegrate.dashboard.build import STATUSES
from reintegrate.dashboard.figures import Dashboard, SpendingBar, in_major_units
from reintegrate.money import minor_digits

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

PALETTE = {
    "budget": "#bbbbbb",
    "committed": "#0072b2",
    "paid": "#009e73",
    "pending": "#e69f00",
    "requested": "#f0e442",
    "approved": "#e69f00",
    "failed": "#d55e00",
    "returned": "#cc79a7",
    "reversed": "#56b4e9",
}
"""Okabe and Ito's colours, told apart by readers with a colour vision deficiency."""
SPENDING_SERIES = ("budget", "committed", "paid", "pending")
PNG_DPI = 150
DRAWING = threading.RLock()
"""matplotlib does not promise to be thread-safe (its caches of fonts and text layouts are
shared), and the API renders pages in worker threads: one drawing at a time in a process.
It orders no data, only calls into the library; drawing is CPU-bound under the GIL anyway."""


@dataclass(frozen=True)
class Chart:
    name: str
    """A file name's stem and the SVG root's id: `spending`, `payments`, `scores-form`..."""
    title: str
    figure: Figure

    def svg(self) -> str:
        with DRAWING:
            written = figure_svg(self.figure)
        return presentational(written, chart_id=self.name, title=self.title)

    def png(self) -> bytes:
        buffer = io.BytesIO()
        with DRAWING:
            self.figure.savefig(buffer, format="png", dpi=PNG_DPI, metadata={"Software": None})
        return buffer.getvalue()


@functools.cache
def figure_class() -> type[Figure]:
    """matplotlib's Figure, with the process's SVG and text settings made once."""
    import matplotlib  # noqa: PLC0415 (here: importing it takes most of a second)
    from matplotlib.figure import Figure  # noqa: PLC0415

    matplotlib.rcParams.update({"svg.fonttype": "none", "text.parse_math": False, "font.size": 9})
    return Figure


def new_figure(width: float, height: float) -> Figure:
    return figure_class()(figsize=(width, height), layout="constrained")


def money_charts(dashboard: Dashboard) -> list[Chart]:
    """Spending against budget (if the programme has budget lines) and payments by status
    over time (if any payment was requested)."""
    charts = []
    with DRAWING:
        if dashboard.lines:
            charts.append(spending_chart(dashboard))
        if dashboard.payments:
            charts.append(payments_chart(dashboard))
    return charts


def spending_chart(dashboard: Dashboard) -> Chart:
    title = f"Spending against budget ({dashboard.currency})"
    figure = new_figure(8, 1.0 * len(dashboard.lines) + 2.4)
    by_line, by_form = figure.subplots(1, 2, width_ratios=[2.2, 1])
    digits = minor_digits(dashboard.currency)
    _budget_bullets(by_line, dashboard.lines, digits)
    by_line.set_title(f"by budget line ({dashboard.currency})")
    _grouped_bars(by_form, "spending-form", dashboard.forms, SPENDING_SERIES[1:], digits)
    by_form.set_title(f"by form ({dashboard.currency})")
    by_form.legend(loc="upper left", fontsize=7)
    figure.suptitle(title)
    return Chart(name="spending", title=title, figure=figure)


def _budget_bullets(axes: Axes, lines: Sequence[SpendingBar], digits: int) -> None:
    """Per line, its budget as a wide grey bar; what is committed of it within, narrower;
    what was paid, then what is in flight, narrowest: each to scale, with its share."""
    rows = range(len(lines))
    labels = [b.label.replace("_", " ") for b in lines]

    def amounts(key: str) -> list[float]:
        return [float(in_major_units(getattr(b, key) or 0, digits)) for b in lines]

    paid = amounts("paid")
    marks = (
        ("budget", amounts("budget"), 0.5, None),
        ("committed", amounts("committed"), 0.32, None),
        ("paid", paid, 0.14, None),
        ("pending", amounts("pending"), 0.14, paid),
    )
    for key, widths, height, left in marks:
        drawn = axes.barh(rows, widths, height, left=left, label=key, color=PALETTE[key])
        name_marks(drawn.patches, f"spending-{key}")
    for row, bar in zip(rows, lines, strict=True):
        axes.text(0, row - 0.3, _shares(bar), fontsize=7, va="bottom")
    axes.set_yticks(rows, labels)
    axes.set_ylim(len(lines) - 0.5, -0.75)
    in_thousands(axes.xaxis)
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), fontsize=7, ncols=4)
    axes.grid(axis="x", alpha=0.3)


def _shares(bar: SpendingBar) -> str:
    """`committed 2.5 %, paid 1.3 %, pending 0.3 % of the budget`, for a reader's eyes."""
    if not bar.budget:
        return "no budget"
    shares = ", ".join(
        f"{key} {100 * getattr(bar, key) / bar.budget:.1f} %"
        for key in ("committed", "paid", "pending")
    )
    return f"{shares} of the budget"


def _grouped_bars(
    axes: Axes, name: str, bars: Sequence[SpendingBar], series: Sequence[str], digits: int
) -> None:
    width = 0.8 / len(series)
    for s, key in enumerate(series):
        heights = [float(in_major_units(getattr(b, key) or 0, digits)) for b in bars]
        offsets = [i + (s - (len(series) - 1) / 2) * width for i in range(len(bars))]
        drawn = axes.bar(offsets, heights, width, label=key, color=PALETTE[key])
        name_marks(drawn.patches, f"{name}-{key}")
    axes.set_xticks(range(len(bars)), [b.label.replace("_", " ") for b in bars])
    axes.grid(axis="y", alpha=0.3)
    in_thousands(axes.yaxis)


def payments_chart(dashboard: Dashboard) -> Chart:
    title = f"Payments by status, by month requested ({dashboard.currency})"
    figure = new_figure(8, 3.2)
    axes = figure.subplots()
    digits = minor_digits(dashboard.currency)
    months = [m.month.strftime("%Y-%m") for m in dashboard.payments]
    base = [0.0] * len(months)
    for status in STATUSES:
        heights = [
            float(in_major_units(m.amounts.get(status, 0), digits)) for m in dashboard.payments
        ]
        drawn = axes.bar(
            range(len(months)), heights, 0.7, bottom=base, label=status, color=PALETTE[status]
        )
        name_marks(drawn.patches, f"payments-{status}")
        base = [b + h for b, h in zip(base, heights, strict=True)]
    axes.set_xticks(range(len(months)), months)  # labels, never read as dates or numbers
    axes.set_ylim(0, max(*base, 1) * 1.3)  # room above the bars for the legend
    in_thousands(axes.yaxis)
    axes.set_ylabel(dashboard.currency)
    axes.legend(loc="upper left", fontsize=8, ncols=3)
    axes.grid(axis="y", alpha=0.3)
    axes.set_title(title)
    return Chart(name="payments", title=title, figure=figure)


def in_thousands(axis: Any) -> None:
    """Amounts on `axis` as whole numbers with a thousands separator (2,500,000, not 2.5e6)."""
    from matplotlib.ticker import StrMethodFormatter  # noqa: PLC0415 (imported by now)

    axis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))


def name_marks(marks: Sequence[Any], series: str) -> None:
    for index, mark in enumerate(marks):
        mark.set_gid(f"{series}-{index}")
