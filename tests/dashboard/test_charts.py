"""The charts: SVG that parses, carries every series and its title, holds no style a strict
page policy would block, escapes the data's text, and the same drawings as PNG."""

from __future__ import annotations

import struct
from xml.etree import ElementTree as ET
from xml.etree.ElementTree import Element

from defusedxml.ElementTree import fromstring

from reintegrate.adapters.batch_files import PAIN_001
from reintegrate.adapters.charts import Chart, money_charts
from reintegrate.adapters.charts_outcomes import outcome_charts
from reintegrate.adapters.charts_svg import SVG
from reintegrate.dashboard.build import STATUSES
from tests.dashboard.sample import MINIMUM, sample, small

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def charts(**changes: object) -> dict[str, Chart]:
    dashboard = sample(**changes)
    return {c.name: c for c in money_charts(dashboard) + outcome_charts(dashboard)}


def parsed(chart: Chart) -> Element:
    root: Element = fromstring(chart.svg())
    return root


def ids(root: Element) -> set[str]:
    return {e.attrib["id"] for e in root.iter() if "id" in e.attrib}


def texts(root: Element) -> list[str]:
    return ["".join(e.itertext()) for e in root.iter(f"{{{SVG}}}text")]


def test_each_section_with_figures_has_its_chart() -> None:
    assert set(charts()) == {"spending", "payments", "scores-form", "follow-ups"}


def test_sections_without_figures_draw_nothing() -> None:
    assert set(charts(payments=(), scores=(), follow_ups=())) == {"spending"}


def test_each_chart_is_an_svg_titled_with_what_it_shows() -> None:
    for name, chart in charts().items():
        root = parsed(chart)
        assert root.tag == f"{{{SVG}}}svg"
        assert root.attrib["id"] == name
        title = root.find(f"{{{SVG}}}title")
        assert title is not None
        assert title.text == chart.title
        assert root.attrib["aria-labelledby"] == title.attrib["id"]


def test_no_chart_holds_a_style_attribute_or_element() -> None:
    for chart in charts().values():
        root = parsed(chart)
        assert not [e for e in root.iter() if "style" in e.attrib]
        assert root.find(f".//{{{SVG}}}style") is None
        assert any(e.attrib.get("fill") for e in root.iter()), "colours are attributes"


def test_spending_has_a_bar_per_line_and_series_and_per_form() -> None:
    found = ids(parsed(charts()["spending"]))
    for series in ("budget", "committed", "paid", "pending"):
        assert {f"spending-{series}-0", f"spending-{series}-1"} <= found
    for series in ("committed", "paid", "pending"):
        assert {f"spending-form-{series}-0", f"spending-form-{series}-1"} <= found
    assert "spending-form-budget-0" not in found, "a form has no budget of its own"


def test_payments_stack_every_status_for_every_month() -> None:
    found = ids(parsed(charts()["payments"]))
    assert {f"payments-{status}-{month}" for status in STATUSES for month in (0, 1)} <= found
    assert {"2025-04", "2025-05"} <= set(texts(parsed(charts()["payments"])))


def test_a_small_group_is_drawn_as_words_without_a_box_or_a_count() -> None:
    root = parsed(charts()["scores-form"])
    found = ids(root)
    assert {"scores-form-box-0", "scores-form-box-1", "scores-form-median-1"} <= found
    assert "scores-form-box-2" not in found
    assert "scores-form-suppressed-2" in found
    shown = texts(root)
    assert ["fewer than", str(MINIMUM)] == [t for t in shown if t in ("fewer than", "10")]
    assert "mixed" in shown
    assert any("n=31" in t for t in shown)


def test_a_section_of_small_groups_only_draws_no_box() -> None:
    section = sample().scores[0]
    only_small = section.__class__(
        key="level", title="by level", minimum=MINIMUM, groups=(small("individual"), small("both"))
    )
    root = parsed(charts(scores=(only_small,))["scores-level"])
    assert not [i for i in ids(root) if "-box-" in i]
    assert {"scores-level-suppressed-0", "scores-level-suppressed-1"} <= ids(root)


def test_follow_ups_show_reached_declined_unreachable_overdue_and_waiting() -> None:
    found = ids(parsed(charts()["follow-ups"]))
    for series in ("reached", "declined", "unreachable", "overdue", "waiting"):
        assert {f"follow-ups-{series}-0", f"follow-ups-{series}-1"} <= found


def test_the_datas_text_is_escaped_and_read_back_as_written() -> None:
    hostile = '<script>alert("$x$")</script> & co'
    line = sample().lines[0].__class__(label=hostile, budget=1, committed=0, paid=0, pending=0)
    chart = charts(lines=(line,))["spending"]
    assert "<script>" not in chart.svg()
    assert hostile in texts(parsed(chart)), "no label is read as mathematics"


def test_each_chart_is_also_a_png_image() -> None:
    for chart in charts().values():
        image = chart.png()
        assert image.startswith(PNG_SIGNATURE)
        width, height = struct.unpack(">II", image[16:24])
        assert width > 300
        assert height > 200


def test_charts_stay_svg_after_another_writer_claimed_the_default_namespace() -> None:
    ET.register_namespace("", PAIN_001)  # as writing a pain.001 payment file does
    svg = charts()["spending"].svg()
    assert svg.startswith("<svg ")
    assert f'xmlns="{SVG}"' in svg
    assert "ns0:" not in svg


def test_charts_in_one_page_share_no_id_and_every_reference_resolves() -> None:
    roots = [parsed(chart) for chart in charts().values()]
    every = [i for root in roots for i in ids(root)]
    assert len(every) == len(set(every))
    for root in roots:
        found = ids(root)
        for element in root.iter():
            for value in element.attrib.values():
                if value.startswith("url(#"):
                    assert value[5:-1] in found
            if element.attrib.get("href", "").startswith("#"):
                assert element.attrib["href"][1:] in found
