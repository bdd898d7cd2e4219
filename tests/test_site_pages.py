"""The page builders of the compliance site, without MkDocs: text in the rendered page, and user text kept as text."""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import subprocess
from pathlib import Path

import markdown
import pytest
from site_fixtures import HOSTILE, ROOT, example_data, hostile_incident, site_project, write_incident

from breachdocs.law import Obligation, load_jurisdictions
from breachdocs.project import Project
from breachdocs.project_check import check
from breachdocs.site.history import file_histories
from breachdocs.site.inputs import SiteSources, collect
from breachdocs.site.pages import (
    SiteInputs,
    build_pages,
    environment,
    page_url,
    render_deadlines,
    render_home,
    render_incident,
    render_jurisdiction,
)
from breachdocs.site.text import md_text

MASSMUTUAL = "2007-08-10-massmutual-misdirected-email"
TODAY = dt.date(2026, 11, 24)


def duty(title: str, *, due: dt.date | None = None, target: dt.date | None = None, status: str = "due",
         recipient: str = "", reason: str = "", deadline: str = "") -> Obligation:
    """An obligation of the MassMutual incident in North Carolina, as the law engine returns one."""
    return Obligation(
        incident=MASSMUTUAL, jurisdiction="US-NC", jurisdiction_name="North Carolina", duty=title.lower(),
        title=title, recipient={"name": recipient} if recipient else {}, triggered=True,
        reasons=tuple(reason.split("; ")) if reason else (), deadline=deadline, due=due, target=target, form=None,
        required_fields=(), status=status, done=None, late_days=None, filings=(), citation="",
        effective_from=dt.date(2005, 12, 1), effective_to=None, in_force=True, verified=True, source="")


def to_html(text: str) -> str:
    """The Markdown as MkDocs renders it with the extensions of mkdocs.yml."""
    return markdown.markdown(text, extensions=["tables", "attr_list", "md_in_html", "pymdownx.superfences"])


@pytest.fixture(scope="module")
def env():  # type: ignore[no-untyped-def]
    return environment(ROOT / "templates")


@pytest.fixture(scope="module")
def massmutual():  # type: ignore[no-untyped-def]
    incidents, findings = check(Project(ROOT), [ROOT / "incidents" / f"{MASSMUTUAL}.yaml"])
    assert not findings
    return incidents[0]


def test_incident_page_shows_the_facts(env, massmutual) -> None:  # type: ignore[no-untyped-def]
    page = render_incident(env, massmutual, today=TODAY)
    text = html.unescape(to_html(page))
    assert "<h1>Participant file emailed to the wrong client</h1>" in text
    assert "5,135" in text and ">195<" in text
    assert "MassMutual Life Insurance Company" in text
    assert "| Discovered | 2007-08-10 |" in page
    assert "2007-08-10 : Breach started : Breach ended : Discovered : Contained" in page  # Mermaid timeline
    assert "2007-10-16 : Consumers notified" in page
    assert '<a href="../jurisdictions/us-nc.md">US-NC</a> (North Carolina)' in text
    assert 'width="320"' in page  # the one bar of the chart spans the chart
    assert "No letter for this incident yet." in page


