"""What a change does, between two Git revisions: incidents, obligations, filings.

:func:`diff_revisions` exports both revisions (``git archive``, so the work tree
is never touched), loads and checks each, renders each revision's filings with
the forms engine, and compares:

- incidents added, removed, and changed field by field (dotted paths, as
  ``breachdocs validate`` names fields);
- obligations per incident (jurisdiction and duty: triggered, due, status);
- filing documents new, changed or removed, compared by SHA-256, and whether a
  changed document was recorded as filed (binding) and amended;
- the findings of the head revision (a binding filing altered without an
  amendment shows up here).

:func:`to_markdown` renders it for a pull request's job summary; :func:`to_json`
for programs. Optional first-page previews of changed filings are PNGs made by
``pdftoppm``.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import shutil
import subprocess
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from .. import git
from ..filings.bundle import build_filings
from ..filings.cache import default_cache_dir
from ..filings.documents import FilingRenderer, FormsRenderer
from ..findings import Finding
from ..law import Obligation
from ..project import Project
from ..project_check import check_project
from ..records import Incident
from ..records.changes import FieldChange, field_changes


@dataclass
class FilingChange:
    incident: str
    form: str
    variant: str
    jurisdiction: str
    recipient: str
    change: str  # new | changed | removed
    base_sha256: str | None
    head_sha256: str | None
    file: str | None  # path under the head build, for previews
    preview: str | None = None


@dataclass
class IncidentChange:
    id: str
    title: str
    change: str  # added | removed | changed | unchanged | invalid (at head: see the findings)
    fields: list[FieldChange] = field(default_factory=list)
    obligations: list[dict[str, Any]] = field(default_factory=list)  # changes: {key, change, base, head}
    duties: dict[str, dict[str, Any]] = field(default_factory=dict)  # the head's triggered obligations, by key


@dataclass
class Diff:
    base: str
    head: str
    incidents: list[IncidentChange]
    filings: list[FilingChange]
    findings: list[Finding]

    @property
    def changed(self) -> list[IncidentChange]:
        return [i for i in self.incidents if i.change != "unchanged"]


def _obligations(found: dict[str, list[Obligation]]) -> dict[str, dict[str, dict[str, Any]]]:
    """Per incident, per ``jurisdiction duty``: the obligation's gist."""
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for incident, judged in found.items():
        gist = {}
        for o in judged:
            data = o.to_dict()
            gist[f"{data['jurisdiction']} {data['duty']}"] = {
                k: data.get(k) for k in ("title", "triggered", "due_text", "status", "form", "reason")
            }
        out[incident] = gist
    return out


