"""`breachdocs letters`: mail merge of generated recipients, bad rows, resume, shards, privacy."""

from __future__ import annotations

import csv
import io
import shutil
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from letters_fixtures import (
    MA_PARAGRAPH,
    MASSMUTUAL,
    NC_PARAGRAPH,
    ROOT,
    edit_incident,
    make_project,
    move_to_2020,
    pdf_text,
)
from pypdf import PdfReader

from breachdocs.cli import main
from breachdocs.project import Project

FIRST = ["Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "John", "Radia", "Ken"]
LAST = ["Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Allen", "Backus", "Perlman", "Thompson"]
STATES = ["NC", "MA", "CA", "NC", "TX"]
CANARY_NAME = "Zebediah Quillfeather-Canary"
CANARY_STREET = "4417 Kestrel Canary Lane"
GOOD = 240


def _recipients(path: Path, *, canary_zip: str = "27601") -> dict[int, str]:
    """GOOD generated rows, a canary and three bad rows; returns {row number: state} of the good ones."""
    states: dict[int, str] = {}
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["name", "address1", "address2", "city", "state", "zip", "customer_id"])
        for i in range(GOOD):
            state = STATES[i % len(STATES)]
            out.writerow([f"{FIRST[i % 10]} {LAST[(i // 10) % 10]}", f"{100 + i} Oak Street",
                          "Suite 5" if i % 4 == 0 else "", "Springfield", state.lower() if i % 7 == 0 else state,
                          f"{27000 + i:05d}", f"C{i}"])
            states[i + 2] = state
        out.writerow([CANARY_NAME, CANARY_STREET, "", "Raleigh", "NC", canary_zip, "C-canary"])
        if canary_zip == "27601":
            states[GOOD + 2] = "NC"
        out.writerow(["", "1 Nameless Road", "", "Durham", "NC", "27701", "x"])       # missing name
        out.writerow(["Zip Short", "2 Road", "", "Boston", "MA", "2108", "x"])         # ZIP lost its zero
        out.writerow(["State Wrong", "3 Road", "", "Nowhere", "ZZ", "12345", "x"])     # unknown state
    return states


def _run(project: Project, *args: str) -> Result:
    return CliRunner().invoke(main, ["--root", str(project.root), "letters",
                                     str(project.incidents_dir / f"{MASSMUTUAL}.yaml"), *args])


