"""The README's library example runs as written (on a database of its own)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_readme_library_example_runs_and_prints_the_entitlement(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    block = re.search(r"## Using the library\n\n```python\n(.*?)```", README.read_text(), re.S)
    assert block is not None, "the README lost its library example"
    monkeypatch.chdir(README.parent)
    code = block.group(1).replace("sqlite:///reintegrate.db", f"sqlite:///{tmp_path}/db.sqlite")

    exec(compile(code, str(README), "exec"), {})

    assert capsys.readouterr().out.strip() == "261500"
