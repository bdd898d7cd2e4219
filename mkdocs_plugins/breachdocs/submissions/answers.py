"""Answers: each question of a submission answered from the incident, as text a person copies.

An answer names where it came from (``source``: the incident field, or the fields a computed
value reads) and, when it is missing, where to record it (``record_at``). Paths read the
incident after its organisation profile is merged; ``filing.<field>`` reads this duty's own
entry under ``filings`` (the latest), ``business.<field>`` the reporting business. Computed
values (``=residents``, ``=breach_period``, ...) are the functions of :data:`COMPUTED`.

Answers about the filing itself (the date it is signed or sent) are *at filing*: before a filing
is recorded they are written on the day, not missing. A few fields left out are answered from
another (:data:`FALLBACKS`); the people already notified (``notice.notified_count``) are all the
residents once the notice went out, none while it is scheduled; a business reporting itself
(no ``submitter``) answers its relationship with the contact's title; a determination's questions
(``risk_assessment``) say there is none unless the incident records, for the jurisdiction, that
harm is not likely.
Words of the incident's lists read as the portal's choices by a question's ``map``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ..law import Jurisdiction
from ..law.obligations import resident_count
from ..letters.context import consumer_reference, join_words
from ..records import Incident
from ..records.codes import residence_name
from .fields import is_enum
from .submission import Question, Submission

MISSING: Any = object()
#: Paths and computed values that are the filing's own date: written when it is signed or sent.
AT_FILING = frozenset({"filing.signed", "filing.submitted", "=regulator_notice_date"})

_METHOD_WORDS = {"written": "written notice (letter)", "electronic": "electronic notice (email)",
                 "telephone": "telephone notice", "substitute": "substitute notice"}
_KIND_WORDS = {"initial": "Initial report", "amendment": "Amendment (update of an earlier report)",
               "supplemental": "Supplemental report (information provided in phases)"}


@dataclass(frozen=True)
class Answer:
    """One question and its answer."""

    question: Question
    text: str | None  # None when there is no answer
    source: str  # incident field(s) the answer comes from, "" when none
    record_at: str = ""  # where to record it when missing
    at_filing: bool = False  # written on the day the filing is signed or sent

    @property
    def missing(self) -> bool:
        """A required question with no answer that the incident could give."""
        return self.text is None and self.question.required and not self.at_filing

    @property
    def shown(self) -> str:
        """The answer as the worksheet shows it."""
        if self.text is not None:
            return self.text
        if self.at_filing:
            return "(the date you sign or submit; then record the filing under filings)"
        return "(missing)" if self.question.required else "(not given)"


@dataclass(frozen=True)
class AnswerContext:
    """What answers read: the incident, the jurisdiction, this duty's filing entry."""

    incident: Incident
    jurisdiction: Jurisdiction | None
    submission: Submission
    filing: Mapping[str, Any] | None

    @property
    def data(self) -> dict[str, Any]:
        return self.incident.data

    @property
    def codes(self) -> list[str]:
        return list(self.jurisdiction.residents) if self.jurisdiction is not None else []

    @property
    def european(self) -> bool:
        return self.submission.jurisdiction.startswith(("EU", "GB"))

    def date(self, value: dt.date | str) -> str:
        day = dt.date.fromisoformat(value) if isinstance(value, str) else value
        return f"{day.day} {day:%B} {day.year}" if self.european else f"{day:%B} {day.day}, {day.year}"


def duty_filing(incident: Incident, jurisdiction: str, duty: str) -> dict[str, Any] | None:
    """The incident's latest ``filings`` entry for this duty (by date submitted), if any."""
    entries = [(i, f) for i, f in enumerate(incident.filings)
               if f.get("jurisdiction") == jurisdiction and f.get("recipient") == duty]
    if not entries:
        return None
    return max(entries, key=lambda e: (str(e[1].get("submitted", "")), e[0]))[1]


def resolve(data: Mapping[str, Any], path: str, jurisdiction: str = "") -> Any:
    """The value at a dotted path, or MISSING. In a list of entries by jurisdiction (risk_assessment), the
    path goes on in the entry for ``jurisdiction``."""
    node: Any = data
    for part in path.split("."):
        if isinstance(node, list):
            node = next((e for e in node if isinstance(e, Mapping) and e.get("jurisdiction") == jurisdiction),
                        MISSING)
        if isinstance(node, Mapping) and part in node:
            node = node[part]
        else:
            return MISSING
    return node


def _words(value: str) -> str:
    return value.replace("-", " ").replace("_", " ")


