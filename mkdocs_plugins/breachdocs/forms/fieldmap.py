"""Field maps: ``fields.yaml`` beside a form's PDF, loaded strictly and checked.

A map says, for every PDF field, which incident value goes in and how it is
written (see fieldmap.schema.json). It is checked on its own (schema, paths
that can exist) and against the PDF (every field it names exists there, and
button specs go to buttons, text specs to text fields).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..findings import Finding
from ..pdf.acroform import PdfField
from ..records import Loaded, load_mapping, packaged_schema
from .values import PLACEHOLDER, condition_paths

SCHEMA = "forms/fieldmap.schema.json"
_TEXT_KEYS = ("value", "text", "join", "literal", "cases", "blank")
_BUTTON_KEYS = ("checked", "choose")


@dataclass
class FieldMap:
    loaded: Loaded
    fields: dict[str, dict[str, Any]]

    def finding(self, name: str, message: str, *, key: bool = True, severity: str = "error") -> Finding:
        return self.loaded.finding(("fields", name), message, key=key, severity=severity)


def _incident_schema() -> dict[str, Any]:
    schema = packaged_schema("incident.schema.json")
    props = dict(schema["properties"])
    props["filing"] = props["filings"]["items"]
    props["business"] = props["reporting_business"]
    return {"type": "object", "properties": props, "additionalProperties": False}


def _object_branch(node: dict[str, Any]) -> dict[str, Any]:
    for branch in node.get("oneOf", []) + node.get("anyOf", []):
        if isinstance(branch, dict) and "properties" in branch:
            return branch
    return node


def path_problem(path: str) -> str | None:
    """Why ``path`` can never hold an incident value (a misspelt field), or None."""
    node = _incident_schema()
    walked: list[str] = []
    for part in path.split("."):
        node = _object_branch(node)
        props = node.get("properties")
        if props is None or node.get("additionalProperties") is not False:
            return None  # free-form below here (e.g. affected.residents.US-NC)
        if part not in props:
            where = ".".join(walked) or "the incident"
            guess = difflib.get_close_matches(part, list(props), n=1)
            hint = f"did you mean '{'.'.join([*walked, guess[0]])}'?" if guess else \
                f"the fields of {where} are: {', '.join(props)}"
            return f"'{path}' cannot be an incident value: {where} has no field '{part}'; {hint}"
        node = props[part]
        walked.append(part)
    return None


def _paths_of(spec: dict[str, Any]) -> list[str]:
    paths: list[str] = []
    if "value" in spec:
        paths.append(spec["value"])
    for item in [spec.get("text", ""), *spec.get("join", [])]:
        if "{" in item:
            paths += [m.group(1).strip() for m in PLACEHOLDER.finditer(item)]
        elif item:
            paths.append(item)
    if "checked" in spec:
        paths += condition_paths(spec["checked"])
    for cond in (spec.get("choose") or {}).values():
        paths += condition_paths(cond)
    for case in spec.get("cases", []):
        paths += _paths_of(case)
        if "when" in case:
            paths += condition_paths(case["when"])
    return paths


def _spec_findings(fm: FieldMap, name: str, spec: dict[str, Any]) -> list[Finding]:
    out: list[Finding] = []
    kinds = [k for k in (*_TEXT_KEYS, *_BUTTON_KEYS) if k in spec]
    if len(kinds) != 1:
        what = ", ".join(kinds) if kinds else "none"
        out.append(fm.finding(name, f"give exactly one of value, text, join, literal, cases, checked, choose, "
                                    f"blank (found: {what})"))
    for path in _paths_of(spec):
        problem = path_problem(path)
        if problem:
            out.append(fm.finding(name, problem, key=False))
    return out


def load_field_map(file: Path, display: str | None = None) -> tuple[FieldMap | None, list[Finding]]:
    """Load and schema-check a field map; None when it cannot be used."""
    loaded, problems = load_mapping(file, display or str(file), schema=SCHEMA,
                                    what="a field map is a mapping with 'fields:'")
    if loaded is None:
        return None, problems
    fm = FieldMap(loaded, dict(loaded.data["fields"]))
    findings: list[Finding] = []
    for name, spec in fm.fields.items():
        findings += _spec_findings(fm, name, spec)
    return (None if findings else fm), findings


def check_against_pdf(fm: FieldMap, pdf_fields: dict[str, PdfField], pdf_name: str) -> list[Finding]:
    """Every mapped field exists in the PDF, with a spec of its kind; unmapped PDF fields are warnings."""
    out: list[Finding] = []
    names = list(pdf_fields)
    for name, spec in fm.fields.items():
        fld = pdf_fields.get(name)
        if fld is None:
            guess = difflib.get_close_matches(name, names, n=1)
            hint = f"; did you mean '{guess[0]}'?" if guess else "; run `breachdocs form-fields` to list its fields"
            out.append(fm.finding(name, f"{pdf_name} has no field '{name}'{hint}"))
            continue
        button = fld.kind in ("checkbox", "radio")
        if button and not spec.get("blank") and not any(k in spec for k in _BUTTON_KEYS):
            out.append(fm.finding(name, f"'{name}' is a {fld.kind} in {pdf_name}: fill it with 'checked: CONDITION' "
                                        "or 'choose: {OPTION: CONDITION}'"))
        if not button and any(k in spec for k in _BUTTON_KEYS):
            out.append(fm.finding(name, f"'{name}' is a {fld.type_label} field in {pdf_name}, not a checkbox; "
                                        "fill it with value, text, join or literal"))
        if "choose" in spec and button:
            for option in spec["choose"]:
                if option not in fld.options:
                    out.append(fm.loaded.finding(("fields", name, "choose", option),
                                                 f"'{option}' is not an option of '{name}'; its options are: "
                                                 f"{', '.join(fld.options)}", key=True))
        if "checked" in spec and button and len(fld.options) > 1:
            out.append(fm.finding(name, f"'{name}' has several options ({', '.join(fld.options)}); "
                                        "use 'choose: {OPTION: CONDITION}'"))
    for name, fld in pdf_fields.items():
        if name not in fm.fields and fld.kind not in ("button", "signature"):
            out.append(fm.loaded.finding(("fields",), f"the PDF field '{name}' is not in the field map; map it, "
                                                      f"or add '{name}: {{blank: true}}' to leave it empty",
                                         key=True, severity="warning"))
    return out


def starting_map(pdf_fields: dict[str, PdfField]) -> str:
    """A field map with every field of a PDF, to be completed by hand (`form-fields --map-out`)."""
    lines = [
        "# Field map: for every PDF field, the incident value that goes in.",
        "# Spec keys: value (a path), text ('{path} {path:format}'), join, literal, default, format,",
        "# required, checked (checkboxes), choose (radio groups), cases, blank.",
        "fields:",
    ]
    for name, fld in pdf_fields.items():
        if fld.kind in ("button", "signature"):
            continue
        where = f"page {fld.page + 1}, {fld.type_label}"
        key = _yaml_key(name)
        if fld.kind == "checkbox" and len(fld.options) <= 1:
            lines += [f"  {key}:  # {where}", "    checked: notice.methods contains written  # TODO"]
        elif fld.kind in ("checkbox", "radio"):
            first = fld.options[0] if fld.options else "Yes"
            lines += [f"  {key}:  # {where}; options: {', '.join(fld.options)}",
                      f"    choose: {{{_yaml_key(first)}: data.protected}}  # TODO"]
        else:
            lines += [f"  {key}:  # {where}", "    blank: true  # TODO: value: PATH"]
    return "\n".join(lines) + "\n"


def _yaml_key(name: str) -> str:
    if name and all(c.isalnum() or c in "_-" for c in name) and not name[0].isdigit() and name.lower() not in {
        "yes", "no", "on", "off", "true", "false", "y", "n", "null",
    }:
        return name
    return "'" + name.replace("'", "''") + "'"
