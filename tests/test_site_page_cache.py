"""Each incident's page kept between builds: the pages built with the cache cold, warm and after each input
changed in turn are those a build without the cache makes; a changed input never shows a stale page; an entry
that is torn, corrupt or another's is ignored; entries live only in the user's cache folder."""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from site_fixtures import site_project
from test_check_cache import CHANGES, MASSMUTUAL, _edit, _with_notice_text, copied_project, read_entry

from breachdocs.check_cache import entry_bytes
from breachdocs.hashing import user_cache_dir
from breachdocs.project import Project
from breachdocs.site import page_cache, pages, stages
from breachdocs.site.build import build_site
from breachdocs.site.inputs import SiteSources, collect
from breachdocs.site.page_cache import PageCache
from breachdocs.site.pages import build_pages, incident_uri

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 30)
Pages = dict[str, tuple[str, tuple[str, ...], bool]]


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "Dana Reviewer", "GIT_AUTHOR_EMAIL": "dana@example.com",
                        "GIT_COMMITTER_NAME": "Dana Reviewer", "GIT_COMMITTER_EMAIL": "dana@example.com",
                        "GIT_AUTHOR_DATE": "2026-11-29T10:00:00Z", "GIT_COMMITTER_DATE": "2026-11-29T10:00:00Z"})


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the repository's incidents, rule files and templates in Git, with a cache folder of its own."""
    root = copied_project(tmp_path, monkeypatch)
    _with_notice_text(root)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Add the incidents")
    return root


class Made:
    """What was made afresh (not taken from the cache) during a call: incident pages, jurisdiction pages, index
    pages, letters and worksheets as shown."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.ids: list[str] = []
        self.places: list[str] = []
        self.index: list[str] = []
        self.letters: list[str] = []
        self.worksheets: list[str] = []
        count = functools.partial(_count, monkeypatch)
        count(pages, "render_incident", self.ids, lambda env, incident, *rest: incident.id)
        count(pages, "render_jurisdiction", self.places, lambda env, place, *rest: place.code)
        for name in ("render_home", "render_incidents", "render_jurisdictions", "render_deadlines"):
            count(pages, name, self.index, lambda *args, name=name: name)
        count(stages.Letters, "_letter", self.letters, lambda letters, incident: incident.id)
        count(stages.WorksheetInputs, "_inputs", self.worksheets, lambda worksheets, incident: incident.id)


def _count(monkeypatch: pytest.MonkeyPatch, owner: Any, name: str, into: list[str], which: Callable[..., str]) -> None:
    """``owner.name`` noting ``which(*its arguments)`` in ``into`` at each call."""
    original = getattr(owner, name)

    def counted(*args: Any, **values: Any) -> Any:
        into.append(which(*args))
        return original(*args, **values)

    monkeypatch.setattr(owner, name, counted)


def built(root: Path, *, kept: bool = True, today: dt.date = TODAY, use_directory_urls: bool = True,
          filings: str | None = "filings") -> Pages:
    """Every generated page (Markdown, HTML blocks, in the nav) by path, as a site build makes them, with the
    page cache or without it."""
    sources = SiteSources(root, root / "incidents", root / "jurisdictions", root / "templates", filings=filings,
                          use_directory_urls=use_directory_urls)
    inputs, findings = collect(sources, today=today)
    assert not [f for f in findings if f.severity == "error"], findings
    cache = (PageCache.of(Project(root), sources.templates, today=today, use_directory_urls=use_directory_urls,
                          filings=filings) if kept else None)
    return {p.uri: (p.markdown, p.blocks, p.in_nav) for p in build_pages(inputs, sources.templates, cache)}


def entries(root: Path) -> list[Path]:
    return sorted((user_cache_dir(root) / "pages").rglob("*.json"))


def test_a_warm_build_makes_the_pages_a_build_without_the_cache_makes(project: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    fresh = built(project, kept=False)
    assert entries(project) == []
    made = Made(monkeypatch)
    assert built(project) == fresh  # cold
    places = [uri for uri in fresh if uri.startswith("jurisdictions/") and uri != "jurisdictions/index.md"]
    assert len(made.ids) == 6 and len(made.places) == len(places) > 50
    assert len(entries(project)) == 6 + len(places) + 4  # and the four index pages
    assert sorted(made.letters) == sorted(made.ids) == sorted(made.worksheets)
    made.ids.clear()
    made.letters.clear()
    made.places.clear()
    made.worksheets.clear()
    assert len(made.index) == 4
    made.index.clear()
    assert built(project) == fresh  # warm
    assert made.ids == [] and made.places == [] and made.index == []  # every page from the cache
    assert made.letters == [] and made.worksheets == []  # and no letter or worksheets shown made
    markdown = fresh[incident_uri(MASSMUTUAL)][0]
    assert "MassMutual" in markdown


def _amend(root: Path) -> None:
    """The incident's commit reworded: its Git history and approval change, its file does not."""
    git(root, "commit", "-q", "--amend", "-m", "Add the incidents\n\nApproved-by: Dennis J. Miles <dmiles@example.com>")


