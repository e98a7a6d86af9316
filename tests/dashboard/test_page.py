"""The dashboard page rendered from its figures: a chart per section that has figures, a
plain sentence for each that has none, every value escaped."""

from __future__ import annotations

import re

from api.dashboard_page import STYLESHEET, render
from tests.dashboard.sample import MINIMUM, sample


def svg_ids(html: str) -> list[str]:
    return re.findall(r'<svg [^>]*\bid="([^"]+)"', html)


def test_every_section_with_figures_shows_its_chart_in_order() -> None:
    html = render(sample())
    assert svg_ids(html) == ["spending", "payments", "scores-form", "follow-ups"]
    assert "yet." not in html


def test_a_suppressed_group_shows_neither_box_nor_count() -> None:
    html = render(sample())
    assert 'id="scores-form-suppressed-2"' in html
    assert 'id="scores-form-box-2"' not in html
    assert "fewer than" in html
    assert f">{MINIMUM}<" in html
    assert "n=31" in html


def test_sections_without_figures_say_so_in_words() -> None:
    html = render(sample(payments=(), scores=(), follow_ups=()))
    assert svg_ids(html) == ["spending"]
    for sentence in (
        "No payment requested yet.",
        "No survey answers yet.",
        "No follow-up has fallen due yet.",
    ):
        assert sentence in html


def test_the_page_names_whose_figures_and_whether_the_ledger_agrees() -> None:
    assert "the offices dakar, lagos" in render(sample(offices=("dakar", "lagos")))
    differs = render(sample(agrees_with_ledger=False))
    assert "differs from the ledger" in differs


def test_labels_and_names_from_the_data_are_escaped() -> None:
    hostile = "<img src=x onerror=alert(1)>"
    line = sample().lines[0].__class__(label=hostile, budget=1, committed=0, paid=0, pending=0)
    html = render(sample(name=hostile, lines=(line,)))
    assert "<img" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_the_page_links_only_its_own_stylesheet() -> None:
    html = render(sample())
    assert re.findall(r'<link [^>]*href="([^"]+)"', html) == [STYLESHEET]
    assert "<script" not in html
