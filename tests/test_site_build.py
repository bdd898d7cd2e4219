"""The MkDocs plugin in a real build: strict build of the examples, generated pages out of the nav,
search index, and a bad incident stopping the build with the messages of `breachdocs validate`."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from site_fixtures import ROOT, example_data, site_project

from breachdocs.findings import format_findings
from breachdocs.project import Project
from breachdocs.project_check import check
from breachdocs.site import filings_job
from breachdocs.site.build import SiteBuildError, build_site

MASSMUTUAL = "2007-08-10-massmutual-misdirected-email"


def primary_nav(page: str) -> str:
    start = page.index('<nav class="md-nav md-nav--primary"')
    return page[start:page.index('<div class="md-sidebar md-sidebar--secondary"', start)]


def test_example_site_builds_strict_with_every_page(built_site: Path) -> None:
    for path in ("index.html", "incidents/index.html", "deadlines/index.html", "jurisdictions/index.html",
                 "about/index.html", f"incidents/{MASSMUTUAL}/index.html", "jurisdictions/us-nc/index.html"):
        assert (built_site / path).is_file(), path
    page = (built_site / "incidents" / MASSMUTUAL / "index.html").read_text(encoding="utf-8")
    assert "<h1 id=\"participant-file-emailed-to-the-wrong-client\">Participant file emailed" in page
    assert '<pre class="mermaid"><code>timeline' in page
    assert 'data-fact="total">5,135<' in page and 'data-fact="residents-US-NC">195<' in page
    assert "fonts.googleapis.com" not in page and "unpkg.com" not in page


def test_per_incident_and_per_jurisdiction_pages_stay_out_of_the_nav(built_site: Path) -> None:
    nav = primary_nav((built_site / "index.html").read_text(encoding="utf-8"))
    assert 'href="incidents/"' in nav and 'href="deadlines/"' in nav
    assert "incidents/20" not in nav and "jurisdictions/us-" not in nav
    incidents = (built_site / "incidents" / "index.html").read_text(encoding="utf-8")
    assert f'href="{MASSMUTUAL}/"' in incidents  # reached from the index page instead


def test_search_index_finds_incidents_by_organisation_title_and_id(built_site: Path) -> None:
    docs = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    page = [d for d in docs if d["location"] == f"incidents/{MASSMUTUAL}/"]
    assert page and page[0]["title"] == "Participant file emailed to the wrong client"
    text = " ".join(d["text"] for d in docs if d["location"].startswith(f"incidents/{MASSMUTUAL}/"))
    assert "MassMutual Life Insurance Company" in text and MASSMUTUAL in text


def test_build_writes_nothing_into_site_src(tmp_path: Path) -> None:
    project = site_project(tmp_path)
    before = sorted(p.relative_to(project) for p in (project / "site_src").rglob("*"))
    build_site(project / "mkdocs.yml", strict=True, theme_overrides={"font": False})
    assert sorted(p.relative_to(project) for p in (project / "site_src").rglob("*")) == before


@pytest.fixture
def broken_project(tmp_path: Path) -> Path:
    data = example_data()
    data["dates"]["discovered"] = "August 10, 2007"
    data["affected"]["residents"] = {"NC": 195}
    return site_project(tmp_path, incidents=[data])


def test_bad_incident_stops_the_build_with_located_messages(broken_project: Path) -> None:
    _, findings = check(Project(broken_project))
    expected = format_findings(findings)
    assert f"incidents/{MASSMUTUAL}.yaml:" in expected and "dates.discovered" in expected
    with pytest.raises(SiteBuildError) as caught:
        build_site(broken_project / "mkdocs.yml", strict=True)
    assert expected in str(caught.value)
    assert not (broken_project / "site" / "index.html").exists()


def test_mkdocs_build_prints_the_findings_without_traceback(broken_project: Path) -> None:
    _, findings = check(Project(broken_project))
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=broken_project,
                          capture_output=True, text=True, env=env, check=False)
    output = done.stdout + done.stderr
    assert done.returncode == 1
    for finding in findings:
        assert str(finding) in output
    assert "Traceback" not in output
    validate = subprocess.run([str(Path(sys.executable).parent / "breachdocs"), "validate"], cwd=broken_project,
                              capture_output=True, text=True, check=False)
    assert [line for line in validate.stderr.splitlines() if re.match(r"incidents/.*: error: ", line)] == [
        str(f) for f in findings]


def test_repo_mkdocs_yml_uses_the_plugin_and_keeps_site_src_hand_written() -> None:
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "docs_dir: site_src" in config and "  - search\n  - breachdocs\n" in config
    generated = {"index.md", "deadlines.md", "incidents", "jurisdictions"}
    assert not generated & {p.name for p in (ROOT / "site_src").iterdir()}


def breachdocs(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(Path(sys.executable).parent / "breachdocs"), *args], cwd=project,
                          capture_output=True, text=True, check=False)


def test_breachdocs_build_validates_then_builds_the_site(tmp_path: Path) -> None:
    project = site_project(tmp_path, filings=True)
    done = breachdocs(project, "build", "--out", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out" / "incidents" / MASSMUTUAL / "index.html").is_file()
    examples = len([f for f in (ROOT / "incidents").glob("*.yaml") if not f.name.startswith("_")])
    assert f"site of {examples} incident(s) built in" in done.stderr
    # Every document of every filing (fillable, flattened, packet, and the approval-stamped copy of each)
    # is linked from its incident page: the manifest of the built site lists them.
    manifest = json.loads((tmp_path / "out" / "filings" / "manifest.json").read_text(encoding="utf-8"))
    variants = {row["variant"] for row in manifest["filings"] if row["incident"] == MASSMUTUAL}
    assert {"fillable", "flat", "packet"} <= variants
    for row in manifest["filings"]:
        page = (tmp_path / "out" / "incidents" / row["incident"] / "index.html").read_text(encoding="utf-8")
        files = [row["file"], *([row["stamped"]["file"]] if row.get("stamped") else [])]
        assert all(f'href="../../{file}"' in page for file in files), (row["incident"], files)


def test_breachdocs_build_stops_on_a_bad_incident_before_building(broken_project: Path) -> None:
    _, findings = check(Project(broken_project))
    done = breachdocs(broken_project, "build")
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.startswith(format_findings(findings) + "\n")
    assert "the site was not built" in done.stderr and "Traceback" not in done.stderr
    assert not (broken_project / "site").exists()


def test_a_hand_written_page_cannot_shadow_a_generated_one(tmp_path: Path) -> None:
    project = site_project(tmp_path)
    (project / "site_src" / "deadlines.md").write_text("# My deadlines\n", encoding="utf-8")
    with pytest.raises(SiteBuildError) as caught:
        build_site(project / "mkdocs.yml", strict=True)
    assert str(caught.value) == ("site_src/deadlines.md: this page is generated by breachdocs from the incidents; "
                                 "rename or remove the hand-written file")


def test_a_bad_today_option_is_one_clear_line(tmp_path: Path) -> None:
    project = site_project(tmp_path)
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    (project / "mkdocs.yml").write_text(config.replace("  - breachdocs:\n", "  - breachdocs:\n      today: 24/11/2026\n"),
                                        encoding="utf-8")
    with pytest.raises(SiteBuildError) as caught:
        build_site(project / "mkdocs.yml", strict=True)
    assert str(caught.value).startswith("plugins.breachdocs.today: Invalid isoformat string: '24/11/2026'; ")


class RecordingServer:
    def __init__(self) -> None:
        self.watched: list[str] = []

    def watch(self, path: str) -> None:
        self.watched.append(path)


def test_serve_watches_incidents_jurisdictions_and_templates(tmp_path: Path) -> None:
    from mkdocs.config import load_config

    project = site_project(tmp_path)
    (project / "jurisdictions").mkdir(exist_ok=True)
    config = load_config(str(project / "mkdocs.yml"))
    plugin = config.plugins["breachdocs"]
    plugin.on_config(config)
    server = RecordingServer()
    plugin.on_serve(server, config=config, builder=None)  # type: ignore[arg-type]
    assert server.watched == [str(project / "incidents"), str(project / "jurisdictions"), str(project / "templates")]


def test_warnings_of_the_check_are_mkdocs_warnings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from breachdocs.findings import Finding
    from breachdocs.site import inputs

    project = site_project(tmp_path)
    warning = Finding(f"incidents/{MASSMUTUAL}.yaml", 3, 8, "title", "a warning for the test", "warning")
    real_check = inputs.check_project

    def with_a_warning(*args: Any, **kwargs: Any) -> Any:
        checked = real_check(*args, **kwargs)
        checked.findings = [warning]
        return checked

    monkeypatch.setattr(inputs, "check_project", with_a_warning)
    build_site(project / "mkdocs.yml", site_dir=tmp_path / "lenient", strict=False)  # shown, not fatal
    with pytest.raises(SiteBuildError) as caught:
        build_site(project / "mkdocs.yml", site_dir=tmp_path / "strict", strict=True)
    assert str(warning) in str(caught.value)


def test_site_shows_the_obligations_and_the_calendar_of_the_law_stage(built_site: Path) -> None:
    page = html.unescape((built_site / "incidents" / MASSMUTUAL / "index.html").read_text(encoding="utf-8"))
    duties = page[page.index('id="obligations"'):page.index('id="filings"')]
    assert "Notice to affected North Carolina residents" in duties and "195 US-NC residents >= 1" in duties
    assert "without unreasonable delay (target 2007-09-09)" in duties
    calendar = (built_site / "deadlines.ics").read_bytes()
    assert calendar.startswith(b"BEGIN:VCALENDAR\r\n") and b"BEGIN:VEVENT" in calendar  # RFC 5545 line ends
    deadlines = (built_site / "deadlines" / "index.html").read_text(encoding="utf-8")
    assert 'href="../deadlines.ics"' in deadlines
    nc = html.unescape((built_site / "jurisdictions" / "us-nc" / "index.html").read_text(encoding="utf-8"))
    assert "N.C.G.S. 75-61, 75-65" in nc and "(919) 716-6000" in nc and "us-nc-ago-breach" in nc
    assert ">Participant file emailed to the wrong client</a>" in nc


def test_incident_page_shows_the_consumer_letter_as_it_will_read(built_site: Path) -> None:
    page = html.unescape((built_site / "incidents" / MASSMUTUAL / "index.html").read_text(encoding="utf-8"))
    letter = page[page.index('<div class="bd-letter">'):page.index('id="change-history"')]
    assert "<p>Dear <NAME>:</p>" in letter  # the person's data stays a placeholder
    assert "On August 10th, 2007 your personal information was included in a file sent via a secure email system" in letter
    assert "Dennis J. Miles" in letter and "1-800-743-5274" in letter


def test_breachdocs_build_with_two_jobs_writes_the_same_filings(tmp_path: Path) -> None:
    project = site_project(tmp_path, filings=True)
    folders = {}
    for jobs in ("1", "2"):
        shutil.rmtree(project / ".cache", ignore_errors=True)  # render every filing, not reuse the cache
        done = breachdocs(project, "build", "--jobs", jobs, "--out", str(tmp_path / f"out{jobs}"))
        assert done.returncode == 0, done.stderr
        root = tmp_path / f"out{jobs}" / "filings"
        folders[jobs] = {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*.pdf"))}
    assert f"{MASSMUTUAL}/us-nc-ago-breach-flat.pdf" in folders["1"]
    assert folders["1"] == folders["2"]


def test_a_failed_build_stops_the_background_filings_and_leaves_no_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With 2 jobs the filings begin in the background right after the check; a build that then fails
    (here: a hand-written page shadows a generated one) stops that process and removes its folder."""
    (tmp_path / "p").mkdir()
    project = site_project(tmp_path / "p", filings=True)
    (project / "site_src" / "deadlines.md").write_text("# My deadlines\n", encoding="utf-8")
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    started: list[Any] = []
    real_start = filings_job.start
    monkeypatch.setattr(filings_job, "start", lambda *a, **k: started.append(real_start(*a, **k)) or started[-1])
    with pytest.raises(SiteBuildError, match="generated by breachdocs"):
        build_site(project / "mkdocs.yml", strict=True, jobs=2)
    (job,) = started
    assert job.in_background and job.process is not None and not job.process.is_alive()
    assert list(scratch.iterdir()) == []
    assert not (project / "site" / "filings").exists()
