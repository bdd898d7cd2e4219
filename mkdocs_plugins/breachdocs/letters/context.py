"""The data a letter template sees: facts of the incident, the recipient, the law
of the recipient's state and the national reference contacts.

Templates never retype a fact: names, dates, data elements, what happened and
what the business did all come from the incident record. What the letter says
about the law (how long a fraud alert lasts, whether a security freeze is free)
comes from :func:`law_on`: the law in force when the breach was discovered.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from ..findings import FindingsError
from ..records import Incident
from ..records.codes import residence_name
from ..records.strict_yaml import load_yaml_text
from .letter_law import LetterLaw

DEFAULT_TEMPLATE = "default"


@dataclass(frozen=True)
class Recipient:
    """One addressee. ``state`` is the two-letter US code (``NC``)."""

    name: str
    address1: str
    address2: str
    city: str
    state: str
    zip: str

    @property
    def residence(self) -> str:
        """Residence code of the jurisdiction files: ``NC`` -> ``US-NC``."""
        return f"US-{self.state}"

    def as_context(self) -> dict[str, Any]:
        lines = [line for line in (self.address1, self.address2) if line]
        return {
            "name": self.name,
            "address_lines": lines,
            "city_line": f"{self.city}, {self.state} {self.zip}",
            "state": self.state,
        }


#: The recipient of a sample copy (the seed letter's placeholders).
PLACEHOLDER = Recipient("<NAME>", "<ADDRESS>", "", "CITY", "STATE", "ZIP")


@cache
def consumer_reference() -> dict[str, Any]:
    """Credit bureaus, FTC and the plain words for data elements (``consumer_reference.yaml``)."""
    text = resources.files("breachdocs.letters").joinpath("consumer_reference.yaml").read_text(encoding="utf-8")
    loaded = load_yaml_text(text, "breachdocs/letters/consumer_reference.yaml")
    if loaded.findings:
        raise FindingsError(loaded.findings)
    return loaded.data  # type: ignore[no-any-return]


def join_words(items: Iterable[Any], conjunction: str = "and") -> str:
    """['a', 'b', 'c'] -> 'a, b and c'."""
    words = [str(i) for i in items]
    if len(words) <= 2:
        return f" {conjunction} ".join(words)
    return ", ".join(words[:-1]) + f" {conjunction} " + words[-1]


def long_date(value: dt.date) -> str:
    """2007-08-10 -> 'August 10, 2007'."""
    return f"{value:%B} {value.day}, {value.year}"


def law_date(incident: Incident) -> dt.date:
    """The day whose law a letter follows: the breach's discovery date, as for every duty."""
    return incident.discovered


def law_on(day: dt.date) -> dict[str, bool]:
    """Facts of the law a letter states, each true when in force on ``day`` (``consumer_reference.yaml``
    ``law_facts``): ``fraud_alert_one_year``, ``free_security_freeze``, ``identitytheft_gov``, ..."""
    facts = consumer_reference()["law_facts"]
    return {name: dt.date.fromisoformat(fact["since"]) <= day for name, fact in facts.items()}


def own_sections(incident: Incident) -> dict[str, list[str]]:
    """The incident's own paragraphs by template section (``notice.letter.sections``)."""
    letter = (incident.data.get("notice") or {}).get("letter") or {}
    return {name: list(paragraphs) for name, paragraphs in (letter.get("sections") or {}).items()}


def template_name(incident: Incident) -> str:
    return str(((incident.data.get("notice") or {}).get("letter") or {}).get("template") or DEFAULT_TEMPLATE)


def letter_date(incident: Incident) -> dt.date | None:
    """The date letters carry: when notices are (or are scheduled to be) sent."""
    return incident.date("consumers_notified")


def _breach_period(incident: Incident) -> str:
    start, end = incident.date("breach_start"), incident.date("breach_end")
    if start and end and end != start:
        return f"between {long_date(start)} and {long_date(end)}"
    if start:
        return f"on {long_date(start)}"
    return ""


