"""Drawing writes nothing to the logs: the server's logs are JSON lines of requests, and a
library's remarks about its own guesses (month labels read as dates) do not belong there."""

from __future__ import annotations

import logging

import pytest

from reintegrate.adapters.charts import money_charts
from reintegrate.adapters.charts_outcomes import outcome_charts
from tests.dashboard.sample import sample


def test_drawing_every_chart_logs_nothing(caplog: pytest.LogCaptureFixture) -> None:
    dashboard = sample()
    with caplog.at_level(logging.DEBUG, logger="matplotlib"):
        for chart in money_charts(dashboard) + outcome_charts(dashboard):
            chart.svg()
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.INFO] == []
