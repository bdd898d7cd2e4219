"""Jurisdiction files: every file in jurisdictions/ is valid, the schema documents
every field, and a broken file gets a located message a lawyer can act on."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest

from breachdocs.findings import format_findings
from breachdocs.law.rules import SCHEMA, SCHEMA_LINE, jurisdiction_files, load_jurisdiction, load_jurisdictions
from breachdocs.project import Project
from breachdocs.project_check import check
from breachdocs.records import packaged_schema
from breachdocs.records.codes import US_OTHER, US_STATES

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "jurisdictions"
FILES = jurisdiction_files(FOLDER)
REQUIRED_CODES = sorted(f"US-{c}" for c in [*US_STATES, *US_OTHER]) + [
    "US-FED-HIPAA", "US-FED-FTC-SAFEGUARDS", "US-FED-FTC-HBNR", "US-FED-SEC", "EU-GDPR", "GB-UKGDPR",
]

GOOD = """\
# yaml-language-server: $schema=../mkdocs_plugins/breachdocs/law/jurisdiction.schema.json
code: US-NC
name: North Carolina
kind: state
residents: [US-NC]
statute: {citation: N.C.G.S. 75-65, title: Security breaches, url: "https://example.gov/75-65", read: "2026-11-24"}
last_reviewed: "2026-11-24"
verified: true
duties:
  - id: consumers
    recipient: {name: Affected residents}
    threshold: {count: 1, comparison: ">=", of: residents}
    deadline: {without_unreasonable_delay: true}
    effective_from: "2005-12-01"
    citation: N.C.G.S. 75-65(a)
    verified: true
    source: {url: "https://example.gov/75-65", read: "2026-11-24"}
