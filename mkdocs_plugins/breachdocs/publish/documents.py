"""The seam between publishing and the forms engine: an incident's filing documents.

Publishing does not know how a form is filled. It asks a :class:`FilingRenderer`
for the documents of one incident (each a form id, a variant and the PDF bytes)
and treats the bytes as opaque. The renderer's ``token`` names everything about
the renderer that changes its output (engine version, code), so that the filings
cache can tell a stale document from a fresh one.

:func:`default_renderer` wires the real forms engine when ``breachdocs.forms``
is installed; tests pass a fake.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from ..project import Project
    from ..records import Incident

#: Variants of one filing: the editable fill, the flattened copy sent to the regulator, the packet.
VARIANTS = ("", "flat", "packet")


@dataclass(frozen=True)
class FilingDocument:
    """One PDF of one filing of one incident."""

    incident: str
    form: str
    variant: str  # "" (fillable), "flat" (flattened, as submitted) or "packet" (form + notice)
    jurisdiction: str
    recipient: str
    data: bytes

    @property
    def filename(self) -> str:
        return f"{self.form}-{self.variant}.pdf" if self.variant else f"{self.form}.pdf"

    @property
    def relpath(self) -> str:
        """Where it lives under the output folder: ``filings/<incident>/<form>[-variant].pdf``."""
        return f"filings/{self.incident}/{self.filename}"


class FilingRenderer(Protocol):
    """Anything that renders an incident's filing documents."""

    @property
    def token(self) -> str:
        """Changes whenever the renderer's output for the same inputs could change."""
        ...

    def render(self, project: Project, incident: Incident) -> list[FilingDocument]: ...


def source_token(*packages: Path) -> str:
    """A token from the Python sources under ``packages`` (their names and bytes)."""
    digest = hashlib.sha256()
    for package in packages:
        for file in sorted(package.rglob("*")):
            if file.is_file() and file.suffix in {".py", ".json", ".yaml", ".j2"}:
                digest.update(file.relative_to(package).as_posix().encode())
                digest.update(file.read_bytes())
    return digest.hexdigest()


class NoForms:
    """The renderer while no forms engine is installed: no documents."""

    token = "no-forms"

    def render(self, project: Project, incident: Incident) -> list[FilingDocument]:
        return []


def default_renderer() -> FilingRenderer:
    """The forms engine (``breachdocs.forms``) if it is installed, else :class:`NoForms`."""
    try:
        from .. import forms  # noqa: F401
    except ImportError:
        return NoForms()
    from .forms_renderer import FormsRenderer

    return FormsRenderer()


def form_exists(project: Project, form: str) -> bool:
    """Whether ``templates/forms/<form>/`` holds a form (so a recorded filing of it can be re-rendered)."""
    return (project.templates_dir / "forms" / form).is_dir()
