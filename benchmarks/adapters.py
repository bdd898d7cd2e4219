"""Hooks from the benchmarks into breachdocs stages (forms, letters, publish).

Each calls the stage's public core function the way the CLI does, and raises
:class:`~benchmarks.measures.Unavailable` while that stage is not on the branch.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from .measures import TODAY, Timer, Unavailable, has_module

NC_FORM_ID = "us-nc-ago-breach"


def nc_incidents(root: Path, count: int) -> list[Any]:
    """``count`` incidents with North Carolina residents (repeated if there are fewer), loaded and checked."""
    from breachdocs.project import Project, check

    incidents, _ = check(Project(root), today=TODAY)
    nc = [i for i in incidents if "US-NC" in i.residents]
    if not nc:
        raise RuntimeError(f"no incident with US-NC residents in {root}")
    return (nc * (count // len(nc) + 1))[:count]


def fill_forms(root: Path, out: Path, count: int | None) -> dict[str, Any]:
    """``fill_incident`` for the NC form, each result written to a file; incidents loaded before timing."""
    if not has_module("breachdocs.forms.fill"):
        raise Unavailable("the breachdocs form engine (branch forms) is not on this branch")
    from breachdocs.forms import fill_incident, load_form
    from breachdocs.project import Project

    project = Project(root)
    chosen = nc_incidents(root, count or 1000)
    form, findings = load_form(project.templates_dir, NC_FORM_ID, root=root)
    if form is None:
        raise RuntimeError(f"cannot load {NC_FORM_ID}: {findings[:1]}")
    out.mkdir(parents=True, exist_ok=True)
    with Timer() as t:
        for n, incident in enumerate(chosen):
            data, problems = fill_incident(form, incident)
            if data is None:
                raise RuntimeError(f"{incident.id}: {problems[:1]}")
            (out / f"{n:05d}.pdf").write_bytes(data)
    return t.result(items=len(chosen))


def merge_letters(root: Path, recipients: Path, out: Path, jobs: int) -> dict[str, Any]:
    if not has_module("breachdocs.letters.merge"):
        raise Unavailable("the breachdocs mail merge (branch letters) is not on this branch")
    raise Unavailable("mail-merge adapter not written yet")


def rebuild_one(root: Path) -> dict[str, Any]:
    if not has_module("breachdocs.publish.filings"):
        raise Unavailable("the filings cache (branch publish) is not on this branch")
    start = time.perf_counter()
    raise Unavailable(f"rebuild adapter not written yet ({time.perf_counter() - start:.0f})")
