"""The built site in a real browser: Debian's Chromium driven by Playwright, the site served over HTTP
from 127.0.0.1 (Material's search needs HTTP). Screenshots go to test-artifacts/."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import http.server
import re
import shutil
import threading
import zoneinfo
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from playwright.sync_api import Browser, ConsoleMessage, Dialog, Page, expect, sync_playwright
from site_fixtures import HOSTILE, example_data, hostile_incident, site_project

from breachdocs.cli import main
from breachdocs.site.build import build_site

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
MASSMUTUAL = "2007-08-10-massmutual-misdirected-email"


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the signature of the base class
        pass


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve ``folder`` over HTTP on 127.0.0.1 from a thread; yields its URL."""
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def site_url(built_site: Path) -> Iterator[str]:
    with serve(built_site) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("console", lambda message: _record(errors, message))
    tab.on("pageerror", lambda error: errors.append(f"page error: {error}"))
    tab.on("requestfailed", lambda request: errors.append(f"request failed: {request.url}"))
    yield tab
    context.close()
    assert errors == [], "the browser reported errors:\n" + "\n".join(errors)


def _record(errors: list[str], message: ConsoleMessage) -> None:
    if message.type == "error":
        errors.append(f"console error: {message.text} ({message.location})")


@contextlib.contextmanager
def opened(browser: Browser, built: Path, **options: Any) -> Iterator[tuple[Page, str]]:
    """A tab in a browser context of its own (``options``: time zone, no script, ...) and the URL of the site
    ``built``, served; errors the browser reports fail the test."""
    errors: list[str] = []
    with serve(built) as url:  # served until the tab is closed: nothing it still loads fails
        context = browser.new_context(**options)
        try:
            tab = context.new_page()
            tab.on("console", lambda message: _record(errors, message))
            tab.on("pageerror", lambda error: errors.append(f"page error: {error}"))
            yield tab, url
        finally:
            context.close()
    assert errors == [], "the browser reported errors:\n" + "\n".join(errors)


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_home_to_incident_shows_the_facts(page: Page, site_url: str) -> None:
    page.goto(site_url)
    expect(page.locator("h1")).to_contain_text("Compliance dashboard")
    shot(page, "site-home")
    page.locator(".md-nav--primary").get_by_role("link", name="Incidents", exact=True).first.click()
    expect(page).to_have_url(f"{site_url}incidents/")
    table = page.locator("[data-bd-table=incidents] table")
    examples = len([f for f in (ROOT / "incidents").glob("*.yaml") if not f.name.startswith("_")])
    expect(table.locator("tbody tr")).to_have_count(examples)
    page.locator("input[data-bd-filter=incidents]").fill("massmutual")
    expect(table.locator("tbody tr:visible")).to_have_count(1)
    expect(page.locator("[data-bd-count=incidents]")).to_have_text("1 incident(s)")
    page.locator("input[data-bd-filter=incidents]").fill("")
    table.locator("th", has_text="Affected").click()  # sort, largest last
    expect(table.locator("th", has_text="Affected")).to_have_attribute("aria-sort", "ascending")
    counts = [int(c.replace(",", "")) for c in table.locator("tbody tr td:nth-child(6)").all_inner_texts()]
    assert counts == sorted(counts) and len(counts) == examples
    shot(page, "site-incidents")
    table.get_by_role("link", name=MASSMUTUAL).click()
    expect(page).to_have_url(f"{site_url}incidents/{MASSMUTUAL}/")
    expect(page.locator("h1")).to_contain_text("Participant file emailed to the wrong client")
    expect(page.locator("[data-fact=total]")).to_have_text("5,135")
    expect(page.locator("[data-fact=residents-US-NC]")).to_have_text("195")
    facts = page.locator(".bd-facts")
    expect(facts.locator("dt:has-text('Discovered') + dd")).to_have_text("2007-08-10")
    expect(facts.locator("dt:has-text('Consumers notified') + dd")).to_have_text("2007-10-16")
    timeline = page.locator("ol.bd-timeline li")
    expect(timeline).to_have_count(3)  # breach and discovery, notice, filing: one line each
    for item in timeline.all():  # legible: at least 12 px, as the text around it
        assert float(item.evaluate("e => getComputedStyle(e).fontSize").removesuffix("px")) >= 12
    expect(page.locator(".bd-residents .bd-bar")).to_have_count(1)
    shot(page, "site-incident-massmutual")


