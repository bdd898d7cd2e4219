"""The site builds the same with ProperDocs (the maintained MkDocs fork) as with MkDocs.

``breachdocs build`` uses ProperDocs when it is installed. Here the example site is built once with
each engine, in processes of their own, and every file of the two sites is compared: they differ only
in the generator tag of each page.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from importlib.metadata import entry_points
from importlib.util import find_spec
from pathlib import Path

import pytest

from breachdocs.site import engine

pytestmark = pytest.mark.packaged_data

ROOT = Path(__file__).resolve().parent.parent
BREACHDOCS = str(Path(sys.executable).with_name("breachdocs"))
GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')


@pytest.fixture(scope="module")
def properdocs_path() -> str:
    """A folder to put on PYTHONPATH so that ProperDocs is importable ('' when it is installed already)."""
    if find_spec("properdocs") is not None:
        return ""
    target = ROOT / ".cache" / "properdocs"
    if not (target / "properdocs").is_dir():
        result = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target",
                                 str(target), "properdocs>=1.6"], capture_output=True, text=True)
        assert result.returncode == 0, f"could not install properdocs from PyPI:\n{result.stderr}"
    return str(target)


def _build(tmp: Path, name: str, extra_env: dict[str, str]) -> Path:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000", **extra_env}
    result = subprocess.run([BREACHDOCS, "build", "--out", str(tmp / name)], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr
    return tmp / name


def _files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_mkdocs_and_properdocs_build_the_same_site(tmp_path: Path, properdocs_path: str) -> None:
    with_mkdocs = _files(_build(tmp_path, "mkdocs", {engine.ENVIRONMENT: "mkdocs"}))
    pythonpath = os.pathsep.join(p for p in (properdocs_path, os.environ.get("PYTHONPATH", "")) if p)
    with_properdocs = _files(_build(tmp_path, "properdocs", {engine.ENVIRONMENT: "properdocs",
                                                             "PYTHONPATH": pythonpath}))
    assert sorted(with_mkdocs) == sorted(with_properdocs)
    assert "incidents/2007-08-10-massmutual-misdirected-email/index.html" in with_mkdocs
    generators = set()
    for name, data in with_mkdocs.items():
        other = with_properdocs[name]
        if name.endswith(".html"):
            generators.update(GENERATOR.findall(data) + GENERATOR.findall(other))
            data, other = GENERATOR.sub(b"", data), GENERATOR.sub(b"", other)
        assert data == other, f"{name} differs between MkDocs and ProperDocs"
    engines = {g.split(b'content="')[1].split(b",")[0] for g in generators}
    assert len(engines) == 2 and any(e.startswith(b"mkdocs-1.") for e in engines) \
        and any(b"ProperDocs" in e for e in engines), engines


def test_properdocs_is_chosen_when_installed_and_mkdocs_otherwise(tmp_path: Path, properdocs_path: str) -> None:
    probe = ("from breachdocs.site.engine import use_engine; import sys; name = use_engine(); "
             "from mkdocs.plugins import BasePlugin; print(name, BasePlugin.__module__)")
    env = {k: v for k, v in os.environ.items() if k != engine.ENVIRONMENT}
    with_it = subprocess.run([sys.executable, "-c", probe], env={**env, "PYTHONPATH": properdocs_path or ""},
                             capture_output=True, text=True)
    assert with_it.stdout.split() == ["properdocs", "properdocs.plugins"], with_it.stderr
    if not properdocs_path:
        pytest.skip("properdocs is installed in this environment: the MkDocs-only case needs an environment without it")
    without = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True)
    assert without.stdout.split() == ["mkdocs", "mkdocs.plugins"], without.stderr


def test_an_engine_named_wrongly_or_missing_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(engine.ENVIRONMENT, "sphinx")
    with pytest.raises(engine.EngineError, match="BREACHDOCS_SITE_ENGINE='sphinx' is not an engine; write properdocs "
                                                 "or mkdocs"):
        engine.chosen_engine()
    monkeypatch.setenv(engine.ENVIRONMENT, "mkdocs")
    assert engine.chosen_engine() == "mkdocs"


def test_the_plugin_is_registered_for_both_engines() -> None:
    for group in ("mkdocs.plugins", "properdocs.plugins"):
        found = {ep.name: ep.value for ep in entry_points(group=group)}
        assert found.get("breachdocs") == "breachdocs.site.plugin:BreachdocsPlugin", group


def test_serve_previews_the_site_of_a_new_repository(tmp_path: Path) -> None:
    import socket
    import time
    import urllib.request

    from click.testing import CliRunner

    from breachdocs.cli import main

    assert CliRunner().invoke(main, ["init", str(tmp_path / "acme")]).exit_code == 0
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([BREACHDOCS, "serve", "--dev-addr", f"127.0.0.1:{port}"], cwd=tmp_path / "acme",
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline, page = time.monotonic() + 300, ""
        while time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/incidents/2025-01-14-example-stolen-laptop/",
                                            timeout=5) as response:
                    page = response.read().decode("utf-8")
                break
            except OSError:
                time.sleep(0.5)
        assert "Unencrypted laptop with customer records stolen from a car" in page, server.poll()
        assert "North Carolina Attorney General" in page
    finally:
        server.terminate()
        server.wait(timeout=30)