def _site_template(name: str, old: str, new: str) -> Callable[[Path], None]:
    return _edit(f"templates/site/{name}", old, new)


#: Each input an incident page is made of, changed in a way that changes a page.
PAGE_CHANGES: dict[str, Callable[[Path], None]] = {
    **{name: CHANGES[name] for name in ("rule file", "submission file")},
    "letter template": _edit("templates/letters/default.j2", '{% call section("letterhead") %}\n',
                             '{% call section("letterhead") %}\n<line>Private and confidential</line>\n'),
    "notice text": lambda root: (root / "incidents" / "notice.txt").write_text("Another notice.\n", encoding="utf-8"),
    "incident file": _edit(f"incidents/{MASSMUTUAL}.yaml", "total: 5135", "total: 5200"),
    "organisation profile": _edit("incidents/_organization-massmutual.yaml", "  street: 1295 State Street",
                                  "  street: 1295 State St."),
    "incident template": _site_template("incident.md.j2", "## What happened", "## What went on"),
    "macros template": _site_template("_macros.md.j2", "</table>", "</table>\n<!-- macros -->"),
    "worksheets template": _site_template("_worksheets.md.j2", "</", "<!-- worksheets --></"),
    "site template added": lambda root: (root / "templates" / "site" / "_extra.md.j2").write_text("x", encoding="utf-8"),
    "Git history": _amend,
    "incident added": lambda root: (root / "incidents" / "2007-08-10-massmutual-second-incident.yaml").write_text(
        (root / "incidents" / f"{MASSMUTUAL}.yaml").read_text(encoding="utf-8").replace(
            f"id: {MASSMUTUAL}", "id: 2007-08-10-massmutual-second-incident"), encoding="utf-8"),
    "incident removed": lambda root: (root / "incidents" / f"{MASSMUTUAL}.yaml").unlink(),
    "jurisdiction template": _site_template("jurisdiction.md.j2", "## The law in brief", "## The law, briefly"),
}


