"""Every command the README shows works exactly as written, from a fresh clone, and leaves the work tree clean.

The shell blocks of README.md (```sh) are run in order, one command at a time, in a copy of the repository
laid out as a fresh clone (the files Git tracks or would track, committed), with a home folder of its own.
Only the commands in :data:`NOT_RUNNABLE` are not run, each for the reason given. Where the README asks
the reader to edit a file by hand, :data:`EDITS` makes that edit after the command before it.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.clone_support import clone_like_copy, environment

pytestmark = pytest.mark.packaged_data

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"

#: Commands not run here, and why.
NOT_RUNNABLE = {
    "make test": "it runs this very test suite",
    "git push -u origin incident-2025-03-02": "there is no remote here (the push is where the pull request begins)",
}
NEW_INCIDENT = "incidents/2024-03-05-northwind-stolen-laptop.yaml"


def _edit_copied_incident(cwd: Path) -> None:
    """'In the copy, set `id: 2024-03-05-northwind-stolen-laptop` and a new `title:`'."""
    file = cwd / NEW_INCIDENT
    text = file.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^id: .*$", "id: 2024-03-05-northwind-stolen-laptop", text)
    file.write_text(re.sub(r"(?m)^title: .*$", "title: Laptop stolen from a clinic car", text), encoding="utf-8")


#: Edits the README's prose asks for, made after the command they follow.
EDITS: dict[str, Callable[[Path], None]] = {
    f"cp incidents/2024-03-05-northwind-stolen-paper-records.yaml {NEW_INCIDENT}": _edit_copied_incident,
}


def shell_commands(markdown: str) -> list[str]:
    """The commands of every ```sh block, in order: continuation lines joined, comments and blank lines dropped."""
    commands = []
    for block in re.findall(r"^```sh\n(.*?)^```", markdown, flags=re.S | re.M):
        for line in block.replace("\\\n", " ").splitlines():
            command = re.sub(r"\s+#.*$", "", line).strip()
            if command and not command.startswith("#"):
                commands.append(re.sub(r"\s+", " ", command))
    return commands


def test_the_readme_shows_only_commands_this_test_knows() -> None:
    commands = shell_commands(README.read_text(encoding="utf-8"))
    assert set(NOT_RUNNABLE) <= set(commands) and set(EDITS) <= set(commands)
    assert "make build" in commands and "~/breachdocs-env/bin/breachdocs init acme-breaches" in commands


@pytest.mark.skipif(shutil.which("git") is None or shutil.which("make") is None, reason="needs git and make")
def test_every_readme_command_works_as_written_from_a_fresh_clone(tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / "secure").mkdir(parents=True)
    # the reader's recipient list, kept outside the repository as the README says
    (home / "secure" / "recipients.csv").write_text(
        "name,address1,address2,city,state,zip\nAda Lovelace,1 Main Street,,Raleigh,NC,27601\n"
        "Grace Hopper,2 Oak Avenue,Apt 3,Durham,NC,27701\n", encoding="utf-8")
    clone = clone_like_copy(tmp_path / "breachdocs")
    env = environment(home)
    cwd = clone
    outputs: dict[str, str] = {}
    for command in shell_commands(README.read_text(encoding="utf-8")):
        if command in NOT_RUNNABLE:
            continue
        where = tmp_path / "cwd"
        result = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", f'{command}\npwd > "{where}"'], cwd=cwd,
                                env=env, capture_output=True, text=True, timeout=900)
        assert result.returncode == 0, f"README command failed in {cwd}: {command}\n{result.stdout}\n{result.stderr}"
        outputs[command] = result.stdout + result.stderr
        cwd = Path(where.read_text().strip())
        if command in EDITS:
            EDITS[command](cwd)

    # what the prose says validate prints once the reader's copy is in place
    promised = re.search(r"Run `\.venv/bin/breachdocs validate`: it prints\s+`([^`]+)`", README.read_text(encoding="utf-8"))
    assert promised is not None
    said = subprocess.run([str(clone / ".venv" / "bin" / "breachdocs"), "validate"], cwd=clone, env=env,
                          capture_output=True, text=True)
    assert said.returncode == 0 and (said.stdout + said.stderr).strip() == promised.group(1), said.stdout + said.stderr

    # what the commands said
    assert (clone / "out" / "deadlines.ics").read_text().startswith("BEGIN:VCALENDAR")
    assert (clone / "site" / "index.html").is_file()  # make build
    assert len(list((home / "secure" / "letters").glob("**/*.pdf"))) >= 2
    assert "US-NC attorney-general: done" in outputs[
        ".venv/bin/breachdocs obligations 2007-08-10-massmutual-misdirected-email"]
    company = home / "acme-breaches"
    assert cwd == company
    assert "2 incident(s) valid" in outputs["~/breachdocs-env/bin/breachdocs validate"]
    assert "US-NC attorney-general" in outputs[
        "~/breachdocs-env/bin/breachdocs obligations 2025-03-02-misdirected-payroll-email"]
    page = (company / "site" / "incidents" / "2025-03-02-misdirected-payroll-email" / "index.html").read_text()
    assert "Payroll report emailed to the wrong supplier" in page
    assert (company / "out" / "public" / "filings" / "manifest.json").is_file()

    # and left the work trees clean: every output is in an ignored folder or outside them
    def status(repo: Path) -> list[str]:
        return subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=repo, env=env,
                              capture_output=True, text=True, check=True).stdout.splitlines()

    assert status(clone) == [f"?? {NEW_INCIDENT}"]  # the incident the reader added, and nothing else
    assert status(company) == []
    log = subprocess.run(["git", "log", "--format=%s"], cwd=company, capture_output=True, text=True).stdout
    assert log.splitlines() == ["Incident 2025-03-02: payroll report emailed to the wrong supplier",
                                "Start our breach compliance repository"]