def _obligation_changes(base: dict[str, dict[str, Any]], head: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for key in sorted(base.keys() | head.keys()):
        old, new = base.get(key), head.get(key)
        if old == new:
            continue
        change = "new" if old is None else "removed" if new is None else "changed"
        out.append({"key": key, "change": change, "base": old, "head": new})
    return out


@dataclass
class _Side:
    commit: str
    project: Project
    incidents: dict[str, Incident]
    findings: list[Finding]
    manifest: dict[str, Any]
    out: Path
    obligations: dict[str, dict[str, dict[str, Any]]]


def _side(root: Path, rev: str, work: Path, renderer: FilingRenderer, cache: Path, as_of: dt.date) -> _Side:
    prefix = git.run(root, "rev-parse", "--show-prefix")
    commit = git.export_tree(root, rev, work / "tree")
    project = Project(work / "tree" / prefix if prefix else work / "tree")
    checked = check_project(project, today=as_of, use_cache=False)  # a tree exported for this comparison only
    result = build_filings(project, checked.incidents, work / "out", renderer=renderer, cache_dir=cache,
                           source_commit=commit, stamps=False)
    return _Side(commit, project, {i.id: i for i in checked.incidents}, checked.findings, result.manifest,
                 work / "out", _obligations(checked.obligations))


def diff_revisions(
    root: Path,
    base: str,
    head: str,
    *,
    renderer: FilingRenderer | None = None,
    as_of: dt.date | None = None,
    previews: Path | None = None,
) -> Diff:
    """Compare revision ``base`` with ``head`` of the Git repository holding the project at ``root``."""
    renderer = renderer or FormsRenderer()
    as_of = as_of or dt.date.today()
    cache = default_cache_dir(Project(root))
    with tempfile.TemporaryDirectory(prefix="breachdocs-diff-") as tmp:
        old = _side(root, base, Path(tmp) / "base", renderer, cache, as_of)
        new = _side(root, head, Path(tmp) / "head", renderer, cache, as_of)
        filings = _filing_changes(old.manifest, new.manifest)
        incidents = _incident_changes(old, new, {f.incident for f in filings})
        if previews is not None:
            _render_previews(filings, new.out, previews)
    return Diff(old.commit, new.commit, incidents, filings, new.findings)


def _incident_changes(old: _Side, new: _Side, refiled: set[str]) -> list[IncidentChange]:
    out = []
    for key in sorted(old.incidents.keys() | new.incidents.keys()):
        a, b = old.incidents.get(key), new.incidents.get(key)
        title = (b or a).title  # type: ignore[union-attr]
        fields: list[FieldChange]
        if a is None:
            change, fields = "added", []
        elif b is None:  # gone, or still there but failing its checks (the findings say why)
            change, fields = ("invalid" if (new.project.root / a.path).is_file() else "removed"), []
        else:
            fields = field_changes(a.data, b.data)
            change = "changed" if fields else "unchanged"
        obligations = _obligation_changes(old.obligations.get(key, {}), new.obligations.get(key, {}))
        if change == "unchanged" and (obligations or key in refiled):
            change = "changed"  # the law, a form or its engine changed under it
        duties = {k: v for k, v in new.obligations.get(key, {}).items() if v.get("triggered")}
        out.append(IncidentChange(key, title, change, fields, obligations, duties))
    return out


def _filing_changes(base: dict[str, Any], head: dict[str, Any]) -> list[FilingChange]:
    def index(manifest: dict[str, Any]) -> dict[tuple[str, str, str], dict[str, Any]]:
        return {(r["incident"], r["form"], r["variant"]): r for r in manifest.get("filings", [])}

    old, new = index(base), index(head)
    out = []
    for key in sorted(old.keys() | new.keys()):
        a, b = old.get(key), new.get(key)
        if a and b and a["sha256"] == b["sha256"]:
            continue
        row = b or a
        assert row is not None
        change = "new" if a is None else "removed" if b is None else "changed"
        out.append(FilingChange(row["incident"], row["form"], row["variant"], row["jurisdiction"], row["recipient"],
                                change, a["sha256"] if a else None, b["sha256"] if b else None,
                                b["file"] if b else None))
    return out


def _render_previews(filings: list[FilingChange], head_out: Path, folder: Path) -> None:
    """The first page of each new or changed filing as a PNG (needs pdftoppm from poppler-utils)."""
    if shutil.which("pdftoppm") is None:
        return
    folder.mkdir(parents=True, exist_ok=True)
    shown: set[tuple[str, str]] = set()
    # One image per form: the flattened copy (what is sent) when there is one; sorted so "flat" comes first.
    for change in sorted(filings, key=lambda f: (f.incident, f.form, f.variant != "flat", f.variant)):
        if change.file is None or (change.incident, change.form) in shown:
            continue
        shown.add((change.incident, change.form))
        stem = change.file.removeprefix("filings/").removesuffix(".pdf").replace("/", "--")
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile",
                        str(head_out / change.file), str(folder / stem)], check=True, capture_output=True)
        change.preview = f"{stem}.png"


def to_json(diff: Diff) -> str:
    data = asdict(diff)
    data["findings"] = [asdict(f) for f in diff.findings]
    return json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n"


_MD_SPECIAL = re.compile(r"([\\`*_\[\]#!|~<>])")  # one line, after our own prefix: no block can start
_AUTOLINK = re.compile(r"(?i)(://|www\.|@)")
_CODE = re.compile(r"[A-Za-z0-9_.:/+-]{1,60}")


def _md(value: Any) -> str:
    """Text from an incident (or any file of a branch) as inert Markdown text: one line (no heading, list or
    quote can start), HTML escaped, every Markdown mark escaped (no link, image or emphasis), and addresses
    broken with a zero-width space so that GitHub does not link them."""
    text = html.escape(" ".join(str(value).split()), quote=False)
    text = _AUTOLINK.sub(lambda m: m.group()[0] + "\u200b" + m.group()[1:], text)
    return _MD_SPECIAL.sub(r"\\\1", text)


