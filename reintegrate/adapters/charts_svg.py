"""Matplotlib's figures as SVG a strict Content-Security-Policy lets a browser draw inline.

A page served with `style-src 'self'` may not use `style` attributes or `<style>` elements,
and matplotlib writes every colour, width and font into them. Each declaration it writes is
an SVG presentation attribute of the same name (fill, stroke, font-size, text-anchor...),
which no policy blocks, so each is moved into its own attribute; matplotlib's one `<style>`
rule becomes attributes of the root, which the drawing inherits. The metadata goes, the
fixed size gives way to the view box (the page sizes the chart), and the chart gets a
`<title>` and a role, so that a reader of the page (or a screen reader) knows what it shows.
Links to marks are SVG 2's `href`, so the XLink namespace is not needed.
"""

from __future__ import annotations

import io
from typing import Any
from xml.etree import ElementTree as ET

from defusedxml.ElementTree import fromstring

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
ROOT_STYLE = {"stroke-linejoin": "round", "stroke-linecap": "butt"}
"""What matplotlib's `<style>` element says for every element (`*{...}`)."""


def figure_svg(figure: Any) -> bytes:
    """`figure` as matplotlib writes it, without a date (the same drawing, the same bytes)."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


def presentational(svg: bytes, *, chart_id: str, title: str) -> str:
    """`svg` with its styles as attributes, titled `title`, its root identified as
    `chart_id`: an `<svg>` element to put in a page as it is, or to write to a file."""
    root = fromstring(svg)
    for element in list(root):
        if element.tag == f"{{{SVG}}}metadata":
            root.remove(element)
    for defs in root.iter(f"{{{SVG}}}defs"):
        for rule in defs.findall(f"{{{SVG}}}style"):
            defs.remove(rule)
    for element in root.iter():
        element.tag = element.tag.removeprefix(f"{{{SVG}}}")
        style = element.attrib.pop("style", "")
        element.attrib.update(declarations(style))
        link = element.attrib.pop(f"{{{XLINK}}}href", None)
        if link is not None:
            element.attrib["href"] = link
    for attribute in ("width", "height"):
        root.attrib.pop(attribute, None)
    own_ids(root, chart_id)
    root.attrib.update(ROOT_STYLE)
    root.attrib.update({"id": chart_id, "role": "img", "aria-labelledby": f"{chart_id}-title"})
    root.attrib["xmlns"] = SVG
    named = ET.Element("title", {"id": f"{chart_id}-title"})
    named.text = title
    root.insert(0, named)
    # The names are written bare and the namespace as the root's `xmlns`, rather than
    # registered with ElementTree for the whole process: another module registering a default
    # namespace of its own would make this `ns0:svg`, which a page's HTML does not draw.
    return ET.tostring(root, encoding="unicode")


def own_ids(root: ET.Element, chart_id: str) -> None:
    """Every id in the drawing made the chart's own (`figure_1` becomes `spending-figure_1`),
    with every reference to it (`url(#...)`, `href="#..."`): several charts in one page must
    not share an id, which matplotlib gives each drawing afresh."""
    prefix = f"{chart_id}-"
    renamed = {
        old: prefix + old
        for element in root.iter()
        if (old := element.attrib.get("id")) and not old.startswith(prefix)
    }
    for element in root.iter():
        for name, value in element.attrib.items():
            if name == "id" and value in renamed:
                element.attrib[name] = renamed[value]
            elif name == "href" and value.removeprefix("#") in renamed:
                element.attrib[name] = "#" + renamed[value.removeprefix("#")]
            elif value.startswith("url(#") and value[5:-1] in renamed:
                element.attrib[name] = f"url(#{renamed[value[5:-1]]})"


def declarations(style: str) -> dict[str, str]:
    """`fill: #fff; stroke-width: 0.8` as {"fill": "#fff", "stroke-width": "0.8"}."""
    found: dict[str, str] = {}
    for declaration in style.split(";"):
        name, colon, value = declaration.partition(":")
        if colon and name.strip():
            found[name.strip()] = value.strip()
    return found