@pytest.mark.parametrize("name", list(PAGE_CHANGES))
def test_a_changed_input_makes_the_page_again(project: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    before = built(project)
    made = Made(monkeypatch)
    assert built(project) == before and made.ids == []  # warm
    PAGE_CHANGES[name](project)
    after = built(project)
    assert after == built(project, kept=False)  # what a build without the cache makes
    if name not in ("site template added", "notice text"):  # (read by no page: made again, the same)
        assert after != before  # so a page from the cache would have been stale
    assert made.ids


@pytest.mark.parametrize("option", ["today", "use_directory_urls", "filings"])
def test_another_day_or_site_option_makes_the_pages_again(project: Path, monkeypatch: pytest.MonkeyPatch,
                                                          option: str) -> None:
    """The pages carry the day ("as of", each duty's state) and the URLs and links the options shape."""
    changed: dict[str, Any] = {"today": {"today": dt.date(2026, 12, 9)}, "use_directory_urls": {"use_directory_urls": False},
                               "filings": {"filings": None}}[option]
    before = built(project)
    made = Made(monkeypatch)
    after = built(project, **changed)
    assert after != before and len(made.ids) == 6
    assert after == built(project, kept=False, **changed)
    made.ids.clear()
    assert built(project) == before and made.ids == []  # each keeps its own entries


def test_signed_copies_linked_make_the_pages_again(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Approved filings link their signed copies once signing is set up (read from the environment)."""
    git(project, "commit", "-q", "--amend", "-m", "Add the incidents\n\nApproved-by: Dennis J. Miles <dmiles@example.com>")
    built(project)  # the pages kept before signing is set up
    monkeypatch.setenv("BREACHDOCS_SIGN_KEY", str(project / "key.pem"))
    monkeypatch.setenv("BREACHDOCS_SIGN_CERT", str(project / "cert.pem"))
    after = built(project)
    assert after == built(project, kept=False)


@pytest.mark.parametrize("what", ["code", "check"])
def test_other_code_makes_the_pages_again(project: Path, monkeypatch: pytest.MonkeyPatch, what: str) -> None:
    before = built(project)
    from breachdocs import check_cache

    monkeypatch.setattr(page_cache if what == "code" else check_cache, "code_token",
                        lambda *parts: "another version of breachdocs")
    made = Made(monkeypatch)
    assert built(project) == before
    assert len(made.ids) == 6


@pytest.mark.parametrize("how", ["torn", "not json", "another key", "body changed", "other format", "other page",
                                 "wrong types"])
def test_a_corrupt_or_foreign_entry_is_ignored(project: Path, monkeypatch: pytest.MonkeyPatch, how: str) -> None:
    before = built(project)
    for entry in entries(project):
        head, body = read_entry(entry)
        if how == "torn":
            entry.write_bytes(entry.read_bytes()[:100])
        elif how == "not json":
            entry.write_bytes(b"no")
        elif how == "another key":
            entry.write_bytes(entry_bytes(head["format"], "0" * 64, body))
        elif how == "body changed":  # the digest left
            body["markdown"] = "# Stale\n"
            entry.write_bytes(json.dumps(head).encode() + b"\n" + json.dumps(body).encode())
        elif how == "other format":
            entry.write_bytes(entry_bytes("breachdocs-page/0", head["key"], body))
        else:  # consistent digests, but not this page, or not a page
            if how == "other page":
                body["uri"] = "incidents/another.md"
            else:
                body["blocks"] = [1, 2]
            entry.write_bytes(entry_bytes(head["format"], head["key"], body))
    made = Made(monkeypatch)
    assert built(project) == before
    assert len(made.ids) == 6


def test_entries_live_only_in_the_users_cache_folder_owner_only(project: Path) -> None:
    built(project)
    found = entries(project)
    assert len(found) > 6
    assert all(oct(f.stat().st_mode & 0o777) == "0o600" for f in found)
    assert not any(p.name.endswith(".json") for p in (project / "incidents").rglob("*"))
    assert all(user_cache_dir(project) in f.parents for f in found)


def test_a_page_of_values_without_a_plain_form_is_made_not_kept(project: Path) -> None:
    cache = PageCache.of(Project(project), project / "templates", today=TODAY, use_directory_urls=True,
                         filings="filings")
    assert cache.key("abc", "incidents/x.md", {"letter": object()}) is None
    assert cache.key("", "incidents/x.md", {}) is None  # no check key: not kept
    first = cache.key("abc", "incidents/x.md", {"due": dt.date(2026, 1, 2), "codes": {"US-NC", "US-SC"}})
    assert first == cache.key("abc", "incidents/x.md", {"codes": {"US-SC", "US-NC"}, "due": dt.date(2026, 1, 2)})
    assert first != cache.key("abc", "incidents/x.md", {"due": "2026-01-02", "codes": {"US-NC", "US-SC"}})


def test_old_folders_are_removed(project: Path) -> None:
    built(project)
    old = user_cache_dir(project) / "pages" / ("0" * 20)
    old.mkdir()
    os.utime(old, (0, 0))
    built(project)
    assert not old.exists()


def test_the_site_built_cold_and_warm_is_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Through MkDocs: every file of the site built with the page cache warm equals the first build's."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    (tmp_path / "project").mkdir()
    root = site_project(tmp_path / "project")
    config = root / "mkdocs.yml"
    first = build_site(config, site_dir=tmp_path / "cold", theme_overrides={"font": False})
    places = [p for p in (first / "jurisdictions").iterdir() if p.is_dir()]
    assert len(entries(root)) == len(list((root / "incidents").glob("2*.yaml"))) + len(places) + 4
    made = Made(monkeypatch)
    second = build_site(config, site_dir=tmp_path / "warm", theme_overrides={"font": False})
    assert made.ids == [] and made.places == []

    def files(folder: Path) -> dict[str, bytes]:
        return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
                if p.is_file() and p.name != "sitemap.xml.gz"}

    assert files(first) == files(second)
    assert "MassMutual" in (second / "incidents" / MASSMUTUAL / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("given", ["inside the docs folder", "relative", "empty"])
def test_a_cache_home_inside_the_project_or_relative_is_not_used_and_nothing_of_it_is_published(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, given: str) -> None:
    """``XDG_CACHE_HOME`` leading into the pages' own folder (where MkDocs would publish the entries), relative
    (the XDG specification calls it invalid: here the same folder, from the project), or empty: the caches go to
    ``~/.cache``, the site holds none of them and the project's folders stay as they were."""
    home = tmp_path / "home"
    monkeypatch.setenv("HOME", str(home))
    (tmp_path / "project").mkdir()
    root = site_project(tmp_path / "project")
    monkeypatch.chdir(root)
    value = {"inside the docs folder": str(root / "site_src" / "cache"), "relative": "site_src/cache", "empty": ""}
    monkeypatch.setenv("XDG_CACHE_HOME", value[given])
    before = sorted(p.relative_to(root).as_posix() for p in root.rglob("*"))
    assert user_cache_dir(root) == home.resolve() / ".cache" / "breachdocs" / user_cache_dir(root).name
    site = build_site(root / "mkdocs.yml", site_dir=tmp_path / "site", theme_overrides={"font": False})
    assert sorted(p.relative_to(root).as_posix() for p in root.rglob("*")) == before
    assert not [p for p in site.rglob("*") if "breachdocs" in p.parts or p.parent.name == "checks"]
    assert len(entries(root)) > 6 and all(home in p.parents for p in entries(root))


@pytest.mark.parametrize("where", ["the cache folder", "the folder of entries", "an entry", "a pipe"])
def test_a_link_in_the_cache_is_never_followed(project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               where: str) -> None:
    """A link put in the user's cache folder (to a folder or a file elsewhere): the build makes every page as
    without the cache, writes nothing through the link and reads nothing from it; what it leads to stays as it
    was. A pipe named like an entry is passed over, not waited on."""
    fresh = built(project, kept=False)
    built(project)
    pages_folder = user_cache_dir(project) / "pages"
    [folder] = [p for p in pages_folder.iterdir() if p.is_dir()]
    victim = tmp_path / "elsewhere"
    victim.mkdir()
    (victim / "keep.txt").write_text("not the cache's", encoding="utf-8")
    if where == "a pipe":  # named like an entry: read, it would wait for a writer for ever
        entry = sorted(folder.glob("*.json"))[0]
        entry.unlink()
        os.mkfifo(entry)
    elif where == "an entry":
        entry = next(e for e in sorted(folder.glob("*.json")) if MASSMUTUAL.encode() in e.read_bytes())
        head_line, _, text = entry.read_bytes().partition(b"\n")
        head = json.loads(head_line)
        forged = json.loads(text.replace(b"MassMutual", b"Forged"))
        (victim / entry.name).write_bytes(entry_bytes(head["format"], head["key"], forged))  # whole, and forged
        entry.unlink()
        entry.symlink_to(victim / entry.name)
    else:
        moved = pages_folder if where == "the cache folder" else folder
        for child in sorted(moved.iterdir()):
            child.rename(victim / child.name)
        moved.rmdir()
        moved.symlink_to(victim, target_is_directory=True)
    kept = sorted((p.relative_to(victim).as_posix(), p.read_bytes()) for p in victim.rglob("*") if p.is_file())
    made = Made(monkeypatch)
    assert built(project) == fresh
    assert sorted((p.relative_to(victim).as_posix(), p.read_bytes()) for p in victim.rglob("*")
                  if p.is_file()) == kept
    if where.startswith("the"):
        assert len(made.ids) == 6  # nothing read through the link: every incident page made again
