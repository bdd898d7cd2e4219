"""The filings cache: an incident's documents kept by the hash of everything they are made from.

The key of an incident's documents covers its data, the files under ``templates/``
and ``jurisdictions/``, the renderer's token (our code that shapes them) and the
build date, so a build after changing one incident renders only that incident.
Stamped copies are kept by the filed document's hash and the approval.
Entries are checked against their SHA-256 when read: a torn one is made again.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from .. import __version__
from ..git import Approval
from ..hashing import code_token, sha256_bytes, sha256_file, tree_digest
from ..project import Project
from ..records import Incident
from ..resources import layers
from ..writer import write_atomic
from .documents import FilingDocument, FilingRenderer, FormsRenderer
from .stamp import stamp

#: Our code that shapes a stamped copy: the stamp and the PDF engine's incremental update.
STAMP_CODE = code_token("filings/stamp.py", "pdf/pdf_update.py")


def default_cache_dir(project: Project) -> Path:
    return project.root / ".cache" / "breachdocs" / "filings"


def shared_inputs_key(project: Project, renderer: FilingRenderer) -> str:
    """The inputs every incident's filings share: templates, jurisdictions, renderer, build date."""
    parts = {
        "breachdocs": __version__,
        "renderer": renderer.token,
        "templates": [tree_digest(folder) for folder in layers(project.templates_dir, "templates")],
        "jurisdictions": [tree_digest(folder) for folder in layers(project.jurisdictions_dir, "jurisdictions")],
        "source_date_epoch": os.environ.get("SOURCE_DATE_EPOCH", ""),
    }
    return sha256_bytes(json.dumps(parts, sort_keys=True).encode())


def incident_inputs_key(incident: Incident, shared_key: str) -> str:
    """The hash of everything one incident's filings are rendered from."""
    data = json.dumps(incident.data, sort_keys=True, ensure_ascii=False, default=str)
    return sha256_bytes(f"{shared_key}\n{data}".encode())


class RenderCache:
    """Rendered documents by inputs key: ``<dir>/<key>/index.json`` + the PDFs (index written last)."""

    def __init__(self, folder: Path | None):
        self.folder = folder

    def get(self, key: str) -> list[FilingDocument] | None:
        if self.folder is None:
            return None
        index = self.folder / key / "index.json"
        try:
            entries = json.loads(index.read_text(encoding="utf-8"))
            docs = []
            for e in entries:
                data = (self.folder / key / e["file"]).read_bytes()
                if sha256_bytes(data) != e["sha256"]:
                    return None
                docs.append(FilingDocument(e["incident"], e["form"], e["variant"], e["jurisdiction"],
                                           e["recipient"], data))
            return docs
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, key: str, docs: list[FilingDocument]) -> None:
        if self.folder is None:
            return
        entries = []
        for doc in docs:
            # No flush to disk: an entry is checked against its SHA-256 when read, so a torn one is re-rendered.
            digest = write_atomic(self.folder / key / doc.filename, doc.data, fsync=False)
            entries.append({"incident": doc.incident, "form": doc.form, "variant": doc.variant,
                            "jurisdiction": doc.jurisdiction, "recipient": doc.recipient,
                            "file": doc.filename, "sha256": digest})
        write_atomic(self.folder / key / "index.json", json.dumps(entries, indent=1), fsync=False)

    def state_file(self, out_dir: Path) -> Path | None:
        """Where the last build into ``out_dir`` noted what it made (per incident: inputs and rows)."""
        if self.folder is None:
            return None
        return self.folder / "outputs" / f"{sha256_bytes(str(out_dir.resolve()).encode())[:24]}.json"

    def filed(self, filing: dict[str, Any], incident: str) -> FilingDocument | None:
        """A document as filed, kept by its SHA-256 once recovered from history."""
        if self.folder is None:
            return None
        file = self.folder / "filed" / f"{filing['sha256']}.pdf"
        if not file.is_file() or sha256_file(file) != filing["sha256"]:
            return None
        return FilingDocument(incident, filing["form"], f"filed-{filing['sha256'][:12]}", filing["jurisdiction"],
                              filing["recipient"], file.read_bytes())

    def put_filed(self, doc: FilingDocument) -> None:
        if self.folder is not None:
            write_atomic(self.folder / "filed" / f"{sha256_bytes(doc.data)}.pdf", doc.data, fsync=False)  # checked on read

    def stamped(self, doc_sha: str, title: str, approval: Approval | None, filed: bytes) -> bytes:
        """The stamped copy, cached by the filed document's hash and the approval."""
        key = sha256_bytes(json.dumps([doc_sha, title, approval and approval.__dict__, STAMP_CODE],
                                      sort_keys=True).encode())
        file = self.folder / "stamps" / f"{key}.pdf" if self.folder else None
        if file is not None and file.exists():
            return file.read_bytes()
        data = stamp(filed, title, approval)
        if file is not None:
            write_atomic(file, data)
        return data


def render_cached(
    project: Project, incident: Incident, renderer: FilingRenderer, cache: RenderCache, shared_key: str
) -> tuple[list[FilingDocument], bool]:
    """The incident's documents from the cache, else rendered (and cached); True when rendered."""
    key = incident_inputs_key(incident, shared_key)
    docs = cache.get(key)
    if docs is not None:
        return docs, False
    docs = sorted(renderer.render(project, incident), key=lambda d: (d.form, d.variant))
    cache.put(key, docs)
    return docs, True


def render_incident(
    project: Project, incident: Incident, renderer: FilingRenderer | None = None, *, use_cache: bool = True
) -> list[FilingDocument]:
    """The filing documents of one incident as the project now stands (cached by inputs)."""
    renderer = renderer or FormsRenderer()
    cache = RenderCache(default_cache_dir(project) if use_cache else None)
    return render_cached(project, incident, renderer, cache, shared_inputs_key(project, renderer))[0]
