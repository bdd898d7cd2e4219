"""The filings bundle: every filing PDF of every incident, and ``filings/manifest.json``.

Layout under the output folder::

    filings/<incident-id>/<form-id>.pdf             fillable copy, for review
    filings/<incident-id>/<form-id>-flat.pdf        flattened copy, as submitted
    filings/<incident-id>/<form-id>-packet.pdf      form + notice, one PDF
    filings/<incident-id>/<form-id>[-...].stamped.pdf  approval stamp + the same pages
    filings/<incident-id>/<form-id>-filed-<sha12>.pdf  a filing as sent, after an amendment (see as_filed)
    filings/manifest.json

The SHA-256 in the manifest (``sha256``) is that of the document itself, the
bytes a regulator receives and the incident records; the stamped copy has its
own hash under ``stamped``. Output is deterministic: the same commit gives
byte-identical files and manifest (the only time used is ``SOURCE_DATE_EPOCH``).

Rendering is cached by the hash of its inputs (the incident's data, the files
under ``templates/`` and ``jurisdictions/``, the renderer's token), so a build
after changing one incident renders only that incident.
"""

from __future__ import annotations

import json
import multiprocessing
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..workers import pool_worker
from . import as_filed, gitinfo
from . import stamp as stamp_module
from .documents import FilingDocument, FilingRenderer, default_renderer
from .stamp import stamp
from .writer import sha256_bytes, sha256_file, source_date, write_atomic

if TYPE_CHECKING:
    from ..project import Project
    from ..records import Incident

MANIFEST = "filings/manifest.json"
STAMPED_SUFFIX = ".stamped.pdf"
#: The stamp's own code is an input of every stamped copy.
STAMP_CODE = sha256_file(Path(stamp_module.__file__))


@dataclass
class FilingsResult:
    """What :func:`build_filings` did."""

    manifest: dict[str, Any]
    rendered: list[str] = field(default_factory=list)  # incident ids rendered afresh
    reused: list[str] = field(default_factory=list)  # incident ids taken from the cache
    #: Recorded filings whose document as filed no revision in Git reproduces (so it is not published).
    unrecovered: list[str] = field(default_factory=list)


def default_cache_dir(project: Project) -> Path:
    return project.root / ".cache" / "breachdocs" / "filings"


def _tree_digest(folder: Path) -> str:
    """SHA-256 over the names and bytes of every file under ``folder``."""
    lines = []
    if folder.is_dir():
        for file in sorted(folder.rglob("*")):
            if file.is_file():
                lines.append(f"{file.relative_to(folder).as_posix()} {sha256_file(file)}")
    return sha256_bytes("\n".join(lines).encode())