@pytest.mark.parametrize("query", ["MassMutual", "emailed to the wrong client", MASSMUTUAL],
                         ids=["organisation", "title", "id"])
def test_search_finds_an_incident_by_organisation_title_or_id(page: Page, site_url: str, query: str) -> None:
    page.goto(site_url)
    search = page.locator("input.md-search__input")
    search.click()
    search.press_sequentially(query, delay=20)
    result = page.locator(f'a.md-search-result__link[href*="incidents/{MASSMUTUAL}/"]',
                          has_text="Participant file emailed to the wrong client")
    expect(result.first).to_be_visible(timeout=15_000)
    shot(page, f"site-search-{query[:20]}".replace(" ", "-"))
    result.first.click()
    expect(page).to_have_url(re.compile(re.escape(f"{site_url}incidents/{MASSMUTUAL}/")))
    expect(page.locator("h1")).to_contain_text("Participant file emailed to the wrong client")


def test_search_shows_the_incident_title_and_the_sentence_that_matches(page: Page, site_url: str) -> None:
    page.goto(site_url)
    search = page.locator("input.md-search__input")
    search.click()
    search.press_sequentially("plan participants", delay=20)
    item = page.locator("li.md-search-result__item", has=page.locator(f'a[href*="incidents/{MASSMUTUAL}/"]'))
    expect(item.first).to_be_visible(timeout=15_000)
    expect(item.first.locator("article h1").first).to_have_text("Participant file emailed to the wrong client")
    section = item.first.locator('a[href*="#what-happened"]')
    expect(section).to_contain_text("What happened")
    expect(section).to_contain_text("An electronic file containing a list of plan participants was emailed to the "
                                    "wrong recipient.")
    assert "Reporting business" not in item.first.inner_text()  # no table dumped as run-on text
    shot(page, "site-search-sentence")


