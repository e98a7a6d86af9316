"""docs/embedding.md's examples, run as written, and the public API they rely on."""

from __future__ import annotations

import ast
import contextlib
import datetime as dt
import re
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

import reintegrate as ri
from reintegrate.access import Role
from reintegrate.adapters.keyring import DIGEST_KEY_ENV, MASTER_KEY_ENV
from reintegrate.services.users import add_user
from reintegrate.store.api_records import ApiRecords
from reintegrate.store.sql import SqlStore
from tests.store.conftest import postgresql_database
from tests.store.servers import Server

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "embedding.md"
POLICIES = ROOT / "examples" / "policies"
SQLITE = "sqlite:///var/partner.db"


def python_examples() -> list[str]:
    return re.findall(r"```python\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.DOTALL)


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest) -> Iterator[str]:
    if request.param == "sqlite":
        yield SQLITE
        return
    with postgresql_database("reintegrate_guide") as url:
        yield url


@contextlib.contextmanager
def partner_server(
    store: SqlStore, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[str, str]]:
    """`reintegrate serve` over the guide's database and keys, with a partner user of the
    dakar office: BASE and TOKEN for the client's example."""
    keys = folder / "var" / "partner-keys"
    monkeypatch.setenv(MASTER_KEY_ENV, str(keys / "master.keys"))
    monkeypatch.setenv(DIGEST_KEY_ENV, str(keys / "digest.key"))
    now, offices = dt.datetime.now(dt.UTC), frozenset({"dakar"})
    token = add_user(
        ApiRecords(store.engine), "partner-dakar", now, role=Role.PARTNER, offices=offices
    )
    server = Server(store.url, folder, workers=1)
    server.start()
    try:
        yield server.base, token
    finally:
        server.stop()


def test_the_guide_runs_as_written_from_keys_to_an_audit(
    database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    examples = python_examples()
    assert len(examples) >= 6
    assert SQLITE in examples[0]
    namespace: dict[str, object] = {"POLICIES": POLICIES, "__name__": "guide"}
    with contextlib.ExitStack() as stack:
        for code in examples:
            if "BASE" in code and "BASE" not in namespace:  # the client's: over HTTP
                store = namespace["store"]
                assert isinstance(store, SqlStore)
                served = stack.enter_context(partner_server(store, tmp_path, monkeypatch))
                namespace["BASE"], namespace["TOKEN"] = served
            exec(compile(code.replace(SQLITE, database), str(GUIDE), "exec"), namespace)
    assert getattr(namespace["audit"], "ok", None) is True
    assert getattr(namespace["payment"], "status", None) == "paid"
    assert getattr(namespace["submitted"], "status", None) == "submitted"
    assert (tmp_path / "var" / "partner-keys" / "master.keys").exists()


def test_every_public_name_is_importable_from_the_package() -> None:
    missing = [name for name in ri.__all__ if not hasattr(ri, name)]
    assert missing == []
    assert ri.__version__ != "0+unknown"
    with pytest.raises(AttributeError, match="no attribute 'internal_detail'"):
        _ = ri.internal_detail  # type: ignore[attr-defined]


def test_type_checkers_see_the_same_public_names_as_the_package_gives() -> None:
    tree = ast.parse((ROOT / "reintegrate" / "__init__.py").read_text(encoding="utf-8"))
    guarded = next(
        node
        for node in tree.body
        if isinstance(node, ast.If) and ast.unparse(node.test) == "not TYPE_CHECKING"
    )
    typed = {
        alias.asname or alias.name
        for node in guarded.orelse
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    assert typed == set(ri.__all__) - {"__version__"}


def test_importing_the_package_loads_no_database_driver_until_a_store_is_asked_for() -> None:
    probe = "import sys, reintegrate; print('sqlalchemy' in sys.modules, reintegrate.__version__)"
    said = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout.split()
    assert said == ["False", ri.__version__]


def test_the_package_declares_itself_typed() -> None:
    assert (ROOT / "reintegrate" / "py.typed").exists()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "py.typed" in project["tool"]["setuptools"]["package-data"]["reintegrate"]
