"""Fields of the incident format (``records/incident.schema.json``) as submissions name them."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from ..records import packaged_schema


def _schema_node(node: Mapping[str, Any], part: str) -> Mapping[str, Any] | None:
    for option in node.get("oneOf", []) + node.get("anyOf", []):
        if isinstance(option, Mapping) and option.get("type") == "object":
            node = option
    props = node.get("properties") or {}
    if part in props:
        return props[part]  # type: ignore[no-any-return]
    extra = node.get("additionalProperties")
    return extra if isinstance(extra, Mapping) else None


@cache
def field_schema(path: str) -> Mapping[str, Any] | None:
    """The incident schema of ``path`` (``filing.x``, ``business.x`` or a dotted incident path), or None."""
    schema = packaged_schema("incident.schema.json")
    head, _, rest = path.partition(".")
    if head == "filing":
        node: Mapping[str, Any] | None = schema["properties"]["filings"]["items"]
        parts = rest.split(".") if rest else []
    elif head == "business":
        node, parts = schema["properties"]["reporting_business"], rest.split(".")
    else:
        node, parts = schema, path.split(".")
    for part in parts:
        if node is None:
            return None
        if "$ref" in node:
            node = schema["$defs"][node["$ref"].rsplit("/", 1)[-1]]
        if node.get("type") == "array" and isinstance(node.get("items"), Mapping) and "properties" in node["items"]:
            node = node["items"]  # entries by jurisdiction: the path goes on in the entry
        node = _schema_node(node, part)
    return node


def incident_field_exists(path: str) -> bool:
    """Whether ``path`` is a field of the incident format."""
    return field_schema(path) is not None


def is_enum(path: str) -> bool:
    """Whether the field at ``path`` (or each of its items) takes a word of a fixed list."""
    node = field_schema(path) or {}
    return "enum" in node or "enum" in (node.get("items") or {})


def field_values(path: str) -> list[str] | None:
    """The words the field at ``path`` (or each of its items) takes ('true'/'false' for a yes/no field); None
    when it takes free text."""
    node = field_schema(path) or {}
    items = node.get("items")
    item: Mapping[str, Any] = items if isinstance(items, Mapping) else node
    if "enum" in item:
        return [str(v) for v in item["enum"]]
    if item.get("type") == "boolean":
        return ["true", "false"]
    return None
