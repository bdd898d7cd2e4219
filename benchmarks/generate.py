"""Deterministic synthetic data for the benchmarks: incidents and recipient lists.

Everything is drawn from one seeded :class:`random.Random`, so the same seed and
counts give byte-identical files. The incidents follow ``incident.schema.json`` and
pass every check of ``breachdocs validate``; their spread follows public statistics:

- where people live: the 2020 US Census (``population.py``); a small breach stays
  mostly in the business's home state, a large one spreads nationwide;
- how many people: log-normal, median about 2,000, from tens to millions (breach
  notices filed with state attorneys general show this long tail);
- what happened: hacking/ransomware about half, then misdirected mail and email,
  lost or stolen devices and paper, insiders, web exposure, card skimming
  (the categories of the Privacy Rights Clearinghouse chronology);
- when: discovery dates spread over 2019-2025, breach start before, notice after.

Recipients are invented (common first and last names, numbered streets, a ZIP
whose prefix belongs to the state): no real person's data.

Run ``python -m benchmarks.generate --incidents 1000 --out /tmp/bench`` to write a
project folder (``incidents/`` plus links to this checkout's ``jurisdictions/``
and ``templates/``), and ``--recipients N`` for a recipient CSV beside it.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import math
import os
import random
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .population import POPULATION_K, ZIP_PREFIXES

ROOT = Path(__file__).resolve().parent.parent
SCHEMA_LINE = "# yaml-language-server: $schema=../mkdocs_plugins/breachdocs/records/incident.schema.json\n"
#: Folders of the checkout a generated project links to (when they exist).
SHARED_FOLDERS = ("jurisdictions", "templates", "site_src")
#: Files of the checkout a generated project copies (when they exist).
SHARED_FILES = ("mkdocs.yml",)
FIRST_DAY = dt.date(2019, 1, 1)
LAST_DAY = dt.date(2025, 12, 31)

STATES = list(POPULATION_K)
STATE_WEIGHTS = [POPULATION_K[s] for s in STATES]

_Dumper: type = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

# --- vocabulary -----------------------------------------------------------------------------------

_ORG_FIRST = (
    "Blue Ridge", "Cedar", "Summit", "Harbor", "Prairie", "Granite", "Evergreen", "Lakeshore", "Pioneer",
    "Silver Creek", "Northgate", "Riverbend", "Keystone", "Magnolia", "Redwood", "Bayview", "Copper",
    "Heritage", "Liberty", "Meridian", "Oakmont", "Pinnacle", "Sierra", "Tidewater", "Westfield",
)
_ORG_SECTOR = (
    ("Health System", ("medical", "health_insurance", "date_of_birth", "ssn", "address")),
    ("Family Clinic", ("medical", "health_insurance", "date_of_birth", "address")),
    ("Credit Union", ("financial_account", "ssn", "account_access_code", "address")),
    ("Savings Bank", ("financial_account", "ssn", "payment_card", "address")),
    ("Insurance Company", ("ssn", "date_of_birth", "health_insurance", "drivers_license")),
    ("Retail Group", ("payment_card", "email", "address", "phone")),
    ("Online Outfitters", ("payment_card", "email", "username_password", "address")),
    ("School District", ("ssn", "date_of_birth", "address", "state_id")),
    ("University", ("ssn", "date_of_birth", "email_password", "passport")),
    ("Payroll Services", ("ssn", "tax_id", "financial_account", "address")),
    ("Tax Preparers", ("ssn", "tax_id", "financial_account", "date_of_birth")),
    ("Staffing Agency", ("ssn", "drivers_license", "date_of_birth", "passport")),
    ("Software", ("email", "username_password", "phone")),
    ("Dental Partners", ("medical", "health_insurance", "ssn")),
    ("Auto Finance", ("ssn", "drivers_license", "financial_account")),
    ("Logistics", ("ssn", "drivers_license", "military_id", "biometric")),
)
_CITIES = (
    "Springfield", "Franklin", "Greenville", "Clinton", "Fairview", "Salem", "Madison", "Georgetown",
    "Arlington", "Ashland", "Burlington", "Manchester", "Milton", "Newport", "Oxford", "Riverside",
    "Centerville", "Bristol", "Dover", "Hudson", "Kingston", "Lexington", "Marion", "Jackson",
)
_STREETS = (
    "Main", "Oak", "Pine", "Maple", "Cedar", "Elm", "Washington", "Lake", "Hill", "Park", "Church",
    "Walnut", "Spring", "North", "Ridge", "Mill", "Sunset", "Forest", "River", "Highland", "Meadow",
)
_STREET_KINDS = ("Street", "Avenue", "Road", "Drive", "Lane", "Boulevard", "Court", "Way")
_FIRST_NAMES = (
    "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Elizabeth",
    "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Carlos", "Karen",
    "Daniel", "Lisa", "Matthew", "Nancy", "Anthony", "Sandra", "Mark", "Ashley", "Jose", "Emily",
    "Wei", "Priya", "Ahmed", "Fatima", "Hiroshi", "Olga", "Kwame", "Aisha", "Mateo", "Sofia",
)
_LAST_NAMES = (
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
    "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore",
    "Jackson", "Martin", "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Nguyen",
    "Patel", "Kim", "O'Brien", "Okafor", "Novak", "Schmidt", "Rossi", "Kowalski", "Haddad", "Tanaka",
)
_SIGNERS = (
    ("Alex Morgan", "Chief Privacy Officer"), ("Jordan Lee", "General Counsel"),
    ("Casey Rivera", "Vice President, Compliance"), ("Taylor Brooks", "Chief Information Security Officer"),
    ("Morgan Patel", "Privacy Director"), ("Riley Chen", "Chief Executive Officer"),
)


@dataclass(frozen=True)
class Kind:
    """A kind of breach: how often it happens, its words, its data format."""

    slug: str
    weight: float
    title: str
    circumstances: str
    actions: str
    prevention: str
    formats: tuple[str, ...]


KINDS = (
    Kind("ransomware", 30, "Ransomware attack on {system}",
         "An unauthorised actor gained access to the {system} through {vector} and encrypted files; "
         "before doing so the actor copied data from the affected servers.",
         "We isolated the affected systems, engaged a forensic firm, notified law enforcement and restored "
         "operations from backups.",
         "We reset all credentials, deployed endpoint detection on every server and require multi-factor "
         "authentication for remote access.", ("electronic",)),
    Kind("network-intrusion", 20, "Unauthorised access to the {system}",
         "An unauthorised party accessed the {system} through {vector} and viewed or copied files.",
         "We blocked the access, investigated with outside experts and reviewed the files involved.",
         "We patched the exploited weakness and added monitoring of unusual access.", ("electronic",)),
    Kind("misdirected-email", 10, "{Record} emailed to the wrong recipient",
         "An employee emailed a file containing {record} to an unintended recipient outside the organisation.",
         "The recipient deleted the file and confirmed the deletion in writing.",
         "Attachments are now checked by a second person and outgoing email with personal data is scanned.",
         ("electronic",)),
    Kind("misdirected-mail", 6, "{Record} mailed to the wrong addresses",
         "A mailing error placed {record} in envelopes addressed to other customers.",
         "We asked the recipients to return or destroy the documents and corrected the mailing process.",
         "Our print vendor now verifies every insert against its envelope.", ("paper",)),
    Kind("lost-laptop", 7, "Laptop with {record} stolen",
         "A company laptop holding {record} was stolen from an employee's car.",
         "We reported the theft to the police and remotely wiped the device when it came online.",
         "All laptops are now encrypted and personal data is no longer stored on them.", ("electronic",)),
    Kind("lost-paper", 4, "Box of {record} lost in transit",
         "A box of paper files containing {record} was lost while being moved to a storage site.",
         "We searched both sites and the carrier's depots and reported the loss to the police.",
         "Paper files now travel only in locked containers with a signed chain of custody.", ("paper",)),
    Kind("insider", 7, "Employee accessed {record} without a business need",
         "An employee accessed {record} without a business reason and may have copied it.",
         "We ended the employee's access, reported the matter to law enforcement and reviewed access logs.",
         "Access to personal data is now reviewed monthly and limited to named roles.", ("electronic", "both")),
    Kind("web-exposure", 10, "{Record} exposed on a public web server",
         "A configuration error left {record} readable on a web server without a password.",
         "We removed public access the same day and reviewed the server logs for downloads.",
         "Configuration changes now pass an automated check for public storage.", ("electronic",)),
    Kind("card-skimming", 3, "Payment card skimming on the online store",
         "Malicious code inserted into the checkout page of the online store captured payment card details.",
         "We removed the code, notified the card brands and engaged a PCI forensic investigator.",
         "The checkout page is now monitored for changes and served with a content security policy.",
         ("electronic",)),
    Kind("vendor-breach", 3, "Breach at a service provider holding {record}",
         "A service provider that processes {record} for us reported that an attacker accessed its systems.",
         "We obtained the provider's forensic report and identified the people whose data was involved.",
         "We reviewed the provider's security controls and shortened the data kept there.",
         ("electronic", "both")),
)
_KIND_WEIGHTS = [k.weight for k in KINDS]
#: What regulators' portals ask about each kind of breach (incident.schema.json: breach.kind, breach.location).
_BREACH_FACTS: dict[str, tuple[list[str], list[str], str]] = {
    "ransomware": (["ransomware", "hacking"], ["network-server"], "Staff found files encrypted and a ransom note."),
    "network-intrusion": (["hacking"], ["network-server"], "Security monitoring flagged unusual access."),
    "misdirected-email": (["inadvertent-disclosure", "misdirected-communication"], ["email"],
                          "The unintended recipient told us."),
    "misdirected-mail": (["inadvertent-disclosure", "misdirected-communication"], ["paper"],
                         "Customers called to say they had received other people's documents."),
    "lost-laptop": (["theft"], ["laptop"], "The employee reported the theft the same day."),
    "lost-paper": (["loss"], ["paper"], "The storage site reported that the box had not arrived."),
    "insider": (["insider-wrongdoing", "unauthorized-access"], ["network-server"], "A routine access review."),
    "web-exposure": (["unauthorized-access"], ["website"], "A security researcher told us."),
    "card-skimming": (["malware", "hacking"], ["website"], "A card brand reported a pattern of fraud."),
    "vendor-breach": (["hacking"], ["network-server"], "The service provider told us."),
}
#: The type of organisation portals ask for, by the word in a business's name.
_INDUSTRY = {"Health": "Health Care", "Clinic": "Health Care", "Dental": "Health Care", "Credit": "Financial Services",
             "Bank": "Financial Services", "Insurance": "Financial Services", "Payroll": "Financial Services",
             "Tax": "Financial Services", "School": "Educational", "University": "Educational"}
_SYSTEMS = ("file server", "email system", "billing system", "patient portal", "payroll system",
            "customer database", "document management system", "VPN gateway")
_VECTORS = ("a phishing email", "a stolen password", "an unpatched VPN appliance", "a vulnerable web application",
            "remote desktop access exposed to the internet")
_RECORDS = ("customer records", "employee files", "patient records", "member account statements",
            "tax forms", "benefit enrolment forms", "loan applications")
_STATUSES = ("draft", "in-review", "approved", "notified", "closed")
_STATUS_WEIGHTS = (6, 6, 8, 30, 50)


# --- drawing ----------------------------------------------------------------------------------------

def _slug(text: str) -> str:
    out = "".join(c.lower() if c.isalnum() else "-" for c in text)
    return "-".join(p for p in out.split("-") if p)


def draw_total(rng: random.Random) -> int:
    """People affected: log-normal, median about 2,000, clipped to 12 .. 5,000,000."""
    return max(12, min(5_000_000, int(rng.lognormvariate(math.log(2000), 2.2))))


def draw_residents(rng: random.Random, total: int, home: str) -> dict[str, int]:
    """Affected people by jurisdiction code; adds up to at most ``total``."""
    out: dict[str, int] = {}
    spread = min(len(STATES), 1 + int(math.log10(max(total, 10)) ** 2))
    home_share = rng.uniform(0.35, 0.95) if spread < 10 else rng.uniform(0.05, 0.4)
    others = [s for s in rng.choices(STATES, STATE_WEIGHTS, k=spread * 2) if s != home]
    chosen = [home, *dict.fromkeys(others)][:spread]
    left = total
    home_count = max(1, int(total * home_share))
    out[f"US-{home}"] = home_count
    left -= home_count
    weights = [POPULATION_K[s] * rng.uniform(0.5, 1.5) for s in chosen[1:]]
    whole = sum(weights) or 1.0
    for state, weight in zip(chosen[1:], weights, strict=True):
        count = int(left * weight / whole * rng.uniform(0.7, 1.0))
        if count > 0:
            out[f"US-{state}"] = count
    # No EU or GB residents: a GDPR notice needs content (DPO contact, likely consequences)
    # the shipped default letter does not carry, so such incidents need their own template.
    return dict(sorted(out.items()))


def _day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, max(0, (end - start).days)))


@dataclass(frozen=True)
class Organisation:
    slug: str
    business: dict[str, Any]
    elements: tuple[str, ...]
    profile: bool


def make_organisations(rng: random.Random, count: int) -> list[Organisation]:
    """``count`` invented businesses, unique by slug; about a third keep their fields in a profile."""
    orgs: list[Organisation] = []
    seen: set[str] = set()
    while len(orgs) < count:
        name_first = rng.choice(_ORG_FIRST)
        sector, elements = rng.choice(_ORG_SECTOR)
        name = f"{name_first} {sector}"
        slug = _slug(name)
        if slug in seen:
            slug = f"{slug}-{len(orgs)}"
        seen.add(slug)
        state = rng.choices(STATES[:51], STATE_WEIGHTS[:51])[0]  # businesses in the 50 states and DC
        domain = slug.replace("-", "") + ".example"
        business: dict[str, Any] = {
            "name": f"{name}, Inc." if rng.random() < 0.5 else f"{name} LLC",
            "short_name": name,
            "street": f"{rng.randint(1, 9999)} {rng.choice(_STREETS)} {rng.choice(_STREET_KINDS)}",
            "city": rng.choice(_CITIES),
            "state": state,
            "zip": draw_zip(rng, state),
            "phone": f"{rng.randint(201, 989)}-555-{rng.randint(100, 199):04d}",
            "email": f"privacy@{domain}",
            "website": f"https://www.{domain}",
            "information_center": f"1-800-555-{rng.randint(100, 199):04d}",
        }
        business["industry"] = next((v for k, v in _INDUSTRY.items() if k in sector), "Other Commercial")
        if rng.random() < 0.4:
            business["fax"] = f"{rng.randint(201, 989)}-555-{rng.randint(200, 299):04d}"
        if "medical" in elements:
            business["regulated_as"] = ["hipaa-covered-entity"]
            business["hipaa_entity_type"] = "healthcare-provider"
        elif "financial_account" in elements:
            business["regulated_as"] = ["glba-financial-institution"]
        orgs.append(Organisation(slug, business, elements, profile=rng.random() < 0.35))
    return orgs


def draw_zip(rng: random.Random, state: str) -> str:
    low, high = rng.choice(ZIP_PREFIXES[state])
    return f"{rng.randint(low, high):03d}{rng.randint(0, 99):02d}"


def make_incident(rng: random.Random, index: int, org: Organisation, *, today: dt.date = LAST_DAY) -> dict[str, Any]:
    """One incident as a mapping that follows incident.schema.json."""
    kind = rng.choices(KINDS, _KIND_WEIGHTS)[0]
    words = {"system": rng.choice(_SYSTEMS), "vector": rng.choice(_VECTORS), "record": rng.choice(_RECORDS)}
    words["Record"] = words["record"][0].upper() + words["record"][1:]
    discovered = _day(rng, FIRST_DAY, min(today, LAST_DAY) - dt.timedelta(days=120))
    start = discovered - dt.timedelta(days=int(rng.expovariate(1 / 30)))
    status = rng.choices(_STATUSES, _STATUS_WEIGHTS)[0]
    ident = f"{discovered.isoformat()}-{org.slug}-{kind.slug}-{index:05d}"

    dates: dict[str, str] = {"breach_start": start.isoformat()}
    if rng.random() < 0.7:
        dates["breach_end"] = _day(rng, start, discovered).isoformat()
    dates["discovered"] = discovered.isoformat()
    if rng.random() < 0.6:
        dates["contained"] = (discovered + dt.timedelta(days=rng.randint(0, 10))).isoformat()
    if rng.random() < 0.5:
        dates["determined"] = (discovered + dt.timedelta(days=rng.randint(1, 40))).isoformat()
    # Most notices go out within the 30 days the strictest states allow; the rest are late and say
    # why (breach notices filed with attorneys general show a long tail of months).
    late = rng.random() < 0.3
    delay = rng.randint(31, 110) if late else rng.randint(10, 25)
    dates["consumers_notified"] = (discovered + dt.timedelta(days=delay)).isoformat()
    notice: dict[str, Any] = {"planned": status not in ("notified", "closed")}

    total = draw_total(rng)
    elements = ["name", *rng.sample(org.elements, k=rng.randint(1, len(org.elements)))]
    if kind.slug == "card-skimming":
        elements = ["name", "payment_card", "address"]
    fmt = rng.choice(kind.formats)
    protected = fmt != "paper" and rng.random() < 0.12
    data: dict[str, Any] = {"format": fmt, "elements": list(dict.fromkeys(elements)), "protected": protected}
    if protected:
        data["protection"] = "The files were encrypted with AES-256; the key was held separately."
        data["key_compromised"] = kind.slug in ("ransomware", "network-intrusion") and rng.random() < 0.5

    notice["methods"] = ["written"] + (["electronic"] if rng.random() < 0.3 else []) + (
        ["substitute"] if total > 500_000 else [])
    if late:
        notice["delay_reason"] = "The forensic investigation needed time to identify the people involved."
        if rng.random() < 0.3:
            notice["law_enforcement_delay"] = True
            notice["law_enforcement_reference"] = f"Written request of the FBI field office, case {index:06d}"
    letter: dict[str, Any] = {"template": "default"}
    signer, role = rng.choice(_SIGNERS)
    letter["signatory"] = signer
    letter["credit_monitoring_months"] = rng.choice((12, 24))  # CA, CT, MA, RI letters must offer it
    if rng.random() < 0.2:
        letter["paragraphs"] = ["We are sorry for the worry this may cause you."]
    notice["letter"] = letter

    record: dict[str, Any] = {"id": ident, "title": kind.title.format(**words), "status": status}
    if org.profile:
        record["organization"] = org.slug
        record["reporting_business"] = {}
    else:
        record["reporting_business"] = dict(org.business)
    record.update({
        "dates": dates,
        "affected": {"total": total, "residents": draw_residents(rng, total, org.business["state"])},
        "data": data,
        "circumstances": kind.circumstances.format(**words),
        "actions_taken": kind.actions,
        "prevention": kind.prevention,
        "notice": notice,
        "signatory": {"name": signer, "title": role},
        "contact": {"name": signer, "title": role, "phone": org.business["phone"]},
    })
    if not record["reporting_business"]:
        del record["reporting_business"]
    # Legal's risk-of-harm determination, one per law in play: harm is likely, so every notice is owed.
    regimes = {"hipaa-covered-entity": ["US-FED-HIPAA"]}.get(next(iter(org.business.get("regulated_as", [])), ""), [])
    decided = (discovered + dt.timedelta(days=2)).isoformat()
    record["risk_assessment"] = [
        {"jurisdiction": code, "decided_on": decided, "decided_by": signer, "harm_likely": True, "written": True,
         "law_enforcement_consulted_on": decided, "law_enforcement_consulted_with": "FBI field office"}
        for code in [*regimes, *record["affected"]["residents"]]]
    _add_regulator_facts(record, kind, index)
    if status in ("notified", "closed") and "US-NC" in record["affected"]["residents"]:
        submitted = dt.date.fromisoformat(dates["consumers_notified"]) + dt.timedelta(days=rng.randint(0, 5))
        record["filings"] = [{
            "jurisdiction": "US-NC", "recipient": "attorney-general", "form": "us-nc-ago-breach",
            "signed": submitted.isoformat(), "submitted": submitted.isoformat(), "kind": "initial",
        }]
    return record


def _add_regulator_facts(record: dict[str, Any], kind: Kind, index: int) -> None:
    """The facts regulators' portals and letters ask for (no random draws: the rest of the incident stays
    what the seed gives)."""
    kinds, location, found = _BREACH_FACTS[kind.slug]
    dates = record["dates"]
    dates.setdefault("breach_end", dates["discovered"])  # HHS asks for the end; at the latest, discovery
    record["breach"] = {"kind": kinds, "location": location, "how_discovered": found,
                        "responsible_party": "An employee" if kind.slug.startswith("misdirected") or
                        kind.slug == "insider" else "An unknown outside party",
                        "previous_notices": []}
    record["security"] = {"safeguards": "Access controls, staff training and encryption of laptops.",
                          "written_program": True}
    police = "reported the" in kind.actions or "law enforcement" in kind.actions
    record["law_enforcement"] = ({"notified": True, "agency": "FBI field office",
                                  "report_number": f"FBI-{index:06d}"} if police else {"notified": False})
    record["hipaa"] = {"safeguards": ["privacy-rule", "security-rule-administrative"]}
    notice = record["notice"]
    months = notice["letter"]["credit_monitoring_months"]
    notice["services_offered"] = f"{months} months of free credit monitoring and identity restoration"
    notice["services_instructions"] = "Enrol online or by telephone with the code in the letter within 90 days."
    notice["individual_steps"] = "Review account statements and credit reports; consider a security freeze."
    notice["recipient_list"] = "The list of residents notified, sent on request by secure transfer."


def incident_yaml(record: dict[str, Any], *, flow_lists: bool) -> str:
    """The YAML text of one incident, with the schema line editors use."""
    body = yaml.dump(record, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100,
                     default_flow_style=None if flow_lists else False)
    return SCHEMA_LINE + body


def iter_incidents(count: int, seed: int = 0) -> Iterator[tuple[str, str]]:
    """``(file name, YAML text)`` of ``count`` incidents, then of the organisation profiles they use."""
    rng = random.Random(seed)
    orgs = make_organisations(rng, max(4, min(400, count // 5 or 1)))
    used: set[str] = set()
    for index in range(count):
        org = rng.choice(orgs)
        record = make_incident(rng, index, org)
        if org.profile:
            used.add(org.slug)
        yield f"{record['id']}.yaml", incident_yaml(record, flow_lists=rng.random() < 0.5)
    for org in orgs:
        if org.slug in used:
            text = SCHEMA_LINE + yaml.dump({"reporting_business": org.business}, Dumper=_Dumper, sort_keys=False)
            yield f"_organization-{org.slug}.yaml", text


def write_project(out: Path, incidents: int, seed: int = 0, *, source: Path = ROOT) -> Path:
    """A project folder at ``out``: ``incidents/`` freshly generated, the shared folders linked from ``source``."""
    out.mkdir(parents=True, exist_ok=True)
    folder = out / "incidents"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir()
    for name, text in iter_incidents(incidents, seed):
        (folder / name).write_text(text, encoding="utf-8")
    link_shared(out, source)
    return out


def link_shared(out: Path, source: Path = ROOT) -> None:
    """Link ``jurisdictions/``, ``templates/``, ``site_src/`` of ``source`` into ``out``; copy ``mkdocs.yml``."""
    for name in SHARED_FOLDERS:
        target, link = source / name, out / name
        if link.is_symlink() and link.resolve() != target.resolve():
            link.unlink()  # data generated from another checkout: measure this one's rules and templates
        if target.exists() and not link.exists():
            link.symlink_to(target.resolve(), target_is_directory=True)
    for name in SHARED_FILES:
        if (source / name).exists():
            shutil.copyfile(source / name, out / name)


# --- recipients -------------------------------------------------------------------------------------

RECIPIENT_COLUMNS = ("name", "address1", "address2", "city", "state", "zip", "customer_id")


def iter_recipients(count: int, seed: int = 0, states: dict[str, int] | None = None) -> Iterator[dict[str, str]]:
    """Invented recipients; ``states`` weights the two-letter states (default: by population)."""
    rng = random.Random(f"recipients-{seed}")
    weights = states or POPULATION_K
    names, w = list(weights), list(weights.values())
    for row in range(count):
        state = rng.choices(names, w)[0]
        unit = rng.random()
        yield {
            "name": f"{rng.choice(_FIRST_NAMES)} {rng.choice('ABCDEFGHJKLMNPRSTW')}. {rng.choice(_LAST_NAMES)}",
            "address1": f"{rng.randint(1, 19999)} {rng.choice(_STREETS)} {rng.choice(_STREET_KINDS)}",
            "address2": f"Apt {rng.randint(1, 40)}{rng.choice('ABCD')}" if unit < 0.25 else "",
            "city": rng.choice(_CITIES),
            "state": state,
            "zip": draw_zip(rng, state) + (f"-{rng.randint(1, 9999):04d}" if unit > 0.8 else ""),
            "customer_id": f"C{seed:02d}{row:08d}",
        }


def write_recipients(path: Path, count: int, seed: int = 0, states: dict[str, int] | None = None) -> Path:
    """A recipient CSV (header ``name,address1,address2,city,state,zip,customer_id``), owner-only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        os.chmod(path, 0o600)
        writer = csv.DictWriter(handle, fieldnames=RECIPIENT_COLUMNS)
        writer.writeheader()
        writer.writerows(iter_recipients(count, seed, states))
    return path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.generate", description=__doc__.split("\n\n")[0])
    parser.add_argument("--incidents", type=int, default=1000, help="number of incidents (default 1000)")
    parser.add_argument("--recipients", type=int, default=0, help="also write recipients.csv with this many rows")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, required=True, help="project folder to create")
    args = parser.parse_args(argv)
    write_project(args.out, args.incidents, args.seed)
    print(f"{args.incidents} incidents in {args.out / 'incidents'}")
    if args.recipients:
        path = write_recipients(args.out / "recipients.csv", args.recipients, args.seed)
        print(f"{args.recipients} recipients in {path}")


if __name__ == "__main__":
    main()