"""


@pytest.fixture(scope="module")
def everything() -> tuple[dict[str, Any], list[Any]]:
    return load_jurisdictions(FOLDER, root=ROOT)


def _load(tmp_path: Path, text: str, name: str = "us-nc.yaml") -> list[str]:
    file = tmp_path / name
    file.write_text(text, encoding="utf-8")
    _, findings = load_jurisdiction(file, name)
    return [str(f) for f in findings]


@pytest.mark.parametrize("file", FILES, ids=[f.stem for f in FILES])
def test_jurisdiction_file_is_valid(file: Path) -> None:
    jurisdiction, findings = load_jurisdiction(file, f"jurisdictions/{file.name}")
    assert not findings, "\n" + format_findings(findings)
    assert jurisdiction is not None and file.name == f"{jurisdiction.code.lower()}.yaml"


def test_all_jurisdiction_files_load_together_without_findings(everything: tuple[dict[str, Any], list[Any]]) -> None:
    found, findings = everything
    assert not findings, "\n" + format_findings(findings)
    assert {"US-NC", "US-FED-HIPAA", "EU-GDPR", "GB-UKGDPR"} <= set(found)


def test_every_state_territory_and_regime_has_a_file(everything: tuple[dict[str, Any], list[Any]]) -> None:
    found, _ = everything
    missing = [code for code in REQUIRED_CODES if code not in found]
    assert not missing, f"{len(missing)} jurisdiction file(s) missing: {', '.join(missing)}"


def test_the_engine_files_written_by_the_law_engineer_exist(everything: tuple[dict[str, Any], list[Any]]) -> None:
    found, _ = everything
    for code in ["US-NC", "US-WA", "US-TX", "US-NY", "US-CA", "US-MA", "US-FED-HIPAA", "US-FED-FTC-SAFEGUARDS",
                 "US-FED-FTC-HBNR", "US-FED-SEC", "EU-GDPR", "GB-UKGDPR"]:
        assert code in found, code


def test_the_good_example_loads(tmp_path: Path) -> None:
    assert _load(tmp_path, GOOD) == []


def test_schema_error_is_located_with_what_to_write(tmp_path: Path) -> None:
    text = GOOD.replace("kind: state", "kind: stat").replace('comparison: ">="', 'comparison: "=>"')
    assert _load(tmp_path, text) == [
        "us-nc.yaml:4:7: error: kind: 'stat' is not one of: state, territory, federal, international; "
        "did you mean 'state'?",
        "us-nc.yaml:12:39: error: duties[0].threshold.comparison: '=>' is not one of: >=, >, <, <=; did you mean '>'?",
    ]


def test_deadline_without_a_number_says_what_to_write(tmp_path: Path) -> None:
    text = GOOD.replace("deadline: {without_unreasonable_delay: true}", "deadline: {basis: calendar}")
    assert _load(tmp_path, text) == [
        "us-nc.yaml:13:5: error: duties[0].deadline: a deadline needs days (e.g. 'days: 30'), hours "
        "(e.g. 'hours: 72') or 'without_unreasonable_delay: true'"
    ]


def test_unquoted_yes_is_a_located_yaml_error(tmp_path: Path) -> None:
    text = GOOD.replace("verified: true\nduties", "verified: yes\nduties")
    assert _load(tmp_path, text) == [
        "us-nc.yaml:8:11: error: verified: YAML 1.1 reads the unquoted word yes as true; write true for a "
        "yes/no answer, or quote it ('yes') if you mean the word"
    ]


def test_overlapping_versions_are_reported(tmp_path: Path) -> None:
    second = GOOD.split("duties:\n", 1)[1].replace('"2005-12-01"', '"2009-10-01"')
    text = GOOD + second
    assert _load(tmp_path, text) == [
        "us-nc.yaml:10:5: error: duties[0].effective_to: two versions of 'consumers' are in force at once "
        "(the next starts 2009-10-01); give this one 'effective_to: \"2009-09-30\"'"
    ]


def test_file_name_and_first_line_are_checked(tmp_path: Path) -> None:
    text = GOOD.split("\n", 1)[1]
    assert _load(tmp_path, text, "us-sc.yaml") == [
        f"us-sc.yaml:1:1: error: the first line must be exactly: {SCHEMA_LINE}",
        "us-sc.yaml:1:7: error: code: the code 'US-NC' does not match the file name 'us-sc.yaml'; rename the file "
        "to us-nc.yaml or write code: US-SC",
    ]


def test_file_verified_while_a_duty_is_not(tmp_path: Path) -> None:
    text = GOOD.replace("    verified: true\n    source", "    verified: false\n    source")
    assert _load(tmp_path, text) == [
        "us-nc.yaml:8:11: error: verified: the file says verified: true but some entries are verified: false; "
        "write verified: false until every entry is checked"
    ]


def test_validate_reports_a_broken_jurisdiction_file(tmp_path: Path) -> None:
    (tmp_path / "incidents").mkdir()
    (tmp_path / "jurisdictions").mkdir()
    (tmp_path / "jurisdictions" / "us-nc.yaml").write_text(GOOD.replace("kind: state", "kind: stat"), "utf-8")
    _, findings = check(Project(tmp_path), today=dt.date(2026, 11, 24))
    assert [str(f) for f in findings] == [
        "jurisdictions/us-nc.yaml:4:7: error: kind: 'stat' is not one of: state, territory, federal, "
        "international; did you mean 'state'?"
    ]


def _walk(node: Any, path: str, out: list[str]) -> None:
    if isinstance(node, dict):
        for name, sub in (node.get("properties") or {}).items():
            where = f"{path}.{name}" if path else name
            if not sub.get("description") or "examples" not in sub:
                out.append(where)
            _walk(sub, where, out)
        for key in ("items", "additionalProperties"):
            if isinstance(node.get(key), dict):
                _walk(node[key], path + "[]", out)


def test_every_schema_property_has_description_and_examples() -> None:
    undocumented: list[str] = []
    _walk(packaged_schema(SCHEMA), "", undocumented)
    assert undocumented == []


def test_readme_explains_every_field_and_content_id() -> None:
    readme = (FOLDER / "README.md").read_text(encoding="utf-8")
    schema = packaged_schema(SCHEMA)
    fields = set(schema["properties"]) | set(schema["properties"]["duties"]["items"]["properties"])
    fields |= set(schema["properties"]["consumer_notice"]["properties"])
    missing = sorted(f for f in fields if f"`{f}`" not in readme)
    assert missing == []
    content = schema["properties"]["consumer_notice"]["properties"]["required_content"]["items"]["enum"]
    assert sorted(c for c in content if f"`{c}`" not in readme) == []


@pytest.mark.parametrize("file", FILES, ids=[f.stem for f in FILES])
def test_jurisdiction_file_starts_with_schema_line(file: Path) -> None:
    assert file.read_text(encoding="utf-8").splitlines()[0] == SCHEMA_LINE


def test_sources_are_web_addresses_with_read_dates(everything: tuple[dict[str, Any], list[Any]]) -> None:
    found, _ = everything
    for jurisdiction in found.values():
        for duty in jurisdiction.duties:
            assert re.match(r"https?://", duty.source["url"]), (jurisdiction.code, duty.id)
            assert dt.date.fromisoformat(duty.source["read"]) <= dt.date(2026, 12, 31)
