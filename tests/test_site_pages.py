"""The page builders of the compliance site, without MkDocs: text in the rendered page, and user text kept as text."""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import re
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
    Page,
    SiteInputs,
    build_pages,
    environment,
    incident_row,
    page_url,
    render_deadlines,
    render_home,
    render_incident,
    render_jurisdiction,
)
from breachdocs.site.text import md_text

MASSMUTUAL = "2007-08-10-massmutual-misdirected-email"
TODAY = dt.date(2026, 11, 24)
EXTENSIONS = ["tables", "attr_list", "md_in_html", "toc", "pymdownx.superfences"]


def duty(title: str, *, due: dt.date | None = None, target: dt.date | None = None, status: str = "due",
         recipient: str = "", reason: str = "", deadline: str = "", duty_id: str | None = None,
         triggered: bool = True) -> Obligation:
    """An obligation of the MassMutual incident in North Carolina, as the law engine returns one."""
    return Obligation(
        incident=MASSMUTUAL, jurisdiction="US-NC", jurisdiction_name="North Carolina", duty=duty_id or title.lower(),
        title=title, recipient={"name": recipient} if recipient else {}, triggered=triggered,
        reasons=tuple(reason.split("; ")) if reason else (), deadline=deadline, due=due, target=target, form=None,
        required_fields=(), status=status, done=None, late_days=None, filings=(), citation="",
        effective_from=dt.date(2005, 12, 1), effective_to=None, in_force=True, verified=True, source="")


def to_html(page: Page | str) -> str:
    """The page as MkDocs renders it with the extensions of mkdocs.yml: its light Markdown converted and
    its blocks put back, which must be what converting the whole page gives (blocks as raw HTML)."""
    if isinstance(page, str):
        return markdown.markdown(page, extensions=EXTENSIONS)
    fast = page.html(markdown.markdown(page.body, extensions=EXTENSIONS))
    whole = markdown.markdown(page.source_body, extensions=EXTENSIONS)
    assert _squeezed(fast) == _squeezed(whole), next(
        (fast[max(0, i - 200):i + 200], whole[max(0, i - 200):i + 200]) for i, (a, b) in
        enumerate(zip(_squeezed(fast), _squeezed(whole), strict=False)) if a != b)
    return fast


def _squeezed(text: str) -> str:
    return re.sub(r">\s+<", "><", text).strip()


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
    assert '<h1 id="participant-file-emailed-to-the-wrong-client">Participant file emailed to the wrong client</h1>' in text
    assert "<p>MassMutual · notified · discovered 2007-08-10 · 5,135 people affected in 1 jurisdiction(s).</p>" in text
    assert 'data-fact="total">5,135<' in text and 'data-fact="residents-US-NC">195<' in text
    assert "<dt>Organisation</dt><dd>MassMutual Life Insurance Company</dd>" in text
    assert "<dt>Discovered</dt><dd>2007-08-10</dd>" in text
    assert ('<li><time datetime="2007-08-10">2007-08-10</time> <span>Breach started · Breach ended · Discovered · '
            "Contained</span></li>") in text  # the timeline: a list in the page's own text size
    assert '<li><time datetime="2007-10-16">2007-10-16</time> <span>Consumers notified</span></li>' in text
    assert '<a href="../../jurisdictions/us-nc/">US-NC</a> North Carolina' in text
    assert 'style="width: 100%"' in text  # the one bar spans its column
    assert "No letter for this incident yet." in text
    assert "<dt>Next deadline</dt><dd>none open</dd>" in text


