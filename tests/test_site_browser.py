"""The built site in a real browser: Debian's Chromium driven by Playwright, the site served over HTTP
from 127.0.0.1 (Material's search needs HTTP). Screenshots go to test-artifacts/."""

from __future__ import annotations

import contextlib
import functools
import http.server
import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Dialog, Page, expect, sync_playwright
from site_fixtures import HOSTILE, example_data, hostile_incident, site_project

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
    facts = page.locator("table", has_text="Reporting business")
    expect(facts.locator("tr", has_text="Discovered")).to_contain_text("2007-08-10")
    expect(facts.locator("tr", has_text="Consumers notified")).to_contain_text("2007-10-16")
    expect(page.locator("div.mermaid")).to_have_count(1)  # Material replaced the Mermaid source by the diagram
    expect(page.locator(".bd-chart svg rect")).to_have_count(1)
    page.wait_for_timeout(300)
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
        expect(page.locator("table tr", has_text="Circumstances").locator("td").nth(1)).to_have_text(HOSTILE)
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
