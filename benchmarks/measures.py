"""The measurements: each a function run alone in a child process (see ``run.py``).

A measurement takes plain JSON parameters, does the work, and returns a dict with
``seconds`` (the timed part only: setup such as generating data is done before, by
the parent) and any figures of its own. A measurement that needs a tool this machine
lacks (pdftk) raises :class:`Unavailable` naming it.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import os
import resource
import shutil
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from breachdocs.hashing import user_cache_dir

Params = dict[str, Any]
TODAY = dt.date(2026, 1, 1)


class Unavailable(Exception):
    """A tool the measurement needs is not installed."""


class Timer:
    """Wall-clock and CPU seconds (this process and the children it waited for) of a block."""

    def __enter__(self) -> Timer:
        self.wall = time.perf_counter()
        self.cpu = self._cpu()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self.wall
        self.cpu = self._cpu() - self.cpu

    @staticmethod
    def _cpu() -> float:
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        return time.process_time() + children.ru_utime + children.ru_stime

    def result(self, **figures: Any) -> dict[str, Any]:
        return {"seconds": self.wall, "cpu_seconds": self.cpu, **figures}


def _incident_files(root: Path) -> list[Path]:
    return sorted(f for f in (root / "incidents").glob("*.yaml") if not f.name.startswith("_"))


def folder_size(folder: Path) -> int:
    """Bytes of the files under ``folder``, read entry by entry (``rglob`` lists a whole folder at once:
    ~70 MB for 100,000 letters, which a measurement's peak memory would count)."""
    total, pending = 0, [str(folder)]
    while pending:
        with os.scandir(pending.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    pending.append(entry.path)
                elif entry.is_file(follow_symlinks=False):
                    total += entry.stat(follow_symlinks=False).st_size
    return total


# --- validation ---------------------------------------------------------------------------------------

def validate_breachdocs(p: Params) -> dict[str, Any]:
    """What ``breachdocs validate`` runs: every check, incidents checked a batch at a time and let go."""
    from breachdocs.project import Project
    from breachdocs.project_check import validate

    with Timer() as t:
        checked, findings = validate(Project(Path(p["root"])), today=TODAY)
    errors = [f for f in findings if f.is_error]
    if errors:
        raise RuntimeError(f"{len(errors)} findings in generated incidents, first: {errors[0]}")
    return t.result(items=checked)


def _validate_with(loader: type) -> Callable[[Params], dict[str, Any]]:
    def measure(p: Params) -> dict[str, Any]:
        files = _incident_files(Path(p["root"]))
        with Timer() as t:
            for file in files:
                yaml.load(file.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 - safe loaders only
        return t.result(items=len(files))

    return measure


validate_safe_load = _validate_with(yaml.SafeLoader)
validate_csafe_load = _validate_with(getattr(yaml, "CSafeLoader", yaml.SafeLoader))


# --- site -------------------------------------------------------------------------------------------

def _mkdocs_build(config_file: Path, site_dir: Path) -> Timer:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    with Timer() as t:
        config = load_config(str(config_file), site_dir=str(site_dir))
        build(config)
    return t


def site_plain(p: Params) -> dict[str, Any]:
    """MkDocs + Material building the plain pages ``benchmarks.site.write_plain_site`` wrote."""
    folder = Path(p["folder"])
    site = folder / "site"
    shutil.rmtree(site, ignore_errors=True)
    t = _mkdocs_build(folder / "mkdocs.yml", site)
    return t.result(items=p["items"], site_bytes=folder_size(site))


def site_breachdocs(p: Params) -> dict[str, Any]:
    """The breachdocs plugin building the generated project (the hook for the site stage)."""
    root = Path(p["root"])
    config = root / "mkdocs.yml"
    if not config.exists():
        raise RuntimeError(f"{config} is missing: the generated project has no site configuration")
    site = root / "site"
    shutil.rmtree(site, ignore_errors=True)
    if p.get("cold"):
        shutil.rmtree(root / ".cache", ignore_errors=True)  # the filings render cache, if the build makes filings
        shutil.rmtree(user_cache_dir(root), ignore_errors=True)  # the check cache (and a render cache kept there)
    t = _mkdocs_build(config, site)
    pages = sum(1 for _ in site.rglob("index.html"))
    return t.result(items=p["items"], site_bytes=folder_size(site), pages=pages)


def site_dump(p: Params) -> dict[str, Any]:
    """Setup, not timed: the plugin's pages written out as plain files (see plain_site.dump_generated_pages)."""
    from .plain_site import dump_generated_pages

    with Timer() as t:
        config, pages = dump_generated_pages(Path(p["root"]))
    return t.result(config=str(config), pages=pages)


def site_same_pages(p: Params) -> dict[str, Any]:
    """MkDocs building the plugin's own Markdown from files, without the plugin."""
    config = Path(p["config"])
    site = config.parent / "same-pages-site"
    shutil.rmtree(site, ignore_errors=True)
    t = _mkdocs_build(config, site)
    return t.result(items=p["items"], site_bytes=folder_size(site))


# --- forms -------------------------------------------------------------------------------------------

def forms_pypdf(p: Params) -> dict[str, Any]:
    """pypdf's bare fill: open the form, set the values, write; no field map, no checks."""
    from pypdf import PdfReader, PdfWriter

    form = Path(p["form"])
    values: list[dict[str, str]] = json.loads(Path(p["values"]).read_text(encoding="utf-8"))
    out = Path(p["out"])
    out.mkdir(parents=True, exist_ok=True)
    count = p.get("count", len(values))
    with Timer() as t:
        reader = PdfReader(form)
        for i in range(count):
            writer = PdfWriter(clone_from=reader)
            for page in writer.pages:
                writer.update_page_form_field_values(page, values[i % len(values)], auto_regenerate=False)
            buffer = io.BytesIO()  # pypdf writes a file in many small unbuffered writes; a buffer is 1.4x faster
            writer.write(buffer)
            (out / f"{i:05d}.pdf").write_bytes(buffer.getvalue())
    return t.result(items=count)


def forms_pdftk(p: Params) -> dict[str, Any]:
    """``pdftk FORM fill_form DATA.xfdf output OUT.pdf``, one process per form as a script would run it."""
    pdftk = shutil.which("pdftk")
    if pdftk is None:
        raise Unavailable("pdftk is not installed")
    xfdf = sorted(Path(p["xfdf"]).glob("*.xfdf"))
    out = Path(p["out"])
    out.mkdir(parents=True, exist_ok=True)
    count = p.get("count", len(xfdf))
    with Timer() as t:
        for i in range(count):
            subprocess.run([pdftk, p["form"], "fill_form", str(xfdf[i % len(xfdf)]), "output",
                            str(out / f"{i:05d}.pdf")], check=True, capture_output=True)
    return t.result(items=count)


def forms_breachdocs(p: Params) -> dict[str, Any]:
    """The breachdocs form engine filling the NC form for each incident (hook for the forms stage)."""
    from . import adapters

    return adapters.fill_forms(Path(p["root"]), Path(p["out"]), p.get("count"), int(p.get("jobs", 1)))


# --- letters, rebuild ------------------------------------------------------------------------------

def letters_breachdocs(p: Params) -> dict[str, Any]:
    from . import adapters

    return adapters.merge_letters(Path(p["root"]), Path(p["recipients"]), Path(p["out"]), int(p["jobs"]))


def rebuild_filings(p: Params) -> dict[str, Any]:
    from . import adapters

    return adapters.rebuild_one(Path(p["root"]))


MEASURES: dict[str, Callable[[Params], dict[str, Any]]] = {
    "validate_breachdocs": validate_breachdocs,
    "validate_safe_load": validate_safe_load,
    "validate_csafe_load": validate_csafe_load,
    "site_plain": site_plain,
    "site_breachdocs": site_breachdocs,
    "site_dump": site_dump,
    "site_same_pages": site_same_pages,
    "forms_pypdf": forms_pypdf,
    "forms_pdftk": forms_pdftk,
    "forms_breachdocs": forms_breachdocs,
    "letters_breachdocs": letters_breachdocs,
    "rebuild_filings": rebuild_filings,
}