def test_script_in_an_incident_is_shown_as_text_and_never_runs(page: Page, tmp_path: Path) -> None:
    project = site_project(tmp_path, incidents=[example_data(), hostile_incident()])
    built = build_site(project / "mkdocs.yml", strict=True, theme_overrides={"font": False})
    dialogs: list[str] = []

    def dismiss(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    with serve(built) as url:
        page.goto(f"{url}incidents/")
        page.get_by_role("link", name="2020-01-02-hostile-text").click()
        expect(page.locator("h1")).to_contain_text(f"Title {HOSTILE}")
        expect(page.locator("#what-happened + p")).to_have_text(HOSTILE)
        assert page.title() == f"Title {HOSTILE} - breachdocs compliance"
        shot(page, "site-incident-hostile-text")
    assert dialogs == []


def test_deadlines_page_offers_the_calendar(page: Page, site_url: str) -> None:
    page.goto(site_url)
    page.locator(".md-nav--primary").get_by_role("link", name="Deadlines", exact=True).first.click()
    expect(page.locator("h1")).to_contain_text("Deadlines")
    rows = page.locator("table tbody tr")
    expect(rows.first).to_be_visible()
    link = page.get_by_role("link", name="the deadlines calendar (iCalendar)")
    response = page.request.get(link.evaluate("a => a.href"))
    assert response.status == 200 and response.body().startswith(b"BEGIN:VCALENDAR\r\n")
    assert response.body().count(b"BEGIN:VEVENT") == rows.count()  # one event per open duty
    shot(page, "site-deadlines")


def test_filing_pdfs_download_from_the_incident_page(page: Page, site_url: str) -> None:
    page.goto(f"{site_url}incidents/{MASSMUTUAL}/")
    filings = page.locator("table", has_text="Documents")
    # Every document of the filing: fillable, flattened, packet, and the approval-stamped copy of each.
    links = filings.locator("a.bd-pdf")
    expect(links).to_have_count(6)
    for n in range(6):
        assert page.request.get(links.nth(n).evaluate("a => a.href")).body().startswith(b"%PDF-")
    for label in ("Fillable copy (for review) PDF", "Flattened (as submitted) PDF"):
        link = filings.get_by_role("link", name=label, exact=True)
        expect(link).to_have_count(1)
        with page.expect_download() as download_info:
            link.click(modifiers=["Alt"])  # Alt+click saves the target instead of opening the PDF viewer
        download = download_info.value
        assert download.suggested_filename.startswith("us-nc-ago-breach")
        data = Path(download.path()).read_bytes()
        assert data.startswith(b"%PDF-")
        response = page.request.get(link.evaluate("a => a.href"))
        assert response.status == 200 and response.body() == data


def test_each_filing_card_shows_its_hash_approval_and_every_document(page: Page, site_url: str) -> None:
    page.goto(f"{site_url}incidents/{MASSMUTUAL}/")
    card = page.locator(".bd-filing").first
    expect(card).to_contain_text("Submitted")
    expect(card).to_contain_text("2007-10-17")
    expect(card).to_contain_text("attorney-general")
    expect(card).to_contain_text("SHA-256")
    expect(card).to_contain_text("Approval")
    for label in ("Fillable copy (for review) PDF", "Flattened (as submitted) PDF", "Filing packet PDF",
                  "Flattened (as submitted), with approval stamp PDF"):
        link = card.get_by_role("link", name=label, exact=True)
        expect(link).to_have_count(1)
        response = page.request.get(link.evaluate("a => a.href"))
        assert response.status == 200 and response.body().startswith(b"%PDF-"), label
    shot(page, "site-filing-card")


def test_a_regulator_worksheet_shows_answers_to_copy_and_its_pdf(page: Page, site_url: str) -> None:
    page.goto(f"{site_url}incidents/2025-06-12-northwind-billing-vendor-ransomware/")
    sheet = page.locator("[data-worksheet=us-tx-attorney-general]")
    expect(sheet).to_be_visible()
    row = sheet.locator("tr", has_text="The number of Texans affected by the breach")
    expect(row.locator(".bd-answer")).to_have_text("412")
    expect(row.locator("code")).to_have_text("affected.residents.US-TX")
    link = sheet.get_by_role("link", name="us-tx-attorney-general-worksheet.pdf")
    response = page.request.get(link.evaluate("a => a.href"))
    assert response.status == 200 and response.body().startswith(b"%PDF-")
    ARTIFACTS.mkdir(exist_ok=True)
    sheet.screenshot(path=str(ARTIFACTS / "site-worksheet-us-tx.png"))


# --- dates that stay true between builds, and the dashboard against the CLI --------------------------

BUILT_ON = dt.date(2026, 11, 30)
LATE_LABELS = ("overdue", "internal target missed")
SOON_LABELS = ("due soon", "internal target soon")


def cli_lists(project: Path, day: dt.date | None) -> tuple[set[str], set[str]]:
    """(overdue, due soon) of `breachdocs deadlines` on ``day`` (today when None), as "incident jurisdiction
    duty"."""
    args = ["--root", str(project), "deadlines"] + (["--as-of", day.isoformat()] if day else [])
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    late: set[str] = set()
    soon: set[str] = set()
    for line in result.stdout.splitlines():
        name = re.search(r" (\S+)  (\S+) (\S+): ", line)
        assert name, line
        state = line[:name.start()]  # the date (with time and zone for hours), then the state
        key = " ".join(name.groups())
        if any(f" {label}" in state for label in LATE_LABELS):
            late.add(key)
        elif any(f" {label}" in state for label in SOON_LABELS):
            soon.add(key)
    return late, soon


def page_lists(page: Page) -> tuple[set[str], set[str]]:
    """(overdue, due soon) the dashboard shows: the rows of its two lists a reader sees."""
    def shown(name: str) -> set[str]:
        rows = page.locator(f'table[data-bd-list="{name}"] tbody tr:visible')
        return set(rows.evaluate_all("rows => rows.map(r => r.dataset.id)"))

    return shown("late"), shown("soon")


@pytest.fixture(scope="module")
def dated_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The example project's site built as of BUILT_ON (the project, the site)."""
    project = site_project(tmp_path_factory.mktemp("dated"))
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "  - breachdocs:\n", f"  - breachdocs:\n      today: '{BUILT_ON}'\n"), encoding="utf-8")
    return project, build_site(config, strict=True, theme_overrides={"font": False})


@pytest.mark.parametrize("reader", [BUILT_ON, dt.date(2026, 12, 5), dt.date(2027, 1, 3), None],
                         ids=["build-date", "five-days-on", "new-year", "reader-today"])
