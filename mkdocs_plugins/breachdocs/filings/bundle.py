"""The filings bundle: every filing PDF of every incident, and ``filings/manifest.json``.

Layout under the output folder::

    filings/<incident-id>/<form-id>.pdf             fillable copy, for review
    filings/<incident-id>/<form-id>-flat.pdf        flattened copy, as submitted
    filings/<incident-id>/<form-id>-packet.pdf      form + notice, one PDF
    filings/<incident-id>/<form-id>[-...].stamped.pdf  approval stamp + the same pages
    filings/<incident-id>/<form-id>-filed-<sha12>.pdf  a filing as sent, after an amendment (see as_filed)
    filings/<incident-id>/<code>-<duty>-worksheet.pdf  a regulator's questions answered (a letter for kind letter)
    filings/manifest.json

The SHA-256 in the manifest (``sha256``) is that of the document itself, the
bytes a regulator receives and the incident records; the stamped copy has its
own hash under ``stamped``. Output is deterministic: the same commit gives
byte-identical files and manifest (the only time used is ``SOURCE_DATE_EPOCH``).

Rendering is cached by the hash of its inputs (:mod:`.cache`), so a build after
changing one incident renders only that incident.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import __version__, git
from ..approval import Approval
from ..approval import approvals as read_approvals
from ..hashing import sha256_bytes, sha256_file
from ..progress import ProgressCallback
from ..project import Project
from ..records import Incident
from ..workers import finish, pool_worker
from ..writer import Staged, source_date, write_atomic
from . import as_filed
from .cache import RenderCache, default_cache_dir, incident_inputs_key, render_cached, shared_inputs_key
from .documents import FilingDocument, FilingRenderer, FormsRenderer
from .manifest import MANIFEST, files_of, read_manifest, signed_name, stamped_name
from .signing import SigningKey


@dataclass
class FilingsResult:
    """What :func:`build_filings` did."""

    manifest: dict[str, Any]
    rendered: list[str] = field(default_factory=list)  # incident ids rendered afresh
    reused: list[str] = field(default_factory=list)  # incident ids taken from the cache
    #: Recorded filings whose document as filed no revision in Git reproduces (so it is not published).
    unrecovered: list[str] = field(default_factory=list)
    #: Incident changes without an approval that counts (their filings are not published as approved).
    unapproved: list[str] = field(default_factory=list)


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
    signing: SigningKey | None = None,
    progress: ProgressCallback | None = None,
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

    ``progress(done, total)`` is told after each incident's filings are written.

    ``durable=False`` skips flushing each file to disk (still written atomically): for
    a scratch folder whose files are copied elsewhere, such as a site being built.

    With ``signing``, the stamped copy of each approved filing is also signed (PAdES, see
    :mod:`.signing`) into ``<form>[-variant].signed.pdf``; a filing nobody approved is not signed.

    ``progress`` is told ``(incidents done, incidents)`` as each incident's documents are ready.
    """
    renderer = renderer or FormsRenderer()
    cache = RenderCache((cache_dir or default_cache_dir(project)) if use_cache else None)
    shared = shared_inputs_key(project, renderer)
    commit = source_commit if source_commit is not None else git.head_commit(project.root)
    approvals: dict[str, Approval] = {}
    if stamps:
        approvals = read_approvals(project.root, [i.path for i in incidents])
    previous = read_manifest(out_dir) or {}
    known = {r["file"]: r["sha256"] for r in previous.get("filings", [])}
    for extra in ("stamped", "signed"):
        known.update({r[extra]["file"]: r[extra]["sha256"] for r in previous.get("filings", []) if r.get(extra)})
    state_file = cache.state_file(out_dir)
    state = _read_json(state_file) if state_file else {}
    listed = set(known)
    if state_file:  # a file is taken for what the manifest says only as the last build left it (not edited in place)
        left = {name: kept for entry in state.values() if isinstance(entry, dict)
                for name, kept in (entry.get("stats") or {}).items()}
        known = {name: digest for name, digest in known.items()
                 if left.get(name) is not None and _stat(out_dir / name) == left[name]}
    new_state: dict[str, Any] = {}

    result = FilingsResult(manifest={}, unapproved=sorted(a.summary() for a in approvals.values() if not a.approved))
    rows: list[dict[str, Any]] = []
    ordered = sorted(incidents, key=lambda i: i.id)
    marks: dict[str, dict[str, Any]] = {}
    todo: list[Incident] = []
    for incident in ordered:
        approval = approvals.get(incident.path)
        marks[incident.id] = {"key": incident_inputs_key(incident, shared, project.root), "stamps": stamps,
                              "approval": approval.to_json() if approval else None,
                              "signing": signing.token if signing else None}
        before = state.get(incident.id)
        if not (before and before["mark"] == marks[incident.id] and _unchanged(out_dir, before["rows"], known)):
            todo.append(incident)
    skipped = len(ordered) - len(todo)

    def told(rendered_now: int, _todo: int) -> None:
        if progress is not None:
            progress(skipped + rendered_now, len(ordered))

    rendered = _render_in_processes(project, todo, renderer, cache, shared, jobs, told)
    todo_ids = {i.id for i in todo}
    staged = Staged()  # nothing lands unless every file could be written (a full disk changes nothing)
    try:
        for done, incident in enumerate(ordered, 1):
            mark = marks[incident.id]
            if incident.id not in todo_ids:
                own = state[incident.id]["rows"]
                result.reused.append(incident.id)
            else:
                own = _incident_rows(project, incident, out_dir, renderer, cache, shared, approvals.get(incident.path),
                                     stamps, known, result, rendered.get(incident.id), fsync=durable, signing=signing,
                                     staged=staged)
            new_state[incident.id] = {"mark": mark, "rows": own}
            rows.extend(own)
            if progress is not None and not rendered:  # else told as the processes finished
                progress(done, len(ordered))

        result.manifest = {
            "breachdocs": __version__,
            "source_commit": commit,
            "source_date": source_date().isoformat(),
            "filings": rows,
        }
        _write_if_changed(out_dir / MANIFEST, json.dumps(result.manifest, indent=2, ensure_ascii=False) + "\n",
                          fsync=durable, staged=staged)
        staged.commit()
    except BaseException:
        staged.abort()
        raise
    if state_file:
        for entry in new_state.values():  # each file as this build leaves it (size, time, inode)
            entry["stats"] = _stats(out_dir, entry["rows"])
        write_atomic(state_file, json.dumps(new_state))
    produced = {r["file"] for r in rows} | {r[x]["file"] for r in rows for x in ("stamped", "signed") if r.get(x)}
    _remove_stale(out_dir, listed - produced)
    return result