def _text(ctx: AnswerContext, question: Question, value: Any) -> str | None:
    """``value`` as text for people: dates in words, lists joined, yes/no."""
    if value is MISSING or value is None or value == "":
        return None
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        if _is_date(value):
            return ctx.date(value)
        if question.type == "datetime" and "T" in value:
            day, _, clock = value.partition("T")
            zone = ctx.data.get("timezone")
            return f"{ctx.date(day)}, {clock}" + (f" ({zone})" if zone else "")
        return value
    if isinstance(value, list):
        if not value:
            return "None"
        parts = [_item(ctx, question, v) for v in value]
        if question.map:  # the portal's choices, to tick one by one
            return "; ".join(p for p in parts if p)
        return join_words(p for p in parts if p)
    if isinstance(value, Mapping):  # counts by residence code: this jurisdiction's
        counts = [v for code, v in value.items() if code in ctx.codes and isinstance(v, int)]
        return str(sum(counts)) if counts else None
    return str(value)


def _item(ctx: AnswerContext, question: Question, value: Any) -> str:
    if isinstance(value, str) and value in question.choices:
        return value
    if isinstance(value, str) and _is_date(value):
        return ctx.date(value)
    if isinstance(value, str) and (value.startswith("US-") or value.startswith("EU-")):
        return residence_name(value)
    return _words(str(value)) if isinstance(value, str) else str(value)


def _is_date(value: str) -> bool:
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


#: Fields answered from another when the incident leaves them out: (the other field, why).
FALLBACKS = {
    "dates.consumers_notified_end": ("dates.consumers_notified", "notice sent on one day"),
    "dates.determined": ("dates.discovered", "no determination date: counted from discovery, as the deadlines are"),
    "reporting_business.organization_type": ("reporting_business.industry", "no organization_type: the industry in "
                                             "words"),
}


def _path_answer(ctx: AnswerContext, question: Question, path: str) -> Answer:
    head, _, rest = path.partition(".")
    at_filing = path in AT_FILING and ctx.filing is None
    source = path
    if head == "filing":
        filing = {"kind": "initial", **(ctx.filing or {})}
        value = resolve(filing, rest)
        if rest == "kind" and value in _KIND_WORDS and value not in dict(question.map):
            return Answer(question, _KIND_WORDS[value], path, path)
    elif head == "business":
        value = resolve(ctx.incident.business, rest)
        path = source = f"reporting_business.{rest}"
    else:
        value = resolve(ctx.data, path, ctx.submission.jurisdiction)
    if value is MISSING and path == "notice.notified_count":
        return _notified(ctx, question)
    if value is MISSING and path in FALLBACKS:
        other, why = FALLBACKS[path]
        value, source = resolve(ctx.data, other), f"{other} ({why})"
    if head == "risk_assessment" and not _no_harm(ctx):
        # A duty that exists only in place of notice: without a no-harm determination there is nothing to say.
        return Answer(question, f"No determination that harm is unlikely under {ctx.submission.jurisdiction} "
                                "(the people affected are notified)", "risk_assessment", path)
    if path == "submitter.relationship" and "submitter" not in ctx.data:  # the business reports itself
        return _own_staff(ctx, question)
    if question.map and value is not MISSING:
        value = _as_choices(question, value)
    if isinstance(value, str) and is_enum(path) and value not in dict(question.map).values():
        value = _words(value).capitalize()  # a word of the field's list the portal's choices do not name
    return Answer(question, _text(ctx, question, value), source, path, at_filing=at_filing)


def _as_choices(question: Question, value: Any) -> Any:
    """``value`` (a word, a list of words, true/false) as the portal's choices, by the question's ``map``;
    values it does not name stay as they are (shown in words)."""
    choices = dict(question.map)

    def one(item: Any) -> Any:
        key = ("true" if item else "false") if isinstance(item, bool) else str(item)
        return choices.get(key, item)

    if isinstance(value, list):
        return list(dict.fromkeys(one(v) for v in value))
    return one(value)


def _no_harm(ctx: AnswerContext) -> bool:
    """Whether the incident records a determination under this submission's jurisdiction that harm is not likely."""
    return any(isinstance(e, Mapping) and e.get("jurisdiction") == ctx.submission.jurisdiction
               and e.get("harm_likely") is False for e in ctx.data.get("risk_assessment") or [])


def _own_staff(ctx: AnswerContext, q: Question) -> Answer:
    """The relationship of a submitter from the business itself: the contact's title there."""
    title = resolve(ctx.data, "contact.title")
    if title in (MISSING, None, ""):
        return Answer(q, None, "contact.title", "submitter.relationship")
    return Answer(q, f"{title} of {ctx.incident.business.get('name', 'the business')}", "contact.title")