def test_dashboard_lists_agree_with_breachdocs_deadlines(page: Page, dated_site: tuple[Path, Path],
                                                         reader: dt.date | None) -> None:
    project, built = dated_site
    if reader is not None:  # the reader's computer says it is this day (noon, local time)
        page.clock.set_fixed_time(dt.datetime(reader.year, reader.month, reader.day, 12))
    late, soon = cli_lists(project, reader)
    assert late and (soon or reader is not None)
    with serve(built) as url:
        page.goto(url)
        shown_late, shown_soon = page_lists(page)
        assert (shown_late, shown_soon) == (late, soon)
        day = reader or dt.date.today()
        clock = "12:00" if reader else r"\d\d:\d\d"  # the GDPR example's deadline is counted in hours
        expect(page.locator("[data-bd-asof]")).to_have_text(re.compile(
            rf"Dates judged against your today, {day}, deadlines in hours against your clock, {clock} "
            rf"\(the site was built on {BUILT_ON}\)\."))
        expect(page.locator('[data-bd-empty="soon"]')).to_be_hidden() if soon else None
        shot(page, f"site-home-as-of-{reader or 'today'}")


def test_without_the_script_the_dashboard_shows_the_build_date(browser: Browser,
                                                                dated_site: tuple[Path, Path]) -> None:
    project, built = dated_site
    with opened(browser, built, java_script_enabled=False) as (page, url):
        page.goto(url)
        expect(page.locator("[data-bd-asof]")).to_have_text(f"Dates judged as of {BUILT_ON}, when the site was built.")
        assert page_lists(page) == cli_lists(project, BUILT_ON)


def test_a_due_soon_row_appears_when_the_readers_date_moves(page: Page, tmp_path: Path) -> None:
    """HIPAA's annual log of small breaches is due 60 days after the end of the year: on the build date
    it is 'due' (the dashboard carries it hidden), in the reader's browser weeks later it is due soon,
    then overdue - as `breachdocs deadlines` says on each of those days."""
    data = yaml.safe_load((ROOT / "incidents" / "2024-03-05-northwind-stolen-paper-records.yaml").read_text("utf-8"))
    data.update(id="2026-11-20-northwind-intake-forms-stolen", status="approved", filings=[])
    data["dates"] = {"breach_start": "2026-11-19", "breach_end": "2026-11-19", "discovered": "2026-11-20",
                     "consumers_notified": "2026-11-27"}
    for determination in data.get("risk_assessment", []):
        determination["decided_on"] = "2026-11-23"
    project = site_project(tmp_path, incidents=[data])
    shutil.copy(ROOT / "incidents" / "_organization.yaml", project / "incidents" / "_organization.yaml")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "  - breachdocs:\n", "  - breachdocs:\n      today: '2026-12-20'\n"), encoding="utf-8")
    built = build_site(config, strict=True, theme_overrides={"font": False})
    log = f"{data['id']} US-FED-HIPAA hhs-log"
    assert log in cli_open(project, dt.date(2026, 12, 20)) and log not in set().union(*cli_lists(project, dt.date(2026, 12, 20)))
    with serve(built) as url:
        for reader, where in ((dt.date(2026, 12, 20), None), (dt.date(2027, 2, 10), "soon"),
                              (dt.date(2027, 3, 5), "late")):
            page.clock.set_fixed_time(dt.datetime(reader.year, reader.month, reader.day, 12))
            page.goto(url)
            shown_late, shown_soon = page_lists(page)
            assert (log in shown_soon, log in shown_late) == (where == "soon", where == "late"), reader
            assert (shown_late, shown_soon) == cli_lists(project, reader)
            row = page.locator(f'tr[data-id="{log}"]')
            expect(row).to_be_visible() if where else expect(row).to_be_hidden()
            if where:
                expect(row.locator("[data-bd-state]")).to_have_text("due soon" if where == "soon" else "overdue")
            shot(page, f"site-home-hipaa-log-{reader}")


def cli_open(project: Path, day: dt.date) -> set[str]:
    result = CliRunner().invoke(main, ["--root", str(project), "deadlines", "--as-of", day.isoformat()])
    return {" ".join(m.groups()) for m in re.finditer(r" (\S+)  (\S+) (\S+): ", result.stdout)}


