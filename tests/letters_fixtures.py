"""Shared helpers for the letters tests: a throw-away project with two jurisdictions."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

from breachdocs.project import Project
from breachdocs.records import Incident, load_incident

ROOT = Path(__file__).resolve().parent.parent
MASSMUTUAL = "2007-08-10-massmutual-misdirected-email"

NC_PARAGRAPH = ("North Carolina residents can obtain information about preventing identity theft from the "
                "North Carolina Attorney General's Office.")
MA_PARAGRAPH = "Massachusetts residents have the right to obtain a police report."

NC_YAML = f"""\
code: US-NC
name: North Carolina
kind: state
residents: [US-NC]
statute:
  citation: N.C.G.S. 75-61, 75-65
consumer_notice:
  required_content: [REQUIRED]
  content_citation: N.C.G.S. 75-65(d)(1)-(7)
  letter_paragraphs:
    - {NC_PARAGRAPH}
duties:
  - id: attorney-general
    recipient:
      name: North Carolina Attorney General, Consumer Protection Division
      address: |-
        9001 Mail Service Center
        Raleigh, NC 27699-9001
      phone: (919) 716-6000
"""

MA_YAML = f"""\
code: US-MA
name: Massachusetts
kind: state
residents: [US-MA]
statute:
  citation: M.G.L. c. 93H, 3
consumer_notice:
  required_content: [police_report, security_freeze]
  letter_paragraphs:
    - {MA_PARAGRAPH}
"""

NC_REQUIRED = ("incident_description, data_elements, business_actions, contact_information, remain_vigilant, "
               "credit_bureaus, ftc_contact, ag_contact, identity_theft_information")


def make_project(tmp: Path, *, nc_required: str = NC_REQUIRED, nc_ag: bool = True) -> Project:
    """incidents/ (MassMutual), templates/letters/ (the real templates) and jurisdictions NC and MA."""
    root = tmp / "repo"
    (root / "incidents").mkdir(parents=True)
    for name in (f"{MASSMUTUAL}.yaml", "_organization-massmutual.yaml"):
        shutil.copy(ROOT / "incidents" / name, root / "incidents" / name)
    shutil.copytree(ROOT / "templates" / "letters", root / "templates" / "letters")
    (root / "jurisdictions").mkdir()
    nc = NC_YAML.replace("REQUIRED", nc_required)
    if not nc_ag:
        nc = nc[: nc.index("duties:")]
    (root / "jurisdictions" / "us-nc.yaml").write_text(nc, encoding="utf-8")
    (root / "jurisdictions" / "us-ma.yaml").write_text(MA_YAML, encoding="utf-8")
    return Project(root)


def edit_incident(project: Project, old: str, new: str) -> None:
    file = project.incidents_dir / f"{MASSMUTUAL}.yaml"
    text = file.read_text(encoding="utf-8")
    assert old in text
    file.write_text(text.replace(old, new), encoding="utf-8")


def incident(project: Project) -> Incident:
    loaded, findings = load_incident(project.incidents_dir / f"{MASSMUTUAL}.yaml",
                                     display=f"incidents/{MASSMUTUAL}.yaml")
    assert loaded is not None, findings
    return loaded


def write_template(project: Project, name: str, body: str) -> Path:
    file = project.templates_dir / "letters" / f"{name}.j2"
    file.write_text(textwrap.dedent(body), encoding="utf-8")
    return file


def pdf_text(data: bytes) -> str:
    """Text of every page, whitespace collapsed to single spaces."""
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
