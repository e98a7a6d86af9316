"""`reintegrate report charts`: the dashboard's charts written as SVG or PNG files from the
database alone, on a demo database."""

from __future__ import annotations

from pathlib import Path

from defusedxml.ElementTree import parse
from typer.testing import CliRunner

from reintegrate.adapters.charts_svg import SVG
from reintegrate.cli.main import app
from reintegrate.services.dashboard_outcomes import SECTIONS as AXES

runner = CliRunner()
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def charts(demo_file: Path, output: Path, *args: str) -> tuple[int, str]:
    command = ["report", "charts", "--programme", "eurp", "--output", str(output), *args]
    result = runner.invoke(app, [*command, "-d", f"sqlite:///{demo_file}"])
    return result.exit_code, result.output


def test_svg_files_are_written_one_per_chart(demo_file: Path, tmp_path: Path) -> None:
    code, output = charts(demo_file, tmp_path)
    assert code == 0, output
    drawn = {"spending", "payments", "follow-ups", *(f"scores-{axis.value}" for axis, _ in AXES)}
    assert {p.name for p in tmp_path.iterdir()} == {f"{name}.svg" for name in drawn}
    for path in tmp_path.iterdir():
        root = parse(path).getroot()
        assert root is not None
        assert root.tag == f"{{{SVG}}}svg"
        assert root.attrib["id"] == path.stem
    assert "spending-paid-0" in (tmp_path / "spending.svg").read_text()
    # ten demo households answer too few surveys for any group to be shown
    assert "scores-form-suppressed-0" in (tmp_path / "scores-form.svg").read_text()


def test_png_files_are_written_when_asked(demo_file: Path, tmp_path: Path) -> None:
    code, output = charts(demo_file, tmp_path, "--format", "png")
    assert code == 0, output
    written = sorted(tmp_path.iterdir())
    assert {p.stem for p in written} >= {"payments", "spending", "follow-ups", "scores-form"}
    assert all(p.read_bytes().startswith(PNG_SIGNATURE) for p in written)


def test_an_unknown_programme_writes_nothing(demo_file: Path, tmp_path: Path) -> None:
    command = ["report", "charts", "--programme", "nowhere", "--output", str(tmp_path / "out")]
    result = runner.invoke(app, [*command, "-d", f"sqlite:///{demo_file}"])
    assert result.exit_code == 1
    assert "no programme nowhere" in result.output
    assert not (tmp_path / "out").exists()
