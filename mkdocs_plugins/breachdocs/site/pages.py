"""Page builders: plain functions from incidents and plain inputs to Markdown.

Each builder renders one Jinja2 template of ``templates/site/`` (autoescaped;
every value printed with ``{{ }}`` passes through :func:`~.text.md_text`, so
user text is shown as text, never run as HTML, Markdown or a template) and
returns a :class:`Page`. Nothing here knows MkDocs: the plugin adds the pages
to the build, tests call the builders directly.

Pages are light to convert: headings and the sentences people search for are
Markdown; tables, cards and lists are HTML blocks written by the templates in
``{% call html() %}...{% endcall %}``. :attr:`Page.source` is the whole page
with each block in place (a raw HTML block, which Python-Markdown passes through
as it is); :attr:`Page.markdown` has a one-line placeholder per block instead,
so MkDocs converts a few paragraphs and :meth:`Page.html` puts the blocks back
into the HTML it made. Both give the same page.

The inputs are the core library's own values where it has them: incidents
(``records.Incident``), duties (``law.Obligation``, as the project check judged
them; the pages show each with its state on the build's day,
:func:`~..law.duty_state.state_of`) and rule files (``law.Jurisdiction``). The
rest are plain values:

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

import dataclasses
import datetime as dt
import functools
import posixpath
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, StrictUndefined, pass_context, select_autoescape
from jinja2.runtime import Context, Macro
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from ..files import TemplateLoader
from ..law import Jurisdiction, Obligation
from ..law.deadlines import soonest_first
from ..law.duty_state import LATE, SOON_DAYS, DutyState, state_of, status_conflicts
from ..records import Incident
from ..records.codes import residence_name
from ..resources import layers
from ..submissions import Worksheet
from .text import lines, md_text, paragraphs

if TYPE_CHECKING:
    from .page_cache import PageCache

#: A duty as the builders take it: an obligation, or one already judged (:func:`judged`).
Duty = Obligation | Mapping[str, Any]
Filing = Mapping[str, Any]
Change = Mapping[str, Any]

#: Incident statuses in the order of the workflow; all but closed are open.
STATUSES = ("draft", "in-review", "approved", "notified", "closed")
#: Beyond the due-soon window, how many more days of open duties the dashboard carries (hidden), so
#: that the reader's browser can show them as due soon when its date moves on between builds.
LOOKAHEAD_DAYS = 60
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
#: The placeholder of an HTML block in :attr:`Page.markdown`: a paragraph no page text can write (user
#: text has its ``:`` written as a character reference, see :mod:`.text`).
_PLACEHOLDER = "BD-BLOCK:{}:"
_PLACED = re.compile(r"<p>BD-BLOCK:(\d+):</p>")
_DEFERRED = re.compile(r"<!--BD-BLOCK:(\d+):-->")


def filing_record(filing: Filing) -> dict[str, Any]:
    """A filing with every key the templates read."""
    return {"incident": "", "jurisdiction": "", "recipient": "", "form": None, "signed": None, "submitted": None,
            "kind": "initial", "reference": None, "sha256": None, "files": [], "approval": None, **filing}


@dataclass
class SiteInputs:
    """Everything the pages show. Only ``incidents`` and ``today`` are required."""

    incidents: list[Incident]
    today: dt.date
    duties: Sequence[Duty] = field(default_factory=list)
    filings: Sequence[Filing] = field(default_factory=list)
    jurisdictions: Sequence[Jurisdiction] = field(default_factory=list)
    #: Each incident's consumer letter by id. Here and in ``worksheets``: a mapping whose values are made of what
    #: its incident's check key holds and what its ``key_of(id)`` gives (:class:`~.stages.Letters`,
    #: :class:`~.stages.WorksheetInputs`) has that in its page's key, and is asked only for the pages made.
    letters: Mapping[str, str] = field(default_factory=dict)
    #: Each incident's regulator worksheets (``Worksheet.as_input()`` with its ``files``), by incident id.
    worksheets: Mapping[str, Sequence[Mapping[str, Any]]] = field(default_factory=dict)
    history: Mapping[str, Sequence[Change]] = field(default_factory=dict)
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
    #: Each incident's regulator worksheets as made (``filings.documents.incident_worksheets``), by incident id:
    #: handed to the filings so their PDFs are answered from the same worksheets.
    made: Mapping[str, Sequence[Worksheet]] = field(default_factory=dict)
    #: Each incident's check key (``ProjectCheck.keys``), by incident id: part of its page's key in a
    #: :class:`~.page_cache.PageCache`; an incident without one has its page made every time. Given only with
    #: ``duties`` that are that check's obligations (its entry holds them: the key stands for them).
    checked: Mapping[str, str] = field(default_factory=dict)
    #: What every incident's check shares (``ProjectCheck.shared``: rule, submission and template files, our code,
    #: the days): with the check keys of its incidents, part of a jurisdiction page's key.
    check_shared: str = ""

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
    """A generated page: where it goes in the docs, its Markdown (a placeholder line per HTML block) and its
    HTML blocks (which the search index leaves out)."""

    uri: str
    markdown: str
    in_nav: bool
    blocks: tuple[str, ...] = ()

    @property
    def source(self) -> str:
        """The whole page as Markdown, each block in place as a raw HTML block."""
        if not self.blocks:
            return self.markdown
        return re.sub(r"^BD-BLOCK:(\d+):$", lambda m: self.blocks[int(m.group(1))], self.markdown,
                      flags=re.MULTILINE)

    @property
    def body(self) -> str:
        """:attr:`markdown` without its front matter: what MkDocs converts (it reads the front matter
        itself, from :attr:`source`)."""
        return _body(self.markdown)

    @property
    def source_body(self) -> str:
        """:attr:`source` without its front matter, as MkDocs hands it to plugins."""
        return _body(self.source)

    def content(self, converted: str) -> str:
        """The HTML MkDocs made of :attr:`markdown`, each block marked by a comment until :meth:`output`
        puts it in: the search plugin and the theme handle a few paragraphs, not the tables (which the
        search index leaves out in any case)."""
        if not self.blocks:
            return converted
        return _PLACED.sub(r"<!--BD-BLOCK:\1:-->", converted)

    def output(self, page_html: str) -> str:
        """The finished HTML of the page (theme and all) with every block in place."""
        if not self.blocks:
            return page_html
        return _DEFERRED.sub(lambda m: self.blocks[int(m.group(1))], page_html)

    def html(self, converted: str) -> str:
        """The HTML MkDocs made of :attr:`markdown`, with the blocks put back."""
        return self.output(self.content(converted))


_FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)


def _body(text: str) -> str:
    """``text`` without a YAML front matter, as MkDocs splits a page (the pages have no other kind)."""
    found = _FRONT_MATTER.match(text)
    return (text[found.end():] if found else text).lstrip("\n")


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
def _url(context: Context, target: str) -> Markup:
    """Relative URL (as MkDocs writes it into the HTML) from the rendered page to the docs page ``target``."""
    return _site_href(context, page_url(target, context["use_directory_urls"]))


@pass_context
def _site_href(context: Context, path: str) -> Markup:
    """Relative URL from the rendered page to a file of the site (a filing PDF, a page's URL)."""
    url = page_url(context["here"], context["use_directory_urls"])
    base = url if url.endswith("/") else posixpath.dirname(url) + "/"
    return _site_relative(path, base.rstrip("/") or ".")


@functools.lru_cache(maxsize=1 << 14)
def _relative(target: str, start: str) -> Markup:
    """``target`` relative to the folder ``start`` (both relative to the docs root); remembered, as every
    incident page links the same jurisdictions and index pages."""
    return Markup(posixpath.relpath(target, start))


@functools.lru_cache(maxsize=1 << 14)
def _site_relative(target: str, start: str) -> Markup:
    """A site URL relative to ``start``, keeping the ``/`` that ends a folder URL (``../us-nc/``)."""
    relative = posixpath.relpath(target or ".", start)
    if target.endswith("/") or not target:
        relative = "./" if relative == "." else relative + "/"
    return Markup(relative)


@pass_context
def _html(context: Context, caller: Macro) -> Markup:
    """``{% call html() %}...{% endcall %}``: the HTML of the call becomes one block of the page. Blocks
    hold what the search index leaves out (their elements say ``data-search-exclude``): what people
    search for is written as Markdown around them."""
    blocks: list[str] = context["blocks"]
    # (a <section>, not a <div>: Material's search parser matches elements by tag, so a <div> closing
    # inside an excluded <div> would end the exclusion)
    blocks.append(f'<section class="bd-block" data-search-exclude>\n{str(caller()).strip()}\n</section>')
    return Markup(f"\n{_PLACEHOLDER.format(len(blocks) - 1)}\n")  # a paragraph of its own


def _num(value: Any) -> Markup:
    """A number as plain digits (for attributes)."""
    return Markup(str(int(value)))


def _iso(value: Any) -> Markup:
    """A date as YYYY-MM-DD for a data attribute; empty for anything else."""
    return Markup(value.isoformat()) if isinstance(value, dt.date) else Markup("")


def _web_url(value: Any) -> Markup:
    """A link target from data: only http(s) addresses, anything else becomes '#'."""
    text = str(value or "")
    return md_text(text) if text.startswith(("https://", "http://")) else Markup("#")


def environment(templates_dir: Path) -> Environment:
    """The Jinja2 environment for ``templates_dir/site``: autoescaped, strict about undefined names."""
    env = ImmutableSandboxedEnvironment(  # page templates print the data; they reach nothing else
        loader=TemplateLoader(layers(templates_dir, "templates", "site")),
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
    env.filters["iso"] = _iso
    env.filters["web_url"] = _web_url
    env.tests["match_end"] = lambda value, end: str(value).endswith(end)
    env.globals.update(
        timeline_names=TIMELINE, href=_href, url=_url, site_href=_site_href, html=_html, incident_uri=incident_uri,
        jurisdiction_uri=jurisdiction_uri, soon_days=SOON_DAYS, state_badge=state_badge, duty_data=duty_data,
        duty_when=duty_when, duty_why=duty_why, duty_row=duty_row, duty_line=duty_line, incident_cell=incident_cell,
        affected_row=affected_row,
        status=status_badge, jurisdiction_link=jurisdiction_link,
    )
    return env


def _render(env: Environment, template: str, here: str, use_directory_urls: bool, in_nav: bool,
            **values: Any) -> Page:
    blocks: list[str] = []
    markdown = env.get_template(template).render(here=here, use_directory_urls=use_directory_urls, blocks=blocks,
                                                 **values)
    return Page(here, markdown, in_nav, tuple(blocks))


# --- plain computations over the inputs ----------------------------------------


def judged(duty: Duty, today: dt.date) -> dict[str, Any]:
    """What the pages show of an obligation, with its state on ``today`` (key ``state``, a
    :class:`~..law.duty_state.DutyState`); a duty judged already (the pages of one build judge each
    once) as it is."""
    if not isinstance(duty, Obligation):
        return dict(duty) if not isinstance(duty, dict) else duty
    return {"incident": duty.incident, "jurisdiction": duty.jurisdiction, "duty": duty.duty, "title": duty.title,
            "recipient": str(duty.recipient.get("name") or duty.duty), "due": duty.due, "due_text": duty.due_text,
            "due_at": duty.due_at, "target": duty.target, "status": duty.status, "reason": duty.reason, "hidden": False,
            "order": soonest_first(duty), "state": state_of(duty, today)}


# --- small pieces of HTML the tables repeat (functions: much cheaper than template macros) ------------


@functools.lru_cache(maxsize=64)
def _badge(kind: str, basis: str, label: str) -> Markup:
    target = " bd-state--target" if basis == "target" else ""
    return Markup(f'<span class="bd-state bd-state--{kind}{target}" data-bd-state>{label}</span>')


def state_badge(state: DutyState) -> Markup:
    """A duty state's badge (the page script changes its class and words when the reader's date moves)."""
    return _badge(state.kind, state.basis, state.label)


def duty_data(duty: Mapping[str, Any]) -> Markup:
    """The attributes that let the page script judge a duty again (its dates, the moment of a deadline in
    hours, and whether it is open), and name it (``data-id``: incident, jurisdiction, duty, as
    ``breachdocs deadlines`` lists it)."""
    state: DutyState = duty["state"]
    name = md_text(f"{duty.get('incident', '')} {duty.get('jurisdiction', '')} {duty.get('duty', '')}")
    due_at = duty.get("due_at")
    moment = f' data-due-at="{due_at.isoformat()}"' if isinstance(due_at, dt.datetime) else ""
    return Markup(f'data-bd-duty data-id="{name}" data-open="{"yes" if state.is_open else "no"}" '
                  f'data-kind="{state.kind}" data-due="{_iso(duty.get("due"))}"{moment} '
                  f'data-target="{_iso(duty.get("target"))}"')


def duty_when(duty: Mapping[str, Any]) -> Markup:
    """The date a duty is judged by: its due date (with the time and time zone of a deadline in hours; and
    internal target, when another), else its internal target, marked so, else the law's words."""
    due, target, due_at = duty.get("due"), duty.get("target"), duty.get("due_at")
    if isinstance(due, dt.date):
        extra = (f'<br><small>target <time datetime="{target}">{target}</time></small>'
                 if isinstance(target, dt.date) and target != due else "")
        if isinstance(due_at, dt.datetime):  # the day, then (a line of its own) the hour and the time zone
            hour = md_text(str(duty.get("due_text") or f"{due_at:%Y-%m-%d %H:%M %Z}").removeprefix(due.isoformat()))
            return Markup(f'<time datetime="{due_at.isoformat()}">{due}<span class="bd-hour">{hour}</span></time>'
                          f"{extra}")
        return Markup(f'<time datetime="{due}">{due}</time>{extra}')
    if isinstance(target, dt.date):
        return Markup(f'<time datetime="{target}">{target}</time><br><small>internal target</small>')
    return Markup("<small>") + md_text(duty.get("due_text") or "no fixed date") + Markup("</small>")


@pass_context
def incident_cell(context: Context, incident_id: str, title: str) -> Markup:
    """An incident in a table: its title, and its id below, both links to its page."""
    link = _url(context, incident_uri(incident_id))
    return Markup(f'<a href="{link}">{md_text(title)}</a><br><small><a class="bd-id" href="{link}">'
                  f"{md_text(incident_id)}</a></small>")


@pass_context
def jurisdiction_link(context: Context, code: str) -> Markup:
    """A jurisdiction's code, linked to its page."""
    return Markup(f'<a href="{_url(context, jurisdiction_uri(code))}">{md_text(code)}</a>')


@functools.lru_cache(maxsize=64)
def status_badge(status: str) -> Markup:
    """An incident's status (a step of the workflow: outlined, never a duty's colours)."""
    return Markup(f'<span class="bd-status bd-status--{md_text(status)}">{md_text(status)}</span>')


def duty_line(duty: Mapping[str, Any]) -> Markup:
    """A duty in a list: its state, title and date, judged again by the page script."""
    when = f" ({duty_when(duty)})" if duty.get("due") or duty.get("target") else ""
    return Markup(f'<span class="bd-duty" {duty_data(duty)}>{state_badge(duty["state"])} '
                  f"{md_text(duty['title'])}{when}</span>")


@pass_context
def duty_row(context: Context, duty: Mapping[str, Any], titles: Mapping[str, str] | None = None) -> Markup:
    """One row of a duty table: due date, state, (incident, when ``titles`` are given), duty and recipient,
    jurisdiction, why. Written here rather than in the template: a site of a thousand incidents has tens
    of thousands of rows, and a function writes one several times faster than a template macro."""
    incident = ""
    if titles is not None:
        key = str(duty["incident"])
        incident = f"<td>{incident_cell(context, key, titles.get(key, key))}</td>"
    recipient = f"<br><small>to {md_text(duty['recipient'])}</small>" if duty.get("recipient") else ""
    code = str(duty["jurisdiction"])
    return Markup(
        f'<tr {duty_data(duty)}{" hidden" if duty.get("hidden") else ""}><td>{duty_when(duty)}</td>'
        f'<td>{state_badge(duty["state"])}</td>{incident}<td>{md_text(duty["title"])}{recipient}</td>'
        f"<td>{jurisdiction_link(context, code)}</td>"
        f'<td>{duty_why(str(duty.get("reason") or ""))}</td></tr>')


@pass_context
def affected_row(context: Context, incident: Incident, count: int, duties: Sequence[Mapping[str, Any]]) -> Markup:
    """One row of a jurisdiction's incidents: the incident, its status, its residents there and the duties this law
    gives it (a function, as :func:`duty_row`: a large state lists hundreds of incidents)."""
    listed = Markup("<br>").join(duty_line(d) for d in duties) if duties else Markup("none triggered")
    return Markup(f"<tr><td>{incident_cell(context, incident.id, incident.title)}</td><td>{status_badge(incident.status)}"
                  f'</td><td class="bd-num">{md_text(count)}</td><td>{listed}</td></tr>')


@functools.lru_cache(maxsize=1 << 14)
def duty_why(reason: str) -> Markup:
    """Why a duty applies (its reason trace, one part a line), folded."""
    if not reason:
        return Markup("")
    return Markup('<details class="bd-why"><summary>why</summary>') + lines(reason) + Markup("</details>")


def _soonest(duty: Mapping[str, Any]) -> tuple[dt.date, str, str, str]:
    """The order of the law's open duties (:func:`~..law.deadlines.soonest_first`)."""
    order: tuple[dt.date, str, str, str] = duty["order"]
    return order


def open_duties(duties: Iterable[Duty], today: dt.date) -> list[dict[str, Any]]:
    """Duties not yet met, each with its state on ``today``, soonest first (by due date, else internal
    target; undated last), as ``breachdocs deadlines`` lists them."""
    found = (judged(d, today) for d in duties)
    return sorted((d for d in found if d["state"].is_open), key=_soonest)


def next_deadline(duties: Iterable[Duty], today: dt.date) -> dict[str, Any] | None:
    """The open duty to be done first (by its due date, else its internal target), with its state."""
    pending = [d for d in open_duties(duties, today) if d.get("due") or d.get("target")]
    return pending[0] if pending else None


def _group(items: Iterable[Mapping[str, Any]], key: str) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for item in items:
        out.setdefault(str(item.get(key, "")), []).append(dict(item) if not isinstance(item, dict) else item)
    return out


def organisation(incident: Incident) -> str:
    business = incident.business
    return str(business.get("short_name") or business.get("name") or "")


def incident_row(incident: Incident, duties: Sequence[Duty], today: dt.date) -> dict[str, Any]:
    """What the incidents table and the dashboard show of one incident."""
    judged_duties = [judged(d, today) for d in duties]
    states = [d["state"] for d in judged_duties]
    return {
        "id": incident.id,
        "title": incident.title,
        "status": incident.status,
        "organisation": organisation(incident),
        "discovered": incident.discovered,
        "affected": incident.total_affected,
        "jurisdictions": sorted(incident.residents),
        "next": next_deadline(judged_duties, today),
        "late": sum(1 for s in states if s.is_late),
        "conflicts": status_conflicts(incident.status, [(str(d["duty"]), f"{d['jurisdiction']} {d['title']}", d["state"])
                                                        for d in judged_duties]),
    }


def timeline(incident: Incident, filings: Iterable[Filing]) -> list[tuple[dt.date, list[str]]]:
    """(date, labels) in date order: the incident's dates and its filings."""
    events: dict[dt.date, list[str]] = {}
    for name, label in TIMELINE:
        day = incident.date(name)
        if day is not None:
            events.setdefault(day, []).append(label)
    for filing in filings:
        submitted = filing.get("submitted")
        day = submitted if isinstance(submitted, dt.date) else _date(submitted)
        if day is not None:
            events.setdefault(day, []).append(f"Filed with {filing.get('jurisdiction', '')} "
                                              f"{filing.get('recipient', '')}".rstrip())
    return sorted(events.items())


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def shares(values: Mapping[str, int]) -> list[dict[str, Any]]:
    """Residents per jurisdiction, most first: code, count, percent of all affected, bar width (percent of
    the largest)."""
    top = max(values.values(), default=0)
    total = sum(values.values())
    return [
        {"code": code, "count": count, "share": 100 * count / total if total else 0.0,
         "width": round(100 * count / top) if top else 0}
        for code, count in sorted(values.items(), key=lambda kv: (-kv[1], kv[0]))
    ]


def all_jurisdictions(inputs: SiteInputs) -> list[Place]:
    """The jurisdiction files, plus a bare entry for each residence code that is not a file's code (GB,
    EU-DE: pages link each residence code to its own page)."""
    known = [Place(j.code, j.name, j) for j in inputs.jurisdictions]
    covered = {p.code for p in known}
    seen = {c for i in inputs.incidents for c in i.residents} | {str(f.get("jurisdiction")) for f in inputs.filings}
    known += [Place(c, residence_name(c)) for c in sorted(seen - covered) if c and c != "None"]
    return sorted(known, key=lambda p: p.code)


def incidents_in(place: Place, incidents: Iterable[Incident],
                 duties: Mapping[str, Sequence[Mapping[str, Any]]] | None = None) -> list[Incident]:
    """The incidents that concern a jurisdiction: residents there, or a duty under its law (a federal
    regime such as HIPAA protects no residents of its own: its incidents are those it gives duties)."""
    codes = set(place.codes)
    with_duties = {str(d.get("incident")) for d in (duties or {}).get(place.code, [])}
    return [i for i in incidents if i.id in with_duties or codes & {c for c, n in i.residents.items() if n > 0}]


# --- the pages -------------------------------------------------------------------


def render_home(env: Environment, inputs: SiteInputs, rows: list[dict[str, Any]]) -> Page:
    today = inputs.today
    pending = open_duties(inputs.duties, today)
    horizon = today + dt.timedelta(days=SOON_DAYS + LOOKAHEAD_DAYS)
    by_status = {s: [r for r in rows if r["status"] == s] for s in STATUSES if s != "closed"}
    recent = recent_filings(inputs)
    titles = {i.id: i.title for i in inputs.incidents}
    due_soon = [d for d in pending if d["state"].kind == "due-soon"]
    later = [d for d in pending if d["state"].kind == "due" and d["state"].date is not None
             and d["state"].date <= horizon]
    return _render(
        env, "home.md.j2", "index.md", inputs.use_directory_urls, True,
        today=today, by_status=by_status, titles=titles,
        conflicts=[r for r in rows if r["conflicts"]],
        overdue=[d for d in pending if d["state"].kind in LATE],
        soon_rows=[*due_soon, *({**d, "hidden": True} for d in later)], due_soon_count=len(due_soon),
        recent_filings=recent,
    )


def recent_filings(inputs: SiteInputs) -> list[Filing]:
    """The ten filings submitted last (the dashboard lists them)."""
    return sorted(inputs.filings, key=lambda f: (str(f.get("submitted", "")), str(f.get("incident", ""))),
                  reverse=True)[:10]


def render_incidents(env: Environment, inputs: SiteInputs, rows: list[dict[str, Any]]) -> Page:
    return _render(env, "incidents.md.j2", "incidents/index.md", inputs.use_directory_urls, True, rows=rows,
                   today=inputs.today)


def render_incident(
    env: Environment,
    incident: Incident,
    *,
    today: dt.date,
    duties: Sequence[Duty] = (),
    filings: Sequence[Filing] = (),
    letter: str | None = None,
    history: Sequence[Change] = (),
    use_directory_urls: bool = True,
    worksheets: Sequence[Mapping[str, Any]] = (),
) -> Page:
    """The page of one incident."""
    data = incident.data
    listed = sorted((judged(d, today) for d in duties), key=_soonest)
    return _render(
        env, "incident.md.j2", incident_uri(incident.id), use_directory_urls, False,
        incident=incident, data=data, row=incident_row(incident, list(duties), today), today=today,
        business=incident.business, maintainer=data.get("maintaining_business"),
        dates={name: incident.date(name) for name, _ in TIMELINE},
        timeline=timeline(incident, filings), shares=shares(incident.residents),
        duties=[d for d in listed if d["state"].kind != "not-triggered"],
        not_triggered=[d for d in listed if d["state"].kind == "not-triggered"],
        filings=[filing_record(f) for f in filings], letter=letter, history=list(history),
        worksheets=list(worksheets),
    )


def render_jurisdictions(env: Environment, inputs: SiteInputs, jurisdictions: list[Place],
                         duties: Mapping[str, Sequence[Mapping[str, Any]]]) -> Page:
    rows = [{"jurisdiction": j, "incidents": incidents_in(j, inputs.incidents, duties)} for j in jurisdictions]
    return _render(env, "jurisdictions.md.j2", "jurisdictions/index.md", inputs.use_directory_urls, True, rows=rows)


def render_jurisdiction(env: Environment, place: Place | Jurisdiction, incidents: list[Incident],
                        *, duties: Sequence[Duty] = (), today: dt.date | None = None,
                        use_directory_urls: bool = True, own_rule_file: str = "") -> Page:
    """The page of one jurisdiction: its law in brief, regulator, form, and the incidents it concerns with
    the duties its law gives them (those it does not are on each incident's page); ``own_rule_file`` names
    the project's own rule file when it replaces or adds to breachdocs' rule base."""
    if isinstance(place, Jurisdiction):
        place = Place(place.code, place.name, place)
    codes = place.codes
    day = today or dt.date.today()
    owed = (d for d in (judged(d, day) for d in duties) if d["state"].kind != "not-triggered")
    by_incident = _group(sorted(owed, key=_soonest), "incident")
    affected = [(i, sum(n for c, n in i.residents.items() if c in codes), by_incident.get(i.id, []))
                for i in incidents]
    return _render(
        env, "jurisdiction.md.j2", jurisdiction_uri(place.code), use_directory_urls, False,
        j=place, statute=place.data.get("statute") or {}, duties=place.rules.duties if place.rules else [],
        affected=affected, today=day, own_rule_file=own_rule_file,
    )


def render_deadlines(env: Environment, inputs: SiteInputs) -> Page:
    titles = {i.id: i.title for i in inputs.incidents}
    return _render(env, "deadlines.md.j2", "deadlines.md", inputs.use_directory_urls, True,
                   today=inputs.today, duties=open_duties(inputs.duties, inputs.today), calendar=inputs.calendar,
                   titles=titles)


def build_pages(inputs: SiteInputs, templates_dir: Path, kept: PageCache | None = None) -> Iterable[Page]:
    """Every generated page of the site, one at a time. Index pages go in the nav; one page per incident or
    jurisdiction does not. With ``kept``, a page is taken from there while everything it is made of is unchanged
    (:mod:`.page_cache`: the check keys of ``inputs.checked`` and the values each page names), else made and kept;
    what only the pages made need (duties judged on the day, letters, worksheets as shown) is made only for them."""
    env = environment(templates_dir)
    filings = _group(inputs.filings, "incident")
    incidents = sorted(inputs.incidents, key=lambda i: (i.discovered, i.id), reverse=True)
    jurisdictions = all_jurisdictions(inputs)
    # the incidents each law gives a duty (triggered or not), for the pages that list a jurisdiction's incidents
    owing = _group(({"incident": _field(d, "incident"), "jurisdiction": _field(d, "jurisdiction")}
                    for d in inputs.duties), "jurisdiction")

    @functools.cache
    def judged_all() -> tuple[SiteInputs, dict[str, list[dict[str, Any]]], dict[str, list[dict[str, Any]]]]:
        """Each duty judged once on the day (only when a page is made), by incident and by jurisdiction."""
        every = [judged(d, inputs.today) for d in inputs.duties]
        return dataclasses.replace(inputs, duties=every), _group(every, "incident"), _group(every, "jurisdiction")

    @functools.cache
    def rows() -> list[dict[str, Any]]:
        by_incident = judged_all()[1]
        return [incident_row(i, by_incident.get(i.id, []), inputs.today) for i in incidents]

    # The pages are kept by the check keys of the incidents they show (their residents, titles, statuses and
    # duties: the duties are the check's obligations, judged on the day the cache's own key holds), the checks'
    # shared key (the rule files), and the values named below.
    every_checked = [inputs.checked.get(i.id, "") for i in incidents]
    shared = inputs.check_shared if all(every_checked) else ""
    yield _kept(kept, shared, "index.md", {"incidents": every_checked, "recent": recent_filings(inputs)},
                lambda: render_home(env, judged_all()[0], rows()))
    yield _kept(kept, shared, "incidents/index.md", {"incidents": every_checked},
                lambda: render_incidents(env, inputs, rows()))
    yield _kept(kept, shared, "jurisdictions/index.md", {"incidents": every_checked, "own_rules": inputs.own_rules},
                lambda: render_jurisdictions(env, inputs, jurisdictions, judged_all()[2]))
    yield _kept(kept, shared, "deadlines.md", {"incidents": every_checked, "calendar": inputs.calendar},
                lambda: render_deadlines(env, judged_all()[0]))
    # A letter or worksheets whose inputs are in the check key (``key_of``) are made only for the pages made.
    letter_key, worksheets_key = getattr(inputs.letters, "key_of", None), getattr(inputs.worksheets, "key_of", None)
    for i in incidents:
        values: dict[str, Any] = {"today": inputs.today, "filings": filings.get(i.id, []),
                                   "history": inputs.history.get(i.id, []),
                                   "use_directory_urls": inputs.use_directory_urls,
                                   "letter": letter_key(i.id) if letter_key else inputs.letters.get(i.id),
                                   "worksheets": worksheets_key(i.id) if worksheets_key else inputs.worksheets.get(i.id, [])}

        def incident_page(i: Incident = i, values: dict[str, Any] = values) -> Page:
            return render_incident(env, i, **{**values, "duties": judged_all()[1].get(i.id, []),
                                              "letter": inputs.letters.get(i.id),
                                              "worksheets": inputs.worksheets.get(i.id, [])})

        yield _kept(kept, inputs.checked.get(i.id, ""), incident_uri(i.id), values, incident_page)
    for place in jurisdictions:
        listed = incidents_in(place, incidents, owing)
        own = inputs.own_rules.get(place.code, "")
        checked = [inputs.checked.get(i.id, "") for i in listed]
        values = {"code": place.code, "name": place.name, "own_rule_file": own, "incidents": checked}

        def jurisdiction_page(place: Place = place, listed: list[Incident] = listed, own: str = own) -> Page:
            return render_jurisdiction(env, place, listed, duties=judged_all()[2].get(place.code, []),
                                       today=inputs.today, use_directory_urls=inputs.use_directory_urls,
                                       own_rule_file=own)

        yield _kept(kept, inputs.check_shared if all(checked) else "", jurisdiction_uri(place.code), values,
                    jurisdiction_page)


def _field(duty: Duty, name: str) -> str:
    """A field of a duty, an obligation or one judged already."""
    return str(duty.get(name) if isinstance(duty, Mapping) else getattr(duty, name))


def _kept(kept: PageCache | None, checked: str, uri: str, values: Mapping[str, Any], make: Callable[[], Page]) -> Page:
    """The page at ``uri`` from ``kept`` while what it is made of (``checked``: a check key, and ``values``) is
    unchanged; else made (and kept)."""
    key = kept.key(checked, uri, values) if kept is not None else None
    page = kept.page(key, uri) if kept is not None and key else None
    if page is None:
        page = make()
        if kept is not None and key:
            kept.put(key, page)
    return page
