"""Hooks from the benchmarks into breachdocs stages (forms, letters, publish).

Each calls the stage's public core function the way the CLI does, and raises
:class:`~benchmarks.measures.Unavailable` while that stage is not on the branch.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from .measures import Unavailable, has_module


def fill_forms(root: Path, out: Path, count: int | None) -> dict[str, Any]:
    if not has_module("breachdocs.forms.fill"):
        raise Unavailable("the breachdocs form engine (branch forms) is not on this branch")
    raise Unavailable("form engine adapter not written yet")


def merge_letters(root: Path, recipients: Path, out: Path, jobs: int) -> dict[str, Any]:
    if not has_module("breachdocs.letters.merge"):
        raise Unavailable("the breachdocs mail merge (branch letters) is not on this branch")
    raise Unavailable("mail-merge adapter not written yet")


def rebuild_one(root: Path) -> dict[str, Any]:
    if not has_module("breachdocs.publish.filings"):
        raise Unavailable("the filings cache (branch publish) is not on this branch")
    start = time.perf_counter()
    raise Unavailable(f"rebuild adapter not written yet ({time.perf_counter() - start:.0f})")
