"""Shared fixtures: the project root, the shared/ folder beside it when present."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from breachdocs.project import Project

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def project() -> Project:
    return Project(ROOT)


@pytest.fixture
def today() -> dt.date:
    return dt.date(2026, 11, 24)
