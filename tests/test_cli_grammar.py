"""One grammar for every command: an incident by id or file, one --format vocabulary, --out for outputs
(earlier names still work, with a notice), findings on stderr, results on stdout, exit status 0/1/2."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from letters_fixtures import MASSMUTUAL, make_project

from breachdocs.cli import JOBS, main
from breachdocs.project import Project
from breachdocs.records import UnknownIncident, incident_ids, locate_incident, locate_targets
from breachdocs.site.stages import default_jobs

ROOT = Path(__file__).resolve().parent.parent
FILE = f"incidents/{MASSMUTUAL}.yaml"
BROKEN = ROOT / "tests" / "broken_incidents" / "zip-octal.yaml"
BROKEN_LINE = ("tests/broken_incidents/zip-octal.yaml:9:8: error: reporting_business.zip: YAML 1.1 reads the unquoted "
               "01111 as the number 585; quote it to keep it as written: '01111'")
TYPO = "2007-08-10-massmutual-misdirected-emial"
DID_YOU_MEAN = f"Error: no incident '{TYPO}' in incidents/; did you mean '{MASSMUTUAL}'?\n"


def run(*args: str, root: Path = ROOT) -> Result:
    return CliRunner().invoke(main, ["--root", str(root), *args])


# --- the resolver ------------------------------------------------------------------------------------


def test_locate_incident_by_id_or_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    project = Project(ROOT)
    assert locate_incident(project, MASSMUTUAL) == ROOT / FILE
    assert locate_incident(project, f"{MASSMUTUAL}.yaml") == ROOT / FILE
    assert locate_incident(project, FILE) == Path(FILE)
    assert locate_targets(project, [MASSMUTUAL, "tests/broken_incidents"]) == [ROOT / FILE, Path("tests/broken_incidents")]


def test_unknown_incident_messages(tmp_path: Path) -> None:
    project = Project(ROOT)
    with pytest.raises(UnknownIncident) as typo:
        locate_incident(project, TYPO)
    assert str(typo.value) == DID_YOU_MEAN.removeprefix("Error: ").rstrip("\n")
    with pytest.raises(UnknownIncident) as part:
        locate_incident(project, "billing-vendor")
    assert str(part.value) == ("no incident 'billing-vendor' in incidents/; did you mean "
                               "'2025-06-12-northwind-billing-vendor-ransomware'?")
    with pytest.raises(UnknownIncident) as path:
        locate_incident(project, "no/such/file.yaml")
    assert str(path.value).startswith("no such file or folder: no/such/file.yaml; incidents/ holds "
                                      f"{MASSMUTUAL}, 2024-03-05-northwind-stolen-paper-records, ")
    assert str(path.value).endswith(" (name an incident by its id or its file)")
    with pytest.raises(UnknownIncident) as folder:
        locate_incident(project, str(ROOT / "incidents"))
    assert str(folder.value).endswith("is a folder; name one incident: its id or its file")
    (tmp_path / "incidents").mkdir()
    with pytest.raises(UnknownIncident) as empty:
        locate_incident(Project(tmp_path), "x")
    assert str(empty.value) == ("no incident 'x' in incidents/; incidents/ holds no incident yet "
                                "(name an incident by its id or its file)")


# --- every command that takes an incident: id and file, and the same message for a typo --------------


def test_obligations_by_id_and_by_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    by_id = run("obligations", MASSMUTUAL, "--as-of", "2026-11-24", "--format", "json")
    by_file = run("obligations", FILE, "--as-of", "2026-11-24", "--format", "json")
    assert by_id.exit_code == by_file.exit_code == 0, by_id.output
    assert by_id.stdout == by_file.stdout
    assert json.loads(by_id.stdout)["incident"] == MASSMUTUAL
    assert by_id.stderr == ""


def test_fill_by_id_and_by_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    by_id = run("fill", MASSMUTUAL, "--out", str(tmp_path / "a"))
    by_file = run("fill", FILE, "--out", str(tmp_path / "b"))
    assert by_id.exit_code == by_file.exit_code == 0, by_id.output
    assert (tmp_path / "a" / "us-nc-ago-breach.pdf").read_bytes() == (tmp_path / "b" / "us-nc-ago-breach.pdf").read_bytes()
    digest = hashlib.sha256((tmp_path / "a" / "us-nc-ago-breach.pdf").read_bytes()).hexdigest()
    assert by_id.stdout == f"{tmp_path / 'a' / 'us-nc-ago-breach.pdf'}  sha256 {digest}\n"


def test_letter_sample_by_id_and_by_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = make_project(tmp_path)
    monkeypatch.chdir(project.root)
    by_id = run("letter-sample", MASSMUTUAL, root=project.root)
    assert by_id.exit_code == 0, by_id.output
    default = project.root / "out" / "letters" / f"{MASSMUTUAL}-sample.pdf"
    data = default.read_bytes()
    assert by_id.stdout == f"out/letters/{MASSMUTUAL}-sample.pdf  sha256 {hashlib.sha256(data).hexdigest()}\n"
    by_file = run("letter-sample", FILE, "--out", str(tmp_path / "s.pdf"), root=project.root)
    assert by_file.exit_code == 0, by_file.output
    assert (tmp_path / "s.pdf").read_bytes() == data
    to_stdout = CliRunner().invoke(main, ["--root", str(project.root), "letter-sample", MASSMUTUAL, "--out", "-"])
    assert to_stdout.exit_code == 0 and to_stdout.stdout_bytes == data


def test_letters_by_id_and_by_file(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    recipients = tmp_path / "r.csv"
    recipients.write_text("name,address1,address2,city,state,zip\nAda Lovelace,1 Road,,Raleigh,NC,27601\n",
                          encoding="utf-8")
    for ref, out in ((MASSMUTUAL, "a"), (str(project.incidents_dir / f"{MASSMUTUAL}.yaml"), "b")):
        result = run("letters", ref, "--recipients", str(recipients), "--out", str(tmp_path / out), root=project.root)
        assert result.exit_code == 0, result.output
        assert result.stdout == ""
        assert result.stderr.startswith("1 letter(s) written, 0 unchanged, 0 row(s) failed; manifest: ")
    assert (tmp_path / "a" / "manifest.csv").read_text() == (tmp_path / "b" / "manifest.csv").read_text()


def test_submission_by_id_and_by_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    northwind = "2024-03-05-northwind-stolen-paper-records"
    by_id = run("submission", northwind, "--as-of", "2026-11-24")
    by_file = run("submission", f"incidents/{northwind}.yaml", "--as-of", "2026-11-24")
    assert by_id.exit_code == by_file.exit_code == 0, by_id.output
    assert by_id.stdout == by_file.stdout and by_id.stdout
    assert by_id.stderr == ""


def test_validate_takes_ids_files_and_folders(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    for args in ([MASSMUTUAL], [FILE], ["incidents"], [MASSMUTUAL, "2024-03-05-northwind-stolen-paper-records"]):
        result = run("validate", *args)
        assert result.exit_code == 0, result.output
        assert result.stdout == ""
    assert run("validate", MASSMUTUAL).stderr == "1 incident(s) valid\n"
    assert run("validate", "incidents").stderr == f"{len(incident_ids(Project(ROOT)))} incident(s) valid\n"


@pytest.mark.parametrize("command", [
    ["obligations", TYPO], ["fill", TYPO], ["letter-sample", TYPO], ["validate", TYPO], ["submission", TYPO],
    ["letters", TYPO, "--recipients", "r.csv", "--out", "o"],
])
def test_unknown_id_is_a_usage_error_with_a_suggestion(command: list[str], tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run(*command)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == DID_YOU_MEAN
    assert list(tmp_path.iterdir()) == []  # nothing written


# --- --format: text, json, github; earlier names kept --------------------------------------------------


def test_json_parses_everywhere() -> None:
    for args in (["validate", "--format", "json", MASSMUTUAL],
                 ["obligations", MASSMUTUAL, "--format", "json", "--as-of", "2026-11-24"],
                 ["deadlines", "--format", "json", "--as-of", "2007-08-20"]):
        result = run(*args)
        assert result.exit_code == 0, (args, result.output)
        json.loads(result.stdout)
    deadlines = json.loads(run("deadlines", "--format", "json", "--as-of", "2007-08-20").stdout)
    assert deadlines["format"] == "breachdocs-deadlines/1" and deadlines["as_of"] == "2007-08-20"
    assert "2024-03-05-northwind-stolen-paper-records" in {d["incident"] for d in deadlines["deadlines"]}
    assert all(d["status"] in ("due", "overdue") for d in deadlines["deadlines"])
    assert len(deadlines["deadlines"]) == len(run("deadlines", "--as-of", "2007-08-20").stdout.splitlines())


def test_format_text_is_the_default_and_old_names_still_work() -> None:
    table = run("obligations", MASSMUTUAL, "--as-of", "2026-11-24")
    assert table.stdout.startswith(f"{MASSMUTUAL} (discovered 2007-08-10), as of 2026-11-24\n")
    assert run("obligations", MASSMUTUAL, "--as-of", "2026-11-24", "--format", "table").stdout == table.stdout
    assert run("obligations", MASSMUTUAL, "--as-of", "2026-11-24", "--format", "text").stdout == table.stdout
    wrong = run("obligations", MASSMUTUAL, "--format", "yaml")
    assert wrong.exit_code == 2 and "'yaml' is not one of 'text', 'json'" in wrong.stderr


@pytest.mark.parametrize("command", ["validate", "obligations", "deadlines", "diff"])
def test_help_shows_the_one_vocabulary(command: str) -> None:
    shown = run(command, "--help").stdout
    assert "--format [text|" in shown
    assert "table" not in shown.split("--format")[1].split("]")[0]
    assert "markdown" not in shown.split("--format")[1].split("]")[0]


# --- --out, and the earlier names kept as deprecated aliases ------------------------------------------


def test_out_file_or_stdout(tmp_path: Path) -> None:
    printed = run("obligations", MASSMUTUAL, "--as-of", "2026-11-24", "--format", "json")
    written = run("obligations", MASSMUTUAL, "--as-of", "2026-11-24", "--format", "json", "--out", str(tmp_path / "o.json"))
    assert written.exit_code == 0 and written.stdout == ""
    assert (tmp_path / "o.json").read_text() == printed.stdout
    digest = hashlib.sha256(printed.stdout_bytes).hexdigest()
    assert written.stderr == f"wrote the obligations to {tmp_path / 'o.json'}  sha256 {digest}\n"
    assert run("obligations", MASSMUTUAL, "--as-of", "2026-11-24", "--format", "json", "--out", "-").stdout == printed.stdout
    schema = run("schema", "--out", str(tmp_path / "s.json"))
    assert schema.exit_code == 0 and json.loads((tmp_path / "s.json").read_text())["$schema"]


def test_deadlines_ics(tmp_path: Path) -> None:
    new = run("deadlines", "--as-of", "2007-08-20", "--format", "ics", "--out", str(tmp_path / "new.ics"))
    assert new.exit_code == 0 and new.stdout == ""
    events = len(json.loads(run("deadlines", "--format", "json", "--as-of", "2007-08-20").stdout)["deadlines"])
    assert new.stderr.startswith(f"wrote {events} event(s) to {tmp_path / 'new.ics'}  sha256 ")
    old = run("deadlines", "--as-of", "2007-08-20", "--ics", str(tmp_path / "old.ics"))
    assert old.exit_code == 0
    assert old.stderr.startswith("note: --ics is deprecated; write --format ics --out FILE\n")
    assert old.stdout == run("deadlines", "--as-of", "2007-08-20").stdout  # the table, as before
    assert (tmp_path / "old.ics").read_bytes() == (tmp_path / "new.ics").read_bytes()
    assert (tmp_path / "new.ics").read_bytes().startswith(b"BEGIN:VCALENDAR\r\n")


def test_letter_sample_positional_output_still_works(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    result = run("letter-sample", MASSMUTUAL, str(tmp_path / "old.pdf"), root=project.root)
    assert result.exit_code == 0, result.output
    assert result.stderr == "note: the positional OUTPUT is deprecated; write --out FILE\n"
    assert (tmp_path / "old.pdf").read_bytes().startswith(b"%PDF-")


def _broken_project(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / "incidents").mkdir(parents=True)
    shutil.copy(BROKEN, root / "incidents" / "zip-octal.yaml")
    (root / "jurisdictions").mkdir()
    shutil.copy(ROOT / "jurisdictions" / "us-ma.yaml", root / "jurisdictions" / "us-ma.yaml")
    return root


def test_site_dir_and_dest_still_work_with_a_notice(tmp_path: Path) -> None:
    root = _broken_project(tmp_path)  # findings stop both commands before anything is built
    built = run("build", "--site-dir", str(tmp_path / "site"), root=root)
    assert built.exit_code == 1
    assert built.stderr.startswith("note: --site-dir is deprecated; write --out\n")
    published = run("publish", "--dest", str(tmp_path / "pub"), root=root)
    assert published.exit_code == 1
    assert published.stderr.startswith("note: --dest is deprecated; write --out\n")
    assert published.stderr.endswith(f"nothing published; {tmp_path / 'pub'} is untouched\n")
    assert run("publish", "--out", str(tmp_path / "pub"), root=root).stderr.startswith("incidents/zip-octal.yaml:9:8: ")


# --- findings on stderr, results on stdout, exit status -------------------------------------------------


def test_findings_go_to_stderr(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    validate = run("validate", str(BROKEN))
    assert (validate.exit_code, validate.stdout) == (1, "")
    assert validate.stderr == BROKEN_LINE + "\n1 error(s)\n"
    fill = run("fill", str(BROKEN), "--out", str(tmp_path / "f"))
    assert (fill.exit_code, fill.stdout) == (1, "")
    assert fill.stderr.startswith(BROKEN_LINE + "\n")
    assert not (tmp_path / "f").exists()
    root = _broken_project(tmp_path)
    for command in (["build"], ["filings"], ["deadlines"], ["obligations", "zip-octal"]):
        result = run(*command, root=root)
        assert result.exit_code == 1, (command, result.output)
        assert "incidents/zip-octal.yaml:9:8: error: reporting_business.zip:" in result.stderr
        assert "zip-octal.yaml" not in result.stdout
    assert not (root / "out").exists() and not (root / "site").exists()


def test_github_annotations_and_json_go_to_stdout() -> None:
    github = run("validate", "--format", "github", str(BROKEN))
    assert github.exit_code == 1 and github.stdout.startswith("::error file=tests/broken_incidents/zip-octal.yaml,")
    assert github.stderr == ""
    report = run("validate", "--format", "json", str(BROKEN))
    assert report.exit_code == 1 and json.loads(report.stdout)[0]["line"] == 9 and report.stderr == ""


def test_exit_statuses(tmp_path: Path) -> None:
    assert run("validate").exit_code == 0
    assert run("validate", str(BROKEN)).exit_code == 1
    assert run("validate", "--format", "yaml").exit_code == 2
    assert run("obligations", "nope").exit_code == 2
    assert run("form-fields", str(tmp_path / "none.pdf")).exit_code == 2
    assert run("diff", "no-such-revision", root=tmp_path).exit_code == 2
    outside = tmp_path / "r.csv"
    outside.write_text("name,address1,address2,city,state,zip\n", encoding="utf-8")
    refused = run("letters", MASSMUTUAL, "--recipients", str(outside), "--out", str(ROOT / "site" / "letters"))
    assert refused.exit_code == 2 and "inside site/" in refused.stderr


def test_help_documents_the_grammar() -> None:
    shown = run("--help").stdout
    for words in ("INCIDENT      an incident's id", "--format      text for people, json for programs",
                  "--out PATH", "--jobs N      processes for long work; default: the CPUs available, at most 4",
                  "go to stdout; findings, progress bars and", "0  done, nothing wrong",
                  "1  findings: errors in the input", "2  usage or environment"):
        assert words in shown, words
    for command in ("validate", "obligations", "fill", "letters", "letter-sample", "build", "publish", "filings",
                    "diff", "deadlines", "form-fields", "verify", "submission"):
        assert "Exit status: 0" in run(command, "--help").stdout, command


def test_jobs_default_is_the_same_everywhere(monkeypatch: pytest.MonkeyPatch) -> None:
    assert JOBS == default_jobs()
    for command in ("letters", "filings"):
        shown = " ".join(run(command, "--help").stdout.split())
        assert f"Default: the CPUs available, at most 4. [default: {JOBS};" in shown, command
    shown = " ".join(run("build", "--help").stdout.split())
    assert f"Default: the plugin's jobs in mkdocs.yml, by default the CPUs available, at most 4 (here {JOBS})." in shown
    for cpus, jobs in ((1, 1), (2, 2), (4, 4), (64, 4)):
        monkeypatch.setattr(os, "sched_getaffinity", lambda _pid, n=cpus: set(range(n)), raising=False)
        assert default_jobs() == jobs