def test_phone_layout_keeps_due_and_state_in_view(browser: Browser, site_url: str) -> None:
    context = browser.new_context(viewport={"width": 400, "height": 800}, device_scale_factor=1)
    try:
        page = context.new_page()
        for path in ("", "deadlines/", f"incidents/{MASSMUTUAL}/", "incidents/2025-06-12-northwind-billing-vendor-ransomware/",
                     "jurisdictions/us-fed-hipaa/", "incidents/"):
            page.goto(site_url + path)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 400, f"{path}: the page scrolls sideways ({width} px)"
        page.goto(site_url)
        table = page.locator('table[data-bd-list="late"]')
        row = table.locator("tbody tr:visible").first
        for column, name in ((0, "Due"), (1, "State")):
            expect(table.locator("th").nth(column)).to_have_text(name)
            box = row.locator("td").nth(column).bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 400, (name, box)
        shot(page, "site-home-400px")
    finally:
        context.close()


GDPR = "2026-11-23-northwind-berlin-clinic-misconfigured-storage"


@pytest.fixture(scope="module")
def hours_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The GDPR example alone (72 hours from awareness on 2026-11-23 16:45 Berlin time: due 2026-11-26 16:45
    Europe/Berlin, 15:45 UTC), its site built as of 2026-11-25 (the project, the site)."""
    data = yaml.safe_load((ROOT / "incidents" / f"{GDPR}.yaml").read_text(encoding="utf-8"))
    project = site_project(tmp_path_factory.mktemp("hours"), incidents=[data])
    shutil.copy(ROOT / "incidents" / "_organization.yaml", project / "incidents" / "_organization.yaml")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "  - breachdocs:\n", "  - breachdocs:\n      today: '2026-11-25'\n"), encoding="utf-8")
    return project, build_site(config, strict=True, theme_overrides={"font": False})


@pytest.mark.parametrize("zone", ["Europe/Berlin", "America/New_York"])
def test_a_deadline_in_hours_turns_overdue_at_its_hour_not_its_day(browser: Browser, hours_site: tuple[Path, Path],
                                                                   zone: str) -> None:
    """A minute before and a minute after the 72 hours end, on the same day wherever the reader is: due soon,
    then overdue, on the dashboard and on the incident page, with the moment shown in the incident's time zone."""
    project, built = hours_site
    duty = f"{GDPR} EU-GDPR supervisory-authority"
    assert "2026-11-26 16:45 Europe/Berlin due soon" in " ".join(
        CliRunner().invoke(main, ["--root", str(project), "deadlines", "--as-of", "2026-11-26"]).stdout.split())
    with opened(browser, built, timezone_id=zone) as (page, url):
        for minute, label in ((44, "due soon"), (46, "overdue")):
            moment = dt.datetime(2026, 11, 26, 15, minute, tzinfo=dt.UTC)  # 16:44 / 16:46 in Berlin
            local = moment.astimezone(zoneinfo.ZoneInfo(zone))
            assert local.date() == dt.date(2026, 11, 26)  # the same day for a judgment by the day
            page.clock.set_fixed_time(moment)
            page.goto(url)
            late, soon = page_lists(page)
            assert (duty in late, duty in soon) == (label == "overdue", label == "due soon"), (zone, minute)
            row = page.locator(f'tr[data-id="{duty}"]')
            expect(row.locator("[data-bd-state]")).to_have_text(label)
            expect(row.locator("td").first).to_have_text("2026-11-26 16:45 Europe/Berlin")
            expect(page.locator("[data-bd-asof]")).to_have_text(
                f"Dates judged against your today, 2026-11-26, deadlines in hours against your clock, "
                f"{local:%H:%M} (the site was built on 2026-11-25).")
            page.goto(f"{url}incidents/{GDPR}/")
            row = page.locator(f'tr[data-id="{duty}"]')
            expect(row.locator("[data-bd-state]")).to_have_text(label)
            expect(row.locator("time").first).to_have_attribute("datetime", "2026-11-26T16:45:00+01:00")
            shot(page, f"site-gdpr-hours-{zone.replace('/', '-')}-{label.replace(' ', '-')}")


def test_without_the_script_a_deadline_in_hours_shows_its_moment_and_the_build_date(
        browser: Browser, hours_site: tuple[Path, Path]) -> None:
    _project, built = hours_site
    with opened(browser, built, java_script_enabled=False) as (page, url):
        page.goto(url)
        expect(page.locator("[data-bd-asof]")).to_have_text("Dates judged as of 2026-11-25, when the site was built.")
        row = page.locator(f'tr[data-id="{GDPR} EU-GDPR supervisory-authority"]')
        expect(row.locator("[data-bd-state]")).to_have_text("due soon")
        expect(row.locator("td").first).to_have_text("2026-11-26 16:45 Europe/Berlin")
