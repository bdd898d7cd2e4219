"""Hooks from the benchmarks into breachdocs stages (forms, letters, filings).

Each calls the stage's public core function the way the CLI does.
"""

from __future__ import annotations

import multiprocessing
import shutil
import subprocess
from pathlib import Path
from typing import Any

from breachdocs.filings.bundle import build_filings
from breachdocs.findings import FindingsError
from breachdocs.forms import fill_incident, load_form
from breachdocs.letters.merge import merge_letters as merge
from breachdocs.project import Project
from breachdocs.project_check import check

from .measures import TODAY, Timer, folder_size

NC_FORM_ID = "us-nc-ago-breach"


def nc_incidents(root: Path, count: int) -> list[Any]:
    """``count`` incidents with North Carolina residents (repeated if there are fewer), loaded and checked."""
    incidents, _ = check(Project(root), today=TODAY)
    nc = [i for i in incidents if "US-NC" in i.residents]
    if not nc:
        raise RuntimeError(f"no incident with US-NC residents in {root}")
    return (nc * (count // len(nc) + 1))[:count]


_FILL: dict[str, Any] = {}  # the form and incidents, set before the worker processes fork


def _fill_range(span: tuple[int, int]) -> int:
    form, chosen, out = _FILL["form"], _FILL["incidents"], _FILL["out"]
    for n in range(*span):
        data, problems = fill_incident(form, chosen[n])
        if data is None:
            raise RuntimeError(f"{chosen[n].id}: {problems[:1]}")
        (out / f"{n:05d}.pdf").write_bytes(data)
    return span[1] - span[0]


def fill_forms(root: Path, out: Path, count: int | None, jobs: int = 1) -> dict[str, Any]:
    """``fill_incident`` for the NC form, each result written to a file; incidents loaded before timing.

    ``jobs`` > 1: that many forked processes fill slices of the incidents (as ``build_filings(jobs=N)`` does
    per incident); the form is loaded and parsed once, before the fork and the timer.
    """
    project = Project(root)
    chosen = nc_incidents(root, count or 1000)
    form, findings = load_form(project.templates_dir, NC_FORM_ID, root=root)
    if form is None:
        raise RuntimeError(f"cannot load {NC_FORM_ID}: {findings[:1]}")
    # The form's PDF was parsed when it was loaded: shared by every fill (and every forked worker).
    out.mkdir(parents=True, exist_ok=True)
    _FILL.update(form=form, incidents=chosen, out=out)
    step = 25
    spans = [(i, min(i + step, len(chosen))) for i in range(0, len(chosen), step)]
    with Timer() as t:
        if jobs <= 1:
            done = sum(_fill_range(span) for span in spans)
        else:
            pool = multiprocessing.get_context("fork").Pool(jobs)
            done = sum(pool.imap(_fill_range, spans))
            pool.close()
            pool.join()  # waited for: the workers' CPU is in the timer's children figures
    return t.result(items=done, jobs=jobs)


def _pick_letter_incident(project: Any, incidents: list[Any], scratch: Path) -> Any:
    """The first incident whose letter can be made (its content check passes for every state)."""
    from .generate import write_recipients

    probe = write_recipients(scratch / "probe.csv", 60, seed=99)
    for incident in incidents:
        if incident.status not in ("approved", "notified", "closed"):
            continue
        try:
            result = merge(project, incident, probe, scratch / "probe-out")
        except FindingsError:
            continue
        finally:
            shutil.rmtree(scratch / "probe-out", ignore_errors=True)
        if result.written:
            return incident
    raise RuntimeError("no generated incident passes the letter content check")


def merge_letters(root: Path, recipients: Path, out: Path, jobs: int) -> dict[str, Any]:
    """``merge_letters`` of one incident for every row of ``recipients`` into a fresh ``out``."""
    project = Project(root)
    incidents, _ = check(project, today=TODAY)
    shutil.rmtree(out, ignore_errors=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    incident = _pick_letter_incident(project, incidents, out.parent)
    with Timer() as t:
        result = merge(project, incident, recipients, out, jobs=jobs)
    return t.result(items=result.written, failed=len(result.failed), incident=incident.id,
                    out_bytes=folder_size(out))


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=bench", "-c", "user.email=bench@example.com", *args], cwd=root,
                   check=True, capture_output=True)


def rebuild_one(root: Path) -> dict[str, Any]:
    """Filings of every incident built once (cache warm), one incident changed, then timed: the rebuild.

    Reports the rebuild of filings alone (incidents already loaded) and with the validation
    a ``breachdocs build`` does first; and, for scale, the cold build.
    """
    project = Project(root)
    if not (root / ".git").exists():
        _git(root, "init", "-q")
        _git(root, "add", "incidents")
        _git(root, "commit", "-q", "-m", "generated incidents")
    out = root / "site"
    cache = root / ".cache" / "breachdocs" / "filings"
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(cache, ignore_errors=True)
    incidents, _ = check(project, today=TODAY)
    with Timer() as cold:
        first = build_filings(project, incidents, out, cache_dir=cache)
    target = next(i for i in incidents if i.filings or "US-NC" in i.residents)
    file = root / target.path
    file.write_text(file.read_text(encoding="utf-8") + "notes: changed by the benchmark\n", encoding="utf-8")
    try:
        with Timer() as load:
            incidents, _ = check(project, today=TODAY)
        with Timer() as t:
            again = build_filings(project, incidents, out, cache_dir=cache)
    finally:
        _git(root, "checkout", "-q", "--", "incidents")
    return t.result(items=1, incidents=len(incidents), rendered=len(again.rendered), reused=len(again.reused),
                    validate_seconds=load.wall, validate_cpu_seconds=load.cpu,
                    cold_seconds=cold.wall, cold_rendered=len(first.rendered),
                    documents=len(getattr(first, "documents", None) or []))
