"""A rule base for test projects: a project without one is an error everywhere."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def copy_rule_base(project: Path, *codes: str) -> Path:
    """Copy the jurisdiction files of ``codes`` (default: all) into ``project/jurisdictions``."""
    folder = project / "jurisdictions"
    folder.mkdir(parents=True, exist_ok=True)
    names = [f"{c.lower()}.yaml" for c in codes] or [p.name for p in (ROOT / "jurisdictions").glob("*.yaml")]
    for name in names:
        (folder / name).write_bytes((ROOT / "jurisdictions" / name).read_bytes())
    return folder
