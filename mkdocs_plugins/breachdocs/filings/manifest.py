"""``filings/manifest.json``: every document of every filing, by file, with its SHA-256, and the
links a page shows for them.

A row per document: ``incident, jurisdiction, recipient, form, variant`` (fillable, flat,
packet, filed-<sha12>, or worksheet: a regulator's questions answered, ``form`` then being the
submission id such as ``us-tx-attorney-general``), ``file`` (path under the output folder), ``sha256``, ``size``,
``record`` (the incident's filings[] entry that recorded this very document, if any) and,
for the approval-stamped copy, ``stamped: {file, sha256, approved, approved_by, approval_source, commit}``,
``approval`` (every fact of the approval: pull request, each approver with the commit they approved,
whether they are a code owner, why it does not count) and, when approved filings are signed,
``signed: {file, sha256, certificate_sha256}``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

MANIFEST = "filings/manifest.json"
STAMPED_SUFFIX = ".stamped.pdf"
SIGNED_SUFFIX = ".signed.pdf"


def document_file(incident: str, form: str, variant: str) -> str:
    """Where a document lives under the output folder: ``filings/<incident>/<form>[-variant].pdf``."""
    return f"filings/{incident}/{form}-{variant}.pdf" if variant else f"filings/{incident}/{form}.pdf"


def stamped_name(file: str) -> str:
    """Where the approval-stamped copy of the document at ``file`` lives."""
    return file.removesuffix(".pdf") + STAMPED_SUFFIX


def signed_name(file: str) -> str:
    """Where the signed copy of the approval-stamped copy of the document at ``file`` lives."""
    return file.removesuffix(".pdf") + SIGNED_SUFFIX


def planned_rows(incident: str, planned: Iterable[tuple[str, str]], *, stamps: bool = True,
                 signed: bool = False) -> list[dict[str, Any]]:
    """The rows the manifest will have for ``planned`` documents ((form, variant) each), without their hashes:
    what a page can link before the documents are made (``signed``: the incident's change is approved and
    approved filings are signed)."""
    rows: list[dict[str, Any]] = []
    for form, variant in planned:
        file = document_file(incident, form, variant)
        row: dict[str, Any] = {"incident": incident, "form": form, "variant": variant or "fillable", "file": file}
        if stamps and not variant.startswith("filed-"):
            row["stamped"] = {"file": stamped_name(file)}
            if signed:
                row["signed"] = {"file": signed_name(file)}
        rows.append(row)
    return rows


def files_of(rows: Iterable[dict[str, Any]]) -> set[str]:
    """Every file of ``rows`` (documents, stamped and signed copies)."""
    return {r["file"] for r in rows} | {r[copy]["file"] for r in rows for copy in ("stamped", "signed") if r.get(copy)}


def read_manifest(out_dir: Path) -> dict[str, Any] | None:
    """The manifest of a built output folder, or None if there is none."""
    try:
        return json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))  # type: ignore[no-any-return]
    except (OSError, ValueError):
        return None


_LABELS = {"fillable": "Fillable copy (for review)", "flat": "Flattened (as submitted)", "packet": "Filing packet",
           "worksheet": "Worksheet (questions answered)"}


def document_links(rows: Iterable[dict[str, Any]]) -> dict[tuple[str, str], list[dict[str, str]]]:
    """Per (incident, form): the links a page shows of the manifest's ``rows`` (or :func:`planned_rows`),
    ``{"label", "path"}`` and ``"sha256"`` when known, paths relative to the output folder."""
    out: dict[tuple[str, str], list[dict[str, str]]] = {}
    for row in rows:
        variant = row["variant"]
        label = _LABELS.get(variant) or f"As filed (SHA-256 {variant.removeprefix('filed-')}…)"
        links = out.setdefault((row["incident"], row["form"]), [])
        links.append({"label": label, "path": row["file"], **({"sha256": row["sha256"]} if "sha256" in row else {})})
        stamped = row.get("stamped")
        if stamped:
            links.append({"label": f"{label}, with approval stamp", "path": stamped["file"],
                          **({"sha256": stamped["sha256"]} if "sha256" in stamped else {})})
        signed = row.get("signed")
        if signed:
            links.append({"label": f"{label}, signed", "path": signed["file"],
                          **({"sha256": signed["sha256"]} if "sha256" in signed else {})})
    return out