def _manifest(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _output_text(result: Result) -> str:
    return result.stdout + result.stderr


Merged = tuple[Project, Path, Path, dict[int, str], Result]


@pytest.fixture(scope="module")
def merged(tmp_path_factory: pytest.TempPathFactory) -> Merged:
    """One merge with two jobs and the print file, shared by the tests that only read it."""
    tmp_path = tmp_path_factory.mktemp("merge")
    project = make_project(tmp_path)
    move_to_2020(project)  # judged by the law of 2020, when Massachusetts adds its paragraph
    recipients = tmp_path / "private" / "recipients.csv"
    recipients.parent.mkdir()
    states = _recipients(recipients)
    out = tmp_path / "private" / "out"
    result = _run(project, "--recipients", str(recipients), "--out", str(out), "--jobs", "2", "--single-pdf")
    return project, recipients, out, states, result


def test_merge_makes_one_letter_per_good_row_and_reports_bad_rows(merged: Merged) -> None:
    project, recipients, out, states, result = merged
    assert result.exit_code == 1
    bad = GOOD + 3
    assert [line for line in result.stderr.splitlines() if ": error: " in line] == [
        f"{recipients}:{bad}: error: name: row {bad}: name is empty; every letter needs the addressee's name",
        f"{recipients}:{bad + 1}: error: zip: row {bad + 1}: zip is not a ZIP code (5 digits, or ZIP+4 as "
        "12345-6789); a spreadsheet may have dropped a leading zero: format the column as text",
        f"{recipients}:{bad + 2}: error: state: row {bad + 2}: state is not a US state or territory code; "
        "write the two-letter postal code (NC, DC, PR)",
    ]
    assert f"{GOOD + 1} letter(s) written, 0 unchanged, 3 row(s) failed" in result.stderr
    rows = _manifest(out / "manifest.csv")
    assert {int(r["row"]): r["state"] for r in rows} == states
    assert list(rows[0]) == ["row", "file", "sha256", "state", "input_sha256"]
    for row in rows:
        assert row["file"] == f"letters/letter-{int(row['row']):07d}.pdf"
    # per-state paragraphs: read back every 12th letter and the canary
    for row in rows[::12] + rows[-1:]:
        text = pdf_text((out / row["file"]).read_bytes())
        assert (NC_PARAGRAPH in text) == (row["state"] == "NC"), row["row"]
        assert (MA_PARAGRAPH in text) == (row["state"] == "MA"), row["row"]
    first = pdf_text((out / rows[0]["file"]).read_bytes())
    assert "Dear Ada Lovelace:" in first and "100 Oak Street Suite 5 Springfield, NC 27000" in first


def test_single_pdf_holds_every_letter_in_row_order(merged: Merged) -> None:
    _, _, out, states, _ = merged
    rows = _manifest(out / "manifest.csv")
    pages = [len(PdfReader(out / r["file"]).pages) for r in rows]
    combined = PdfReader(out / "letters.pdf")
    assert len(combined.pages) == sum(pages)
    assert "Dear Grace Lovelace:" in combined.pages[pages[0]].extract_text()  # second letter starts after the first


def test_outputs_are_owner_only(merged: Merged) -> None:
    _, _, out, _, _ = merged
    assert stat.S_IMODE(out.stat().st_mode) == 0o700
    assert stat.S_IMODE((out / "letters").stat().st_mode) == 0o700
    files = [p for p in out.rglob("*") if p.is_file()]
    assert len(files) == GOOD + 1 + 2  # letters, manifest, print file; no journal left behind
    assert {stat.S_IMODE(p.stat().st_mode) for p in files} == {0o600}


def test_rerun_resumes_and_redoes_only_what_changed(merged: Merged, tmp_path: Path) -> None:
    project = merged[0]
    recipients = tmp_path / "recipients.csv"
    shutil.copy(merged[1], recipients)
    out = tmp_path / "out"
    shutil.copytree(merged[2], out)
    before = {r["row"]: r["sha256"] for r in _manifest(out / "manifest.csv")}
    again = _run(project, "--recipients", str(recipients), "--out", str(out))
    assert f"0 letter(s) written, {GOOD + 1} unchanged, 3 row(s) failed" in again.stderr
    # change one recipient, delete another's letter: exactly those two are made again
    text = recipients.read_text(encoding="utf-8").replace("103 Oak Street", "103 Elm Street")
    recipients.write_text(text, encoding="utf-8")
    (out / "letters" / "letter-0000010.pdf").unlink()
    third = _run(project, "--recipients", str(recipients), "--out", str(out), "--jobs", "2")
    assert f"2 letter(s) written, {GOOD - 1} unchanged, 3 row(s) failed" in third.stderr
    after = {r["row"]: r["sha256"] for r in _manifest(out / "manifest.csv")}
    assert [row for row in before if before[row] != after[row]] == ["5"]
    assert "103 Elm Street" in pdf_text((out / "letters" / "letter-0000005.pdf").read_bytes())


def test_shards_split_rows_stably_with_their_own_manifests(merged: Merged, tmp_path: Path) -> None:
    project, recipients, out, states, _ = merged
    sharded = tmp_path / "sharded"
    for k in (1, 2, 3):
        _run(project, "--recipients", str(recipients), "--out", str(sharded), "--shard", f"{k}/3")
    parts = [_manifest(sharded / f"manifest-{k}-of-3.csv") for k in (1, 2, 3)]
    for k, part in enumerate(parts):
        assert all((int(r["row"]) - 2) % 3 == k for r in part)  # data row index modulo 3
    merged_rows = sorted((r for part in parts for r in part), key=lambda r: int(r["row"]))
    # one process per shard here, two jobs in the fixture: the same letters, byte for byte
    assert merged_rows == _manifest(out / "manifest.csv")


def test_canary_recipient_never_leaves_the_letters(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    private = tmp_path / "private"
    private.mkdir()
    recipients = private / "recipients.csv"
    _recipients(recipients, canary_zip="2760")  # the canary's row is bad: it must be reported by number only
    out = private / "out"
    texts = []
    for args in (["--jobs", "2"], ["--single-pdf"], ["--shard", "1/2"]):
        result = _run(project, "--recipients", str(recipients), "--out", str(out), *args)
        texts.append(_output_text(result))
    _recipients(recipients)  # now a good row: its letter is made
    result = _run(project, "--recipients", str(recipients), "--out", str(out))
    texts.append(_output_text(result))
    assert f"row {GOOD + 2}: zip" in texts[0]
    # the published side: filings and packets (with the copy of the notice) go to out/filings/
    shutil.copytree(ROOT / "templates" / "forms", project.templates_dir / "forms")
    filed = CliRunner().invoke(main, ["--root", str(project.root), "fill", "--packet",
                                      str(project.incidents_dir / f"{MASSMUTUAL}.yaml")])
    assert filed.exit_code == 0, filed.output
    assert list((project.root / "out" / "filings").rglob("*.pdf"))
    for secret in (CANARY_NAME, CANARY_STREET, "Quillfeather", "Kestrel"):
        assert all(secret not in text for text in texts)
        # nothing in the repository (site/ included) holds it
        for file in project.root.rglob("*"):
            if file.is_file():
                data = file.read_bytes()
                assert secret.encode() not in data, file
                if file.suffix == ".pdf":  # text inside compressed streams
                    assert secret not in pdf_text(data), file
        # the manifest travels to the mail house: row numbers and hashes only
        assert secret not in (out / "manifest.csv").read_text(encoding="utf-8")
    canary_letter = out / "letters" / f"letter-{GOOD + 2:07d}.pdf"
    assert CANARY_NAME in pdf_text(canary_letter.read_bytes())


def test_recipients_inside_the_repository_are_refused(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    inside = project.root / "recipients.csv"
    inside.write_text("name,address1,address2,city,state,zip\nAda Lovelace,1 Road,,Raleigh,NC,27601\n",
                      encoding="utf-8")
    out = tmp_path / "out"
    refused = _run(project, "--recipients", str(inside), "--out", str(out))
    assert refused.exit_code == 2
    assert "the recipients file is inside the repository" in refused.stderr
    assert not out.exists()
    allowed = _run(project, "--recipients", str(inside), "--out", str(out), "--allow-inside-repo")
    assert allowed.exit_code == 0 and "1 letter(s) written, 0 unchanged, 0 row(s) failed" in allowed.stderr
    into_site = _run(project, "--recipients", str(inside), "--out", str(project.site_dir / "letters"),
                     "--allow-inside-repo")
    assert into_site.exit_code == 2 and "the output folder is inside site/" in into_site.stderr


def test_header_without_needed_columns(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    recipients = tmp_path / "r.csv"
    recipients.write_text("name,street,city,state,zip\nAda,1 Road,Town,NC,27601\n", encoding="utf-8")
    result = _run(project, "--recipients", str(recipients), "--out", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert result.stderr.strip() == (f"{recipients}:1: error: the header lacks the column(s) address1, address2; "
                                     "the first line must name at least: name,address1,address2,city,state,zip")


def test_no_progress_bar_when_stderr_is_not_a_terminal(merged: Merged) -> None:
    *_, result = merged
    assert "\r" not in result.stderr and "[#" not in result.stderr


def test_summary_counts_rows_not_findings(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    recipients = tmp_path / "r.csv"
    recipients.write_text("name,address1,address2,city,state,zip\n"
                          "Ada Lovelace,1 Road,,Raleigh,NC,27601\n"
                          ",,,,ZZ,12\n", encoding="utf-8")  # one row, five problems
    result = _run(project, "--recipients", str(recipients), "--out", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert len([line for line in result.stderr.splitlines() if ": error: " in line]) == 5
    assert "1 letter(s) written, 0 unchanged, 1 row(s) failed;" in result.stderr


def test_manifest_csv_is_plain(merged: Merged) -> None:
    _, _, out, _, _ = merged
    text = (out / "manifest.csv").read_text(encoding="utf-8")
    assert list(csv.reader(io.StringIO(text)))[0] == ["row", "file", "sha256", "state", "input_sha256"]


def test_an_interrupted_run_resumes_from_its_journal(tmp_path: Path) -> None:
    from breachdocs.letters.merge import merge_letters
    from breachdocs.records import load_incident

    project = make_project(tmp_path)
    recipients = tmp_path / "recipients.csv"
    recipients.write_text("name,address1,address2,city,state,zip\n" + "".join(
        f"Person {i},{i} Oak Street,,Raleigh,NC,27601\n" for i in range(12)), encoding="utf-8")
    record, _ = load_incident(project.incidents_dir / f"{MASSMUTUAL}.yaml")
    assert record is not None
    out = tmp_path / "out"

    def stop_after_five(done: int, total: int) -> None:
        if done == 5:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        merge_letters(project, record, recipients, out, progress=stop_after_five)
    assert not (out / "manifest.csv").exists()
    assert stat.S_IMODE((out / ".manifest.journal").stat().st_mode) == 0o600
    assert sorted(p.name for p in out.iterdir()) == [".manifest.journal", "letters"]  # no half-written manifest
    result = merge_letters(project, record, recipients, out)
    assert (result.written, result.unchanged, result.failed) == (7, 5, [])
    assert [r["row"] for r in _manifest(out / "manifest.csv")] == [str(n) for n in range(2, 14)]
    assert not (out / ".manifest.journal").exists()
    # Interrupted again, over a finished run: the finished manifest stays whole until the new one replaces it.
    finished = (out / "manifest.csv").read_bytes()
    recipients.write_text(recipients.read_text(encoding="utf-8").replace("Person 3,", "Person Three,"), encoding="utf-8")
    with pytest.raises(KeyboardInterrupt):
        merge_letters(project, record, recipients, out, progress=stop_after_five)
    assert (out / "manifest.csv").read_bytes() == finished
    assert sorted(p.name for p in out.iterdir()) == [".manifest.journal", "letters", "manifest.csv"]


def test_no_letters_when_a_recipients_state_requires_missing_content(tmp_path: Path) -> None:
    # the incident counts only NC residents, but the list holds a Massachusetts recipient, and Massachusetts
    # requires an offer of credit monitoring, which this incident does not make: no letter is made at all
    # (in 2020: Massachusetts asks it from 2019-04-11)
    project = make_project(tmp_path)
    move_to_2020(project)
    edit_incident(project, "credit_monitoring_months: 18", "credit_monitoring_months: 0")
    recipients = tmp_path / "recipients.csv"
    recipients.write_text("name,address1,address2,city,state,zip\nAda Lovelace,1 Road,,Raleigh,NC,27601\n"
                          "Alan Turing,2 Road,,Boston,MA,02108\n", encoding="utf-8")
    result = _run(project, "--recipients", str(recipients), "--out", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert ("the consumer letter for Massachusetts residents lacks 'credit_monitoring' (the offer of free credit "
            "monitoring), which M.G.L. c. 93H, 3(b), 3A requires") in result.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("discovered", "blocked"), [("2019-04-10", False), ("2019-04-11", True)])
def test_massachusetts_credit_monitoring_blocks_the_merge_only_from_2019_04_11(
        tmp_path: Path, discovered: str, blocked: bool) -> None:
    """St. 2018 c. 444: the offer of credit monitoring is required content from 2019-04-11 (a dated
    requirement of the rule base, consumer_notice.required_content_since)."""
    project = make_project(tmp_path)
    move_to_2020(project)
    edit_incident(project, '"2020-08-10"', f'"{discovered}"')
    edit_incident(project, "credit_monitoring_months: 18", "credit_monitoring_months: 0")
    recipients = tmp_path / "recipients.csv"
    recipients.write_text("name,address1,address2,city,state,zip\nAlan Turing,2 Road,,Boston,MA,02108\n",
                          encoding="utf-8")
    result = _run(project, "--recipients", str(recipients), "--out", str(tmp_path / "out"))
    assert result.exit_code == (1 if blocked else 0), result.stderr
    assert ("lacks 'credit_monitoring'" in result.stderr) == blocked


def test_the_2007_merge_with_a_massachusetts_recipient_follows_the_law_of_2007(tmp_path: Path) -> None:
    """The seed incident (discovered 2007-08-10, before M.G.L. c. 93H came into force on 2007-10-31) makes
    no offer of credit monitoring: a Massachusetts recipient gets the letter of 2007, without the
    Massachusetts paragraph of today's law."""
    project = make_project(tmp_path)
    edit_incident(project, "credit_monitoring_months: 18", "credit_monitoring_months: 0")
    recipients = tmp_path / "recipients.csv"
    recipients.write_text("name,address1,address2,city,state,zip\nAlan Turing,2 Road,,Boston,MA,02108\n",
                          encoding="utf-8")
    result = _run(project, "--recipients", str(recipients), "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.stderr
    text = pdf_text((tmp_path / "out" / "letters" / "letter-0000002.pdf").read_bytes())
    assert "Dear Alan Turing:" in text and MA_PARAGRAPH not in text
    assert "for 90 days or 7 years" in text and "free of charge" not in text
