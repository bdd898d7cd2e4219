"""Field-level comparison of two incidents (dotted paths, as ``breachdocs validate`` names fields)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass
class FieldChange:
    field: str
    base: Any
    head: Any


def flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    """``{"a": {"b": [1]}}`` -> ``{"a.b[0]": 1}``: one entry per leaf."""
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key in value:
            out.update(flatten(value[key], f"{prefix}.{key}" if prefix else str(key)))
        return out or ({prefix: {}} if prefix else {})
    if isinstance(value, list):
        out = {}
        for i, item in enumerate(value):
            out.update(flatten(item, f"{prefix}[{i}]"))
        return out or {prefix: []}
    return {prefix: value}


def field_changes(base: dict[str, Any], head: dict[str, Any]) -> list[FieldChange]:
    old, new = flatten(base), flatten(head)
    return [FieldChange(k, old.get(k), new.get(k)) for k in sorted(old.keys() | new.keys()) if old.get(k) != new.get(k)]
