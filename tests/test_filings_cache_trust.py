"""The filings cache: every input of a filed document is in its key, and a committed cache is never trusted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from publish_support import MASSMUTUAL, FakeForms, edit, git, make_project

from breachdocs.filings import binding
from breachdocs.filings.cache import default_cache_dir, render_incident
from breachdocs.hashing import sha256_bytes
from breachdocs.project import Project
from breachdocs.project_check import check


@pytest.fixture(autouse=True)
def _user_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    return tmp_path / "user-cache"


def test_editing_only_the_notice_text_while_the_cache_is_warm_is_a_finding(tmp_path: Path) -> None:
    """The real forms engine: the packet carries the notice text, so the file it comes from is an input."""
    project = make_project(tmp_path / "repo")
    file = project.incidents_dir / f"{MASSMUTUAL}.yaml"
    edit(file, "  methods: [written]\n", "  methods: [written]\n  notice_text: notice.txt\n")
    notice = project.incidents_dir / "notice.txt"
    notice.write_text("Dear plan participant, a file with your name and SSN was emailed to another client.\n")
    incidents, _ = check(project)
    packet = next(d for d in render_incident(project, incidents[0]) if d.variant == "packet")  # warms the cache
    edit(file, "    kind: initial\n", f"    kind: initial\n    sha256: {sha256_bytes(packet.data)}\n")
    git(project.root, "add", "-A")
    git(project.root, "commit", "-qm", "Record the packet as sent")
    assert check(project)[1] == []  # the cache is warm now

    notice.write_text("Dear plan participant, nothing to worry about.\n")
    found = [str(f) for f in check(project)[1]]
    assert len(found) == 1 and "filings[0].sha256: filing 1 (initial: form us-nc-ago-breach" in found[0]
    assert f"the document sent has SHA-256 {sha256_bytes(packet.data)[:12]}" in found[0]


def test_a_cache_committed_into_the_repository_is_not_trusted_by_a_fresh_clone(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, _user_cache: Path) -> None:
    """Someone changes a fact and commits a cache entry that holds the old document under the new inputs' key:
    a fresh clone renders afresh (in the user's cache folder) and finds the change."""
    renderer = FakeForms()
    monkeypatch.setattr(binding, "FormsRenderer", lambda: renderer)
    project = make_project(tmp_path / "repo")
    incidents, _ = check(project)
    old = {d.variant: d for d in render_incident(project, incidents[0], renderer)}
    file = project.incidents_dir / f"{MASSMUTUAL}.yaml"
    edit(file, "    kind: initial\n", f"    kind: initial\n    sha256: {sha256_bytes(old['flat'].data)}\n")
    git(project.root, "commit", "-qam", "Record the filing")

    edit(file, "  total: 5135", "  total: 9999")
    incidents, _ = check(project)  # renders the changed incident into the cache ...
    cache = project.root / ".cache" / "breachdocs" / "filings"
    assert default_cache_dir(project) == cache  # (ignored by Git: the folder is this machine's own)
    for index in cache.glob("*/index.json"):  # ... which is then forged: the old document under the new key
        entry = json.loads(index.read_text())
        for doc in entry["documents"]:
            (index.parent / doc["file"]).write_bytes(old[doc["variant"]].data)
            doc["sha256"] = sha256_bytes(old[doc["variant"]].data)
        index.write_text(json.dumps(entry))
    assert check(project)[1] == []  # the forged entry fools this machine (its own cache folder) ...
    git(project.root, "add", "-A")
    git(project.root, "add", "-f", ".cache")  # committed in spite of .gitignore
    git(project.root, "commit", "-qm", "Correct the total")
    assert default_cache_dir(project).is_relative_to(_user_cache)  # from now on not even this machine trusts it

    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(project.root), str(clone))
    fresh = Project(clone)
    assert (clone / ".cache" / "breachdocs" / "filings").is_dir()
    assert default_cache_dir(fresh).is_relative_to(_user_cache)  # ... but a clone never trusts a committed cache
    found = [str(f) for f in check(fresh)[1]]
    assert len(found) == 1 and "is binding" in found[0] and "affected.total: 5135 -> 9999" in found[0]


def test_a_cache_folder_git_does_not_ignore_is_not_used(tmp_path: Path, _user_cache: Path) -> None:
    project = make_project(tmp_path / "repo")
    assert default_cache_dir(project) == project.root / ".cache" / "breachdocs" / "filings"
    (project.root / ".gitignore").write_text("")
    assert default_cache_dir(project).is_relative_to(_user_cache)
    assert default_cache_dir(make_project(tmp_path / "plain", git_init=False)).is_relative_to(tmp_path / "plain")
