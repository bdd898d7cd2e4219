"""JSON Schema validation that speaks in located, actionable sentences.

Used for incidents and, by ``law``, for jurisdiction files: any schema whose
properties carry ``description`` and ``examples`` gets messages that say what
is wrong and what to write instead.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable, Iterator
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
from jsonschema import Draft202012Validator, FormatChecker

from ..findings import Finding
from .strict_yaml import Loaded, Path_, load_yaml

_TYPE_WORDS = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "object": "a mapping of fields",
    "array": "a list",
    "null": "nothing (null)",
}


@cache
def packaged_schema(name: str) -> dict[str, Any]:
    """A JSON Schema shipped in ``breachdocs/records`` or another package folder."""
    package, _, file = name.rpartition("/")
    pkg = "breachdocs." + (package.replace("/", ".") if package else "records")
    schema: dict[str, Any] = json.loads(resources.files(pkg).joinpath(file).read_text(encoding="utf-8"))
    return schema


#: Fields an organisation profile may supply are required of the merged record, not of the file an editor
#: shows: the schema lists them under this keyword, which editors ignore and ``schema_findings`` enforces.
AFTER_PROFILE = "x-required-after-profile"


def _merged_record_schema(schema: Any) -> Any:
    """``schema`` with every ``x-required-after-profile`` list added to that level's ``required``."""
    if isinstance(schema, list):
        return [_merged_record_schema(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out = {key: _merged_record_schema(value) for key, value in schema.items() if key != AFTER_PROFILE}
    if AFTER_PROFILE in schema:
        required = list(schema.get("required", []))
        out["required"] = required + [key for key in schema[AFTER_PROFILE] if key not in required]
    return out


_MIN_LENGTH = Draft202012Validator.VALIDATORS["minLength"]


def _min_length(validator: Any, limit: Any, instance: Any, schema: Any) -> Iterator[jsonschema.ValidationError]:
    """``minLength``, where text of only spaces, tabs or line breaks counts as empty: it prints as nothing."""
    yield from _MIN_LENGTH(validator, limit, instance, schema)
    if isinstance(instance, str) and instance and not instance.strip() and limit >= 1:
        yield jsonschema.ValidationError(f"{instance!r} is only whitespace")


#: The draft 2020-12 validator with whitespace-only text as empty.
_extend: Any = jsonschema.validators.extend  # untyped in jsonschema
_RecordValidator: Any = _extend(Draft202012Validator, {"minLength": _min_length})


@cache
def _validator(name: str) -> Draft202012Validator:
    schema = _merged_record_schema(packaged_schema(name))
    validator: Draft202012Validator = _RecordValidator(schema, format_checker=FormatChecker(formats=["date"]))
    return validator


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "nothing"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, list):
        return "a list"
    return "a mapping"


def _example(schema: dict[str, Any]) -> str | None:
    examples = schema.get("examples")
    if not examples:
        return None
    ex = examples[0]
    if isinstance(ex, bool):
        return "true" if ex else "false"
    if isinstance(ex, str):
        return ex
    return json.dumps(ex, ensure_ascii=False)


def _suggest(word: str, choices: Iterable[str]) -> str | None:
    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return match[0] if match else None


def _is_date_schema(schema: dict[str, Any]) -> bool:
    return schema.get("format") == "date"


def _message(error: jsonschema.ValidationError) -> tuple[Path_, str, bool]:
    """(path, message, located at key?) for one schema error."""
    path: Path_ = tuple(error.absolute_path)
    schema = error.schema if isinstance(error.schema, dict) else {}
    value: Any = error.instance
    kind = error.validator
    limit: Any = error.validator_value
    example = _example(schema)
    hint = f"; for example: {example}" if example else ""

    if kind == "required":
        missing = error.message.split("'")[1] if "'" in error.message else str(error.validator_value)
        sub = schema.get("properties", {}).get(missing, {})
        sub_example = _example(sub) if isinstance(sub, dict) else None
        what = sub.get("description", "") if isinstance(sub, dict) else ""
        text = f"required field '{missing}' is missing"
        if what:
            text += f" ({what.rstrip('.')})"
        text += f"; add '{missing}: {sub_example}'" if sub_example else f"; add '{missing}:'"
        return path + (missing,), text, True
    if kind == "additionalProperties" and isinstance(value, dict):
        raise AssertionError("handled by _unknown_fields")
    if kind == "enum":
        choices = [str(c) for c in limit]
        guess = _suggest(str(value), choices)
        text = f"{_describe(value)} is not one of: {', '.join(choices)}"
        if guess:
            text += f"; did you mean '{guess}'?"
        return path, text, False
    if kind == "type":
        expected = limit
        names = [expected] if isinstance(expected, str) else list(expected)
        words = " or ".join(_TYPE_WORDS.get(n, n) for n in names)
        text = f"expected {words}, found {_describe(value)}"
        if "string" in names and isinstance(value, (int, float, bool)):
            return path, f"{text}; put it in quotes to keep it as text: \"{_describe(value).split()[-1]}\"", False
        return path, text + hint, False
    if kind in {"pattern", "format"} and _is_date_schema(schema):
        if kind == "format" or (isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value)):
            return path, f"{_describe(value)} is not a real calendar date; write it as YYYY-MM-DD{hint}", False
        return path, f"{_describe(value)} is not a date; write it as YYYY-MM-DD{hint}", False
    if kind == "pattern":
        what = schema.get("description", "").rstrip(".")
        text = f"{_describe(value)} is not in the expected form"
        if what:
            text += f" ({what})"
        return path, text + hint, False
    if kind == "propertyNames":
        return path, f"{_describe(value)} is not an allowed name here{hint}", True
    if kind == "minimum":
        return path, f"{_describe(value)} is below the minimum of {error.validator_value}", False
    if kind == "maximum":
        return path, f"{_describe(value)} is above the maximum of {error.validator_value}", False
    if kind == "minLength":
        return path, f"must not be empty{hint}", False
    if kind == "maxLength":
        over = len(value) - limit if isinstance(value, str) else 0
        return path, f"is {over} characters too long (at most {error.validator_value}); shorten it", False
    if kind == "minItems":
        return path, f"must list at least {error.validator_value} item(s){hint}", False
    if kind == "uniqueItems":
        seen: set[str] = set()
        dup = next((v for v in value if json.dumps(v) in seen or seen.add(json.dumps(v))), None)  # type: ignore[func-returns-value]
        return path, f"lists {_describe(dup)} more than once; keep one", False
    return path, error.message + hint, False


