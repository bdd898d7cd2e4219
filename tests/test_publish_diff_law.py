"""`breachdocs diff` with the law engine: the obligations and deadlines of a changed incident."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from publish_support import MASSMUTUAL, ROOT, FakeForms, edit, git, make_project

from breachdocs.publish.diff import diff_revisions, to_markdown


def test_a_new_state_brings_its_obligations(tmp_path: Path) -> None:
    project = make_project(tmp_path / "repo")
    edit(project.incidents_dir / f"{MASSMUTUAL}.yaml", "    US-NC: 195", "    US-NC: 195\n    US-VA: 12")
    shutil.copy(ROOT / "jurisdictions" / "us-va.yaml", project.jurisdictions_dir / "us-va.yaml")
    git(project.root, "add", "-A")
    git(project.root, "commit", "-qm", "Twelve Virginia residents too")

    found = diff_revisions(project.root, "HEAD~1", "HEAD", renderer=FakeForms(), as_of=dt.date(2026, 11, 24))
    (incident,) = found.changed
    assert [(c.field, c.base, c.head) for c in incident.fields] == [("affected.residents.US-VA", None, 12)]
    changes = {o["key"]: o["change"] for o in incident.obligations}
    assert changes["US-VA consumers"] == "new"
    assert all(key.startswith("US-VA ") for key in changes)  # North Carolina's duties did not change
    assert "US-NC consumers" in incident.duties and incident.duties["US-NC consumers"]["status"] == "done"
    markdown = to_markdown(found)
    assert "**Obligations and deadlines**" in markdown
    assert "| US-NC consumers (Notice to affected North Carolina residents) | without unreasonable delay | `done` | — |" \
        in markdown
    assert "| US-VA consumers (Notice to affected Virginia residents) |" in markdown


def test_a_later_notice_changes_the_obligation(tmp_path: Path) -> None:
    project = make_project(tmp_path / "repo")
    edit(project.incidents_dir / f"{MASSMUTUAL}.yaml", 'consumers_notified: "2007-10-16"',
         'consumers_notified: "2007-12-16"')
    git(project.root, "commit", "-qam", "The notice went out later")
    found = diff_revisions(project.root, "HEAD~1", "HEAD", renderer=FakeForms(), as_of=dt.date(2026, 11, 24))
    (incident,) = found.changed
    (change,) = [o for o in incident.obligations if o["key"] == "US-NC consumers"]
    assert change["change"] == "changed"
    assert "2007-10-16" in change["base"]["reason"] and "2007-12-16" in change["head"]["reason"]
