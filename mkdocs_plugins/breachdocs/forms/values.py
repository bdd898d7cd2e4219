"""Incident values for form fields: dotted paths, conditions and formatting.

The *context* a field map reads is the incident's data, plus ``filing`` (the
incident's ``filings[]`` entry for this form, if any) and ``business`` (the
reporting business, profile included). A field spec (see fieldmap.schema.json)
turns it into the text of a text field or the state of a button.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from ..findings import Finding
from ..pdf.fill import FieldValue
from ..records import Incident

MISSING: Any = object()
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
PLACEHOLDER = re.compile(r"\{([^{}:]+)(?::([^{}]*))?\}")
_COMPARE = re.compile(r"^(?P<left>\S+)\s+(?P<op>==|!=|>=|<=|>|<|contains)\s+(?P<right>.+)$")


def context(incident: Incident, form_id: str) -> dict[str, Any]:
    """What a field map may read for ``incident`` filling form ``form_id``."""
    data = dict(incident.data)
    filing = next((f for f in incident.filings if f.get("form") == form_id), None)
    data["filing"] = dict(filing) if filing else {}
    data["business"] = incident.business
    return data


def filing_index(incident: Incident, form_id: str) -> int | None:
    return next((i for i, f in enumerate(incident.filings) if f.get("form") == form_id), None)


def resolve(ctx: dict[str, Any], path: str) -> Any:
    """The value at a dotted path, or MISSING."""
    node: Any = ctx
    for part in path.split("."):
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return MISSING
    return node


def _date_text(value: dt.date, pattern: str) -> str:
    """strftime with the portable extras %-d, %-m, %-y (no leading zero)."""
    pattern = (pattern.replace("%-d", str(value.day)).replace("%-m", str(value.month))
               .replace("%-y", str(value.year % 100)))
    return value.strftime(pattern)


def format_value(value: Any, fmt: str | None) -> str | None:
    """Text for ``value`` (None when missing or null)."""
    if value is MISSING or value is None:
        return None
    if isinstance(value, bool):
        yes, _, no = (fmt or "yes|no").partition("|")
        return yes if value else no
    if isinstance(value, (int, float)):
        return format(value, fmt) if fmt else str(value)
    if isinstance(value, str):
        if fmt and _DATE.match(value):
            return _date_text(dt.date.fromisoformat(value), fmt)
        return value
    if isinstance(value, list):
        parts = [format_value(v, fmt) for v in value]
        return ", ".join(p for p in parts if p)
    return None


def render_template(ctx: dict[str, Any], template: str) -> tuple[str | None, list[str]]:
    """Fill ``{path}`` / ``{path:format}`` placeholders; None if any is missing. Returns (text, paths used)."""
    used: list[str] = []
    missing = False

    def sub(match: re.Match[str]) -> str:
        nonlocal missing
        path, fmt = match.group(1).strip(), match.group(2)
        used.append(path)
        text = format_value(resolve(ctx, path), fmt)
        if text is None:
            missing = True
            return ""
        return text

    text = PLACEHOLDER.sub(sub, template)
    return (None if missing else text), used


def _operand(ctx: dict[str, Any], word: str) -> Any:
    word = word.strip()
    if len(word) >= 2 and word[0] == word[-1] and word[0] in "'\"":
        return word[1:-1]
    if word.split(".")[0] in ctx:
        return resolve(ctx, word)
    if re.fullmatch(r"-?\d+", word):
        return int(word)
    if word in ("true", "false"):
        return word == "true"
    return word


def condition(ctx: dict[str, Any], expr: str) -> bool:
    """Evaluate a field-map condition (see fieldmap.schema.json)."""
    expr = expr.strip()
    if expr.startswith("not "):
        return not condition(ctx, expr[4:])
    match = _COMPARE.match(expr)
    if not match:
        value = resolve(ctx, expr)
        return value is not MISSING and bool(value)
    left = resolve(ctx, match["left"])
    right = _operand(ctx, match["right"])
    op = match["op"]
    if op == "contains":
        return left is not MISSING and isinstance(left, (list, str, dict)) and right in left
    if left is MISSING or right is MISSING or left is None or right is None:
        return op == "!=" and left != right
    if op == "==":
        return bool(left == right)
    if op == "!=":
        return bool(left != right)
    try:
        return bool({">=": left >= right, "<=": left <= right, ">": left > right, "<": left < right}[op])
    except TypeError:
        return False


def condition_paths(expr: str) -> list[str]:
    """The paths a condition reads (for checking a field map)."""
    expr = expr.strip()
    while expr.startswith("not "):
        expr = expr[4:].strip()
    match = _COMPARE.match(expr)
    if not match:
        return [expr]
    right = match["right"].strip()
    paths = [match["left"]]
    if "." in right and right[0] not in "'\"":
        paths.append(right)
    return paths


def spec_text(ctx: dict[str, Any], spec: dict[str, Any]) -> tuple[str | None, str]:
    """The text a (non-button) spec gives, and the path it came from."""
    if "cases" in spec:
        for case in spec["cases"]:
            if "when" not in case or condition(ctx, case["when"]):
                found, source = spec_text(ctx, case)
                return (found if found is not None else spec.get("default")), source
        return spec.get("default"), ""
    text: str | None = None
    source = ""
    if "literal" in spec:
        text = spec["literal"]
    elif "value" in spec:
        source = spec["value"]
        text = format_value(resolve(ctx, source), spec.get("format"))
    elif "text" in spec:
        text, used = render_template(ctx, spec["text"])
        source = used[0] if used else ""
    elif "join" in spec:
        parts: list[str] = []
        first = ""
        for item in spec["join"]:
            if "{" in item:
                part, used = render_template(ctx, item)
                path = used[0] if used else ""
            else:
                part, path = format_value(resolve(ctx, item), spec.get("format")), item
            first = first or path
            if part:
                source = source or path  # findings point at the first part that gives text
                parts.append(part)
        source = source or first
        text = spec.get("separator", " ").join(parts) if parts else None
    if text is None or text == "":
        text = spec.get("default", text)
    return text, source


def field_value(ctx: dict[str, Any], name: str, spec: dict[str, Any]) -> FieldValue:
    if spec.get("blank"):
        return FieldValue(name, text="")
    if "checked" in spec:
        on = condition(ctx, spec["checked"])
        return FieldValue(name, state="on" if on else "Off", source=condition_paths(spec["checked"])[0])
    if "choose" in spec:
        for option, cond in spec["choose"].items():
            if condition(ctx, cond):
                return FieldValue(name, state=option, source=condition_paths(cond)[0])
        return FieldValue(name, state="Off")
    text, source = spec_text(ctx, spec)
    return FieldValue(name, text=text, source=source)


def missing_required(incident: Incident, form_id: str, value: FieldValue, spec: dict[str, Any]) -> Finding | None:
    """A located finding when a required field has no value."""
    if not spec.get("required") or (value.text not in (None, "")) or value.state is not None:
        return None
    path = value.source or ""
    where = incident_path(incident, form_id, path)
    what = f"'{path}'" if path else "a value"
    return incident.finding(where, f"the form {form_id} needs {what} for its field '{value.name}'; "
                                   f"add {path or 'it'} to the incident")


def incident_path(incident: Incident, form_id: str, path: str) -> tuple[str | int, ...]:
    """Where a context path stands in the incident file (for locating findings)."""
    where: tuple[str | int, ...] = tuple(path.split(".")) if path else ()
    if where and where[0] == "business":
        return ("reporting_business",) + where[1:]
    if where and where[0] == "filing":
        index = filing_index(incident, form_id)
        return ("filings", index) + where[1:] if index is not None else ("filings",)
    return where
