"""A duty's state on a day: the one definition shared by the CLI, the site and the calendar."""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner

from breachdocs.cli import main
from breachdocs.law.duty_state import duty_state, incident_conflicts, state_of

ROOT = __import__("pathlib").Path(__file__).resolve().parent.parent
DAY = dt.date(2026, 11, 30)


def _d(days: int | None) -> dt.date | None:
    return None if days is None else DAY + dt.timedelta(days=days)


@pytest.mark.parametrize(("due", "target", "kind", "basis", "label"), [
    (-1, None, "overdue", "law", "overdue"),
    (-1, -40, "overdue", "law", "overdue"),  # the legal date comes first
    (0, None, "due-soon", "law", "due soon"),  # due today: not yet overdue
    (30, None, "due-soon", "law", "due soon"),
    (31, None, "due", "law", "due"),
    (None, -480, "target-missed", "target", "internal target missed"),  # 16 months late: not merely "due"
    (40, -1, "target-missed", "target", "internal target missed"),  # the target passed, the law's date not yet
    (60, 2, "due-soon", "target", "internal target soon"),  # due soon because of its internal target
    (None, 45, "due", "target", "due (internal target)"),
    (None, None, "due", "", "due, no date yet"),
])
def test_open_duty(due: int | None, target: int | None, kind: str, basis: str, label: str) -> None:
    state = duty_state(is_open=True, status="due", due=_d(due), target=_d(target), today=DAY)
    assert (state.kind, state.basis, state.label) == (kind, basis, label)
    assert state.is_open and state.is_late == (kind in ("overdue", "target-missed"))
    if state.date is not None:
        assert state.days == (state.date - DAY).days


@pytest.mark.parametrize(("status", "label"), [("done-on-time", "done on time"), ("done-late", "done late"),
                                               ("done", "done"), ("not-triggered", "not triggered")])
def test_closed_duty(status: str, label: str) -> None:
    state = duty_state(is_open=False, status=status, due=_d(-100), target=None, today=DAY)
    assert (state.kind, state.label, state.is_open, state.is_late) == (status, label, False, False)


def test_a_mapping_duty_is_judged_like_an_obligation() -> None:
    assert state_of({"due": _d(3), "status": "due"}, DAY).kind == "due-soon"
    assert state_of({"due": _d(-3), "status": "done-late"}, DAY).kind == "done-late"
    assert state_of({"due": _d(-3), "status": "due", "open": False}, DAY).kind == "done"


def test_status_and_duties_that_disagree() -> None:
    late = {"duty": "attorney-general", "jurisdiction": "US-NC", "title": "Notify the AG", "due": _d(-5)}
    soon = {"duty": "consumers", "jurisdiction": "US-NC", "title": "Notify residents", "due": _d(5)}
    done = {"duty": "consumers", "jurisdiction": "US-VA", "title": "Notify residents", "status": "done"}
    assert incident_conflicts("closed", [late, soon, done], DAY) == [
        "closed, but 2 duties are still open, one past its date: US-NC Notify the AG, US-NC Notify residents"]
    assert incident_conflicts("notified", [late, soon, done], DAY) == [
        "marked notified, but the notice to consumers is not recorded: US-NC Notify residents",
        "marked notified, but 1 notice is past its date: US-NC Notify the AG"]
    assert incident_conflicts("approved", [late, soon], DAY) == []
    assert incident_conflicts("closed", [done], DAY) == []


def test_cli_deadlines_and_obligations_say_the_state() -> None:
    result = CliRunner().invoke(main, ["--root", str(ROOT), "deadlines", "--as-of", "2026-11-30"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    hipaa = [line for line in lines if "credential-stuffing  US-FED-HIPAA hhs:" in line]
    assert hipaa == ["2027-01-01          internal target soon 2026-12-02 2026-11-02-northwind-patient-portal-"
                     "credential-stuffing  US-FED-HIPAA hhs: without unreasonable delay, at the latest 60 days after "
                     "discovery"]
    assert any(line.startswith("2025-07-12 (target) internal target missed") for line in lines)
    assert any(line.startswith("2025-03-01          overdue ") for line in lines)
    assert ("2024-03-05-northwind-stolen-paper-records: closed, but 1 duty is still open, one past its date: "
            "US-FED-HIPAA Annual log of breaches under 500 to the Secretary of HHS") in result.stderr
    shown = CliRunner().invoke(main, ["--root", str(ROOT), "obligations", "--as-of", "2026-11-30",
                                      "2026-11-02-northwind-patient-portal-credential-stuffing"])
    assert "US-FED-HIPAA hhs: internal target soon\n" in shown.output
    assert "  due:      2027-01-01\n  target:   2026-12-02 (internal)\n" in shown.output