def _code(value: Any) -> str:
    """A short code (a field path, a file name) as code when it is plainly one, else as escaped text."""
    text = str(value)
    return f"`{text}`" if _CODE.fullmatch(text) else _md(text)


def _cell(value: Any, limit: int = 300) -> str:
    """A table cell: numbers and short codes as code, text as text (cut at ``limit``), nothing as a dash."""
    if value is None:
        return "—"
    if not isinstance(value, str):
        return _code(json.dumps(value, ensure_ascii=False))
    text = " ".join(value.split())
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return _code(text) if len(text) <= 24 and " " not in text else _md(text)


def to_markdown(diff: Diff, *, preview_base: str = "") -> str:
    """A job summary a lawyer can read."""
    lines = [f"## breachdocs: `{diff.base[:12]}` → `{diff.head[:12]}`", ""]
    counts = {c: sum(i.change == c for i in diff.incidents) for c in ("added", "changed", "removed", "invalid")}
    invalid = f", {counts['invalid']} failing validation" if counts["invalid"] else ""
    lines.append(f"**Incidents:** {counts['added']} added, {counts['changed']} changed, {counts['removed']} removed"
                 f"{invalid}. "
                 f"**Filings:** {sum(f.change == 'new' for f in diff.filings)} new, "
                 f"{sum(f.change == 'changed' for f in diff.filings)} changed, "
                 f"{sum(f.change == 'removed' for f in diff.filings)} removed.")
    errors = [f for f in diff.findings if f.is_error]
    if errors:
        lines += ["", f"### ❌ {len(errors)} problem(s) to fix before merging", ""]
        lines += [f"- {_code(f'{f.path}:{f.line}')} **{_md(f.field)}**: {_md(f.message)}" for f in errors]
    for incident in diff.changed:
        heading = "Failing validation" if incident.change == "invalid" else incident.change.capitalize()
        lines += ["", f"### {heading}: {_md(incident.id)}", "", f"*{_md(incident.title)}*", ""]
        if incident.change == "changed" and not incident.fields:
            lines += ["No field of the incident changed; its law, forms or their engine did.", ""]
        if incident.fields:
            lines += ["| field | before | after |", "|---|---|---|"]
            lines += [f"| {_code(c.field)} | {_cell(c.base)} | {_cell(c.head)} |" for c in incident.fields]
            lines.append("")
        if incident.duties or incident.obligations:
            changes = {o["key"]: o for o in incident.obligations}
            lines += ["**Obligations and deadlines**", "", "| duty | due | status | change |", "|---|---|---|---|"]
            for key in sorted(incident.duties.keys() | changes.keys()):
                o = changes.get(key)
                now = incident.duties.get(key) or (o and (o["head"] or o["base"])) or {}
                change = o["change"] if o else "—"
                if o and o["change"] == "changed":
                    what = [k for k in o["head"] if o["head"].get(k) != o["base"].get(k)]
                    change += f" ({_md(', '.join(what))})"
                    if "reason" in what:
                        change += f": {_cell(o['head']['reason'], 200)}"
                lines.append(f"| {_md(key)} ({_md(now.get('title', ''))}) | {_cell(now.get('due_text'))} "
                             f"| {_cell(now.get('status'))} | {change} |")
            lines.append("")
        own = [f for f in diff.filings if f.incident == incident.id]
        if own:
            lines += ["**Filings (by SHA-256)**", "", "| document | change | before | after |", "|---|---|---|---|"]
            for f in own:
                lines.append(f"| {_md(f'{f.form} {f.variant} ({f.jurisdiction} {f.recipient})')} | {f.change} "
                             f"| {_cell(f.base_sha256 and f.base_sha256[:16])} "
                             f"| {_cell(f.head_sha256 and f.head_sha256[:16])} |")
            lines.append("")
            for f in own:
                if f.preview:
                    lines += [f"![first page of {_md(f'{f.form} {f.variant}')}]({preview_base}{quote(f.preview)})", ""]
    if not diff.changed:
        lines += ["", "No incident, obligation or filing changed."]
    return "\n".join(lines) + "\n"