def test_incident_page_shows_duties_filings_letter_and_history(env, massmutual) -> None:  # type: ignore[no-untyped-def]
    duties = [
        duty("Notify the Attorney General", recipient="attorney-general", due=dt.date(2007, 10, 20),
             status="done-on-time", reason="195 NC residents affected; 1 or more"),
        duty("Notify consumers", recipient="consumers", deadline="without unreasonable delay", duty_id="consumers",
             target=dt.date(2007, 9, 9), reason="195 US-NC residents >= 1"),
    ]
    filings = [{"incident": MASSMUTUAL, "jurisdiction": "US-NC", "recipient": "attorney-general",
                "form": "us-nc-ago-breach", "submitted": "2007-10-17",
                "files": [{"label": "filled", "path": f"filings/{MASSMUTUAL}/us-nc-ago-breach.pdf"},
                          {"label": "packet", "path": f"filings/{MASSMUTUAL}/us-nc-ago-breach-packet.pdf"}]}]
    letter = ("<NAME>\n<ADDRESS>\nCITY, STATE ZIP\n\nDear <NAME>:\n\n"
              "On August 10th, 2007 your personal information was included in a file.\n")
    history = [{"commit": "9ab6aec", "author": "Legal Reviewer", "date": "2007-10-15", "subject": "Add counts"}]
    page = render_incident(env, massmutual, today=TODAY, duties=duties, filings=filings, letter=letter,
                           history=history)
    raw = to_html(page)
    text = html.unescape(raw)
    assert "<td>Notify the Attorney General<br><small>to attorney-general</small></td>" in text
    assert '<summary>why</summary>195 US-NC residents >= 1</details>' in text  # the reason, folded
    assert "<summary>why</summary>195 NC residents affected<br>1 or more</details>" in text  # one part a line
    # The internal target passed long ago: marked as missed, apart from a legal due date.
    assert ('<td><time datetime="2007-09-09">2007-09-09</time><br><small>internal target</small></td>'
            '<td><span class="bd-state bd-state--target-missed bd-state--target" data-bd-state>internal target '
            "missed</span></td>") in text
    assert 'data-open="yes" data-kind="target-missed" data-due="" data-target="2007-09-09"' in text
    assert '<span class="bd-state bd-state--done-on-time" data-bd-state>done on time</span>' in text
    assert "<dt>Next deadline</dt><dd><span class=\"bd-next\"" in text and "1 duty past its date" in text
    # A notified incident whose notice to consumers is not recorded, or late, says so.
    assert "<li>marked notified, but the notice to consumers is not recorded: US-NC Notify consumers</li>" in text
    assert "<li>marked notified, but 1 notice is past its date: US-NC Notify consumers</li>" in text
    assert f'href="../../filings/{MASSMUTUAL}/us-nc-ago-breach.pdf">filled PDF</a>' in text
    assert f'href="../../filings/{MASSMUTUAL}/us-nc-ago-breach-packet.pdf">packet PDF</a>' in text
    assert "<p>On August 10th, 2007 your personal information was included in a file.</p>" in text
    assert "<p><NAME><br><ADDRESS><br>CITY, STATE ZIP</p>" in text and "<p>Dear <NAME>:</p>" in text
    assert '<details class="bd-letter-fold">' in text
    assert "<td>Legal Reviewer</td>" in text and "<td>Add counts</td>" in text
    assert "<td><code>9ab6aec</code></td>" in text and "&amp;" not in raw  # the commit escaped once