def _render_job(task: tuple[Project, Incident, FilingRenderer, Path | None, str]
                ) -> tuple[list[FilingDocument], bool]:
    project, incident, renderer, cache_folder, shared = task
    return render_cached(project, incident, renderer, RenderCache(cache_folder), shared)


def _render_in_processes(
    project: Project, incidents: list[Incident], renderer: FilingRenderer, cache: RenderCache, shared: str, jobs: int,
    progress: ProgressCallback | None = None,
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
        done = []
        for document in pool.imap(_render_job, tasks, chunksize=max(1, min(16, len(tasks) // (4 * jobs)))):
            done.append(document)
            if progress is not None:
                progress(len(done), len(tasks))
        finish(pool)
    return {incident.id: docs for incident, docs in zip(incidents, done, strict=True)}


def _stat(file: Path) -> list[int] | None:
    """Size, modification time and inode of a regular file (None when there is none)."""
    try:
        found = file.stat()
    except OSError:
        return None
    return [found.st_size, found.st_mtime_ns, found.st_ino] if stat.S_ISREG(found.st_mode) else None


def _stats(out_dir: Path, rows: list[dict[str, Any]]) -> dict[str, list[int] | None]:
    return {name: _stat(out_dir / name) for name in sorted(files_of(rows))}


def _unchanged(out_dir: Path, rows: list[dict[str, Any]], known: dict[str, str]) -> bool:
    """Whether every file of ``rows`` is in place as the previous manifest recorded it."""
    for row in rows:
        for item in (row, row.get("stamped"), row.get("signed")):
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
    approval: Approval | None, stamps: bool, known: dict[str, str], result: FilingsResult,
    rendered: tuple[list[FilingDocument], bool] | None = None, *, fsync: bool = True,
    signing: SigningKey | None = None, staged: Staged | None = None,
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
        digest = _write_if_changed(out_dir / doc.relpath, doc.data, known.get(doc.relpath), fsync=fsync, staged=staged)
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
            name = stamped_name(doc.relpath)
            row["stamped"] = {
                "file": name,
                "sha256": _write_if_changed(out_dir / name, stamped, known.get(name), fsync=fsync, staged=staged),
                "approved": bool(approval and approval.approved),
                "approved_by": [a.label() for a in approval.approved_by] if approval and approval.approved else [],
                "approval_source": approval.source_text() if approval else None,
                "commit": approval.commit if approval else None,
            }
            row["approval"] = approval.to_json() if approval else None
            if signing is not None and approval is not None and approval.approved:
                signed = cache.signed(row["stamped"]["sha256"], stamped, signing,
                                      reason=f"Approved filing: {approval.names()}, commit {approval.commit[:12]}")
                name = signed_name(doc.relpath)
                row["signed"] = {"file": name,
                                 "sha256": _write_if_changed(out_dir / name, signed, known.get(name), fsync=fsync),
                                 "certificate_sha256": signing.token}
        rows.append(row)
    return rows


def _read_json(file: Path) -> dict[str, Any]:
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_if_changed(path: Path, data: bytes | str, known: str | None = None, *, fsync: bool = True,
                      staged: Staged | None = None) -> str:
    """Write unless the file already holds ``data`` (``known``: its SHA-256 per the previous manifest)."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    digest = sha256_bytes(payload)
    if path.is_file() and path.stat().st_size == len(payload):
        if known == digest or (known is None and sha256_file(path) == digest):
            return digest
    return staged.write(path, payload, fsync=fsync) if staged is not None else write_atomic(path, payload, fsync=fsync)


def _remove_stale(out_dir: Path, stale: set[str]) -> None:
    """Remove files an earlier build listed and this one did not produce (and folders left empty)."""
    for name in sorted(stale):
        file = out_dir / name
        file.unlink(missing_ok=True)
        folder = file.parent
        while folder != out_dir and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent
