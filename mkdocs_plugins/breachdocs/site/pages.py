"""Page builders: plain functions from incidents and plain inputs to Markdown.

Each builder renders one Jinja2 template of ``templates/site/`` (autoescaped;
every value printed with ``{{ }}`` passes through :func:`~.text.md_text`, so
user text is shown as text, never run as HTML, Markdown or a template) and
returns the page's Markdown. Nothing here knows MkDocs: the plugin adds the
pages to the build, tests call the builders directly.

The inputs are the core library's own values where it has them: incidents
(``records.Incident``), duties (``law.Obligation``, as the project check judged
them) and rule files (``law.Jurisdiction``). The rest are plain values:

- a filing: ``{"incident": id, "jurisdiction": code, "recipient": str,
  "form": str, "signed": date, "submitted": date, "kind": str,
  "reference": str, "sha256": str, "files": [{"label": str, "path": str}]}``
  with ``path`` relative to the site root (``filings/<id>/<form>.pdf``): an
  entry of the incident's ``filings``, or a form it uses that is not filed yet;
- a letter: its text, paragraphs separated by blank lines;
- a worksheet: ``breachdocs.submissions.Worksheet.as_input()`` (a regulator's questions, answered);
- a change: ``{"commit", "author", "date", "subject"}``.
"""

from __future__ import annotations

import datetime as dt
import functools
import posixpath
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context, select_autoescape
from jinja2.runtime import Context
from markupsafe import Markup

from ..law import Jurisdiction, Obligation
from ..law.deadlines import open_duties, soonest_first
from ..records import Incident
from ..records.codes import residence_name
from ..resources import layers
from .text import lines, md_text, paragraphs

Filing = Mapping[str, Any]
Change = Mapping[str, Any]

#: Incident statuses in the order of the workflow; all but closed are open.
STATUSES = ("draft", "in-review", "approved", "notified", "closed")
#: How far ahead the dashboard looks for duties coming due.
SOON_DAYS = 30
#: Dates shown on an incident's timeline, in the order of a breach.
TIMELINE = (
    ("breach_start", "Breach started"),
    ("breach_end", "Breach ended"),
    ("discovered", "Discovered"),
    ("contained", "Contained"),
    ("determined", "Determined notifiable"),
    ("materiality_determined", "Determined material"),
    ("consumers_notified", "Consumers notified"),
)


def duty_row(duty: Obligation, today: dt.date) -> dict[str, Any]:
    """What the duty tables show of one obligation."""
    return {"incident": duty.incident, "jurisdiction": duty.jurisdiction, "title": duty.title,
            "recipient": str(duty.recipient.get("name") or duty.duty), "due": duty.due, "due_text": duty.due_text,
            "target": duty.target, "status": duty.status, "reason": duty.reason, "state": duty_state(duty, today)}


def filing_record(filing: Filing) -> dict[str, Any]:
    """A filing with every key the templates read."""
    return {"incident": "", "jurisdiction": "", "recipient": "", "form": None, "signed": None, "submitted": None,
            "kind": "initial", "reference": None, "sha256": None, "files": [], "approval": None, **filing}


@dataclass
class SiteInputs:
    """Everything the pages show. Only ``incidents`` and ``today`` are required."""

    incidents: list[Incident]
    today: dt.date
    duties: list[Obligation] = field(default_factory=list)
    filings: list[dict[str, Any]] = field(default_factory=list)
    jurisdictions: list[Jurisdiction] = field(default_factory=list)
    letters: dict[str, str] = field(default_factory=dict)
    #: Each incident's regulator worksheets (``Worksheet.as_input()`` with its ``files``), by incident id.
    worksheets: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    history: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    #: Site path of the iCalendar file of open duties, when there is one (it is one of ``files``).
    calendar: str | None = None
    #: Other files of the site by path (the iCalendar file): text or bytes.
    files: dict[str, str | bytes] = field(default_factory=dict)
    #: The filing documents the pages link, as the filings manifest names them (``filings/<id>/...``).
    filing_files: set[str] = field(default_factory=set)
    #: Jurisdictions whose rule file is the project's own, by code: ``replaces`` (breachdocs' file of that name)
    #: or ``adds`` (breachdocs has none); the others are breachdocs' packaged rule files.
    own_rules: dict[str, str] = field(default_factory=dict)
    use_directory_urls: bool = True

    def __post_init__(self) -> None:
        self.filings = [filing_record(f) for f in self.filings]


@dataclass(frozen=True)
class Place:
    """A jurisdiction as the pages list it: its rule file, or (a residence code no rule file covers)
    just its code and name."""

    code: str
    name: str
    rules: Jurisdiction | None = None

    @property
    def data(self) -> dict[str, Any]:
        """The rule file's fields (statute, verified, last_reviewed ...), empty without one."""
        return self.rules.data if self.rules is not None else {}

    @property
    def codes(self) -> list[str]:
        """Residence codes it protects (its own code when the file names none)."""
        return (self.rules.residents if self.rules is not None else []) or [self.code]


@dataclass(frozen=True)
class Page:
    """A generated page: where it goes in the docs and its Markdown."""

    uri: str
    markdown: str
    in_nav: bool


def incident_uri(incident_id: str) -> str:
    return f"incidents/{incident_id}.md"


def jurisdiction_uri(code: str) -> str:
    return f"jurisdictions/{code.lower()}.md"


def page_url(uri: str, use_directory_urls: bool = True) -> str:
    """The URL MkDocs gives the page at ``uri`` (``incidents/x.md`` -> ``incidents/x/``)."""
    stem = uri.removesuffix(".md")
    if not use_directory_urls:
        return f"{stem}.html"
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return f"{stem}/"


# --- the template environment -------------------------------------------------


def _finalize(value: Any) -> Any:
    return md_text(value)


@pass_context
def _href(context: Context, target: str) -> Markup:
    """Relative Markdown link from the page being rendered to the docs page ``target``."""
    return _relative(target, posixpath.dirname(context["here"]) or ".")


@pass_context
def _site_href(context: Context, path: str) -> Markup:
    """Relative URL from the rendered page to a file of the site (a filing PDF)."""
    url = page_url(context["here"], context["use_directory_urls"])
    base = url if url.endswith("/") else posixpath.dirname(url) + "/"
    return _relative(path, base.rstrip("/") or ".")


@functools.lru_cache(maxsize=1 << 14)
def _relative(target: str, start: str) -> Markup:
    """``target`` relative to the folder ``start`` (both relative to the docs root); remembered, as every
    incident page links the same jurisdictions and index pages."""
    return Markup(posixpath.relpath(target, start))


def _num(value: Any) -> Markup:
    """A number as plain digits (for SVG attributes)."""
    return Markup(str(int(value)))


def _web_url(value: Any) -> Markup:
    """A link target from data: only http(s) addresses, anything else becomes '#'."""
    text = str(value or "")
    return md_text(text) if text.startswith(("https://", "http://")) else Markup("#")


def environment(templates_dir: Path) -> Environment:
    """The Jinja2 environment for ``templates_dir/site``: autoescaped, strict about undefined names."""
    env = Environment(
        loader=FileSystemLoader(layers(templates_dir, "templates", "site")),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["paragraphs"] = paragraphs
    env.filters["lines"] = lines
    env.filters["region"] = residence_name
    env.filters["num"] = _num
    env.filters["web_url"] = _web_url
    env.globals.update(
        timeline_names=TIMELINE, href=_href, site_href=_site_href, incident_uri=incident_uri, jurisdiction_uri=jurisdiction_uri,
    )
    return env


def _render(env: Environment, template: str, here: str, use_directory_urls: bool, **values: Any) -> str:
    return env.get_template(template).render(here=here, use_directory_urls=use_directory_urls, **values)


# --- plain computations over the inputs ----------------------------------------


def duty_state(duty: Obligation, today: dt.date) -> str:
    """done, overdue, or due."""
    if not duty.is_open:
        return "done"
    return "overdue" if duty.due is not None and duty.due < today else "due"


def next_deadline(duties: Iterable[Obligation]) -> dt.date | None:
    dates = [d.due for d in duties if d.is_open and d.due is not None]
    return min(dates) if dates else None


def _by_incident(items: Iterable[Any], key: Any) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {}
    for item in items:
        out.setdefault(str(key(item)), []).append(item)
    return out


def organisation(incident: Incident) -> str:
    business = incident.business
    return str(business.get("short_name") or business.get("name") or "")


def incident_row(incident: Incident, duties: list[Obligation]) -> dict[str, Any]:
    """What the incidents table and the dashboard show of one incident."""
    return {
        "id": incident.id,
        "title": incident.title,
        "status": incident.status,
        "organisation": organisation(incident),
        "discovered": incident.discovered,
        "affected": incident.total_affected,
        "jurisdictions": sorted(incident.residents),
        "next_deadline": next_deadline(duties),
    }


def timeline(incident: Incident, filings: Iterable[Filing]) -> list[tuple[Markup, list[Markup]]]:
    """(ISO date, labels) in date order: the incident's dates and its filings.

    Labels are fixed words and validated codes only, so the Mermaid source
    never holds free user text.
    """
    events: dict[str, list[Markup]] = {}
    for name, label in TIMELINE:
        day = incident.date(name)
        if day is not None:
            events.setdefault(day.isoformat(), []).append(Markup(label))
    for filing in filings:
        submitted = filing.get("submitted")
        code = str(filing.get("jurisdiction", ""))
        if submitted and code.replace("-", "").isalnum():
            events.setdefault(str(submitted), []).append(Markup(f"Filed in {code}"))
    return [(Markup(day), labels) for day, labels in sorted(events.items())]


def bar_chart(values: Mapping[str, int], *, width: int = 320) -> list[dict[str, Any]]:
    """Bars of a horizontal bar chart: label, value, and bar length in pixels out of ``width``."""
    top = max(values.values(), default=0)
    return [
        {"label": label, "value": value, "length": round(width * value / top) if top else 0}
        for label, value in sorted(values.items(), key=lambda kv: (-kv[1], kv[0]))
    ]


def all_jurisdictions(inputs: SiteInputs) -> list[Place]:
    """The jurisdiction files, plus a bare entry for each residence code that is not a file's code (GB,
    EU-DE: pages link each residence code to its own page)."""
    known = [Place(j.code, j.name, j) for j in inputs.jurisdictions]
    covered = {p.code for p in known}
    seen = {c for i in inputs.incidents for c in i.residents} | {str(f.get("jurisdiction")) for f in inputs.filings}
    known += [Place(c, residence_name(c)) for c in sorted(seen - covered) if c and c != "None"]
    return sorted(known, key=lambda p: p.code)


def incidents_in(place: Place, incidents: Iterable[Incident]) -> list[Incident]:
    codes = set(place.codes)
    return [i for i in incidents if codes & {c for c, n in i.residents.items() if n > 0}]


# --- the pages -------------------------------------------------------------------


def render_home(env: Environment, inputs: SiteInputs, rows: list[dict[str, Any]]) -> str:
    today = inputs.today
    pending = [duty_row(d, today) for d in open_duties(inputs.duties)]
    soon = today + dt.timedelta(days=SOON_DAYS)
    by_status = {s: [r for r in rows if r["status"] == s] for s in STATUSES if s != "closed"}
    recent = sorted((f for f in inputs.filings if f.get("submitted")),
                    key=lambda f: (str(f.get("submitted", "")), str(f.get("incident", ""))),
                    reverse=True)[:10]
    return _render(
        env, "home.md.j2", "index.md", inputs.use_directory_urls,
        today=today, by_status=by_status, soon_days=SOON_DAYS,
        overdue=[d for d in pending if d["state"] == "overdue"],
        due_soon=[d for d in pending if d["state"] == "due"
                  and isinstance(d.get("due"), dt.date) and d["due"] <= soon],
        recent_filings=recent,
    )


def render_incidents(env: Environment, inputs: SiteInputs, rows: list[dict[str, Any]]) -> str:
    return _render(env, "incidents.md.j2", "incidents/index.md", inputs.use_directory_urls, rows=rows)


def render_incident(
    env: Environment,
    incident: Incident,
    *,
    today: dt.date,
    duties: Sequence[Obligation] = (),
    filings: Sequence[Filing] = (),
    letter: str | None = None,
    history: Sequence[Change] = (),
    use_directory_urls: bool = True,
    worksheets: Sequence[Mapping[str, Any]] = (),
) -> str:
    """The page of one incident."""
    data = incident.data
    return _render(
        env, "incident.md.j2", incident_uri(incident.id), use_directory_urls,
        incident=incident, data=data, row=incident_row(incident, list(duties)),
        business=incident.business, maintainer=data.get("maintaining_business"),
        dates={name: incident.date(name) for name, _ in TIMELINE},
        timeline=timeline(incident, filings), chart=bar_chart(incident.residents),
        duties=[duty_row(d, today) for d in sorted(duties, key=soonest_first)],
        filings=[filing_record(f) for f in filings], letter=letter, history=list(history),
        worksheets=list(worksheets),
    )


def render_jurisdictions(env: Environment, inputs: SiteInputs, jurisdictions: list[Place]) -> str:
    rows = [{"jurisdiction": j, "incidents": incidents_in(j, inputs.incidents)} for j in jurisdictions]
    return _render(env, "jurisdictions.md.j2", "jurisdictions/index.md", inputs.use_directory_urls, rows=rows)


def render_jurisdiction(env: Environment, place: Place | Jurisdiction, incidents: list[Incident],
                        *, use_directory_urls: bool = True, own_rule_file: str = "") -> str:
    """The page of one jurisdiction: its law in brief, regulator, form, and the incidents it concerns."""
    if isinstance(place, Jurisdiction):
        place = Place(place.code, place.name, place)
    codes = place.codes
    affected = [(i, sum(n for c, n in i.residents.items() if c in codes)) for i in incidents]
    return _render(
        env, "jurisdiction.md.j2", jurisdiction_uri(place.code), use_directory_urls,
        j=place, statute=place.data.get("statute") or {}, duties=place.rules.duties if place.rules else [],
        affected=affected, own_rule_file=own_rule_file,
    )


def render_deadlines(env: Environment, inputs: SiteInputs) -> str:
    pending = [duty_row(d, inputs.today) for d in open_duties(inputs.duties)]
    return _render(env, "deadlines.md.j2", "deadlines.md", inputs.use_directory_urls,
                   today=inputs.today, duties=pending, calendar=inputs.calendar)


def build_pages(inputs: SiteInputs, templates_dir: Path) -> list[Page]:
    """Every generated page of the site. Index pages go in the nav; one page per incident or jurisdiction does not."""
    env = environment(templates_dir)
    duties = _by_incident(inputs.duties, lambda d: d.incident)
    filings = _by_incident(inputs.filings, lambda f: f.get("incident", ""))
    incidents = sorted(inputs.incidents, key=lambda i: (i.discovered, i.id), reverse=True)
    rows = [incident_row(i, duties.get(i.id, [])) for i in incidents]
    jurisdictions = all_jurisdictions(inputs)
    pages = [
        Page("index.md", render_home(env, inputs, rows), True),
        Page("incidents/index.md", render_incidents(env, inputs, rows), True),
        Page("jurisdictions/index.md", render_jurisdictions(env, inputs, jurisdictions), True),
        Page("deadlines.md", render_deadlines(env, inputs), True),
    ]
    pages += [
        Page(incident_uri(i.id), render_incident(
            env, i, today=inputs.today, duties=duties.get(i.id, []), filings=filings.get(i.id, []),
            letter=inputs.letters.get(i.id), history=inputs.history.get(i.id, []),
            use_directory_urls=inputs.use_directory_urls, worksheets=inputs.worksheets.get(i.id, [])), False)
        for i in incidents
    ]
    pages += [
        Page(jurisdiction_uri(j.code), render_jurisdiction(
            env, j, incidents_in(j, incidents), use_directory_urls=inputs.use_directory_urls,
            own_rule_file=inputs.own_rules.get(j.code, "")), False)
        for j in jurisdictions
    ]
    return pages
