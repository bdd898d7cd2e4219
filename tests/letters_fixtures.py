"""Shared helpers for the letters tests: a throw-away project with two jurisdictions."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

from breachdocs.project import Project
from breachdocs.records import Incident, load_incident
from breachdocs.records.strict_yaml import load_yaml

ROOT = Path(__file__).resolve().parent.parent
MASSMUTUAL = "2007-08-10-massmutual-misdirected-email"

def _paragraph(code: str, *, today: bool = True) -> str:
    """The first letter paragraph of a rule file in force today (or, ``today=False``, the first one that is
    no longer), its words on one line."""
    data = load_yaml(ROOT / "jurisdictions" / f"{code}.yaml").data
    found = [p for p in data["consumer_notice"]["letter_paragraphs"]
             if (not isinstance(p, dict) or not p.get("to")) == today]
    first = found[0]
    return " ".join((first["text"] if isinstance(first, dict) else first).split())


#: The letter paragraph of today's law of the rule base's North Carolina and Massachusetts files.
NC_PARAGRAPH = _paragraph("us-nc")
MA_PARAGRAPH = _paragraph("us-ma")
#: Massachusetts' paragraph before the security freeze became free of charge (2019-04-11).
MA_PARAGRAPH_BEFORE_2019 = _paragraph("us-ma", today=False)


def make_project(tmp: Path, *, nc_required: str = "") -> Project:
    """incidents/ (MassMutual, offering 18 months of credit monitoring as Massachusetts requires),
    templates/letters/ (the real templates) and the rule base's North Carolina and Massachusetts files.
    ``nc_required`` adds a content id to North Carolina's required content."""
    root = tmp / "repo"
    (root / "incidents").mkdir(parents=True)
    for name in (f"{MASSMUTUAL}.yaml", "_organization-massmutual.yaml"):
        shutil.copy(ROOT / "incidents" / name, root / "incidents" / name)
    shutil.copytree(ROOT / "templates" / "letters", root / "templates" / "letters")
    (root / "jurisdictions").mkdir()
    for code in ("us-nc", "us-ma"):
        shutil.copy(ROOT / "jurisdictions" / f"{code}.yaml", root / "jurisdictions" / f"{code}.yaml")
    project = Project(root)
    edit_incident(project, "reimburse_credit_reports: true",
                  "reimburse_credit_reports: true\n    credit_monitoring_months: 18")
    if nc_required:
        edit_jurisdiction(project, "us-nc", "  required_content:\n", f"  required_content:\n    - {nc_required}\n")
    return project


def shift_to_2020(project: Project) -> None:
    """The MassMutual incident as if it had happened in 2020 (same days), in MassMutual's words."""
    for old, new in (('"2007-08-10"', '"2020-08-10"'), ('"2007-10-16"', '"2020-10-16"'), ('"2007-10-17"', '"2020-10-17"')):
        edit_incident(project, old, new)


def move_to_2020(project: Project) -> None:
    """The MassMutual incident as if it had happened in 2020 (same days), in the default template's
    words: judged by the law of 2020."""
    shift_to_2020(project)
    file = project.incidents_dir / f"{MASSMUTUAL}.yaml"
    text = file.read_text(encoding="utf-8")
    start = text.index("    # The letter as MassMutual wrote it")
    end = text.index("\nsignatory:")
    file.write_text(text[:start] + text[end:], encoding="utf-8")


def edit_jurisdiction(project: Project, code: str, old: str, new: str) -> None:
    file = project.jurisdictions_dir / f"{code}.yaml"
    text = file.read_text(encoding="utf-8")
    assert old in text
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


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
