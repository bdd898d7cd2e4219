"""Shared fixtures: the project root, the shared/ folder beside it when present."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from breachdocs.project import Project
from breachdocs.resources import ENVIRONMENT

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session", autouse=True)
def own_files_only() -> Iterator[None]:
    """A project a test makes sees only the files it was made with: breachdocs' packaged rule base and
    templates are left out (``BREACHDOCS_DATA=""``, for the CLI run in a subprocess too), in every fixture
    and test. Tests of the layering itself are marked ``packaged_data`` (see :func:`packaged_data`)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(ENVIRONMENT, "")
        yield


@pytest.fixture(scope="session", autouse=True)
def own_user_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Tests keep what breachdocs caches in the user's cache folder (filings, approvals) in one of their own."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("user-cache")))
        yield


@pytest.fixture(autouse=True)
def packaged_data(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """In a test marked ``packaged_data``, projects see breachdocs' packaged files beneath their own (a fixture
    of wider scope that needs them lifts the setting itself)."""
    if request.node.get_closest_marker("packaged_data") is not None:
        monkeypatch.delenv(ENVIRONMENT)


@pytest.fixture(scope="session")
def project() -> Project:
    return Project(ROOT)


@pytest.fixture
def today() -> dt.date:
    return dt.date(2026, 11, 24)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example project's site, built once per session with --strict and no web fonts."""
    from site_fixtures import site_project

    from breachdocs.site.build import build_site

    project = site_project(tmp_path_factory.mktemp("site-project"), filings=True)
    return build_site(project / "mkdocs.yml", strict=True, theme_overrides={"font": False})


@pytest.fixture(autouse=True)
def _no_github_api(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never reach GitHub: a test that wants the API serves it on 127.0.0.1 (tests/github_server.py);
    nothing signs unless a test gives a key."""
    for name in ("GITHUB_TOKEN", "GITHUB_REPOSITORY", "GITHUB_API_URL", "BREACHDOCS_SIGN_KEY", "BREACHDOCS_SIGN_CERT"):
        monkeypatch.delenv(name, raising=False)
