"""The filings cache: an incident's documents kept by the hash of everything they are made from.

The key of an incident's documents covers its data (with its profile merged in),
the files it names such as ``notice.notice_text``, the files under ``templates/``
(forms, field maps, letter templates) and ``jurisdictions/``, the renderer's token,
all of our own code and the build date, so a build after changing one incident
renders only that incident. Stamped copies are kept by the filed document's hash
and the approval. An entry is used only after its index is checked to be the one
of its key and each of its files against the SHA-256 the index records: a torn
one is made again.

The cache lives in ``.cache/breachdocs`` inside the project only while Git ignores
that folder and tracks nothing in it: a cache committed into the repository
arrives with every fresh clone, written by whoever committed it, and is never
trusted. Otherwise it lives in the user's cache folder (``$XDG_CACHE_HOME/breachdocs``).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .. import __version__, git
from ..approval import Approval
from ..hashing import code_token, sha256_bytes, sha256_file, tree_digest, user_cache_dir
from ..law.rules import rule_base_dirs
from ..project import Project
from ..records import Incident
from ..resources import layers
from ..writer import write_atomic
from .documents import FilingDocument, FilingRenderer, FormsRenderer
from .signing import SigningKey, sign
from .stamp import stamp

#: Our code that shapes a stamped copy: the stamp, the PDF engine's incremental update and its drawn text pages, and
#: the wrapping of its lines.
STAMP_CODE = code_token("filings/stamp.py", "pdf/pdf_update.py", "pdf/text_pages.py", "letters/plain_pdf.py")
#: Our code that shapes a signed copy.
SIGN_CODE = code_token("filings/signing.py")


def default_cache_dir(project: Project) -> Path:
    """``.cache/breachdocs/filings`` in the project when it can be trusted, else in the user's cache folder."""
    inside = project.root / ".cache" / "breachdocs" / "filings"
    if cache_trusted(project.root, inside):
        return inside
    return user_cache_dir(project.root) / "filings"


def cache_trusted(root: Path, folder: Path) -> bool:
    """Whether a cache folder inside a Git work tree is the machine's own: ignored by Git, nothing in it tracked.

    A cache that is committed arrives with every clone, written by whoever committed it: never trusted.
    """
    if not git.is_repo(root):
        return True
    relative = os.path.relpath(folder, root)
    if git.run(root, "ls-files", "--", relative, check=False):
        return False
    return bool(git.run(root, "check-ignore", "--", relative, check=False))


def shared_inputs_key(project: Project, renderer: FilingRenderer) -> str:
    """The inputs every incident's filings share: templates, jurisdictions, renderer, build date."""
    parts = {
        "breachdocs": __version__,
        "code": code_token("."),  # all of our code: any of it may shape a document
        "renderer": renderer.token,
        "templates": [tree_digest(folder) for folder in layers(project.templates_dir, "templates")],
        "jurisdictions": [tree_digest(folder) for folder in rule_base_dirs(project)],
        "source_date_epoch": os.environ.get("SOURCE_DATE_EPOCH", ""),
    }
    return sha256_bytes(json.dumps(parts, sort_keys=True).encode())


def incident_inputs_key(incident: Incident, shared_key: str, root: Path | None = None) -> str:
    """The hash of everything one incident's filings are rendered from: its data (with the profile merged in),
    the files it names (``notice.notice_text``), and the inputs every incident shares (``shared_key``)."""
    data = json.dumps(incident.data, sort_keys=True, ensure_ascii=False, default=str)
    named = json.dumps(_named_files(incident, root), sort_keys=True)
    return sha256_bytes(f"{shared_key}\n{data}\n{named}".encode())


def _named_files(incident: Incident, root: Path | None) -> dict[str, str]:
    """The SHA-256 of each file the incident names for its documents (``-`` when it cannot be read)."""
    out = {}
    name = (incident.data.get("notice") or {}).get("notice_text")
    if isinstance(name, str) and name:
        file = (root or Path.cwd()) / Path(incident.path).parent / name
        try:
            out["notice.notice_text"] = sha256_file(file)
        except OSError:
            out["notice.notice_text"] = "-"
    return out


class RenderCache:
    """Rendered documents by inputs key: ``<dir>/<key>/index.json`` + the PDFs (index written last)."""

    def __init__(self, folder: Path | None):
        self.folder = folder

    def get(self, key: str) -> list[FilingDocument] | None:
        if self.folder is None:
            return None
        index = self.folder / key / "index.json"
        try:
            recorded = json.loads(index.read_text(encoding="utf-8"))
            if recorded.get("key") != key:
                return None
            docs = []
            for e in recorded["documents"]:
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
        write_atomic(self.folder / key / "index.json", json.dumps({"key": key, "documents": entries}, indent=1),
                     fsync=False)

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
        key = sha256_bytes(json.dumps([doc_sha, title, approval and approval.to_json(), STAMP_CODE],
                                      sort_keys=True).encode())
        return self._kept("stamps", key, lambda: stamp(filed, title, approval))

    def signed(self, stamped_sha: str, stamped: bytes, key: SigningKey, *, reason: str) -> bytes:
        """The signed copy of a stamped copy, cached by the stamped copy's hash and the certificate."""
        name = sha256_bytes(json.dumps([stamped_sha, key.token, reason, SIGN_CODE]).encode())
        return self._kept("signed", name, lambda: sign(stamped, key, reason=reason))

    def _kept(self, kind: str, key: str, make: Callable[[], bytes]) -> bytes:
        """``<dir>/<kind>/<key>.pdf`` if its bytes match the SHA-256 kept beside it, else ``make()`` (and keep it)."""
        file = self.folder / kind / f"{key}.pdf" if self.folder else None
        check = file.with_suffix(".sha256") if file is not None else None
        if file is not None and check is not None and file.is_file() and check.is_file():
            data = file.read_bytes()
            if sha256_bytes(data) == check.read_text(encoding="ascii").strip():
                return data
        data = make()
        if file is not None and check is not None:
            write_atomic(file, data, fsync=False)  # checked against its SHA-256 when read
            write_atomic(check, sha256_bytes(data), fsync=False)
        return data


def render_cached(
    project: Project, incident: Incident, renderer: FilingRenderer, cache: RenderCache, shared_key: str
) -> tuple[list[FilingDocument], bool]:
    """The incident's documents from the cache, else rendered (and cached); True when rendered."""
    key = incident_inputs_key(incident, shared_key, project.root)
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