def shared_inputs_key(project: Project, renderer: FilingRenderer) -> str:
    """The inputs every incident's filings share: templates, jurisdictions, renderer, build date."""
    parts = {
        "breachdocs": __version__,
        "renderer": renderer.token,
        "templates": _tree_digest(project.templates_dir),
        "jurisdictions": _tree_digest(project.jurisdictions_dir),
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

    def stamped(self, doc_sha: str, title: str, approval: gitinfo.Approval | None, filed: bytes) -> bytes:
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
    renderer = renderer or default_renderer()
    cache = RenderCache(default_cache_dir(project) if use_cache else None)
    return render_cached(project, incident, renderer, cache, shared_inputs_key(project, renderer))[0]


def _record_of(incident: Incident, doc: FilingDocument, digest: str) -> dict[str, Any] | None:
    """The incident's filings[] entry that recorded this very document, if any."""
    for entry in incident.filings:
        if entry.get("sha256") == digest:
            return {k: entry[k] for k in ("submitted", "kind", "reference") if k in entry}
    return None


def build_filings(
    project: Project,
    incidents: list[Incident],
    out_dir: Path,
    *,
    renderer: FilingRenderer | None = None,
    cache_dir: Path | None = None,
    use_cache: bool = True,
    source_commit: str | None = None,
    stamps: bool = True,
    jobs: int = 1,
    durable: bool = True,
) -> FilingsResult:
    """Write every filing PDF of ``incidents`` and the manifest under ``out_dir/filings/``.

    ``source_commit`` defaults to the project's Git HEAD; stamped copies carry
    the approval of each incident file from Git. Files of an earlier build that
    are no longer produced are removed; unchanged files are not rewritten, and
    an incident whose inputs and approval are those of the previous build into
    ``out_dir`` is skipped without reading its documents.

    ``jobs`` > 1 renders the incidents that need it in that many processes; the
    files, their bytes and the manifest are those of ``jobs=1`` (writing, stamping
    and the manifest stay in this process, in incident order).

    ``durable=False`` skips flushing each file to disk (still written atomically): for
    a scratch folder whose files are copied elsewhere, such as a site being built.
    """
    renderer = renderer or default_renderer()
    cache = RenderCache((cache_dir or default_cache_dir(project)) if use_cache else None)
    shared = shared_inputs_key(project, renderer)
    commit = source_commit if source_commit is not None else gitinfo.head_commit(project.root)
    approvals: dict[str, gitinfo.Approval] = {}
    if stamps:
        approvals = gitinfo.approvals(project.root, [i.path for i in incidents])
    previous = read_manifest(out_dir) or {}
    known = {r["file"]: r["sha256"] for r in previous.get("filings", [])}
    known.update({r["stamped"]["file"]: r["stamped"]["sha256"] for r in previous.get("filings", []) if r.get("stamped")})
    state_file = cache.state_file(out_dir)
    state = _read_json(state_file) if state_file else {}
    new_state: dict[str, Any] = {}

    result = FilingsResult(manifest={})
    rows: list[dict[str, Any]] = []
    ordered = sorted(incidents, key=lambda i: i.id)
    marks: dict[str, dict[str, Any]] = {}
    todo: list[Incident] = []
    for incident in ordered:
        approval = approvals.get(incident.path)
        marks[incident.id] = {"key": incident_inputs_key(incident, shared), "stamps": stamps,
                              "approval": approval.__dict__ if approval else None}
        before = state.get(incident.id)
        if not (before and before["mark"] == marks[incident.id] and _unchanged(out_dir, before["rows"], known)):
            todo.append(incident)
    rendered = _render_in_processes(project, todo, renderer, cache, shared, jobs)
    todo_ids = {i.id for i in todo}
    for incident in ordered:
        mark = marks[incident.id]
        if incident.id not in todo_ids:
            own = state[incident.id]["rows"]
            result.reused.append(incident.id)
        else:
            own = _incident_rows(project, incident, out_dir, renderer, cache, shared, approvals.get(incident.path),
                                 stamps, known, result, rendered.get(incident.id), fsync=durable)
        new_state[incident.id] = {"mark": mark, "rows": own}
        rows.extend(own)

    result.manifest = {
        "breachdocs": __version__,
        "source_commit": commit,
        "source_date": source_date().isoformat(),
        "filings": rows,
    }
    _write_if_changed(out_dir / MANIFEST, json.dumps(result.manifest, indent=2, ensure_ascii=False) + "\n",
                      fsync=durable)
    if state_file:
        write_atomic(state_file, json.dumps(new_state))
    produced = {r["file"] for r in rows} | {r["stamped"]["file"] for r in rows if r.get("stamped")}
    _remove_stale(out_dir, set(known) - produced)
    return result


def _render_job(task: tuple[Project, Incident, FilingRenderer, Path | None, str]
                ) -> tuple[list[FilingDocument], bool]:
    project, incident, renderer, cache_folder, shared = task
    return render_cached(project, incident, renderer, RenderCache(cache_folder), shared)


def _render_in_processes(
    project: Project, incidents: list[Incident], renderer: FilingRenderer, cache: RenderCache, shared: str, jobs: int,
) -> dict[str, tuple[list[FilingDocument], bool]]:
    """Per incident id, its documents rendered (or read from the cache) by ``jobs`` worker processes.

    Empty when one process will do (``jobs`` 1, or fewer than two incidents): the caller renders as it goes.
    Results come back in task order, so nothing depends on which worker finished first.
    """
    if jobs <= 1 or len(incidents) < 2:
        return {}
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    tasks = [(project, incident, renderer, cache.folder, shared) for incident in incidents]
    with multiprocessing.get_context(method).Pool(min(jobs, len(incidents)), initializer=pool_worker,
                                                 initargs=(os.getpid(),)) as pool:
        done = pool.map(_render_job, tasks, chunksize=max(1, min(16, len(tasks) // (4 * jobs))))
    return {incident.id: docs for incident, docs in zip(incidents, done, strict=True)}


def _unchanged(out_dir: Path, rows: list[dict[str, Any]], known: dict[str, str]) -> bool:
    """Whether every file of ``rows`` is in place as the previous manifest recorded it."""
    for row in rows:
        for item in (row, row.get("stamped")):
            if item is None:
                continue
            file = out_dir / item["file"]
            if known.get(item["file"]) != item["sha256"] or not file.is_file():
                return False
            if "size" in item and file.stat().st_size != item["size"]:
                return False
    return True


def _incident_rows(
    project: Project, incident: Incident, out_dir: Path, renderer: FilingRenderer, cache: RenderCache, shared: str,
    approval: gitinfo.Approval | None, stamps: bool, known: dict[str, str], result: FilingsResult,
    rendered: tuple[list[FilingDocument], bool] | None = None, *, fsync: bool = True,
) -> list[dict[str, Any]]:
    """Render (or take from the cache, or from ``rendered``) the incident's documents, write them,
    and return their manifest rows."""
    docs, fresh = rendered or render_cached(project, incident, renderer, cache, shared)
    (result.rendered if fresh else result.reused).append(incident.id)
    for filing in as_filed.missing_filed(incident, docs):
        recovered = cache.filed(filing, incident.id) or as_filed.recover(
            project, incident, filing,
            lambda then, old: render_cached(then, old, renderer, cache, shared_inputs_key(then, renderer))[0])
        if recovered is None:
            result.unrecovered.append(f"{incident.path}: filings: {filing['form']} {filing['sha256'][:12]}")
            continue
        cache.put_filed(recovered)
        docs = [*docs, recovered]
    rows = []
    for doc in docs:
        digest = _write_if_changed(out_dir / doc.relpath, doc.data, known.get(doc.relpath), fsync=fsync)
        row: dict[str, Any] = {
            "incident": doc.incident,
            "jurisdiction": doc.jurisdiction,
            "recipient": doc.recipient,
            "form": doc.form,
            "variant": doc.variant or "fillable",
            "file": doc.relpath,
            "sha256": digest,
            "size": len(doc.data),
            "record": _record_of(incident, doc, digest),
        }
        if stamps and not doc.variant.startswith("filed-"):  # a recovered original keeps its own history
            title = f"{incident.id}: {doc.form} {doc.variant or 'fillable'} ({doc.jurisdiction} {doc.recipient})"
            stamped = cache.stamped(digest, title, approval, doc.data)
            name = doc.relpath.removesuffix(".pdf") + STAMPED_SUFFIX
            row["stamped"] = {
                "file": name,
                "sha256": _write_if_changed(out_dir / name, stamped, known.get(name), fsync=fsync),
                "approved_by": list(approval.approvers) if approval else [],
                "approval_source": approval.source if approval else None,
                "commit": approval.commit if approval else None,
            }
        rows.append(row)
    return rows


def _read_json(file: Path) -> dict[str, Any]:
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_if_changed(path: Path, data: bytes | str, known: str | None = None, *, fsync: bool = True) -> str:
    """Write unless the file already holds ``data`` (``known``: its SHA-256 per the previous manifest)."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    digest = sha256_bytes(payload)
    if path.is_file() and path.stat().st_size == len(payload):
        if known == digest or (known is None and sha256_file(path) == digest):
            return digest
    return write_atomic(path, payload, fsync=fsync)


def _remove_stale(out_dir: Path, stale: set[str]) -> None:
    """Remove files an earlier build listed and this one did not produce (and folders left empty)."""
    for name in sorted(stale):
        file = out_dir / name
        file.unlink(missing_ok=True)
        folder = file.parent
        while folder != out_dir and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent


def read_manifest(out_dir: Path) -> dict[str, Any] | None:
    """The manifest of a built output folder, or None if there is none."""
    try:
        return json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))  # type: ignore[no-any-return]
    except (OSError, ValueError):
        return None


_LABELS = {"fillable": "Fillable copy (for review)", "flat": "Flattened (as submitted)", "packet": "Filing packet"}


def site_files(manifest: dict[str, Any]) -> dict[tuple[str, str], list[dict[str, str]]]:
    """Per (incident, form): the links a page shows, ``{"label", "path", "sha256"}``, paths relative to the site root."""
    out: dict[tuple[str, str], list[dict[str, str]]] = {}
    for row in manifest.get("filings", []):
        variant = row["variant"]
        label = _LABELS.get(variant) or f"As filed (SHA-256 {variant.removeprefix('filed-')}…)"
        links = out.setdefault((row["incident"], row["form"]), [])
        links.append({"label": label, "path": row["file"], "sha256": row["sha256"]})
        if row.get("stamped"):
            links.append({"label": f"{label}, with approval stamp", "path": row["stamped"]["file"],
                          "sha256": row["stamped"]["sha256"]})
    return out
