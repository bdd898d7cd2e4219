"""The per-incident cache of the project check: a change to anything a check depends on is checked again,
never answered from the cache; an entry that is torn, corrupt or another's is ignored; entries live only in
the user's cache folder."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from breachdocs import check_cache, project_check
from breachdocs.check_cache import CheckCache, shared_key
from breachdocs.cli import main
from breachdocs.hashing import user_cache_dir
from breachdocs.project import Project
from breachdocs.project_check import ProjectCheck, check_project

ROOT = Path(__file__).resolve().parent.parent
MASSMUTUAL = "2007-08-10-massmutual-misdirected-email"
BERLIN = "2026-11-23-northwind-berlin-clinic-misconfigured-storage"
TODAY = dt.date(2026, 11, 30)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return copied_project(tmp_path, monkeypatch)


def copied_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the repository's incidents, rule files and templates, with a cache folder of its own."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    root = tmp_path / "project"
    for folder in ("incidents", "jurisdictions", "templates"):
        shutil.copytree(ROOT / folder, root / folder)
    return root


class Counted:
    """How many incidents were checked afresh (their own checks, and the rest) during a call."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.loaded: list[str] = []
        self.judged: list[str] = []
        own, rest = project_check.check_incident, project_check._check

        def counted_own(incident: Any, **kwargs: Any) -> Any:
            self.loaded.append(incident.id)
            return own(incident, **kwargs)

        def counted_rest(project: Any, incident: Any, *args: Any) -> Any:
            self.judged.append(incident.id)
            return rest(project, incident, *args)

        monkeypatch.setattr(project_check, "check_incident", counted_own)
        monkeypatch.setattr(project_check, "_check", counted_rest)

    def reset(self) -> None:
        self.loaded.clear()
        self.judged.clear()


def outcome(result: ProjectCheck) -> tuple[list[str], list[str], dict[str, list[str]]]:
    """Everything a check answers, comparable: incidents, findings, each incident's obligations."""
    return ([i.id for i in result.incidents], [f"{f}|{f.severity}" for f in result.findings],
            {key: [repr(o) for o in found] for key, found in result.obligations.items()})


def run(root: Path, *, today: dt.date = TODAY, as_of: dt.date | None = None, use_cache: bool = True) -> ProjectCheck:
    return check_project(Project(root), today=today, as_of=as_of, use_cache=use_cache)


def entries(root: Path) -> list[Path]:
    return sorted((user_cache_dir(root) / "checks").rglob("*.json"))