# --- computed values -------------------------------------------------------------------------------------------

Computed = Callable[[AnswerContext, Question], Answer]


def _residents(ctx: AnswerContext, q: Question) -> Answer:
    if ctx.jurisdiction is None or not ctx.codes:
        return Answer(q, str(ctx.incident.total_affected), "affected.total", "affected.total")
    codes = [c for c in ctx.incident.residents if c in ctx.codes] or ctx.codes
    where = f"affected.residents.{codes[0]}"
    count = resident_count(ctx.incident, ctx.jurisdiction)
    return Answer(q, str(count) if count else None, where, where)


def _notified(ctx: AnswerContext, q: Question) -> Answer:
    """People already sent notice: ``notice.notified_count``, else all residents once consumers were notified."""
    notice = ctx.data.get("notice") or {}
    notified = ctx.incident.date("consumers_notified")
    where = "notice.notified_count"
    if notified is None:
        return Answer(q, None, where, where)
    if notice.get("planned"):  # scheduled: nobody has been sent it yet
        return Answer(q, "0", f"notice.planned (notice scheduled for {notified})", where)
    counted = _residents(ctx, q)
    return Answer(q, counted.text, f"{counted.source} (all notified {notified})", where)


def _simple(path: str) -> Computed:
    def compute(ctx: AnswerContext, q: Question) -> Answer:
        return Answer(q, _text(ctx, q, resolve(ctx.data, path)), path, path)
    return compute


def _elements(ctx: AnswerContext, q: Question) -> Answer:
    words = consumer_reference()["data_elements"]
    return Answer(q, join_words(words.get(e, _words(e)) for e in ctx.incident.elements), "data.elements")


def _breach_period(ctx: AnswerContext, q: Question) -> Answer:
    start, end = ctx.incident.date("breach_start"), ctx.incident.date("breach_end")
    if start is None:
        return Answer(q, None, "dates.breach_start", "dates.breach_start")
    if end is None:
        return Answer(q, f"from {ctx.date(start)} (end not known)", "dates.breach_start", "dates.breach_end")
    if end == start:
        return Answer(q, ctx.date(start), "dates.breach_start")
    return Answer(q, f"{ctx.date(start)} to {ctx.date(end)}", "dates.breach_start, dates.breach_end")


def _consumer_notice_date(ctx: AnswerContext, q: Question) -> Answer:
    day = ctx.incident.date("consumers_notified")
    if day is None:
        return Answer(q, None, "dates.consumers_notified", "dates.consumers_notified")
    text = ctx.date(day)
    end = ctx.incident.date("consumers_notified_end")
    if end and end != day:
        text += f" to {ctx.date(end)}"
    if (ctx.data.get("notice") or {}).get("planned"):
        text += " (scheduled)"
    return Answer(q, text, "dates.consumers_notified")


def _notice_methods(ctx: AnswerContext, q: Question) -> Answer:
    methods = (ctx.data.get("notice") or {}).get("methods") or []
    if not methods:
        return Answer(q, None, "notice.methods", "notice.methods")
    return Answer(q, join_words(_METHOD_WORDS.get(m, m) for m in methods).capitalize(), "notice.methods")


def _business_address(ctx: AnswerContext, q: Question) -> Answer:
    b = ctx.incident.business
    if not b.get("street") or not b.get("city"):
        return Answer(q, None, "reporting_business.street", "reporting_business.street")
    line = f"{b['street']}, {b['city']}"
    tail = " ".join(str(b[k]) for k in ("state", "zip") if b.get(k))
    if tail:
        line += f", {tail}"
    if b.get("country"):
        line += f", {b['country']}"
    return Answer(q, line, "reporting_business.street, .city, .state, .zip")


def _contact(key: str, fallback: str) -> Computed:
    def compute(ctx: AnswerContext, q: Question) -> Answer:
        for where in (f"contact.{key}", f"{fallback}.{key}"):
            value = resolve(ctx.data, where)
            if value not in (MISSING, None, ""):
                return Answer(q, str(value), where)
        return Answer(q, None, f"contact.{key}", f"contact.{key}")
    return compute


def _regulator_notice_date(ctx: AnswerContext, q: Question) -> Answer:
    value = (ctx.filing or {}).get("submitted")
    return Answer(q, ctx.date(value) if value else None, "filing.submitted", "filing.submitted",
                  at_filing=ctx.filing is None)


