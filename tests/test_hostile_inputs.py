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
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner, Result
from publish_support import MASSMUTUAL, NC_FORM, FakeForms, edit, make_project

from breachdocs import writer
from breachdocs.cli import main
from breachdocs.filings.bundle import build_filings
from breachdocs.findings import Finding
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
    assert done.stdout.splitlines() == ["incidents/2020-01-01-pipe.yaml: error: it is a FIFO (named pipe), not a "
                                        "regular file; replace it with a plain text file"]
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


def test_deep_yaml_nesting_is_a_finding(project: Project) -> None:
    (project.incidents_dir / "2020-01-01-deep.yaml").write_bytes((HOSTILE / "deep.yaml").read_bytes())
    result = _cli(project.root, "validate")
    assert result.exit_code == 1
    assert "Traceback" not in result.output and not isinstance(result.exception, RecursionError)
    assert _errors(result) == [
        "incidents/2020-01-01-deep.yaml:1:45: error: id: the values are nested more than 40 levels deep; "
        "a record is a few levels deep: check the indentation and the brackets"]


def _breachdocs() -> str:
    """The installed command, beside this Python."""
    return str(Path(sys.executable).parent / "breachdocs")
