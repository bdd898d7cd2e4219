"""The one progress bar: exact lines on a terminal, never past its total, its last line once, silent elsewhere."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from letters_fixtures import MASSMUTUAL, incident, make_project

from breachdocs import cli
from breachdocs.letters.merge import merge_letters
from breachdocs.progress import ProgressBar
from breachdocs.project import Project
from breachdocs.project_check import check, validate
from breachdocs.records import incident_ids

ROOT = Path(__file__).resolve().parent.parent


class Terminal(io.StringIO):
    """What a terminal receives (isatty() is true)."""

    def isatty(self) -> bool:
        return True


def clock(*times: float) -> Callable[[], float]:
    """A clock reading ``times`` one after another (the first is the bar's start)."""
    readings = iter(times)
    return lambda: next(readings)


def test_exact_lines_on_a_terminal() -> None:
    screen = Terminal()
    bar = ProgressBar("letters", unit="letters", stream=screen, clock=clock(0.0, 1.0, 1.1, 2.0), delay=0.0)
    bar(1, 4)   # t=1.0: drawn
    bar(2, 4)   # t=1.1: within 0.2 s of the last line, not redrawn
    bar(5, 4)   # t=2.0: more than the total is shown as the total, and ends the line
    bar(4, 4)   # finished: nothing more (the clock is not even read)
    bar.close()
    assert screen.getvalue() == (
        "\rletters [#####---------------] 1/4  1 letters/s  ETA 00:03"
        "\rletters [####################] 4/4  2 letters/s  in 00:02 \n"  # padded over the longer line
    )


def test_never_past_the_total_and_the_last_line_once() -> None:
    screen = Terminal()
    times = [float(t) for t in range(20)]
    bar = ProgressBar("filings", stream=screen, clock=clock(*times), delay=0.0, interval=0.0)
    for done in (1, 2, 3, 4, 5, 6):
        bar(done, 4)
    bar.close()
    lines = screen.getvalue().split("\r")[1:]
    assert [re.search(r"\d+/\d+", line).group() for line in lines] == ["1/4", "2/4", "3/4", "4/4"]  # type: ignore[union-attr]
    assert screen.getvalue().count("\n") == 1 and screen.getvalue().endswith("\n")
    assert lines[-1] == "filings [####################] 4/4  in 00:04 \n"  # padded over "ETA 00:01"


def test_a_bar_stopped_short_ends_its_line_on_close() -> None:
    screen = Terminal()
    with ProgressBar("checking incidents", stream=screen, clock=clock(0.0, 3.0, 4.0), delay=0.0) as bar:
        bar(1, 3)
    assert screen.getvalue() == (
        "\rchecking incidents [######--------------] 1/3  ETA 00:06"
        "\rchecking incidents [######--------------] 1/3  ETA 00:08\n"
    )


def test_quick_work_draws_nothing() -> None:
    screen = Terminal()
    with ProgressBar("checking incidents", stream=screen, clock=clock(0.0, 0.1, 0.3)) as bar:
        bar(1, 2)
        bar(2, 2)
    assert screen.getvalue() == ""


def test_no_work_draws_nothing() -> None:
    screen = Terminal()
    with ProgressBar("letters", stream=screen, clock=clock(0.0, 5.0), delay=0.0) as bar:
        bar(0, 0)
    assert screen.getvalue() == ""


def test_silent_when_not_a_terminal() -> None:
    stream = io.StringIO()
    with ProgressBar("letters", unit="letters", stream=stream, clock=clock(0.0, 1.0, 2.0, 3.0), delay=0.0) as bar:
        bar(1, 3)
        bar(3, 3)
    assert stream.getvalue() == ""


# --- the letters: counted by rows, on a terminal through the CLI -----------------------------------------------

CSV = ("name,address1,address2,city,state,zip\n"
       "Ada Lovelace,1 Road,,Raleigh,NC,27601\n"
       ",,,,ZZ,12\n"                              # one row with five problems
       "Grace Hopper,2 Road,,Durham,NC,27701\n"
       ",3 Road,,Durham,NC,27701\n")              # a bad last row: nothing is rendered after it


def test_merge_reports_rows_never_findings(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    recipients = tmp_path / "r.csv"
    recipients.write_text(CSV, encoding="utf-8")
    calls: list[tuple[int, int]] = []
    result = merge_letters(project, incident(project), recipients, tmp_path / "out",
                           progress=lambda done, total: calls.append((done, total)))
    assert (result.rows, result.written, result.failed_rows, len(result.failed)) == (4, 2, 2, 6)
    assert all(done <= total == 4 for done, total in calls)
    assert calls[-1] == (4, 4)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)


def test_letters_on_a_terminal_end_with_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = make_project(tmp_path)
    recipients = tmp_path / "r.csv"
    recipients.write_text(CSV, encoding="utf-8")
    screen = Terminal()

    def bar(label: str, **kwargs: object) -> ProgressBar:
        return ProgressBar(label, stream=screen, delay=0.0, interval=0.0, unit=str(kwargs.get("unit", "")))

    monkeypatch.setattr(cli, "ProgressBar", bar)
    result = CliRunner().invoke(cli.main, ["--root", str(project.root), "letters", MASSMUTUAL,
                                           "--recipients", str(recipients), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "2 letter(s) written, 0 unchanged, 2 row(s) failed;" in result.stderr
    drawn = screen.getvalue()
    counts = re.findall(r"\] (\d+)/(\d+) ", drawn)
    assert counts and all(int(done) <= int(total) == 4 for done, total in counts)
    assert counts[-1] == ("4", "4") and counts.count(("4", "4")) == 1
    assert drawn.count("\n") == 1 and drawn.endswith("\n")
    assert re.fullmatch(r"letters \[#{20}\] 4/4  [\d,]+ letters/s  in 00:00 *\n", drawn.split("\r")[-1])


# --- the checks: validate by batches of files, the build's check by incidents -----------------------------------


def test_validate_and_check_tell_their_progress() -> None:
    project = Project(ROOT)
    calls: list[tuple[int, int]] = []
    files = len(incident_ids(project))
    checked, _ = validate(project, batch=3, progress=lambda done, total: calls.append((done, total)))
    assert checked == files and calls == [(n, files) for n in (*range(3, files, 3), files)]
    calls.clear()
    incidents, _ = check(project, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(n, len(incidents)) for n in range(1, len(incidents) + 1)]