def test_a_warm_check_answers_as_a_fresh_one_without_checking_again(project: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(ROOT / "tests" / "broken_incidents", project / "incidents", dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("README*", "*.md"))
    fresh = outcome(run(project, use_cache=False))
    assert entries(project) == []  # use_cache=False keeps nothing
    counted = Counted(monkeypatch)
    first = outcome(run(project))
    assert first == fresh and counted.loaded and counted.judged
    assert any("error" in f for f in fresh[1]) and sum(len(v) for v in fresh[2].values()) > 20
    counted.reset()
    again = outcome(run(project))
    assert again == fresh
    assert counted.loaded == [] and counted.judged == []  # every incident from the cache
    assert len(entries(project)) == len(counted_files(project))


def counted_files(root: Path) -> list[Path]:
    """Incident files that read as a mapping with a usable profile (those are kept; the others are cheap)."""
    from breachdocs.records import find_incident_files
    from breachdocs.records.incident import read_incident

    return [f for f in find_incident_files([root / "incidents"]) if read_incident(f, root=root)[0] is not None]


def _edit(path: str, old: str, new: str) -> Callable[[Path], None]:
    def change(root: Path) -> None:
        file = root / path
        text = file.read_text(encoding="utf-8")
        assert old in text, (path, old)
        file.write_text(text.replace(old, new, 1), encoding="utf-8")
    return change


def _notice_text_removed(root: Path) -> None:
    (root / "incidents" / "notice.txt").unlink()


#: Each input a check depends on, changed in a way that changes the answer.
CHANGES: dict[str, Callable[[Path], None]] = {
    "incident file": _edit(f"incidents/{MASSMUTUAL}.yaml", "total: 5135", "total: 100"),
    "organisation profile": _edit("incidents/_organization-massmutual.yaml", "  zip: \"01111\"", "  zip: 01111"),
    "notice text": _notice_text_removed,
    "rule file": _edit("jurisdictions/us-nc.yaml", "title: Notice to affected North Carolina residents",
                       "title: Notice to the affected residents of North Carolina"),
    "submission file": _edit("jurisdictions/submissions/eu-gdpr-supervisory-authority.yaml",
                             "    required: false\n    answer: gdpr.delay_reason",
                             "    required: true\n    answer: gdpr.delay_reason"),
    "letter template": _edit("templates/letters/default.j2", 'provides="credit_bureaus"', 'provides="x_none"'),
    "form field map": _edit("templates/forms/us-nc-ago-breach/fields.yaml", "  date_submitted:\n    value: filing.submitted\n",
                            "  date_submitted:\n    value: notice.delay_reason\n    required: true\n"),
}


def _with_notice_text(root: Path) -> None:
    (root / "incidents" / "notice.txt").write_text("We are writing to tell you about a breach.\n", encoding="utf-8")
    _edit(f"incidents/{MASSMUTUAL}.yaml", "notice:\n", "notice:\n  notice_text: notice.txt\n")(root)


@pytest.mark.parametrize("name", list(CHANGES))
def test_a_changed_input_is_checked_again(project: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    _with_notice_text(project)
    before = outcome(run(project))
    counted = Counted(monkeypatch)
    assert outcome(run(project)) == before and counted.judged == []  # warm
    CHANGES[name](project)
    counted.reset()
    after = outcome(run(project))
    assert after == outcome(run(project, use_cache=False))  # what a fresh check says
    assert after != before  # so an answer from the cache would have been wrong
    assert counted.loaded or counted.judged


@pytest.mark.parametrize("change", ["today", "as_of"])
def test_another_day_is_checked_again(project: Path, monkeypatch: pytest.MonkeyPatch, change: str) -> None:
    """A date may not be later than the day checked against; a duty is due or overdue on the day judged."""
    days = {"today": dict(today=dt.date(2026, 11, 22)), "as_of": dict(as_of=dt.date(2026, 11, 25))}[change]
    before = outcome(run(project))
    counted = Counted(monkeypatch)
    after = outcome(run(project, **days))  # type: ignore[arg-type]
    assert after == outcome(run(project, use_cache=False, **days))  # type: ignore[arg-type]
    assert after != before and BERLIN in counted.loaded + counted.judged
    counted.reset()
    assert outcome(run(project)) == before and counted.judged == []  # each day keeps its own entries


@pytest.mark.parametrize("what", ["code", "libraries"])
def test_other_code_or_libraries_check_again(project: Path, monkeypatch: pytest.MonkeyPatch, what: str) -> None:
    before = outcome(run(project))
    if what == "code":
        monkeypatch.setattr(check_cache, "code_token", lambda *parts: "another version of breachdocs")
    else:
        monkeypatch.setattr(check_cache, "_versions", lambda: {"jsonschema": "99.0"})
    counted = Counted(monkeypatch)
    assert outcome(run(project)) == before
    assert len(counted.judged) == len(before[0])  # every incident checked again


def test_the_shared_key_covers_every_rule_submission_and_template_folder(project: Path) -> None:
    base = shared_key(Project(project), today="2026-11-30", as_of="2026-11-30")
    for path in ("jurisdictions/us-zz-new.yaml", "jurisdictions/submissions/extra.yaml", "templates/site/extra.j2",
                 "templates/forms/us-nc-ago-breach/other.pdf"):
        (project / path).write_text("x", encoding="utf-8")
        key = shared_key(Project(project), today="2026-11-30", as_of="2026-11-30")
        assert key != base, path
        base = key
    link = project / "templates" / "letters" / "linked.j2"
    link.symlink_to(project / "templates" / "letters" / "default.j2")
    linked = shared_key(Project(project), today="2026-11-30", as_of="2026-11-30")
    assert linked != base
    (project / "templates" / "letters" / "default.j2").write_text("{# changed #}", encoding="utf-8")
    assert shared_key(Project(project), today="2026-11-30", as_of="2026-11-30") != linked  # what a link leads to


def test_a_link_leading_out_of_the_project_is_never_read_for_the_key(project: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside-secret.txt"
    outside.write_text("secret one", encoding="utf-8")
    (project / "jurisdictions" / "leak.yaml").symlink_to(outside)
    before = shared_key(Project(project), today="2026-11-30", as_of="2026-11-30")
    outside.write_text("secret two, of another length", encoding="utf-8")
    assert shared_key(Project(project), today="2026-11-30", as_of="2026-11-30") == before  # its bytes not read
    findings = run(project).findings
    assert any(str(f.path).endswith("leak.yaml") and f.severity == "error" for f in findings)  # refused itself


def read_entry(entry: Path) -> tuple[dict[str, Any], Any]:
    """An entry's head (form, key, digest) and body."""
    head, _, body = entry.read_bytes().partition(b"\n")
    return json.loads(head), json.loads(body)


def _corrupt(entry: Path, how: str, other: Path) -> None:
    head, body = read_entry(entry)
    if how == "torn":
        entry.write_bytes(entry.read_bytes()[: entry.stat().st_size // 2])
    elif how == "not json":
        entry.write_bytes(b"\x00\xff garbage")
    elif how == "another key":  # a valid entry of another incident, under this one's name
        entry.write_bytes(other.read_bytes())
    elif how == "body changed":  # a finding removed, the digest left
        body["law"] = []
        body["obligations"] = body["obligations"][:1]
        entry.write_bytes(json.dumps(head).encode() + b"\n" + json.dumps(body).encode())
    elif how == "other format":
        entry.write_bytes(check_cache.entry_bytes("breachdocs-check/1", head["key"], body))
    elif how == "wrong types":  # consistent digest, but not findings
        body["law"] = [["path", "one", 2, "field", "message", "error"]]
        entry.write_bytes(check_cache.entry_bytes(head["format"], head["key"], body))


@pytest.mark.parametrize("how", ["torn", "not json", "another key", "body changed", "other format", "wrong types"])
def test_a_corrupt_or_foreign_entry_is_ignored(project: Path, monkeypatch: pytest.MonkeyPatch, how: str) -> None:
    fresh = outcome(run(project, use_cache=False))
    run(project)
    kept = entries(project)
    cache = CheckCache.of(Project(project), today=TODAY.isoformat(), as_of=TODAY.isoformat())
    from breachdocs.records.incident import read_incident
    incident = read_incident(project / "incidents" / f"{MASSMUTUAL}.yaml", display=f"incidents/{MASSMUTUAL}.yaml",
                             root=project)[0]
    assert incident is not None
    key = cache.key(incident, project)
    entry = next(e for e in kept if e.stem == key)
    _corrupt(entry, how, next(e for e in kept if e != entry))
    assert cache.get(key, MASSMUTUAL) is None
    counted = Counted(monkeypatch)
    assert outcome(run(project)) == fresh
    assert counted.judged == [MASSMUTUAL]  # checked again, and kept again
    assert cache.get(key, MASSMUTUAL) is not None


def test_entries_live_only_in_the_users_cache_folder(project: Path) -> None:
    before = sorted(p.relative_to(project) for p in project.rglob("*"))
    result = run(project)
    assert sorted(p.relative_to(project) for p in project.rglob("*")) == before  # nothing written in the project
    kept = entries(project)
    assert kept and all(e.stat().st_mode & 0o777 == 0o600 for e in kept)
    assert not [p for p in (user_cache_dir(project) / "checks").rglob("*") if p.name.endswith(".tmp")]
    # an entry planted in the project (a clone brings it) is never read, even one that is well formed
    cache = CheckCache.of(Project(project), today=TODAY.isoformat(), as_of=TODAY.isoformat())
    planted = project / ".cache" / "breachdocs" / "checks"
    for entry in kept:
        head, body = read_entry(entry)
        body["load"] = [[f"incidents/{MASSMUTUAL}.yaml", 1, 1, "", "planted", "error"]]
        (planted / entry.parent.name).mkdir(parents=True, exist_ok=True)
        (planted / entry.parent.name / entry.name).write_bytes(check_cache.entry_bytes(head["format"], head["key"], body))
    assert cache.folder is not None and project not in cache.folder.parents
    assert outcome(run(project)) == outcome(result)


def test_a_cache_that_cannot_be_written_only_means_checking_again(project: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    folder = user_cache_dir(project)
    folder.parent.mkdir(parents=True)
    folder.write_text("not a folder", encoding="utf-8")  # where the cache would go
    fresh = outcome(run(project, use_cache=False))
    assert outcome(run(project)) == fresh
    counted = Counted(monkeypatch)
    assert outcome(run(project)) == fresh and counted.judged  # nothing kept: checked again


def test_validate_and_the_site_share_the_entries(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = CliRunner().invoke(main, ["--root", str(project), "validate"])
    assert result.exit_code == 0, result.output
    kept = entries(project)
    assert len(kept) == len(counted_files(project))
    from breachdocs.site.inputs import SiteSources, collect

    counted = Counted(monkeypatch)
    inputs, findings = collect(SiteSources.of(Project(project)), today=dt.date.today())
    assert counted.loaded == [] and counted.judged == []  # the site's check came from validate's entries
    assert len(inputs.incidents) == len(kept) and not [f for f in findings if f.is_error]
    assert entries(project) == kept


def test_entries_unused_for_a_day_and_a_half_are_removed(project: Path) -> None:
    """A build on a new day keys every entry anew: yesterday's folder of entries goes once unused long enough;
    a folder in use, or one breachdocs did not make, stays."""
    checks = user_cache_dir(project) / "checks"
    run(project, today=dt.date(2026, 11, 29))
    (yesterday,) = [d for d in checks.iterdir()]
    run(project)
    (today,) = [d for d in checks.iterdir() if d != yesterday]
    mine = checks / "notes"
    mine.mkdir()
    old = dt.datetime(2026, 11, 28, tzinfo=dt.UTC).timestamp()
    for folder in (yesterday, today, mine):
        os.utime(folder, (old, old))
    run(project)
    assert sorted(checks.iterdir()) == sorted([today, mine])  # today's marked used, yesterday's gone
    assert today.stat().st_mtime > old and len(list(today.glob("*.json"))) == len(counted_files(project))
    run(project, today=dt.date(2026, 11, 29))  # checked again: nothing is lost but time
    assert len(list(checks.iterdir())) == 3
