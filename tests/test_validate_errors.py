"""The broken-incident corpus: every trap gives its located, actionable message, never a traceback.

tests/broken_incidents/ holds one incident per trap (YAML 1.1 surprises, syntax, schema, dates,
counts, conditional fields); EXPECTED.txt holds the first finding each must produce.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from rule_base import copy_rule_base

from breachdocs.cli import main
from breachdocs.project import Project
from breachdocs.project_check import check

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "broken_incidents"
TODAY = dt.date(2026, 11, 24)


def _expected() -> dict[str, str]:
    out = {}
    for line in (CORPUS / "EXPECTED.txt").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            out[line.split(":", 1)[0]] = line
    return out


EXPECTED = _expected()
FILES = sorted(CORPUS.glob("*.yaml"))


def test_corpus_is_large_and_complete() -> None:
    assert len(FILES) >= 30
    assert sorted(EXPECTED) == [f"tests/broken_incidents/{f.name}" for f in FILES]


@pytest.mark.parametrize("file", FILES, ids=[f.stem for f in FILES])
def test_broken_incident_message(file: Path) -> None:
    incidents, findings = check(Project(ROOT), [file], today=TODAY)
    assert incidents == []
    assert str(findings[0]) == EXPECTED[f"tests/broken_incidents/{file.name}"]


@pytest.mark.parametrize("file", FILES, ids=[f.stem for f in FILES])
def test_cli_reports_without_traceback(file: Path) -> None:
    result = CliRunner().invoke(main, ["--root", str(ROOT), "validate", str(file)])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    first = EXPECTED[f"tests/broken_incidents/{file.name}"]
    if "today is" not in first:
        assert first in result.output


def test_clean_incidents_exit_zero() -> None:
    result = CliRunner().invoke(main, ["--root", str(ROOT), "validate"])
    assert result.exit_code == 0, result.output
    assert "incident(s) valid" in result.output


def test_usage_error_exits_two() -> None:
    result = CliRunner().invoke(main, ["--root", str(ROOT), "validate", "no/such/file.yaml"])
    assert result.exit_code == 2
    assert "no such file or folder: no/such/file.yaml" in result.output


def test_json_format_is_machine_readable() -> None:
    file = CORPUS / "zip-octal.yaml"
    result = CliRunner().invoke(main, ["--root", str(ROOT), "validate", "--format", "json", str(file)])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data == [
        {
            "path": "tests/broken_incidents/zip-octal.yaml",
            "line": 9,
            "column": 8,
            "field": "reporting_business.zip",
            "message": "YAML 1.1 reads the unquoted 01111 as the number 585; quote it to keep it as written: '01111'",
            "severity": "error",
        }
    ]


def test_github_format_annotates_the_line() -> None:
    file = CORPUS / "status-typo.yaml"
    result = CliRunner().invoke(main, ["--root", str(ROOT), "validate", "--format", "github", str(file)])
    assert result.stdout.strip() == (
        "::error file=tests/broken_incidents/status-typo.yaml,line=3,col=9,title=status::"
        "'notifed' is not one of: draft, in-review, approved, notified, closed; did you mean 'notified'?"
    )


def test_oversized_file(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_text("notes: '" + "x" * 1_100_000 + "'\n")
    _, findings = check(Project(tmp_path), [big], today=TODAY)
    assert str(findings[0]) == (
        "big.yaml:1:1: error: the file is 1,100,010 bytes, over the limit of 1,000,000; split it or shorten long texts"
    )


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    source = (ROOT / "incidents" / "2007-08-10-massmutual-misdirected-email.yaml").read_bytes()
    (tmp_path / "incidents").mkdir()
    for profile in (ROOT / "incidents").glob("_organization*.yaml"):
        (tmp_path / "incidents" / profile.name).write_bytes(profile.read_bytes())
    target = tmp_path / "incidents" / "2007-08-10-massmutual-misdirected-email.yaml"
    target.write_bytes(b"\xef\xbb\xbf" + source)
    copy_rule_base(tmp_path, "US-NC")
    incidents, findings = check(Project(tmp_path), today=TODAY)
    assert findings == []
    assert incidents[0].business["zip"] == "01111"


def test_inherited_field_error_points_at_profile(tmp_path: Path) -> None:
    incidents_dir = tmp_path / "incidents"
    incidents_dir.mkdir()
    profile = (ROOT / "incidents" / "_organization-massmutual.yaml").read_text()
    (incidents_dir / "_organization-massmutual.yaml").write_text(profile.replace("email: dmiles@massmutual.com", "email: nobody"))
    name = "2007-08-10-massmutual-misdirected-email.yaml"
    (incidents_dir / name).write_text((ROOT / "incidents" / name).read_text())
    copy_rule_base(tmp_path, "US-NC")
    _, findings = check(Project(tmp_path), today=TODAY)
    assert [str(f) for f in findings] == [
        "incidents/_organization-massmutual.yaml:14:10: error: reporting_business.email: 'nobody' is not in the expected form "
        "(Email address for the regulator); for example: privacy@example.com"
    ]


def test_duplicate_ids_across_folders(tmp_path: Path) -> None:
    for sub in ("a", "b"):
        folder = tmp_path / sub
        folder.mkdir()
        (folder / "dup.yaml").write_text((CORPUS / "status-typo.yaml").read_text()
                                         .replace("id: status-typo", "id: dup").replace("notifed", "draft"))
    copy_rule_base(tmp_path, "GB-UKGDPR")  # a law the incidents do not bring into play
    _, findings = check(Project(tmp_path), [tmp_path / "a", tmp_path / "b"], today=TODAY)
    assert [str(f) for f in findings] == [
        "b/dup.yaml:1:5: error: id: the id 'dup' is already used by a/dup.yaml; give each incident its own id"
    ]