def _services_offered(ctx: AnswerContext, q: Question) -> Answer:
    notice = ctx.data.get("notice") or {}
    if notice.get("services_offered"):
        text = str(notice["services_offered"])
        provider = notice.get("services_provider")
        return Answer(q, f"{text} ({provider})" if provider and provider not in text else text,
                      "notice.services_offered")
    months = (notice.get("letter") or {}).get("credit_monitoring_months")
    if months:
        return Answer(q, f"{months} months of free credit monitoring", "notice.letter.credit_monitoring_months")
    return Answer(q, None, "notice.services_offered", "notice.services_offered")


def _law_enforcement(ctx: AnswerContext, q: Question) -> Answer:
    police = ctx.data.get("law_enforcement") or {}
    notice = ctx.data.get("notice") or {}
    if not police:
        return Answer(q, None, "law_enforcement.notified", "law_enforcement.notified")
    if not police.get("notified"):
        text = "Law enforcement has not been notified."
    else:
        text = f"{police.get('agency') or 'Law enforcement'} was notified"
        if police.get("notified_on"):
            text += f" on {ctx.date(police['notified_on'])}"
        if police.get("report_number"):
            text += f" (report {police['report_number']})"
        text += "."
    if notice.get("law_enforcement_delay"):
        text += " Law enforcement asked for notice to be delayed"
        if notice.get("law_enforcement_reference"):
            text += f" ({notice['law_enforcement_reference']})"
        text += "."
    else:
        text += " Notice was not delayed at law enforcement's request."
    return Answer(q, text, "law_enforcement, notice.law_enforcement_delay")


def _sample_letter(ctx: AnswerContext, q: Question) -> Answer:
    notice = ctx.data.get("notice") or {}
    if not (notice.get("letter") or notice.get("notice_text")):
        return Answer(q, None, "notice.letter", "notice.letter")
    return Answer(q, "Attached: a copy of the notice sent to the people affected (the consumer letter).",
                  "notice.letter")


def _substitute_notice(ctx: AnswerContext, q: Question) -> Answer:
    methods = (ctx.data.get("notice") or {}).get("methods") or []
    return Answer(q, "Yes" if "substitute" in methods else "No", "notice.methods")


def _media_notice(ctx: AnswerContext, q: Question) -> Answer:
    states = (ctx.data.get("notice") or {}).get("media_states") or []
    filed = [f for f in ctx.incident.filings if f.get("recipient") == "media"]
    if states:
        return Answer(q, "Yes (" + join_words(residence_name(s) for s in states) + ")", "notice.media_states")
    return Answer(q, "Yes" if filed else "No", "filings (recipient media), notice.media_states")


def _credit_bureaus(ctx: AnswerContext, q: Question) -> Answer:
    told = [f for f in ctx.incident.filings if f.get("recipient") == "credit-bureaus"
            and f.get("jurisdiction") == ctx.submission.jurisdiction]
    if told:
        return Answer(q, f"Yes, on {ctx.date(min(f['submitted'] for f in told))}", "filings (recipient credit-bureaus)")
    return Answer(q, "No", "filings (recipient credit-bureaus)")


COMPUTED: dict[str, Computed] = {
    "residents": _residents,
    "total": _simple("affected.total"),
    "elements": _elements,
    "breach_period": _breach_period,
    "discovered": _simple("dates.discovered"),
    "consumer_notice_date": _consumer_notice_date,
    "notice_methods": _notice_methods,
    "business_address": _business_address,
    "contact_name": _contact("name", "signatory"),
    "contact_phone": _contact("phone", "reporting_business"),
    "contact_email": _contact("email", "reporting_business"),
    "regulator_notice_date": _regulator_notice_date,
    "description": _simple("circumstances"),
    "actions": _simple("actions_taken"),
    "services_offered": _services_offered,
    "law_enforcement": _law_enforcement,
    "sample_letter": _sample_letter,
    "substitute_notice": _substitute_notice,
    "media_notice": _media_notice,
    "credit_bureaus_notified": _credit_bureaus,
}


def answer(ctx: AnswerContext, question: Question) -> Answer:
    """The answer to one question."""
    if question.answer is None:
        return Answer(question, None, "", question.needs or "")
    name = question.computed
    if name is not None:
        return COMPUTED[name](ctx, question)
    return _path_answer(ctx, question, question.answer)


def answers(incident: Incident, submission: Submission, jurisdiction: Jurisdiction | None) -> list[Answer]:
    """Every question of ``submission`` answered from ``incident``, in order."""
    ctx = AnswerContext(incident, jurisdiction, submission,
                        duty_filing(incident, submission.jurisdiction, submission.duty))
    return [answer(ctx, q) for q in submission.questions]