def _unknown_fields(loaded: Loaded, error: jsonschema.ValidationError) -> list[Finding]:
    """One finding per unknown key, with a did-you-mean suggestion where one is close."""
    schema = error.schema if isinstance(error.schema, dict) else {}
    allowed = list(schema.get("properties", {}))
    out = []
    instance: Any = error.instance
    for key in (k for k in instance if k not in allowed):
        guess = _suggest(key, allowed)
        if guess:
            text = f"unknown field '{key}'; did you mean '{guess}'?"
        elif allowed:
            text = f"unknown field '{key}'; the fields allowed here are: {', '.join(allowed)}"
        else:
            text = f"unknown field '{key}'; remove it"
        out.append(loaded.finding(tuple(error.absolute_path) + (key,), text, key=True))
    return out


def _leaf_errors(error: jsonschema.ValidationError) -> list[jsonschema.ValidationError]:
    if error.validator in {"oneOf", "anyOf"} and error.context:
        # the branches written for the value's type (a mapping, a list, ...) say what is wrong with it
        wrong_type = {e.relative_schema_path[0] for e in error.context
                      if e.validator == "type" and len(e.relative_schema_path) == 2}
        fitting = [e for e in error.context if e.relative_schema_path[0] not in wrong_type]
        best = jsonschema.exceptions.best_match(fitting or error.context)
        return _leaf_errors(best) if best is not None else [error]
    if error.validator == "propertyNames" and error.context:
        return [error]
    return [error]


def schema_findings(loaded: Loaded, schema_name: str) -> list[Finding]:
    """Validate ``loaded.data`` against a packaged schema; one finding per problem."""
    findings: list[Finding] = []
    for error in _validator(schema_name).iter_errors(loaded.data):
        for leaf in _leaf_errors(error):
            if leaf.validator == "propertyNames":
                bad: Any = leaf.instance
                path: Path_ = tuple(leaf.absolute_path) + (bad,)
                sub = leaf.schema.get("propertyNames", {}) if isinstance(leaf.schema, dict) else {}
                message = f"'{bad}' is not a valid name here (it must match {sub.get('pattern', '')})"
                findings.append(loaded.finding(path, message, key=True))
                continue
            if leaf.validator == "additionalProperties" and isinstance(leaf.instance, dict):
                findings.extend(_unknown_fields(loaded, leaf))
                continue
            path, message, key = _message(leaf)
            findings.append(loaded.finding(path, message, key=key))
    return _one_per_field(findings)


def _one_per_field(findings: list[Finding]) -> list[Finding]:
    """Keep the first finding for each field: a value that is not a date is not also 'not a real date'."""
    seen: set[tuple[str, str]] = set()
    out: list[Finding] = []
    for finding in findings:
        if (finding.path, finding.field) in seen:
            continue
        seen.add((finding.path, finding.field))
        out.append(finding)
    return sorted(out)


def load_mapping(file: Path, display: str, *, what: str, schema: str | None = None, root: Path | None = None
                 ) -> tuple[Loaded | None, list[Finding]]:
    """A YAML file of the project ``root`` (default: the project holding it) that must hold a mapping
    (``what`` is the finding when it does not) and, with ``schema``, match that packaged schema: the loaded
    file, or None and the findings."""
    loaded = load_yaml(file, display, root=root)
    if loaded.findings:
        return None, loaded.findings
    if not isinstance(loaded.data, dict):
        return None, [loaded.finding((), what)]
    problems = schema_findings(loaded, schema) if schema else []
    return (None, problems) if problems else (loaded, [])