def _digits(text: str) -> str:
    return re.sub(r"[^0-9]", "", text)


def _state_content(law: LetterLaw | None, as_of: dt.date,
                   day: dt.date) -> tuple[list[str], list[str], dict[str, Any] | None]:
    """(paragraphs, what they provide, Attorney General block or None) for the recipient's jurisdiction,
    under its law on ``day`` (none when its notice to consumers was not yet in force).

    A law that asks for the Attorney General's contact (``ag_contact``) only from a date gets no
    Attorney General block before it. The paragraphs provide ``ag_contact`` when they carry the
    Attorney General's telephone number; the template's own Attorney General block is then left
    out rather than said twice.
    """
    if law is None or not law.in_force_on(day):
        return [], [], None
    paragraphs = list(law.paragraphs_on(day))
    office = law.attorney_general(as_of)
    if "ag_contact" in law.required_content and "ag_contact" not in law.required_on(day):
        office = None  # the law asks for the Attorney General's contact only from a later date
    if office is None:
        return paragraphs, [], None
    phone = _digits(office.get("phone", ""))
    if phone and phone in _digits(" ".join(paragraphs)):
        return paragraphs, ["ag_contact"], None
    name = office.get("name", "")
    lines = [line.strip() for line in office.get("address", "").splitlines() if line.strip() and line.strip() not in name]
    block = {"name": name, "address": ", ".join(lines), "phone": office.get("phone", "")}
    return paragraphs, [], block


def letter_context(incident: Incident, recipient: Recipient, law: LetterLaw | None) -> dict[str, Any]:
    """Everything a template may use. Missing optional facts are empty, never invented."""
    reference = consumer_reference()
    data = incident.data
    business = incident.business
    name = business["name"]
    business = {
        **business,
        "short_name": business.get("short_name") or name,
        "letter_name": business.get("letter_name") or name,
        "information_center": business.get("information_center") or business["phone"],
        "division": business.get("division") or "",
    }
    letter = dict((data.get("notice") or {}).get("letter") or {})
    signatory = dict(data.get("signatory") or {})
    sign_name = letter.get("signatory") or signatory.get("name") or ""
    words = reference["data_elements"]
    elements = [words.get(e, e.replace("_", " ")) for e in incident.elements]
    when = letter_date(incident)
    dates = {key: long_date(dt.date.fromisoformat(v[:10])) for key, v in (data.get("dates") or {}).items() if v}
    as_of = when or incident.discovered
    day = law_date(incident)
    paragraphs, state_provides, attorney_general = _state_content(law, as_of, day)
    return {
        "incident": data,
        "business": business,
        "dates": dates,
        "breach_period": _breach_period(incident),
        "letter_date": "<DATE>" if when is None else long_date(when),
        "elements": elements,
        "elements_text": join_words(elements),
        "letter": {
            "paragraphs": list(letter.get("paragraphs") or []),
            "reimburse_credit_reports": bool(letter.get("reimburse_credit_reports")),
            "credit_monitoring_months": int(letter.get("credit_monitoring_months") or 0),
            "sections": own_sections(incident),
        },
        "gdpr": {"likely_consequences": "", "dpo_contact": "", **(data.get("gdpr") or {})},
        "law": law_on(day),
        "law_date": day.isoformat(),
        "required": list(law.required_on(day)) if law is not None else [],
        "signatory": {"name": sign_name, "title": signatory.get("title") or ""},
        "recipient": recipient.as_context(),
        "state_name": residence_name(recipient.residence) if recipient is not PLACEHOLDER else "",
        "state_paragraphs": paragraphs,
        "state_provides": state_provides,
        "attorney_general": attorney_general,
        "law_enforcement_delay": bool((data.get("notice") or {}).get("law_enforcement_delay")),
        "credit_bureaus": reference["credit_bureaus"],
        "annual_credit_report": reference["annual_credit_report"],
        "ftc": reference["ftc"],
    }