def test_user_text_is_shown_as_text_never_run(env, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    site_project(tmp_path, incidents=[hostile_incident()])
    inputs, findings = collect(SiteSources.of(Project(tmp_path)), today=TODAY)
    assert not findings
    pages = {p.uri: p for p in build_pages(inputs, tmp_path / "templates")}
    for uri in ("incidents/2020-01-02-hostile-text.md", "incidents/index.md", "index.md", "deadlines.md"):
        rendered = to_html(pages[uri])
        assert "<script" not in rendered and not re.search(r"<[^>]*\sonclick\s*=", rendered)
        assert "<em>bold</em>" not in rendered and 'href="javascript' not in rendered
        assert "BD-BLOCK" not in rendered
        assert HOSTILE in html.unescape(rendered)  # {{ 7*7 }} as written, not 49
    incident = to_html(pages["incidents/2020-01-02-hostile-text.md"])
    assert "<h1>heading</h1>" not in incident and "<li>list item</li>" not in incident


def test_a_placeholder_written_in_an_incident_is_text(env, massmutual) -> None:  # type: ignore[no-untyped-def]
    data = dict(massmutual.data, circumstances="BD-BLOCK:0:", title="BD-BLOCK:0:")
    forged = dataclasses.replace(massmutual, data=data)
    page = render_incident(env, forged, today=TODAY)
    text = html.unescape(to_html(page))
    assert "<p>BD-BLOCK:0:</p>" in text and text.count('class="bd-card bd-summary"') == 1


@pytest.mark.parametrize("text", ["- item", "1. first", "    code", "# title", "---", "> quote", "a | b", "x  "])
def test_md_text_never_starts_a_block(text: str) -> None:
    rendered = to_html(f"| a |\n|---|\n| {md_text(text)} |\n\n{md_text(text)}\n")
    assert html.unescape(rendered).count(text.strip()) == 2
    for tag in ("<li>", "<h1>", "<hr", "<blockquote>", "<pre>"):
        assert tag not in rendered


def test_home_lists_overdue_and_due_soon_duties_and_recent_filings(env, massmutual) -> None:  # type: ignore[no-untyped-def]
    day = dt.timedelta(days=1)
    duties = [
        duty("Late duty", due=TODAY - 3 * day, status="overdue"),
        duty("Missed target", target=TODAY - 400 * day),
        duty("Soon duty", due=TODAY + 10 * day),
        duty("Target soon", due=TODAY + 50 * day, target=TODAY + 2 * day),
        duty("Later duty", due=TODAY + 45 * day),
        duty("Far duty", due=TODAY + 400 * day),
        duty("Met duty", due=TODAY - 9 * day, status="done-late"),
    ]
    filings = [{"incident": MASSMUTUAL, "jurisdiction": "US-NC", "recipient": "attorney-general",
                "submitted": "2007-10-17"}]
    inputs = SiteInputs([massmutual], TODAY, duties=duties, filings=filings)
    rows = [incident_row(massmutual, duties, TODAY)]
    text = html.unescape(to_html(render_home(env, inputs, rows)))
    overdue, _, rest = text.partition("Due in the next 30 days")
    soon, _, recent = rest.partition("Recent filings")
    late_rows = re.findall(r"<tr data-bd-duty[^>]*>.*?</tr>", overdue)
    assert len(late_rows) == 2
    assert "Late duty" in overdue and "Missed target" in overdue and "internal target missed" in overdue
    assert "Soon duty" not in overdue and "Met duty" not in overdue
    shown = [r for r in re.findall(r"<tr data-bd-duty[^>]*>.*?</tr>", soon) if " hidden>" not in r]
    hidden = [r for r in re.findall(r"<tr data-bd-duty[^>]*>.*?</tr>", soon) if " hidden>" in r]
    assert len(shown) == 2 and "Soon duty" in shown[0] and "Target soon" in shown[1]
    assert "internal target soon" in shown[1]  # due soon because of its internal target
    assert len(hidden) == 1 and "Later duty" in hidden[0]  # carried for the reader's browser, not shown
    assert "Far duty" not in text
    assert "attorney-general" in recent and "2007-10-17" in recent
    assert '<span class="bd-stat__count">1</span> <span class="bd-status bd-status--notified">' in text
    assert "marked notified, but 2 notices are past their dates: US-NC Late duty, US-NC Missed target" in text


def test_deadlines_are_soonest_first_with_the_calendar(env, massmutual) -> None:  # type: ignore[no-untyped-def]
    duties = [duty(name, due=due, target=target) for name, due, target in
              [("fourth", None, None), ("second", TODAY, None), ("first", TODAY - dt.timedelta(days=1), None),
               ("third", None, TODAY + dt.timedelta(days=2))]]
    page = render_deadlines(env, SiteInputs([massmutual], TODAY, duties=duties, calendar="deadlines.ics"))
    text = to_html(page)
    assert text.index("first") < text.index("second") < text.index("third") < text.index("fourth")
    assert '<a href="deadlines.ics">the deadlines calendar (iCalendar)</a>' in text
    assert text.count("Participant file emailed to the wrong client</a>") == 4  # incidents by their titles


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
    text = html.unescape(to_html(render_jurisdiction(env, jurisdiction, [massmutual], today=TODAY)))
    assert '<h1 id="north-carolina-us-nc">North Carolina (US-NC)</h1>' in text
    assert "N.C.G.S. 75-61, 75-65" in text and "not verified" in text
    assert "(919) 716-6000" in text and "us-nc-ago-breach" in text and "without unreasonable delay" in text
    assert 'href="#"' in text and 'href="javascript' not in text  # only web addresses become links
    assert '<a href="https://example.org/report">' in text
    assert ">Participant file emailed to the wrong client</a>" in text and '<td class="bd-num">195</td>' in text


def test_a_federal_regime_lists_the_incidents_it_gives_duties(tmp_path: Path) -> None:
    """HIPAA protects no residents of its own: its page lists the incidents with HIPAA duties, and each
    incident's duties under it."""
    site_project(tmp_path)
    inputs, _ = collect(SiteSources.of(Project(tmp_path)), today=TODAY)
    pages = {p.uri: p for p in build_pages(inputs, tmp_path / "templates")}
    text = html.unescape(to_html(pages["jurisdictions/us-fed-hipaa.md"]))
    hipaa = {d.incident for d in inputs.duties if d.jurisdiction == "US-FED-HIPAA"}  # in play under HIPAA
    owed = {d.incident for d in inputs.duties if d.jurisdiction == "US-FED-HIPAA" and d.triggered}
    assert len(owed) >= 3
    rows = {m.group(1): m.group(0) for m in re.finditer(r'<tr><td><a href="\.\./\.\./incidents/([^/]+)/">.*?</tr>', text)}
    assert set(rows) == hipaa
    for incident in hipaa:  # each with the duties HIPAA gives it, or none
        assert ("bd-state--" in rows[incident]) == (incident in owed), incident
    assert "No incident on record concerns" not in text
    assert "Notice to the Secretary of HHS (500 or more individuals)" in text.split("Incidents under")[1]
    index = html.unescape(to_html(pages["jurisdictions/index.md"]))
    assert re.search(rf'us-fed-hipaa/">US-FED-HIPAA</a></td>.*?<td class="bd-num">{len(hipaa)}</td>', index)


def test_page_urls_follow_mkdocs() -> None:
    assert page_url("incidents/x.md") == "incidents/x/"
    assert page_url("incidents/index.md") == "incidents/"
    assert page_url("index.md") == ""
    assert page_url("incidents/x.md", use_directory_urls=False) == "incidents/x.html"


def test_generated_index_pages_are_in_the_nav_and_per_item_pages_are_not(tmp_path: Path) -> None:
    site_project(tmp_path)
    inputs, _ = collect(SiteSources.of(Project(tmp_path)), today=TODAY)
    pages = list(build_pages(inputs, tmp_path / "templates"))
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