def test_incident_page_shows_duties_filings_letter_and_history(env, massmutual) -> None:  # type: ignore[no-untyped-def]
    duties = [
        duty("Notify the Attorney General", recipient="attorney-general", due=dt.date(2007, 10, 20), status="done",
             reason="195 NC residents affected; 1 or more"),
        duty("Notify consumers", recipient="consumers", deadline="without unreasonable delay",
             target=dt.date(2007, 9, 9), reason="195 US-NC residents >= 1"),
    ]
    filings = [{"incident": MASSMUTUAL, "jurisdiction": "US-NC", "recipient": "attorney-general",
                "form": "us-nc-ago-breach", "submitted": "2007-10-17",
                "files": [{"label": "filled", "path": f"filings/{MASSMUTUAL}/us-nc-ago-breach.pdf"},
                          {"label": "flattened", "path": f"filings/{MASSMUTUAL}/us-nc-ago-breach.flat.pdf"}]}]
    letter = ("<NAME>\n<ADDRESS>\nCITY, STATE ZIP\n\nDear <NAME>:\n\n"
              "On August 10th, 2007 your personal information was included in a file.\n")
    history = [{"commit": "abc1234", "author": "Legal Reviewer", "date": "2007-10-15", "subject": "Add counts"}]
    page = render_incident(env, massmutual, today=TODAY, duties=duties, filings=filings, letter=letter,
                           history=history)
    text = html.unescape(to_html(page))
    assert "<td>Notify the Attorney General<br><small>to attorney-general</small></td>" in text
    assert "<small>195 US-NC residents >= 1</small>" in text
    assert "<small>195 NC residents affected<br>1 or more</small>" in text  # a reason trace, one part a line
    assert "<td>without unreasonable delay (target 2007-09-09)</td>" in text
    assert 'bd-state--due">due<' in text and 'bd-state--done">done<' in text
    assert f'href="../../filings/{MASSMUTUAL}/us-nc-ago-breach.pdf">filled PDF</a>' in text
    assert f'href="../../filings/{MASSMUTUAL}/us-nc-ago-breach.flat.pdf">flattened PDF</a>' in text
    assert "<p>On August 10th, 2007 your personal information was included in a file.</p>" in text
    assert "<p><NAME><br><ADDRESS><br>CITY, STATE ZIP</p>" in text and "<p>Dear <NAME>:</p>" in text
    assert "<td>Legal Reviewer</td>" in text and "<td>Add counts</td>" in text


