"""Hostile inputs: what an attacker or a careless editor puts in a project, and the safe outcome of each.

One test per class of problem (nothing read from outside the project; publishing never loses or half-publishes;
the mail merge keeps personal data in and other people's folders alone; other inputs give a located finding or
one sentence, never a traceback, a hang or half-written output). Each asserts the exact message, the exit
status, and that nothing was read, written or deleted that should not be. Fixed files are in tests/hostile/.
"""

from __future__ import annotations

import csv
import datetime as dt
import errno
import fcntl
import json
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from publish_support import MASSMUTUAL, NC_FORM, FakeForms, edit, make_project

from breachdocs import writer
from breachdocs.cli import main
from breachdocs.filings.bundle import build_filings
from breachdocs.findings import Finding, format_findings, printable
from breachdocs.project import Project
from breachdocs.project_check import check
from breachdocs.publish.release import PublishError, lock_file, releases_dir, switch_atomically

HOSTILE = Path(__file__).resolve().parent / "hostile"
INCIDENT = f"incidents/{MASSMUTUAL}.yaml"
OUTSIDE = ("the file is outside the project (through a link or '..'); breachdocs reads only files inside the "
           "project: copy the file into the project and name it there")
SECRET = "CANARY-7f3a9c-outside-the-project"


def _cli(root: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--root", str(root), *args])


def _errors(result: Result) -> list[str]:
    return [line for line in result.output.splitlines() if ": error: " in line]


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return make_project(tmp_path / "repo", git_init=False)


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A file outside the project holding a secret (what /proc/self/environ or a CI credential would be)."""
    outside = tmp_path / "outside"
    outside.mkdir()
    file = outside / "secret.txt"
    file.write_text(f"TOKEN={SECRET}\n", encoding="utf-8")
    return file


def _notice_text(project: Project, value: str) -> None:
    edit(project.incidents_dir / f"{MASSMUTUAL}.yaml", "\nnotice:\n", f"\nnotice:\n  notice_text: {value!r}\n")


def _line_of(project: Project, text: str) -> int:
    lines = (project.incidents_dir / f"{MASSMUTUAL}.yaml").read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if text in line)


# --- reading outside the project --------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["absolute", "relative", "link"])
def test_notice_text_outside_the_project_is_a_finding_and_never_read(project: Project, secret: Path,
                                                                     name: str) -> None:
    value = {"absolute": str(secret), "relative": "../../outside/secret.txt", "link": "notice.txt"}[name]
    if name == "link":
        (project.incidents_dir / "notice.txt").symlink_to(secret)
    _notice_text(project, value)
    result = _cli(project.root, "validate")
    line = _line_of(project, "notice_text")
    assert result.exit_code == 1
    assert _errors(result) == [f"{INCIDENT}:{line}:16: error: notice.notice_text: cannot use {value}: {OUTSIDE} "
                               "(a UTF-8 text file, named relative to the incident)"]
    assert SECRET not in result.output
    filled = _cli(project.root, "fill", MASSMUTUAL, "--packet", "--flatten", "--out", str(project.root / "out"))
    assert filled.exit_code == 1 and SECRET not in filled.output and not (project.root / "out").exists()


def test_a_link_in_incidents_to_a_file_outside_is_a_finding(project: Project, secret: Path) -> None:
    (project.incidents_dir / "2020-01-01-elsewhere.yaml").symlink_to(secret)
    result = _cli(project.root, "validate")
    assert result.exit_code == 1
    assert _errors(result) == [f"incidents/2020-01-01-elsewhere.yaml: error: {OUTSIDE}"]
    assert SECRET not in result.output


def test_organization_must_be_a_plain_name(project: Project, tmp_path: Path) -> None:
    (tmp_path / "outside").mkdir(exist_ok=True)
    (tmp_path / "outside" / "_organization-x.yaml").write_text(f"reporting_business:\n  name: {SECRET}\n")
    edit(project.incidents_dir / f"{MASSMUTUAL}.yaml", "organization: massmutual", "organization: ../../outside/x")
    result = _cli(project.root, "validate")
    line = _line_of(project, "organization:")
    assert result.exit_code == 1
    assert _errors(result) == [
        f"{INCIDENT}:{line}:15: error: organization: an organisation is named by a plain name of lowercase letters, "
        "digits and '-' (no '/', '..' or spaces); write the NAME of incidents/_organization-NAME.yaml, "
        "e.g. organization: acme"]
    assert SECRET not in result.output


def test_a_fifo_named_like_an_incident_is_a_finding_not_a_hang(project: Project) -> None:
    os.mkfifo(project.incidents_dir / "2020-01-01-pipe.yaml")
    done = subprocess.run([_breachdocs(), "--root", str(project.root), "validate"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert [line for line in done.stderr.splitlines() if ": error: " in line] == [
        "incidents/2020-01-01-pipe.yaml: error: it is a FIFO (named pipe), not a regular file; replace it with a "
        "plain text file"]
    assert "Traceback" not in done.stderr


def test_a_folder_named_like_an_incident_fails_validation_not_the_build(project: Project) -> None:
    (project.incidents_dir / "2020-01-01-folder.yaml").mkdir()
    result = _cli(project.root, "validate")
    assert result.exit_code == 1
    assert _errors(result) == ["incidents/2020-01-01-folder.yaml: error: it is a folder, not a file; remove the "
                               "folder or give the name of a file"]


def test_a_letter_template_linked_outside_is_refused(project: Project, secret: Path) -> None:
    letters = project.templates_dir / "letters"
    letters.mkdir(parents=True, exist_ok=True)
    from publish_support import ROOT

    for template in (ROOT / "templates" / "letters").glob("*.j2"):
        (letters / template.name).write_bytes(template.read_bytes())
    (letters / "default.j2").unlink()
    (letters / "default.j2").symlink_to(secret)
    out = project.root.parent / "sample.pdf"
    result = _cli(project.root, "letter-sample", str(project.incidents_dir / f"{MASSMUTUAL}.yaml"), str(out))
    assert result.exit_code == 1
    assert f"templates/letters/default.j2: error: the template default.j2 cannot be used: {OUTSIDE}" in result.output
    assert SECRET not in result.output and not out.exists()


@pytest.mark.parametrize("depth", [500, 100_000])
def test_deep_yaml_nesting_is_a_finding(project: Project, depth: int) -> None:
    deep = project.incidents_dir / "2020-01-01-deep.yaml"
    if depth == 500:
        deep.write_bytes((HOSTILE / "deep.yaml").read_bytes())
    else:  # deeper than Python's recursion limit
        deep.write_text("id: " + "[" * depth + "]" * depth + "\n", encoding="utf-8")
    result = _cli(project.root, "validate")
    assert result.exit_code == 1
    assert "Traceback" not in result.output and not isinstance(result.exception, RecursionError)
    assert _errors(result) == [
        "incidents/2020-01-01-deep.yaml:1:45: error: id: the values are nested more than 40 levels deep; "
        "a record is a few levels deep: check the indentation and the brackets" if depth == 500 else
        "incidents/2020-01-01-deep.yaml:1:1: error: the values are nested too deep to read (more than 40 levels); "
        "a record is a few levels deep: check the indentation and the brackets"]


def _breachdocs() -> str:
    """The installed command, beside this Python."""
    return str(Path(sys.executable).parent / "breachdocs")


# --- publishing ------------------------------------------------------------------------------------------


def _publish(root: Path, dest: Path) -> Result:
    return _cli(root, "publish", "--dest", str(dest))


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_publish_refuses_a_folder_it_did_not_make(project: Project, tmp_path: Path) -> None:
    dest = tmp_path / "www"
    dest.mkdir()
    (dest / "index.html").write_text("someone else's site")
    result = _publish(project.root, dest)
    assert result.exit_code == 2
    assert result.output.splitlines()[-2:] == [
        f"{dest} already exists and was not made by breachdocs publish; breachdocs never replaces what it did not "
        "create: publish to a new path (--dest), or move it away yourself", f"nothing published; {dest} is untouched"]
    assert _tree(dest) == {"index.html": b"someone else's site"} and not releases_dir(dest).exists()


def test_publish_into_the_repository_itself_deletes_nothing(tmp_path: Path) -> None:
    project = make_project(tmp_path / "repo")  # with .git
    before = _tree(project.root)
    result = _publish(project.root, project.root)
    assert result.exit_code == 2 and "was not made by breachdocs publish" in result.output
    assert _tree(project.root) == before


def test_a_second_publish_at_once_refuses(project: Project, tmp_path: Path) -> None:
    dest = tmp_path / "public"
    with open(lock_file(dest), "w") as held:  # what a running publish holds
        fcntl.flock(held, fcntl.LOCK_EX)
        with pytest.raises(PublishError, match=f"another breachdocs publish to {dest} is running; wait for it "
                                               "to finish, then publish again"):
            switch_atomically(dest, lambda folder: (folder / "a.txt").write_text("a"))
    assert not dest.exists() and not list(releases_dir(dest).glob("*.partial"))


def test_a_partial_release_of_a_running_publish_is_never_removed_or_switched_to(tmp_path: Path) -> None:
    dest = tmp_path / "public"
    first = switch_atomically(dest, lambda folder: (folder / "a.txt").write_text("1"))

    def build(folder: Path) -> None:  # while this publish builds, another one tries
        (folder / "a.txt").write_text("2")
        with pytest.raises(PublishError):
            switch_atomically(dest, lambda other: (other / "a.txt").write_text("3"))
        assert folder.is_dir()  # the other publish did not clear it as an interrupted run's leftover
        assert dest.resolve() == first.resolve()

    second = switch_atomically(dest, build)
    assert (dest / "a.txt").read_text() == "2" and dest.resolve() == second.resolve()


def test_releases_are_readable_by_a_web_server(project: Project, tmp_path: Path) -> None:
    dest = tmp_path / "public"
    old = os.umask(0o077)
    try:
        release = switch_atomically(dest, lambda folder: ((folder / "sub").mkdir(), (folder / "sub" / "a.html")
                                                          .write_text("a")) and None)
    finally:
        os.umask(old)
    modes = {p.relative_to(release).as_posix(): stat.S_IMODE(p.stat().st_mode) for p in release.rglob("*")}
    assert stat.S_IMODE(release.stat().st_mode) == 0o755
    assert modes == {"sub": 0o755, "sub/a.html": 0o644}


KILLED = """
import signal, sys, time
from pathlib import Path
signal.signal(signal.SIGINT, signal.default_int_handler)  # as at a terminal: a background shell job starts with it ignored
sys.path[:0] = [{tests!r}]
from publish_support import make_project
from test_site_filings_job import _Slow
from breachdocs.project_check import check
from breachdocs.site import filings_job
project = make_project(Path({folder!r}), git_init=False)
incidents, _ = check(project)
job = filings_job.start(project, incidents, jobs=3, renderer=_Slow())
print(job.work, job.process.pid, flush=True)
time.sleep(120)
"""


@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGTERM, signal.SIGINT])
def test_a_killed_build_leaves_no_process_and_no_scratch_folder(tmp_path: Path, signum: int) -> None:
    tests = Path(__file__).resolve().parent
    script = KILLED.format(tests=str(tests), folder=str(tmp_path / "repo"))
    build = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert build.stdout is not None
    work, pid = build.stdout.readline().split()
    children = _descendants(int(pid))
    os.kill(build.pid, signum)
    build.wait(timeout=60)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and (Path(work).exists() or _alive(int(pid), *children)):
        time.sleep(0.1)
    assert not Path(work).exists()
    assert not _alive(int(pid), *children)


def _descendants(pid: int) -> list[int]:
    time.sleep(1.0)  # the pool's workers start
    found: list[int] = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            if parent == pid:
                found.append(int(entry.name))
    return found


def _alive(*pids: int) -> bool:
    for pid in pids:
        try:
            state = (Path(f"/proc/{pid}") / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            return True
    return False


# --- the mail merge and personal data --------------------------------------------------------------------

HEADER = ["name", "address1", "address2", "city", "state", "zip"]


def _letters(project: Project, recipients: Path, out: Path, *extra: str) -> Result:
    return _cli(project.root, "letters", str(project.incidents_dir / f"{MASSMUTUAL}.yaml"),
                "--recipients", str(recipients), "--out", str(out), *extra)


@pytest.fixture
def merge(tmp_path: Path) -> tuple[Project, Path]:
    from letters_fixtures import merge_project

    private = tmp_path / "private"
    private.mkdir()
    return merge_project(tmp_path), private


def _csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([HEADER, *rows])
    return path


GOOD_ROW = ["Ada Lovelace", "1 Oak Street", "", "Raleigh", "NC", "27601"]


def test_an_existing_output_folder_keeps_its_permissions(merge: tuple[Project, Path]) -> None:
    project, private = merge
    out = private / "shared"
    out.mkdir()
    os.chmod(out, 0o1777)
    result = _letters(project, _csv(private / "r.csv", [GOOD_ROW]), out)
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(out.stat().st_mode) == 0o1777
    assert stat.S_IMODE((out / "letters").stat().st_mode) == 0o700  # made by the merge: owner only
    assert stat.S_IMODE((out / "letters" / "letter-0000002.pdf").stat().st_mode) == 0o600


def test_an_output_folder_that_is_a_link_is_refused(merge: tuple[Project, Path]) -> None:
    project, private = merge
    target = private / "elsewhere"
    target.mkdir()
    os.chmod(target, 0o755)
    (private / "out").symlink_to(target)
    result = _letters(project, _csv(private / "r.csv", [GOOD_ROW]), private / "out")
    assert result.exit_code == 2
    assert result.output.splitlines() == [f"{private / 'out'}: error: the output folder is a link; breachdocs does "
                                          "not write through links: name the folder itself"]
    assert list(target.iterdir()) == [] and stat.S_IMODE(target.stat().st_mode) == 0o755


@pytest.mark.parametrize("folder", ["site_src/letters", "site/letters", "templates/letters-out"])
def test_letters_never_go_where_a_site_is_built_from(merge: tuple[Project, Path], folder: str) -> None:
    project, private = merge
    out = project.root / folder
    result = _letters(project, _csv(private / "r.csv", [GOOD_ROW]), out, "--allow-inside-repo")
    first = folder.split("/")[0]
    assert result.exit_code == 2
    assert result.output.splitlines() == [f"{out}: error: the output folder is inside {first}/, which a site build "
                                          "reads or publishes; keep letters and recipient lists outside the project"]
    assert not out.exists()


def test_csv_problems_are_reported_at_their_true_row(merge: tuple[Project, Path]) -> None:
    project, private = merge
    recipients = private / "r.csv"
    rows = [
        "Ada Lovelace,1 Oak Street,,Raleigh,NC,27601",                      # 2 fine
        "Grace Hopper,2 Oak Street,,Raleigh,NC,27601",                      # 3 fine
        "Alan Turing,3 Oak Street,,Raleigh,NC,27601",                       # 4 fine
    ] + [f"Person {i},{10 + i} Elm Street,,Durham,NC,27701" for i in range(400)] + [  # 5..404 fine
        "Bad \udcff Byte,5 Oak Street,,Raleigh,NC,27601",                   # 405 not UTF-8
        '"Unclosed Quote,6 Oak Street,,Raleigh,NC,27601',                   # 406 swallows 407
        "Swallowed Row,7 Oak Street,,Raleigh,NC,27601",                     # 407
    ]
    data = ("\n".join([",".join(HEADER), *rows]) + "\n").encode("utf-8", "surrogateescape")
    recipients.write_bytes(data)
    result = _letters(project, recipients, private / "out")
    assert result.exit_code == 1
    assert _errors(result) == [
        f"{recipients}:405: error: row 405: line 405 is not UTF-8 text; save the file as CSV UTF-8",
        f"{recipients}:406: error: row 406: lines 406 to 407 were read as one row: a quote opened on this row is not "
        "closed (or a value holds a line break); close the quote, and keep each recipient on one line",
    ]
    assert "403 letter(s) written, 0 unchanged, 2 row(s) failed" in result.output


def test_rows_the_incident_does_not_cover_are_findings_by_row(merge: tuple[Project, Path]) -> None:
    project, private = merge
    recipients = _csv(private / "r.csv", [
        GOOD_ROW,                                                           # 2
        ["Ada  Lovelace", "1 Oak Street", "", "raleigh", "nc", "27601"],    # 3 the same person
        ["Zoe Washington", "8 Oak Street", "", "Seattle", "WA", "98101"],   # 4 a state the incident does not list
        ["Nul\x00Byte", "9 Oak Street", "", "Raleigh", "NC", "27601"],      # 5 a NUL byte
        ["山田太郎", "10 Oak Street", "", "Raleigh", "NC", "27601"],          # 6 the font cannot print it
        ["Emoji \U0001f600", "11 Oak Street", "", "Raleigh", "NC", "27601"],  # 7 the font cannot print it
        ["Zoë Ångström", "12 Oak Street", "", "Raleigh", "NC", "27601"],     # 8 fine (Latin-1)
    ])
    result = _letters(project, recipients, private / "out")
    unprintable = ("the letter holds characters its font (DejaVu Serif) cannot print, such as Chinese, Japanese or "
                   "Korean script or emoji: they would print as empty boxes; write the text in Latin, Greek or "
                   "Cyrillic letters")
    assert result.exit_code == 1
    assert _errors(result) == [
        f"{recipients}:3: error: row 3: the same recipient as row 2; remove one of the two rows (each person gets "
        "one letter)",
        f"{recipients}:4: error: state: row 4: the recipient lives in US-WA, which the incident does not list under "
        "affected.residents, so its law was not checked; add the state to the incident, or remove the row",
        f"{recipients}:5: error: name: row 5: name holds a control character (a NUL byte or similar: the file may "
        "not be plain text); save the file as CSV UTF-8 and retype the value",
        f"{recipients}:6: error: row 6: {unprintable}",
        f"{recipients}:7: error: row 7: {unprintable}",
    ]
    assert "2 letter(s) written, 0 unchanged, 5 row(s) failed" in result.output
    for name in ("Ada", "Zoe", "Nul", "山田", "Emoji", "Zoë"):
        assert name not in result.output  # recipient data never reaches a message
    assert sorted(p.name for p in (private / "out" / "letters").iterdir()) == ["letter-0000002.pdf",
                                                                             "letter-0000008.pdf"]


# --- other inputs ----------------------------------------------------------------------------------------


def test_a_broken_form_pdf_is_a_finding_at_validation(project: Project) -> None:
    pdf = project.templates_dir / "forms" / NC_FORM / "form.pdf"
    pdf.write_bytes(pdf.read_bytes()[:5000])
    result = _cli(project.root, "validate")
    assert result.exit_code == 1
    (line,) = _errors(result)
    assert line.startswith(f"templates/forms/{NC_FORM}/form.pdf: error: cannot read the PDF: ")
    out = project.root.parent / "filings-out"
    filed = _cli(project.root, "filings", "--out", str(out))
    assert filed.exit_code == 1 and "Traceback" not in filed.output and not out.exists()


def test_a_huge_form_pdf_is_a_finding_at_validation(project: Project) -> None:
    pdf = project.templates_dir / "forms" / NC_FORM / "form.pdf"
    with pdf.open("r+b") as handle:
        handle.truncate(21_000_000)  # sparse: no disk used
    result = _cli(project.root, "validate")
    assert result.exit_code == 1
    assert _errors(result) == [f"templates/forms/{NC_FORM}/form.pdf: error: the file is 21,000,000 bytes, over the "
                               "limit of 20,000,000; split it or shorten it"]


def _full_disk_after(monkeypatch: pytest.MonkeyPatch, writes: int) -> None:
    real = writer.Staged.write
    count = {"n": 0}

    def write(self: writer.Staged, path: Path, data: bytes | str, **kw: object) -> str:
        count["n"] += 1
        if count["n"] > writes:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        return real(self, path, data, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(writer.Staged, "write", write)


def test_a_full_disk_leaves_the_previous_bundle_whole(project: Project, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    incidents, _ = check(project)
    build_filings(project, incidents, out, renderer=FakeForms(), use_cache=False)
    before = _tree(out)
    edit(project.incidents_dir / f"{MASSMUTUAL}.yaml", "total: 5135", "total: 5136")
    incidents, _ = check(project)
    _full_disk_after(monkeypatch, 2)
    with pytest.raises(OSError) as raised:
        build_filings(project, incidents, out, renderer=FakeForms(), use_cache=False)
    assert raised.value.errno == errno.ENOSPC
    assert _tree(out) == before  # no file replaced, no temporary file left
    assert sorted(p.name for p in out.rglob("*") if p.name.endswith(".tmp")) == []


def test_a_full_disk_is_one_sentence_from_the_cli(project: Project, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    _full_disk_after(monkeypatch, 1)
    out = tmp_path / "out"
    result = _cli(project.root, "filings", "--out", str(out))
    assert result.exit_code == 2
    (line,) = result.output.splitlines()
    assert line.startswith(f"breachdocs: cannot write {out}/filings/")
    assert line.endswith(": No space left on device; free some disk space, then run again")
    assert [p for p in out.rglob("*") if p.is_file()] == []


def test_line_breaks_never_reach_deadlines_ics_unescaped(project: Project) -> None:
    import dataclasses

    from breachdocs.law import obligations
    from breachdocs.law.deadlines import ics
    from breachdocs.law.rules import load_jurisdictions

    forged = (HOSTILE / "forged-ics.txt").read_text(encoding="utf-8")
    incidents, _ = check(project)
    rules, _ = load_jurisdictions(project.jurisdictions_dir, root=project.root)
    real = next(o for o in obligations(incidents[0], rules, dt.date(2007, 8, 20)) if o.sort_date is not None)
    duty = dataclasses.replace(real, incident=f"{real.incident}\rUID:id-forged", title=forged, deadline=forged,
                               citation=forged, recipient={"name": forged})
    text = ics([duty], dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    lines = text.split("\r\n")
    assert all("\r" not in line and "\n" not in line for line in lines)
    unfolded = text.replace("\r\n ", "")  # folded lines (RFC 5545 3.1) joined again
    assert [line for line in unfolded.split("\r\n") if line.startswith("UID:")] == [
        f"UID:{real.incident}UID:id-forged.{real.jurisdiction.lower()}.{real.duty}@breachdocs"]
    assert lines.count("END:VEVENT") == 1 and lines.count("BEGIN:VEVENT") == 1
    assert f"SUMMARY:{real.jurisdiction} Notify the Attorney General.\\nUID:forged@evil\\nEND:VEVENT (" in unfolded


def test_incident_text_in_the_review_summary_is_inert() -> None:
    from breachdocs.publish.diff import Diff, IncidentChange, to_markdown

    forged = (HOSTILE / "forged-summary.txt").read_text(encoding="utf-8")
    diff = Diff("a" * 40, "b" * 40, [IncidentChange("2026-01-01-x", forged, "added")], [],
                [Finding("incidents/x.yaml", 3, 1, "title", forged)])
    markdown = to_markdown(diff)
    assert [line for line in markdown.splitlines() if line.startswith("#")] == [
        f"## breachdocs: `{'a' * 12}` → `{'b' * 12}`", "### ❌ 1 problem(s) to fix before merging",
        "### Added: 2026-01-01-x"]
    for raw in ("![", "<img", "www.evil", "https://evil"):
        assert raw not in markdown
    assert re.search(r"(?<!\\)[\[\]]", markdown.split("\n", 1)[1]) is None  # every bracket escaped: no link
    assert ("*Lost laptop \\#\\# ✅ Legal review: approved \\!\\[pixel\\](https:\u200b//evil.example/p.png) "
            "\\[click\\](https:\u200b//evil.example) &lt;img src=x onerror=alert(1)&gt; w\u200bww.evil.example*"
            ) in markdown


def test_a_very_long_word_is_broken_into_lines() -> None:
    from letters_fixtures import pdf_text

    from breachdocs.letters.pdf import letter_pdf
    from breachdocs.letters.template import Block, LetterBody, Section

    word = "W" * 200_000
    body = LetterBody("t", (Section("s", ("x",), (Block("p", "Dear reader,"), Block("p", f"see {word} here"))),))
    text = pdf_text(letter_pdf(body, title="t", author="a"))  # lines joined by spaces
    assert text.startswith("Dear reader, see W")
    pieces = text.removeprefix("Dear reader, see ").split()
    assert "".join(p for p in pieces if set(p) == {"W"}) == word  # every character printed, in order
    assert max(len(p) for p in pieces) == 40  # on lines of 40


# --- the canary: a secret outside the project never gets in ----------------------------------------------

ENV_SECRET = "CANARY-ENV-91b2d4-in-the-environment"


def _everything_under(folder: Path) -> bytes:
    """Every file's bytes under ``folder``, with the text of each PDF (whose streams are compressed)."""
    from pypdf import PdfReader

    chunks: list[bytes] = []
    for file in sorted(folder.rglob("*")) if folder.exists() else []:
        if file.is_file():
            data = file.read_bytes()
            chunks.append(data)
            if data.startswith(b"%PDF"):
                reader = PdfReader(file)
                chunks += [(page.extract_text() or "").encode() for page in reader.pages]
                chunks.append(repr(reader.metadata).encode())
    return b"\n".join(chunks)


def _build(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([_breachdocs(), "--root", str(root), "build", "--jobs", "2"], capture_output=True,
                          text=True, timeout=600, env={**os.environ, "BREACHDOCS_CANARY": ENV_SECRET})


def test_a_secret_outside_the_project_never_gets_in(tmp_path: Path) -> None:
    """Incidents, templates and pages try every way to pull a file outside the project or an environment
    variable into the site, the filings or a message; every way is refused with a finding, and once the
    attacks are gone the full build holds neither secret."""
    from site_fixtures import hostile_incident, site_project, write_incident

    (tmp_path / "p").mkdir()
    root = site_project(tmp_path / "p", filings=True)
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = outside / "secret.txt"
    secret.write_text(f"TOKEN={SECRET}\n", encoding="utf-8")
    (outside / "secret.yaml").write_text(f"id: x\ntitle: {SECRET}\n", encoding="utf-8")
    (outside / "_organization-x.yaml").write_text(f"reporting_business:\n  name: {SECRET}\n", encoding="utf-8")
    (outside / "pages").mkdir()
    (outside / "pages" / "leak.md").write_text(f"# {SECRET}\n", encoding="utf-8")
    (outside / "form.pdf").write_bytes((root / "templates" / "forms" / NC_FORM / "form.pdf").read_bytes()
                                       + f"% {SECRET}\n".encode())
    incident = root / "incidents" / f"{MASSMUTUAL}.yaml"
    letter = root / "templates" / "letters" / "default.j2"
    page = root / "templates" / "site" / "incident.md.j2"
    theme = root / "templates" / "site" / "theme" / "main.html"
    originals = {f: f.read_bytes() for f in (incident, letter, page, theme)}

    # incidents, letter templates, rule files: refused by the check before anything is built
    edit(incident, "\nnotice:\n", f"\nnotice:\n  notice_text: {str(secret)!r}\n")
    (root / "incidents" / "2020-01-01-linked.yaml").symlink_to(outside / "secret.yaml")
    data = hostile_incident()
    data["organization"] = "../../outside/x"
    hostile = write_incident(root, data)
    letter.write_text("{{ cycler.__init__.__globals__.os.environ.BREACHDOCS_CANARY }}\n" + originals[letter].decode(),
                      encoding="utf-8")
    (root / "jurisdictions" / "zz-linked.yaml").symlink_to(outside / "secret.yaml")
    # pages, page templates, the theme and form folders: refused by the site build
    (root / "site_src" / "leak.md").symlink_to(outside / "pages" / "leak.md")
    (root / "site_src" / "leaks").symlink_to(outside / "pages", target_is_directory=True)
    (root / "templates" / "forms" / "zz-evil").mkdir()
    (root / "templates" / "forms" / "zz-evil" / "form.pdf").symlink_to(outside / "form.pdf")
    (root / "templates" / "letters" / "evil.j2").symlink_to(secret)
    page.write_text("{{ lipsum.__globals__.os.environ.BREACHDOCS_CANARY }}\n" + originals[page].decode(),
                    encoding="utf-8")
    theme.write_text(originals[theme].decode().replace(
        '{% extends "base.html" %}', '{% extends "base.html" %}{% block footer %}{{ super() }}'
        '{{ config.__class__.__init__.__globals__["os"].environ.BREACHDOCS_CANARY }}{% endblock %}'),
        encoding="utf-8")

    def refused(*expected: str) -> None:
        done = _build(root)
        output = done.stdout + done.stderr
        assert done.returncode == 1, output
        assert "Traceback" not in output
        for text in expected:
            assert text in output, (text, output)
        for canary in (SECRET, ENV_SECRET):
            assert canary not in output
            assert canary.encode() not in _everything_under(root / "site")

    refused(f"{INCIDENT}:", f"notice.notice_text: cannot use {secret}: {OUTSIDE}",
            f"incidents/2020-01-01-linked.yaml: error: {OUTSIDE}",
            f"incidents/{hostile.name}:", "organization: an organisation is named by a plain name",
            "the template does something the sandbox forbids",
            f"jurisdictions/zz-linked.yaml: error: {OUTSIDE}")
    incident.write_bytes(originals[incident])
    letter.write_bytes(originals[letter])
    for link in (root / "incidents" / "2020-01-01-linked.yaml", root / "jurisdictions" / "zz-linked.yaml"):
        link.unlink()
    hostile.unlink()

    refused(f"site_src/leak.md: error: {OUTSIDE}",
            "site_src/leaks: error: the folder is outside the project (through a link); copy it into the project "
            "instead of linking to it",
            f"templates/forms/zz-evil/form.pdf: error: {OUTSIDE}", f"templates/letters/evil.j2: error: {OUTSIDE}")
    for link in ("site_src/leak.md", "site_src/leaks", "templates/forms/zz-evil/form.pdf", "templates/letters/evil.j2"):
        (root / link).unlink()
    (root / "templates" / "forms" / "zz-evil").rmdir()

    refused("templates/site/incident.md.j2:1: error: the template does something Jinja's sandbox forbids")
    page.write_bytes(originals[page])
    refused("templates/site/theme/main.html:", "error: the template does something Jinja's sandbox forbids")
    theme.write_bytes(originals[theme])

    done = _build(root)
    assert done.returncode == 0, done.stdout + done.stderr
    everything = _everything_under(root / "site")
    assert b"%PDF" in everything and (root / "site" / "filings" / "manifest.json").is_file()
    for canary in (SECRET, ENV_SECRET):
        assert canary not in done.stdout + done.stderr and canary.encode() not in everything


def test_build_never_empties_a_folder_that_is_not_a_site(tmp_path: Path) -> None:
    from site_fixtures import site_project

    from breachdocs.site.build import SiteBuildError, build_site

    (tmp_path / "p").mkdir()
    root = site_project(tmp_path / "p", incidents=[])
    mine = tmp_path / "documents"
    mine.mkdir()
    (mine / "thesis.txt").write_text("years of work")
    with pytest.raises(SiteBuildError) as raised:
        build_site(root / "mkdocs.yml", site_dir=mine)
    assert str(raised.value) == (f"breachdocs: {mine} holds files that are not a built site, and MkDocs empties the "
                                 "site folder before building: choose a new or empty folder (--site-dir), or move "
                                 "them away yourself")
    assert _tree(mine) == {"thesis.txt": b"years of work"}


def test_a_recipient_list_that_is_not_a_regular_file_is_refused(merge: tuple[Project, Path]) -> None:
    project, private = merge
    fifo = private / "recipients.csv"
    os.mkfifo(fifo)
    result = _letters(project, fifo, private / "out")
    assert result.exit_code == 2
    assert result.output.splitlines() == [f"{fifo}: error: it is a FIFO (named pipe), not a regular file; replace "
                                          "it with a plain text file"]
    assert not (private / "out").exists()


# --- text no font of ours prints -------------------------------------------------------------------------

BERLIN = "2026-11-23-northwind-berlin-clinic-misconfigured-storage"
ROOT = Path(__file__).resolve().parent.parent


def test_text_the_worksheets_cannot_print_is_a_finding_and_no_half_written_worksheets(tmp_path: Path) -> None:
    """Chinese, emoji and Hebrew in an answer of a regulator worksheet (an incident of no form, so no form's check
    sees it): validate names the field and the characters, `submission --out` writes no worksheet and shows no
    traceback, and the filings have no worksheet of it (a build refuses at validation)."""
    from publish_support import ROOT

    from breachdocs.filings.documents import worksheet_documents
    from breachdocs.records import load_incidents

    root = tmp_path / "repo"
    (root / "incidents").mkdir(parents=True)
    for name in (f"{BERLIN}.yaml", "_organization.yaml"):
        shutil.copy(ROOT / "incidents" / name, root / "incidents" / name)
    shutil.copytree(ROOT / "jurisdictions", root / "jurisdictions")
    file = root / "incidents" / f"{BERLIN}.yaml"
    text = file.read_text(encoding="utf-8")
    start = text.index("circumstances: >-\n")
    end = text.index("\nactions_taken:")
    file.write_text(text[:start] + 'circumstances: "数据 leaked 😀 שלום"' + text[end:], encoding="utf-8")
    line = text[:start].count("\n") + 1
    result = _cli(root, "validate")
    assert result.exit_code == 1
    said = "'数', '据', '😀', 'ש', 'ל', 'ו', 'ם'"
    assert _errors(result) == [
        f"incidents/{BERLIN}.yaml:{line}:16: error: circumstances: EU-GDPR supervisory-authority: the worksheet "
        f"cannot print {said} in its answer to 'Art. 33(3)(a): the nature of the personal data breach'; write the "
        "text in Latin, Greek or Cyrillic letters",
        f"incidents/{BERLIN}.yaml:{line}:16: error: circumstances: GB-UKGDPR supervisory-authority: the worksheet "
        f"cannot print {said} in its answer to 'What has happened? Tell us as much as you can about what happened, "
        "what went wrong and how it happened.'; write the text in Latin, Greek or Cyrillic letters"]
    out = tmp_path / "worksheets"
    result = _cli(root, "submission", BERLIN, "--out", str(out))
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output and not out.exists()
    incident = load_incidents([file])[0][0]
    assert worksheet_documents(Project(root), incident) == []


def test_a_form_pdf_encrypted_with_a_password_is_a_finding_that_says_what_to_do(project: Project) -> None:
    from pypdf import PdfReader, PdfWriter

    pdf = project.templates_dir / "forms" / NC_FORM / "form.pdf"
    writer = PdfWriter(clone_from=PdfReader(pdf))
    writer.encrypt("user-password", "owner-password", algorithm="AES-256")
    with pdf.open("wb") as handle:
        writer.write(handle)
    result = _cli(project.root, "validate")
    assert result.exit_code == 1
    assert _errors(result) == [f"templates/forms/{NC_FORM}/form.pdf: error: cannot read the PDF: it is encrypted with "
                               "a password; replace it with the regulator's fillable PDF as published, or a copy saved "
                               "without a password"]
    out = project.root.parent / "filings-out"
    filed = _cli(project.root, "filings", "--out", str(out))
    assert filed.exit_code == 1 and "Traceback" not in filed.output and not out.exists()


@pytest.mark.parametrize("value", ['"   "', '"\\t \\n "'])
def test_an_answer_of_only_whitespace_is_empty(project: Project, value: str) -> None:
    """Spaces, tabs and line breaks print as nothing: a required text of only them is as empty as ''."""
    file = project.incidents_dir / f"{MASSMUTUAL}.yaml"
    text = file.read_text(encoding="utf-8")
    line = next(x for x in text.splitlines() if x.startswith("circumstances: "))
    file.write_text(text.replace(line, f"circumstances: {value}"), encoding="utf-8")
    result = _cli(project.root, "validate")
    assert result.exit_code == 1
    assert _errors(result) == [
        f"{INCIDENT}:{_line_of(project, 'circumstances: ')}:16: error: circumstances: must not be empty; for example: "
        "An electronic file containing a list of plan participants was emailed to the wrong recipient."]


# --- what reaches the terminal ---------------------------------------------------------------------------

BERLIN = "2026-11-23-northwind-berlin-clinic-misconfigured-storage"
ROOT = Path(__file__).resolve().parent.parent


def test_control_characters_in_an_answer_are_shown_as_escapes_never_sent_to_the_terminal(tmp_path: Path) -> None:
    """An answer holding terminal escape sequences (retitle the window, clear the screen) is printed with each
    control character as its escape, in the text output and in the findings."""
    root = tmp_path / "repo"
    for folder in ("incidents", "jurisdictions", "templates"):
        shutil.copytree(ROOT / folder, root / folder)
    incident = root / "incidents" / f"{BERLIN}.yaml"
    edit(incident, "actions_taken: We closed public access within the hour,",
         'actions_taken: "We closed public \\e]0;pwned\\a\\e[2J access within the hour,')
    edit(incident, "told the researcher to delete any copy.", 'told the researcher to delete any copy."')
    result = _cli(root, "submission", str(incident))
    assert result.exit_code == 0, result.output
    assert "We closed public \\u001b]0;pwned\\u0007\\u001b[2J access within the hour" in result.output
    assert not set(result.output) & {"\x1b", "\x07"}


def test_a_finding_quoting_a_value_with_control_characters_prints_them_as_escapes() -> None:
    """The same sentence in the CLI and MkDocs' log (both print ``str(finding)``): never a raw escape sequence."""
    finding = Finding("incidents/x.yaml", 3, 8, "title", "'Breach \x1b]0;pwned\x07' is too long; shorten it")
    assert str(finding) == "incidents/x.yaml:3:8: error: title: 'Breach \\u001b]0;pwned\\u0007' is too long; shorten it"


def test_a_notice_that_is_not_a_mapping_is_a_finding_never_a_traceback(project: Project) -> None:
    incident = project.incidents_dir / f"{MASSMUTUAL}.yaml"
    text = incident.read_text(encoding="utf-8")
    start = text.index("\nnotice:")
    end = text.index("\n", start + 1)
    while text[end + 1:end + 3] == "  ":  # the mapping's indented lines
        end = text.index("\n", end + 1)
    incident.write_text(text[:start] + "\nnotice: by letter" + text[end:], encoding="utf-8")
    result = _cli(project.root, "validate")
    assert result.exit_code == 1, result.output
    assert any(f"{MASSMUTUAL}.yaml:" in line and ": notice: " in line for line in _errors(result)), result.output
    assert "Traceback" not in result.output


def test_a_loop_of_links_in_a_template_folder_is_no_traceback(project: Project) -> None:
    templates = project.root / "templates"
    (templates / "l1").symlink_to(templates / "l2")
    (templates / "l2").symlink_to(templates / "l1")
    result = _cli(project.root, "validate")
    assert "Traceback" not in result.output and not isinstance(result.exception, RuntimeError), result.output
    assert result.exit_code in (0, 1)


def test_json_printed_with_control_characters_escaped_stays_valid_and_means_the_same() -> None:
    """``validate --format json`` prints ``format_findings`` through the same escaping: JSON keeps DEL and the
    C1 set raw (``ensure_ascii=False``), and they are printed as JSON's own escapes."""
    message = "bad \x85 \x7f \x9b value"
    printed = printable(format_findings([Finding("a.yaml", 1, 1, "title", message)], "json"))
    assert not set(printed) & {"\x85", "\x7f", "\x9b"}
    assert json.loads(printed)[0]["message"] == message
