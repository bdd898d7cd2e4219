"""``breachdocs verify FILE.pdf``: which filing a document is, whether its bytes are what was published and
recorded, and who approved it.

The document's SHA-256 is looked up in the published manifest (``filings/manifest.json``): as a
filing document (fillable, flattened, packet, as filed), its approval-stamped copy or its signed
copy. The filing it belongs to is then checked against the incident's record
(``filings[].sha256``) and the approval the manifest carries; a signed copy's signature is
validated with pyHanko. Anything that does not hold is a problem, and the verdict fails.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pypdf.errors import PdfReadError

from ..approval import Approval
from ..hashing import sha256_bytes
from ..project import Project
from ..records import Incident, load_incidents
from .manifest import MANIFEST
from .signing import SigningError, check_signatures
from .stamp import read_stamp

_KINDS = {"fillable": "fillable copy (for review)", "flat": "flattened copy (as submitted)",
          "packet": "filing packet (form and notice)"}


@dataclass
class Verdict:
    file: str
    sha256: str
    facts: list[str] = field(default_factory=list)  # what the document is, in lines
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def text(self) -> str:
        head = f"{self.file}: {'VERIFIED' if self.ok else 'DOES NOT VERIFY'}"
        lines = [head, f"  SHA-256: {self.sha256}", *(f"  {f}" for f in self.facts)]
        lines += [f"  PROBLEM: {p}" for p in self.problems]
        return "\n".join(lines)


def verify(name: str, data: bytes, manifest: dict[str, Any] | None, manifest_name: str, incidents: list[Incident],
           *, trust: list[Path] | None = None) -> Verdict:
    """The verdict on the document ``data`` (shown as ``name``)."""
    verdict = Verdict(name, sha256_bytes(data))
    if manifest is None:
        verdict.problems.append(f"no readable manifest at {manifest_name}: give the published site's folder with "
                                "--site, or --manifest FILE")
        return verdict
    row, copy = _find(manifest, verdict.sha256)
    if row is None:
        _unknown(verdict, data, manifest, manifest_name)
        return verdict
    kind = _KINDS.get(row["variant"]) or f"document as filed ({row['variant']})"
    what = {"document": kind, "stamped": f"approval-stamped copy of the {kind}",
            "signed": f"signed, approval-stamped copy of the {kind}"}[copy]
    verdict.facts.append(f"document: the {what}")
    verdict.facts.append(f"filing: form {row['form']} of incident {row['incident']}, to {row['jurisdiction']} "
                         f"{row['recipient']}")
    shown = row[copy]["file"] if copy != "document" else row["file"]
    verdict.facts.append(f"manifest: the bytes match {shown} in {manifest_name} "
                         f"(source commit {str(manifest.get('source_commit') or 'not recorded')[:12]})")
    _check_record(verdict, row, incidents)
    _check_approval(verdict, row)
    if copy in ("stamped", "signed"):
        _check_stamp(verdict, data, row)
    if copy == "signed":
        _check_signature(verdict, data, trust)
    return verdict


def _find(manifest: dict[str, Any], digest: str) -> tuple[dict[str, Any] | None, str]:
    for row in manifest.get("filings", []):
        if row.get("sha256") == digest:
            return row, "document"
        for copy in ("stamped", "signed"):
            if (row.get(copy) or {}).get("sha256") == digest:
                return row, copy
    return None, ""


def _unknown(verdict: Verdict, data: bytes, manifest: dict[str, Any], manifest_name: str) -> None:
    """Say what can be said of a document that matches nothing published."""
    claim = ""
    try:
        claim = read_stamp(data).filed_sha256
    except (PdfReadError, ValueError, OSError, KeyError, TypeError):
        verdict.problems.append("the file is not a readable PDF")
    if claim:
        row, _ = _find(manifest, claim)
        if row is not None:
            verdict.problems.append(
                f"it says it is the approval-stamped copy of form {row['form']} of incident {row['incident']} "
                f"(filed document {claim[:12]}), but its bytes are not those of the copy published in "
                f"{manifest_name} ({(row.get('stamped') or {}).get('sha256', '?')[:12]}): it was changed after "
                "publishing. Do not rely on it; take the published copy")
            return
    verdict.problems.append(f"its bytes match no document of {manifest_name}: it is not a published filing "
                            "document, or it was changed after publishing (one changed byte is enough)")


def _check_record(verdict: Verdict, row: dict[str, Any], incidents: list[Incident]) -> None:
    incident = next((i for i in incidents if i.id == row["incident"]), None)
    if incident is None:
        verdict.problems.append(f"incident {row['incident']} is not in this project's incidents/")
        return
    for index, entry in enumerate(incident.filings):
        if entry.get("sha256") == row["sha256"]:
            verdict.facts.append(f"record: {incident.path} filings[{index}] records this SHA-256 "
                                 f"({entry.get('kind', 'initial')}, submitted {entry.get('submitted')})")
            return
    recorded = [str(e["sha256"])[:12] for e in incident.filings if e.get("sha256") and e.get("form") == row["form"]]
    also = f"; it records {', '.join(recorded)} for another copy of this filing" if recorded else ""
    verdict.facts.append(f"record: {incident.path} records no SHA-256 for this document (not recorded as sent{also})")


def _check_approval(verdict: Verdict, row: dict[str, Any]) -> None:
    data = row.get("approval")
    if not data and str(row["variant"]).startswith("filed-") and row.get("record"):
        verdict.facts.append("approval: a document as filed before an amendment: the incident's record holds its "
                             "SHA-256, approved with the commit that recorded it (see the incident's history)")
        return
    if not data:
        verdict.problems.append("the manifest records no approval for it (built outside Git, or without stamps)")
        return
    approval = Approval.from_json(data)
    where = f"merge commit {approval.commit}"
    if approval.pull_request is not None:
        where = f"pull request #{approval.pull_request} ({approval.pull_url}), {where}"
    if approval.approved:
        for a in approval.approved_by:
            verdict.facts.append(f"approved by: {a.label()}, {'code owner' if a.code_owner else 'listed approver'}, "
                                 f"approving commit {a.commit[:12]} at {a.at}")
        verdict.facts.append(f"approval: {approval.source_text()}; {where}")
    else:
        verdict.problems.append(f"NOT APPROVED ({approval.source_text()}; {where}): " + "; ".join(approval.problems))


def _check_stamp(verdict: Verdict, data: bytes, row: dict[str, Any]) -> None:
    stamp = read_stamp(data)
    if stamp.filed_sha256 != row["sha256"]:
        verdict.problems.append(f"its stamp names filed document {stamp.filed_sha256[:12]}, not {row['sha256'][:12]}")
    elif data[:row.get("size", 0)] and sha256_bytes(data[:row["size"]]) == row["sha256"]:
        verdict.facts.append(f"stamp: its first {row['size']} bytes are the filed document exactly")


def _check_signature(verdict: Verdict, data: bytes, trust: list[Path] | None) -> None:
    try:
        checks = check_signatures(data, trust)
    except SigningError as error:
        verdict.facts.append(f"signature: not checked ({error})")
        return
    if not checks:
        verdict.problems.append("a signed copy without a signature")
    for check in checks:
        if not (check.intact and check.covers_whole_file):
            verdict.problems.append(f"the signature by {check.signer} does not cover the file as it is "
                                    f"({check.summary})")
            continue
        trusted = "trusted" if check.trusted else ("not trusted: give the signer's certificate with --trust" if not trust
                                                  else "NOT TRUSTED by the given certificates")
        if trust and not check.trusted:
            verdict.problems.append(f"the signature by {check.signer} is intact but not trusted by the given certificates")
        verdict.facts.append(f"signature: intact, by {check.signer}, at {check.signed_at}, {trusted}")


def find_manifest(file: Path, root: Path, *, site: Path | None = None, manifest_file: Path | None = None) -> Path | None:
    """The manifest to check ``file`` against: the one given, else of the published folder ``file`` is in,
    else the project's ``out/public/`` (where ``breachdocs publish`` publishes), ``public/`` or ``site/``."""
    if manifest_file is not None:
        return manifest_file
    if site is not None:
        return site / MANIFEST
    for folder in file.resolve().parents:
        if folder.name == "filings" and (folder / "manifest.json").is_file():
            return folder / "manifest.json"
    for name in ("out/public", "public", "site"):
        if (root / name / MANIFEST).is_file():
            return root / name / MANIFEST
    return None


def verify_file(project: Project, file: Path, *, site: Path | None = None, manifest_file: Path | None = None,
                trust: list[Path] | None = None) -> Verdict:
    """:func:`verify` of a file, against the manifest :func:`find_manifest` finds and the project's incidents."""
    found = find_manifest(file, project.root, site=site, manifest_file=manifest_file)
    manifest = None
    if found is not None:
        try:
            manifest = json.loads(found.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            manifest = None
    incidents, _ = load_incidents([project.incidents_dir], root=project.root)
    return verify(str(file), file.read_bytes(), manifest, str(found or MANIFEST), incidents, trust=trust)
