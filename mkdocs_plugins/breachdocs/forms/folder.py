"""Form folders: ``templates/forms/<form-id>/`` holds ``form.pdf`` (the
fillable AcroForm), ``fields.yaml`` (the field map) and ``form.yaml`` (title,
jurisdiction, recipient). Adding a regulator's form adds a folder, no code.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from pypdf.errors import FileNotDecryptedError, PdfReadError

from ..files import MAX_PDF_BYTES, FileProblem, file_stamp, read_file
from ..findings import Finding
from ..pdf.acroform import PdfField, read_fields
from ..project import relative
from ..records import load_mapping
from ..resources import layers
from .fieldmap import FieldMap, check_against_pdf, load_field_map

META_SCHEMA = "forms/form.schema.json"
PDF_NAME = "form.pdf"
MAP_NAME = "fields.yaml"
META_NAME = "form.yaml"


@dataclass
class Form:
    id: str
    folder: Path
    meta: dict[str, Any]
    field_map: FieldMap
    pdf_bytes: bytes
    #: The form's PDF, parsed once when the form is loaded: filling clones it, checks only read it. pypdf
    #: parses objects lazily and keeps them in the reader, so sharing it saves re-parsing the form for
    #: every incident (about 40% of a fill).
    reader: PdfReader = field(repr=False)
    #: Its fields, read once from ``reader``.
    pdf_fields: dict[str, PdfField] = field(repr=False)

    @property
    def title(self) -> str:
        return str(self.meta["title"])

    @property
    def jurisdiction(self) -> str:
        return str(self.meta["jurisdiction"])

    @property
    def recipient(self) -> str:
        return str(self.meta["recipient"])


def forms_dir(templates_dir: Path) -> Path:
    return templates_dir / "forms"


def form_folders(templates_dir: Path) -> dict[str, Path]:
    """Every form by id: the project's own ``templates/forms/<id>/`` first, then breachdocs' packaged forms."""
    found: dict[str, Path] = {}
    for base in layers(templates_dir, "templates", "forms"):
        for folder in sorted(base.iterdir()):
            if (folder / PDF_NAME).is_file():
                found.setdefault(folder.name, folder)
    return dict(sorted(found.items()))


def form_ids(templates_dir: Path) -> list[str]:
    return list(form_folders(templates_dir))


def open_pdf(pdf: Path | bytes, display: str) -> tuple[tuple[PdfReader, dict[str, PdfField]] | None, list[Finding]]:
    """The PDF parsed, and its fields; None and a finding when it cannot be read."""
    try:
        reader = PdfReader(io.BytesIO(pdf) if isinstance(pdf, bytes) else pdf)
        return (reader, read_fields(reader)), []
    except FileNotDecryptedError:
        return None, [Finding(display, 0, 0, "", "cannot read the PDF: it is encrypted with a password; replace it "
                              "with the regulator's fillable PDF as published, or a copy saved without a password")]
    except (OSError, PdfReadError, ValueError, KeyError) as exc:
        return None, [Finding(display, 0, 0, "", f"cannot read the PDF: {exc}; replace it with the regulator's "
                              "fillable PDF")]
    except Exception as exc:  # noqa: BLE001 - a damaged PDF can fail anywhere in pypdf: a finding, not a traceback
        return None, [Finding(display, 0, 0, "", f"cannot read the PDF ({type(exc).__name__}: {exc}); replace it "
                              "with the regulator's fillable PDF")]


def _fill_problem(reader: PdfReader, display: str) -> list[Finding]:
    """A trial fill (no values, fillable and flattened): a PDF that reads but cannot be filled is found at
    validation, not half-way through a build."""
    from ..pdf.fill import fill_reader_copies

    try:
        fill_reader_copies(reader, [], info={})
    except Exception as exc:  # noqa: BLE001 - as in open_pdf
        return [Finding(display, 0, 0, "", f"the PDF cannot be filled ({type(exc).__name__}: {exc}); replace it "
                        "with the regulator's fillable PDF")]
    return []


def load_form(templates_dir: Path, form_id: str, *, root: Path | None = None) -> tuple[Form | None, list[Finding]]:
    """Load a form folder and check its map against its PDF; None when it cannot be filled."""
    folder = form_folders(templates_dir).get(form_id, forms_dir(templates_dir) / form_id)
    key = (folder.resolve(), *(file_stamp(folder / n) for n in (PDF_NAME, MAP_NAME, META_NAME)))
    form, findings = _load_form(key, form_id, root)
    return form, list(findings)


@lru_cache(maxsize=32)
def _load_form(key: tuple[Any, ...], form_id: str, root: Path | None) -> tuple[Form | None, list[Finding]]:
    folder: Path = key[0]
    shown = relative(folder, root)
    pdf = folder / PDF_NAME
    if not pdf.is_file():
        known = form_ids(folder.parent.parent) if folder.parent.is_dir() else []
        listing = ", ".join(known) if known else "none"
        return None, [Finding(shown, 0, 0, "form", f"unknown form '{form_id}': no {shown}/{PDF_NAME} "
                                                   f"(forms available: {listing})")]
    meta_loaded, findings = load_mapping(folder / META_NAME, f"{shown}/{META_NAME}", schema=META_SCHEMA,
                                         what="form.yaml must be a mapping of fields (title:, jurisdiction:, ...)")
    fm, map_findings = load_field_map(folder / MAP_NAME, f"{shown}/{MAP_NAME}")
    findings += map_findings
    try:
        pdf_bytes = read_file(pdf, root=root, limit=MAX_PDF_BYTES)
    except FileProblem as problem:
        return None, [*findings, problem.finding(f"{shown}/{PDF_NAME}")]
    parsed, pdf_findings = open_pdf(pdf_bytes, f"{shown}/{PDF_NAME}")
    findings += pdf_findings
    if parsed is not None:
        findings += _fill_problem(PdfReader(io.BytesIO(pdf_bytes)), f"{shown}/{PDF_NAME}")
    if fm is not None and parsed is not None:
        findings += check_against_pdf(fm, parsed[1], f"{shown}/{PDF_NAME}")
    if meta_loaded is None or fm is None or parsed is None or any(f.is_error for f in findings):
        return None, findings
    return Form(form_id, folder, dict(meta_loaded.data), fm, pdf_bytes, *parsed), findings