def test_user_text_is_shown_as_text_never_run(env, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    site_project(tmp_path, incidents=[hostile_incident()])
    inputs, findings = collect(SiteSources.of(Project(tmp_path)), today=TODAY)
    assert not findings
    pages = {p.uri: p.markdown for p in build_pages(inputs, tmp_path / "templates")}
    for uri in ("incidents/2020-01-02-hostile-text.md", "incidents/index.md", "index.md"):
        rendered = to_html(pages[uri])
        assert "<script" not in rendered and "onclick" not in rendered.replace("onclick&#61;", "")
        assert "<em>bold</em>" not in rendered and 'href="javascript' not in rendered
        assert HOSTILE in html.unescape(rendered)  # {{ 7*7 }} as written, not 49
    incident = to_html(pages["incidents/2020-01-02-hostile-text.md"])
    assert "<h1>heading</h1>" not in incident and "<li>list item</li>" not in incident


@pytest.mark.parametrize("text", ["- item", "1. first", "    code", "# title", "---", "> quote", "a | b", "x  "])
def test_md_text_never_starts_a_block(text: str) -> None:
    rendered = to_html(f"| a |\n|---|\n| {md_text(text)} |\n\n{md_text(text)}\n")
    assert html.unescape(rendered).count(text.strip()) == 2
    for tag in ("<li>", "<h1>", "<hr", "<blockquote>", "<pre>"):
        assert tag not in rendered


def test_home_lists_overdue_and_due_soon_duties_and_recent_filings(env, massmutual) -> None:  # type: ignore[no-untyped-def]
    duties = [
        duty("Late duty", due=TODAY - dt.timedelta(days=3)),
        duty("Soon duty", due=TODAY + dt.timedelta(days=10)),
        duty("Later duty", due=TODAY + dt.timedelta(days=45)),
        duty("Met duty", due=TODAY - dt.timedelta(days=9), status="done"),
    ]
    filings = [{"incident": MASSMUTUAL, "jurisdiction": "US-NC", "recipient": "attorney-general",
                "submitted": "2007-10-17"}]
    inputs = SiteInputs([massmutual], TODAY, duties=duties, filings=filings)
    page = render_home(env, inputs, [{"id": MASSMUTUAL, "title": "T", "status": "notified", "organisation": "M",
                                     "discovered": massmutual.discovered, "next_deadline": None}])
    overdue, _, rest = page.partition("## Due in the next 30 days")
    soon, _, recent = rest.partition("## Recent filings")
    assert "Late duty" in overdue and "Soon duty" not in overdue and "Met duty" not in overdue
    assert "Soon duty" in soon and "Later duty" not in soon
    assert "attorney-general" in recent and "&#50;007-10-17" in recent
    assert "<span class=\"bd-stat__count\">1</span> <span class=\"bd-status bd-status--notified\">" in page


def test_deadlines_are_soonest_first_with_the_calendar(env, massmutual) -> None:  # type: ignore[no-untyped-def]
    duties = [duty(name, due=due, target=target) for name, due, target in
              [("fourth", None, None), ("second", TODAY, None), ("first", TODAY - dt.timedelta(days=1), None),
               ("third", None, TODAY + dt.timedelta(days=2))]]
    page = render_deadlines(env, SiteInputs([massmutual], TODAY, duties=duties, calendar="deadlines.ics"))
    assert page.index("first") < page.index("second") < page.index("third") < page.index("fourth")
    assert "[the deadlines calendar (iCalendar)](deadlines.ics)" in page


def test_jurisdiction_page_shows_the_law_and_its_incidents(env, massmutual) -> None:  # type: ignore[no-untyped-def]
    rules, _ = load_jurisdictions(ROOT / "jurisdictions", root=ROOT)
    nc = rules["US-NC"]
    general = next(d for d in nc.duties if d.id == "attorney-general")
    general = dataclasses.replace(general, title="Notify the Consumer Protection Division",
                                  recipient={"name": "NC Attorney General's Office", "phone": "(919) 716-6000",
                                             "portal": "https://example.org/report"}, form="us-nc-ago-breach")
    jurisdiction = dataclasses.replace(nc, duties=[general], data={
        **nc.data, "verified": False,
        "statute": {"citation": "N.C.G.S. 75-61, 75-65", "title": "Identity Theft Protection Act",
                    "url": "javascript:alert(1)"}})
    text = html.unescape(to_html(render_jurisdiction(env, jurisdiction, [massmutual])))
    assert "<h1>North Carolina (US-NC)</h1>" in text
    assert "N.C.G.S. 75-61, 75-65" in text and "not verified" in text
    assert "(919) 716-6000" in text and "us-nc-ago-breach" in text and "without unreasonable delay" in text
    assert 'href="#"' in text and 'href="javascript' not in text  # only web addresses become links
    assert '<a href="https://example.org/report">' in text
    assert ">Participant file emailed to the wrong client</a>" in text and ">195</td>" in text


def test_page_urls_follow_mkdocs() -> None:
    assert page_url("incidents/x.md") == "incidents/x/"
    assert page_url("incidents/index.md") == "incidents/"
    assert page_url("index.md") == ""
    assert page_url("incidents/x.md", use_directory_urls=False) == "incidents/x.html"


def test_generated_index_pages_are_in_the_nav_and_per_item_pages_are_not(tmp_path: Path) -> None:
    site_project(tmp_path)
    inputs, _ = collect(SiteSources.of(Project(tmp_path)), today=TODAY)
    pages = build_pages(inputs, tmp_path / "templates")
    in_nav = {p.uri for p in pages if p.in_nav}
    assert in_nav == {"index.md", "incidents/index.md", "jurisdictions/index.md", "deadlines.md"}
    assert f"incidents/{MASSMUTUAL}.md" in {p.uri for p in pages if not p.in_nav}
    assert "jurisdictions/us-nc.md" in {p.uri for p in pages if not p.in_nav}


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=Ann Editor", "-c", "user.email=ann@example.com", *args], cwd=cwd,
                   check=True, capture_output=True)


def test_history_follows_renames_and_is_empty_outside_git(tmp_path: Path) -> None:
    (tmp_path / "incidents").mkdir()
    data = example_data()
    file = write_incident(tmp_path, data)
    assert file_histories(tmp_path / "incidents", [file]) == {file.resolve(): []}
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "Record the incident")
    renamed = file.with_name("2007-08-10-massmutual-wrong-recipient.yaml")
    git(tmp_path, "mv", f"incidents/{file.name}", f"incidents/{renamed.name}")
    git(tmp_path, "commit", "-qam", "Rename the incident")
    renamed.write_text(renamed.read_text(encoding="utf-8") + "\n# reviewed\n", encoding="utf-8")
    git(tmp_path, "commit", "-qam", "Review the counts")
    history = file_histories(tmp_path / "incidents", [renamed])[renamed.resolve()]
    assert [c.subject for c in history] == ["Review the counts", "Rename the incident", "Record the incident"]
    assert {c.author for c in history} == {"Ann Editor"}
