"""``filings/manifest.json``: every document of every filing, by file, with its SHA-256, and the
links a page shows for them.

A row per document: ``incident, jurisdiction, recipient, form, variant`` (fillable, flat,
packet, filed-<sha12>, or worksheet: a regulator's questions answered, ``form`` then being the
submission id such as ``us-tx-attorney-general``), ``file`` (path under the output folder), ``sha256``, ``size``,
``record`` (the incident's filings[] entry that recorded this very document, if any) and,
for the approval-stamped copy, ``stamped: {file, sha256, approved_by, approval_source, commit}``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

MANIFEST = "filings/manifest.json"
STAMPED_SUFFIX = ".stamped.pdf"


def stamped_name(file: str) -> str:
    """Where the approval-stamped copy of the document at ``file`` lives."""
    return file.removesuffix(".pdf") + STAMPED_SUFFIX


def read_manifest(out_dir: Path) -> dict[str, Any] | None:
    """The manifest of a built output folder, or None if there is none."""
    try:
        return json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))  # type: ignore[no-any-return]
    except (OSError, ValueError):
        return None


_LABELS = {"fillable": "Fillable copy (for review)", "flat": "Flattened (as submitted)", "packet": "Filing packet",
           "worksheet": "Worksheet (questions answered)"}


def document_links(manifest: dict[str, Any]) -> dict[tuple[str, str], list[dict[str, str]]]:
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
