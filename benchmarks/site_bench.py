"""Benchmark (not a test): the compliance site with 1,000 incidents beside plain MkDocs.

Generates 1,000 synthetic incidents into a temporary project and builds its
site with the breachdocs plugin (validation, obligations and letters included;
filing PDFs only with --filings); then builds the same pages, written out as
plain Markdown files and kept out of the nav, with plain MkDocs (search plugin
only, same theme). Each build runs as a child
process, one after the other. Prints build time and site size of both and
their ratio; the target is a ratio under 1.5.

    .venv/bin/python benchmarks/site_bench.py [--incidents 1000] [--keep]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from breachdocs.project import Project, check
from breachdocs.site.inputs import SiteSources, collect
from breachdocs.site.pages import build_pages

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "incidents" / "2007-08-10-massmutual-misdirected-email.yaml"
STATES = ["US-NC", "US-VA", "US-SC", "US-GA", "US-TX", "US-CA", "US-NY", "US-WA", "US-FL", "US-MA"]
STATUSES = ["draft", "in-review", "approved", "notified", "closed"]


def synthetic_incidents(folder: Path, count: int) -> None:
    """``count`` valid incidents varied from the example (dates, counts, states, status)."""
    base = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    folder.mkdir(parents=True)
    shutil.copy(ROOT / "incidents" / "_organization-massmutual.yaml", folder)
    rng = random.Random(2007)
    for n in range(count):
        day = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randrange(0, 6 * 365))
        data = dict(base)
        data["id"] = f"{day.isoformat()}-synthetic-incident-{n:04d}"
        data["title"] = f"Synthetic incident {n} at a records vendor"
        data["status"] = rng.choice(STATUSES)
        notified = day + dt.timedelta(days=rng.randrange(5, 60))
        data["dates"] = {"breach_start": day.isoformat(), "discovered": day.isoformat(),
                         "contained": day.isoformat(), "consumers_notified": notified.isoformat()}
        # Always some North Carolina residents: every synthetic incident records a filing there.
        others = rng.sample(STATES[1:], rng.randrange(0, 4))
        residents = {code: rng.randrange(1, 2000) for code in ["US-NC", *others]}
        data["affected"] = {"total": sum(residents.values()) + rng.randrange(0, 5000), "residents": residents}
        data["notice"] = {**base["notice"], "letter": {**base["notice"]["letter"], "credit_monitoring_months": 24}}
        data["filings"] = [{"jurisdiction": "US-NC", "recipient": "attorney-general", "form": "us-nc-ago-breach",
                            "submitted": (notified + dt.timedelta(days=1)).isoformat(), "kind": "initial"}]
        (folder / f"{data['id']}.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def site_size(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


def timed_build(config: Path) -> tuple[float, int]:
    """Build with `mkdocs build` in a child process; (seconds, bytes of the site)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-f", str(config)],
                   check=True, env=env)
    seconds = time.perf_counter() - start
    return seconds, site_size(config.parent / "site")


def breachdocs_project(folder: Path, count: int, *, filings: bool = False) -> Path:
    """A project with ``count`` incidents, the repo's jurisdictions, templates and site sources.
    Without ``filings``, the plugin writes no filing PDFs (publishing them is timed apart: --filings)."""
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    if not filings:
        config = config.replace("  - breachdocs\n", "  - breachdocs:\n      filings: false\n")
    (folder / "mkdocs.yml").write_text(config, encoding="utf-8")
    shutil.copytree(ROOT / "site_src", folder / "site_src")
    shutil.copytree(ROOT / "templates", folder / "templates")
    if (ROOT / "jurisdictions").is_dir():
        shutil.copytree(ROOT / "jurisdictions", folder / "jurisdictions")
    synthetic_incidents(folder / "incidents", count)
    return folder / "mkdocs.yml"


def plain_project(folder: Path, breachdocs: Path) -> Path:
    """The same pages, written as plain Markdown files: MkDocs without the breachdocs plugin."""
    shutil.copytree(ROOT / "site_src", folder / "site_src")
    inputs, _ = collect(SiteSources.of(Project(breachdocs)))
    for page in build_pages(inputs, breachdocs / "templates"):
        target = folder / "site_src" / page.uri
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page.markdown, encoding="utf-8")
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("  - search\n  - breachdocs\n", "  - search\n")
    assert "breachdocs" not in config.split("plugins:")[1].split("markdown_extensions:")[0]
    config = config.replace("custom_dir: templates/site/theme", f"custom_dir: {ROOT / 'templates' / 'site' / 'theme'}")
    config += "\nnot_in_nav: |\n  /incidents/*-*.md\n  /jurisdictions/*-*.md\n"
    (folder / "mkdocs.yml").write_text(config, encoding="utf-8")
    return folder / "mkdocs.yml"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=1000)
    parser.add_argument("--keep", action="store_true", help="keep the temporary projects and print where")
    parser.add_argument("--filings", action="store_true", help="let the plugin write every filing PDF too")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="breachdocs-bench-"))
    try:
        (work / "breachdocs").mkdir()
        (work / "plain").mkdir()
        ours = breachdocs_project(work / "breachdocs", args.incidents, filings=args.filings)
        plain = plain_project(work / "plain", ours.parent)
        pages = sum(1 for _ in (work / "plain" / "site_src").rglob("*.md"))
        start = time.perf_counter()
        check(Project(ours.parent))
        checking = time.perf_counter() - start
        t1, s1 = timed_build(ours)
        t2, s2 = timed_build(plain)
        what = "with filing PDFs" if args.filings else "pages"
        print(f"breachdocs plugin ({what}), {args.incidents} incidents: {t1:6.2f} s  {s1 / 1e6:7.1f} MB")
        print(f"plain MkDocs, {pages} Markdown pages of the same text: {t2:6.2f} s  {s2 / 1e6:7.1f} MB")
        print(f"ratio (breachdocs / plain): time {t1 / t2:.2f}, size {s1 / s2:.2f} (target < 1.5)")
        print(f"of which the checks of `breachdocs validate` on the same incidents: {checking:.2f} s")
        if args.keep:
            print(f"projects kept in {work}")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
