"""Helpers for the publish tests: a fake forms engine and throw-away Git projects.

The fake stands in for the forms engine behind the seam
:class:`breachdocs.filings.documents.FilingRenderer`: it draws the facts a
regulator form carries (business, counts, circumstances) into deterministic
PDFs, so a changed fact changes the document's SHA-256 exactly as a real form
would.
"""

from __future__ import annotations

import hashlib
import io
import shutil
import subprocess
from pathlib import Path

from pypdf import PdfReader
from reportlab.pdfgen import canvas

from breachdocs.filings.documents import FilingDocument
from breachdocs.project import Project
from breachdocs.records import Incident

ROOT = Path(__file__).resolve().parent.parent
MASSMUTUAL = "2007-08-10-massmutual-misdirected-email"
NC_FORM = "us-nc-ago-breach"


class FakeForms:
    """Renders a one-page PDF per form and variant; counts its calls."""

    token = "fake-forms-1"

    def __init__(self) -> None:
        self.calls: list[str] = []

    def render(self, project: Project, incident: Incident) -> list[FilingDocument]:
        self.calls.append(incident.id)
        forms = {(f["form"], f["jurisdiction"], f["recipient"]) for f in incident.filings if f.get("form")}
        if "US-NC" in incident.residents:
            forms.add((NC_FORM, "US-NC", "attorney-general"))
        docs = []
        for form, jurisdiction, recipient in sorted(forms):
            template = _folder_digest(project.templates_dir / "forms" / form)
            for variant in ("", "flat", "packet"):
                docs.append(FilingDocument(incident.id, form, variant, jurisdiction, recipient,
                                           _pdf(incident, form, variant, template)))
        return docs


def _folder_digest(folder: Path) -> str:
    """Stands for the form's PDF and field map: a changed template changes the document."""
    files = sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []
    return hashlib.sha256(b"".join(p.read_bytes() for p in files)).hexdigest()[:16]


def _pdf(incident: Incident, form: str, variant: str, template: str) -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, invariant=True)
    lines = [f"{form} {variant or 'fillable'} (template {template})", incident.business.get("name", ""),
             f"Total affected: {incident.total_affected}", f"Residents: {incident.residents}",
             incident.data["circumstances"]]
    for n, text in enumerate(lines):
        pdf.drawString(72, 720 - 18 * n, text)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def pdf_text(data: bytes, page: int = 0) -> str:
    return PdfReader(io.BytesIO(data)).pages[page].extract_text()


def git(root: Path, *args: str) -> str:
    env = {"GIT_AUTHOR_NAME": "Dana Dev", "GIT_AUTHOR_EMAIL": "dana@example.com",
           "GIT_COMMITTER_NAME": "Dana Dev", "GIT_COMMITTER_EMAIL": "dana@example.com",
           "GIT_AUTHOR_DATE": "2026-11-01T10:00:00Z", "GIT_COMMITTER_DATE": "2026-11-01T10:00:00Z",
           "PATH": "/usr/bin:/bin", "HOME": str(root)}
    result = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, env=env, check=True)
    return result.stdout.strip()


def make_project(folder: Path, *, git_init: bool = True) -> Project:
    """A project with the MassMutual incident and its profile, a placeholder NC form folder, committed."""
    (folder / "incidents").mkdir(parents=True)
    for name in (f"{MASSMUTUAL}.yaml", "_organization-massmutual.yaml"):
        shutil.copy(ROOT / "incidents" / name, folder / "incidents" / name)
    form_dir = folder / "templates" / "forms" / NC_FORM
    if (ROOT / "templates" / "forms" / NC_FORM).is_dir():  # the real form, once the forms engine is there
        shutil.copytree(ROOT / "templates" / "forms" / NC_FORM, form_dir)
    else:
        form_dir.mkdir(parents=True)
        (form_dir / "fields.yaml").write_text("# field map placeholder for the fake forms engine\n", encoding="utf-8")
    (folder / "jurisdictions").mkdir()
    if (ROOT / "jurisdictions" / "us-nc.yaml").is_file():
        shutil.copy(ROOT / "jurisdictions" / "us-nc.yaml", folder / "jurisdictions" / "us-nc.yaml")
    (folder / ".gitignore").write_text(".cache/\n", encoding="utf-8")
    if git_init:
        git(folder, "init", "-q", "-b", "main")
        git(folder, "add", "-A")
        git(folder, "commit", "-q", "-m", "Add the MassMutual incident")
    return Project(folder)


def edit(file: Path, old: str, new: str) -> None:
    text = file.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {file}"
    file.write_text(text.replace(old, new, 1), encoding="utf-8")
