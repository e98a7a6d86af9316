"""The dashboard's outcome charts: score distributions as box plots, follow-up completion.

A box spans the group's first to third quartile with a line at its median; no whiskers, as
the figures hold no extremes (they would single out the few people at the ends). A group
under its section's minimum size is drawn as no box at all, only the words "fewer than N".
"""

from __future__ import annotations

from decimal import Decimal

from reintegrate.adapters.charts import DRAWING, Chart, name_marks, new_figure
from reintegrate.dashboard.figures import CompletionBar, Dashboard, ScoreSection

COMPLETION_SERIES = {
    "reached": "#009e73",
    "declined": "#56b4e9",
    "unreachable": "#cc79a7",
    "overdue": "#d55e00",
    "waiting": "#bbbbbb",
}
"""A follow-up fallen due is done (reached, declined, unreachable) or not yet (overdue, or
still within its time). Declining is the returnee's right: it is a colour, not a failure."""


def outcome_charts(dashboard: Dashboard) -> list[Chart]:
    with DRAWING:
        charts = [score_chart(section) for section in dashboard.scores if section.groups]
        if dashboard.follow_ups:
            charts.append(completion_chart(dashboard.follow_ups))
    return charts


def score_chart(section: ScoreSection) -> Chart:
    name = f"scores-{section.key}"
    title = f"Scores {section.title}"
    figure = new_figure(max(3.0, 1.1 * len(section.groups) + 1.5), 3.2)
    axes = figure.subplots()
    shown = [(i, g) for i, g in enumerate(section.groups, start=1) if not g.suppressed]
    stats = [
        {
            "q1": _at(g.q1),
            "med": _at(g.median),
            "q3": _at(g.q3),
            "whislo": _at(g.q1),
            "whishi": _at(g.q3),
        }
        for _, g in shown
    ]
    if stats:
        drawn = axes.bxp(
            stats,
            positions=[i for i, _ in shown],
            showfliers=False,
            showcaps=False,
            patch_artist=True,
            boxprops={"facecolor": "#0072b2", "alpha": 0.6},
            medianprops={"color": "#000000", "linewidth": 2},
        )
        name_marks(drawn["boxes"], f"{name}-box")
        name_marks(drawn["medians"], f"{name}-median")
    for i, group in enumerate(section.groups, start=1):
        if group.suppressed:
            text = axes.text(i, 0.5, f"fewer than\n{section.minimum}", ha="center", va="center")
            text.set_gid(f"{name}-suppressed-{i - 1}")
    labels = [g.label if g.suppressed else f"{g.label}\nn={g.n}" for g in section.groups]
    axes.set_xticks(range(1, len(labels) + 1), labels)
    axes.set_xlim(0.4, len(labels) + 0.6)
    axes.set_ylim(0, 1)
    axes.set_ylabel("score (0-1)")
    axes.grid(axis="y", alpha=0.3)
    axes.set_title(title)
    return Chart(name=name, title=title, figure=figure)


def completion_chart(bars: tuple[CompletionBar, ...]) -> Chart:
    title = "Follow-ups fallen due: done and not done"
    figure = new_figure(8, 0.6 * len(bars) + 1.6)
    axes = figure.subplots()
    labels = [str(b.label) for b in bars]
    left = [0] * len(bars)
    for series, colour in COMPLETION_SERIES.items():
        widths = [getattr(b, series) for b in bars]
        drawn = axes.barh(range(len(bars)), widths, left=left, label=series, color=colour)
        name_marks(drawn.patches, f"follow-ups-{series}")
        left = [a + w for a, w in zip(left, widths, strict=True)]
    axes.set_yticks(range(len(bars)), labels)
    axes.invert_yaxis()
    axes.set_xlabel("follow-ups")
    axes.legend(loc="lower right", fontsize=8, ncols=5)
    axes.set_title(title)
    return Chart(name="follow-ups", title=title, figure=figure)


def _at(score: Decimal | None) -> float:
    """Where an exact score is drawn (a suppressed group has none, and is not drawn)."""
    return float(score if score is not None else 0)
