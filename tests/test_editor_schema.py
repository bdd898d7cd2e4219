"""Editors read the schemas as ``breachdocs validate`` does: tested with the real yaml-language-server.

Every example incident and profile opens with no problem underlined; every broken example is underlined on the
lines ``validate`` names, except the problems listed below that no schema can see (those the editor leaves alone,
so it never shows a false error).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.editor_lsp import ROOT, YamlLanguageServer, available

RECORDS = ROOT / "mkdocs_plugins" / "breachdocs" / "records"
BROKEN = ROOT / "tests" / "broken_incidents"

#: Broken examples whose problem is one only ``validate`` can see: facts compared with each other, with today's
#: date or with other files, or YAML 1.1 readings that an editor's YAML 1.2 parser does not make. The editor must
#: underline nothing in them.
VALIDATE_ONLY = {
    "bool-no-as-text": "YAML 1.2 (the editor) reads NO as the text 'NO'; YAML 1.1 would read false",
    "breach-ends-before-start": "two dates compared",
    "discovered-before-start": "two dates compared",
    "discovered-in-future": "compared with today",
    "empty-file": "an empty file has no fields to check",
    "filing-in-future": "compared with today",
    "filing-unknown-jurisdiction": "the list of jurisdiction codes is checked by validate",
    "id-not-file-name": "compared with the file name",
    "law-enforcement-without-reference": "a field required because of another's value",
    "missing-profile": "another file",
    "not-utf8": "an editor reopens the file in another encoding",
    "notice-in-future-unplanned": "compared with today",
    "notified-before-discovery": "two dates compared",
    "planned-without-date": "a field required because of another's value",
    "protected-without-how": "a field required because of another's value",
    "residents-bare-state": "the list of jurisdiction codes is checked by validate",
    "residents-over-total": "counts added up",
    "sexagesimal": "YAML 1.2 (the editor) reads 8:30 as text; YAML 1.1 would read the number 510",
}

#: Broken examples that are not one readable YAML record: validate stops at the first problem, the editor
#: underlines the broken part and what follows from it.
NOT_ONE_RECORD = {"alias-bomb", "merge-key", "syntax-bad-indent", "syntax-unclosed-quote", "tab-indent", "two-documents"}

needs_server = pytest.mark.skipif(not available() and not os.environ.get("CI"),
                                  reason="yaml-language-server not installed (make test installs it with npm)")


@pytest.fixture(scope="module")
def editor() -> Iterator[YamlLanguageServer]:
    schemas = {RECORDS / "incident.schema.json": "tests/broken_incidents/*.yaml"}
    with YamlLanguageServer(ROOT, schemas) as server:
        yield server


def _validate_lines() -> dict[str, set[int]]:
    result = subprocess.run([str(Path(sys.executable).with_name("breachdocs")), "validate", "--format", "json", str(BROKEN)],
                            cwd=ROOT, capture_output=True, text=True)
    lines: dict[str, set[int]] = {}
    for finding in json.loads(result.stdout):
        lines.setdefault(Path(finding["path"]).stem, set()).add(finding["line"])
    return lines


@needs_server
@pytest.mark.parametrize("file", sorted((ROOT / "incidents").glob("*.yaml")), ids=lambda p: p.name)
def test_examples_open_with_no_problem_underlined(editor: YamlLanguageServer, file: Path) -> None:
    assert editor.diagnostics(file) == []


@needs_server
def test_broken_examples_are_underlined_where_validate_says(editor: YamlLanguageServer) -> None:
    expected = _validate_lines()
    files = sorted(BROKEN.glob("*.yaml"))
    assert {f.stem for f in files} >= set(VALIDATE_ONLY) | NOT_ONE_RECORD
    mismatches = []
    for file in files:
        shown = editor.diagnostics(file)
        lines = {line for line, _ in shown}
        if file.stem in VALIDATE_ONLY:
            ok = not shown
        elif file.stem in NOT_ONE_RECORD:
            ok = bool(shown)
        else:
            ok = lines == expected[file.stem]
        if not ok:
            mismatches.append(f"{file.name}: validate {sorted(expected.get(file.stem, ()))}, editor {shown}")
    assert not mismatches, "\n".join(mismatches)


@needs_server
def test_a_profile_is_checked_field_by_field_with_schemas_beside_the_repository(tmp_path: Path) -> None:
    """The profile schema reaches into the incident schema by a relative reference, as a copied schema folder does."""
    (tmp_path / "schemas").mkdir()
    for name in ("incident.schema.json", "organization.schema.json"):
        shutil.copy(RECORDS / name, tmp_path / "schemas" / name)
    (tmp_path / "incidents").mkdir()
    profile = tmp_path / "incidents" / "_organization.yaml"
    profile.write_text("# yaml-language-server: $schema=../schemas/organization.schema.json\n"
                       "reporting_business:\n  name: Example Ltd\n  zip: 1111\n  colour: blue\n"
                       "id: not-in-a-profile\n")
    with YamlLanguageServer(tmp_path) as server:
        shown = server.diagnostics(profile)
    assert [line for line, _ in shown] == [4, 5, 6], shown
    assert "Incorrect type" in shown[0][1] and "colour" in shown[1][1] and "id" in shown[2][1]


def test_profiles_name_the_profile_schema_and_incidents_the_incident_schema() -> None:
    for file in sorted((ROOT / "incidents").glob("*.yaml")):
        schema = "organization" if file.name.startswith("_organization") else "incident"
        first = file.read_text(encoding="utf-8").splitlines()[0]
        assert first == f"# yaml-language-server: $schema=../mkdocs_plugins/breachdocs/records/{schema}.schema.json", file


# --- rule files: the law's schema in the editor -----------------------------------------------------------

LAW_SCHEMA = ROOT / "mkdocs_plugins" / "breachdocs" / "law" / "jurisdiction.schema.json"
#: Broken rule files (one problem each, at the line given), written where the editor maps the law's schema.
BROKEN_RULES = {
    "risk-of-harm-version-typo": ("risk_of_harm:\n  - effective_from: \"2005-01-01\"\n    effective_to: \"2018-07-31\"\n"
                                  "    allowed: true\n  - effective_from: \"2018-08-01\"\n    allowed: true\n"
                                  "    on_requst: true\n", 7),
    "earlier-limit-without-days": (None, "      or_earlier:\n        - {from: consumer_notice}\n"),
    "record-form-unknown": ("personal_information:\n  citation: x\n  with_name: [ssn]\n  record_forms_since:\n"
                            "    microfilm: \"2015-07-24\"\n", 5),
    "send-to-empty-list": ("risk_of_harm:\n  allowed: true\n  send_to: []\n", 3),
    "send-to-number-in-list": ("risk_of_harm:\n  allowed: true\n  send_to:\n    - regulator\n    - 30\n", 5),
    "further-delay-typo": (None, "    law_enforcement_delay:\n      allowed: true\n      days: 30\n"
                                 "      further:\n        - {day: 30}\n"),
}


def _broken_rule_file(folder: Path, name: str) -> tuple[Path, int]:
    top, extra = BROKEN_RULES[name]
    head = ("code: US-FL\nname: Florida\nkind: state\nresidents: [US-FL]\nstatute: {citation: x, title: x, "
            "url: \"https://example.gov\", read: \"2026-11-30\"}\nlast_reviewed: \"2026-11-30\"\nverified: true\n")
    duty = ("duties:\n  - id: consumers\n    recipient: {name: Affected residents}\n"
            "    threshold: {count: 1, comparison: \">=\", of: residents}\n    deadline:\n      days: 30\n")
    tail = ("    effective_from: \"2005-01-01\"\n    citation: x\n    verified: true\n"
            "    source: {url: \"https://example.gov\", read: \"2026-11-30\"}\n")
    if isinstance(top, str):
        text, line = head + top + duty + tail, len(head.splitlines()) + int(extra)
    else:
        text = head + duty + str(extra) + tail
        line = len((head + duty + str(extra)).splitlines())
    file = folder / name / "us-fl.yaml"
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(text, encoding="utf-8")
    return file, line


@needs_server
def test_rule_files_open_with_no_problem_underlined() -> None:
    with YamlLanguageServer(ROOT) as server:  # each file's first line names the schema
        shown = {file.name: server.diagnostics(file) for file in sorted((ROOT / "jurisdictions").glob("*.yaml"))}
    assert {name: found for name, found in shown.items() if found} == {}


@needs_server
def test_broken_rule_files_are_underlined_where_validate_says() -> None:
    from breachdocs.law.rules import load_jurisdiction

    folder = ROOT / "test-artifacts" / "editor-rules"
    shutil.rmtree(folder, ignore_errors=True)
    files = {name: _broken_rule_file(folder, name) for name in BROKEN_RULES}
    try:
        with YamlLanguageServer(ROOT, {LAW_SCHEMA: "test-artifacts/editor-rules/*/us-fl.yaml"}) as server:
            for name, (file, line) in files.items():
                _, findings = load_jurisdiction(file, name)
                validate = {f.line for f in findings if f.line != 1}  # line 1: the schema line, not in these files
                assert (validate, {at for at, _ in server.diagnostics(file)}) == ({line}, {line}), name
    finally:
        shutil.rmtree(folder, ignore_errors=True)
