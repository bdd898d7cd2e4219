"""What state a duty is in on a given day: the one definition the CLI, the site and the calendar share.

A duty met is ``done-on-time``, ``done-late`` (after its legal due date) or ``done`` (no fixed date
to judge it by); a duty the law does not impose here is ``not-triggered``. An open duty is judged
first against its **legal due date**, then, separately marked, against the **internal target**
(the date the organisation set itself, for duties due "without unreasonable delay"):

==================  =================================================================  ============
kind                when                                                               basis
==================  =================================================================  ============
``overdue``         the legal due date has passed                                      ``law``
``target-missed``   no legal date has passed, but the internal target has             ``target``
``due-soon``        the legal date (else the target) falls within ``soon_days``         ``law``/``target``
``due``             anything else still open (later, or no date yet)                   ``law``/``target``/""
==================  =================================================================  ============

A date is passed the day after it: a duty due today is due soon, not overdue (the obligations
engine judges the same way). The site's script (``site_src/assets/breachdocs.js``, function
``dutyKind``) applies this same table in the reader's browser to the dates the pages carry, so
the pages stay true between builds; the browser tests check that both agree with the CLI.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .rules import CONSUMERS

#: How far ahead a duty counts as due soon, in days (the dashboard, ``breachdocs deadlines``, the pages).
SOON_DAYS = 30
#: Kinds that mean a date was missed: what the dashboard lists as overdue.
LATE = frozenset({"overdue", "target-missed"})
#: Kinds of a duty still to be done.
OPEN = frozenset({"overdue", "target-missed", "due-soon", "due"})
#: Kinds of a duty met (or not imposed).
CLOSED = frozenset({"done-on-time", "done-late", "done", "not-triggered"})
#: The obligations engine's statuses that mean nothing is left to do.
DONE_STATUSES = frozenset({"done", "done-on-time", "done-late", "not-triggered"})

_LABELS = {
    ("overdue", "law"): "overdue",
    ("target-missed", "target"): "internal target missed",
    ("due-soon", "law"): "due soon",
    ("due-soon", "target"): "internal target soon",
    ("due", "law"): "due",
    ("due", "target"): "due (internal target)",
    ("due", ""): "due, no date yet",
    ("done-on-time", ""): "done on time",
    ("done-late", ""): "done late",
    ("done", ""): "done",
    ("not-triggered", ""): "not triggered",
}


@dataclass(frozen=True)
class DutyState:
    """A duty's state on one day."""

    #: One of :data:`OPEN` or :data:`CLOSED`.
    kind: str
    #: The date the kind was judged against: ``law`` (the legal due date), ``target`` (the internal
    #: target) or ``""`` (none: done, not triggered, or open with no date yet).
    basis: str
    #: That date (None when ``basis`` is empty).
    date: dt.date | None
    #: Days from the day judged to ``date`` (negative once it has passed); None without a date.
    days: int | None

    @property
    def label(self) -> str:
        """The words for people: "overdue", "internal target missed", "due soon", ..."""
        return _LABELS[(self.kind, self.basis)]

    @property
    def is_open(self) -> bool:
        return self.kind in OPEN

    @property
    def is_late(self) -> bool:
        return self.kind in LATE


def duty_state(*, is_open: bool, status: str, due: dt.date | None, target: dt.date | None,
               today: dt.date, soon_days: int = SOON_DAYS) -> DutyState:
    """The state of a duty on ``today`` (see the module's table).

    ``is_open``: the duty is still to be done; ``status``: the obligations engine's status (it tells a
    met duty's kind: ``done-on-time``, ``done-late``, ``done`` or ``not-triggered``); ``due``: the
    legal due date; ``target``: the internal target.
    """
    if not is_open:
        kind = status if status in CLOSED else "done"
        return DutyState(kind, "", None, None)
    soon = today + dt.timedelta(days=soon_days)
    if due is not None and due < today:
        return _state("overdue", "law", due, today)
    if target is not None and target < today:
        return _state("target-missed", "target", target, today)
    if due is not None and due <= soon:
        return _state("due-soon", "law", due, today)
    if target is not None and target <= soon:
        return _state("due-soon", "target", target, today)
    if due is not None:
        return _state("due", "law", due, today)
    if target is not None:
        return _state("due", "target", target, today)
    return DutyState("due", "", None, None)


def _state(kind: str, basis: str, day: dt.date, today: dt.date) -> DutyState:
    return DutyState(kind, basis, day, (day - today).days)


def state_of(duty: Any, today: dt.date, soon_days: int = SOON_DAYS) -> DutyState:
    """The state of an :class:`~.obligations.Obligation` (or of a mapping with the keys ``open``,
    ``status``, ``due``, ``target``: a duty as the site's page builders get it) on ``today``."""
    if isinstance(duty, Mapping):
        status = str(duty.get("status", "due"))
        is_open = bool(duty["open"]) if duty.get("open") is not None else status not in DONE_STATUSES
        due, target = duty.get("due"), duty.get("target")
    else:
        is_open, status, due, target = duty.is_open, duty.status, duty.due, duty.target
    return duty_state(is_open=is_open, status=status, due=due if isinstance(due, dt.date) else None,
                      target=target if isinstance(target, dt.date) else None, today=today, soon_days=soon_days)


def status_conflicts(status: str, duties: Iterable[tuple[str, str, DutyState]]) -> list[str]:
    """Where an incident's status and its duties disagree, in words for staff.

    ``duties``: (duty id, "<jurisdiction> <title>", state) of each of the incident's duties. A
    ``closed`` incident with a duty still open; a ``notified`` incident whose notice to consumers is
    not recorded, or with a duty past its date.
    """
    judged = list(duties)
    still_open = [name for _, name, s in judged if s.is_open]
    late = [name for _, name, s in judged if s.is_late]
    out: list[str] = []
    if status == "closed" and still_open:
        past = f", {len(late)} of them past their date" if len(late) > 1 else ", one past its date" if late else ""
        out.append(f"closed, but {_count(still_open, 'duty is', 'duties are')} still open{past}: "
                   + ", ".join(still_open))
    if status == "notified":
        consumers = [name for duty, name, s in judged if duty == CONSUMERS and s.is_open]
        if consumers:
            out.append("marked notified, but the notice to consumers is not recorded: " + ", ".join(consumers))
        if late:
            out.append(f"marked notified, but {_count(late, 'notice is', 'notices are')} past "
                       f"{'its date' if len(late) == 1 else 'their dates'}: " + ", ".join(late))
    return out

def _count(items: list[str], one: str, many: str) -> str:
    return f"1 {one}" if len(items) == 1 else f"{len(items)} {many}"


def incident_conflicts(status: str, duties: Iterable[Any], today: dt.date, soon_days: int = SOON_DAYS) -> list[str]:
    """:func:`status_conflicts` of an incident's duties: obligations, or mappings with the keys
    ``duty``, ``jurisdiction``, ``title`` and those :func:`state_of` reads."""
    judged = []
    for d in duties:
        get = d.get if isinstance(d, Mapping) else lambda key, o=d: getattr(o, key, "")
        judged.append((str(get("duty") or ""), f"{get('jurisdiction')} {get('title')}", state_of(d, today, soon_days)))
    return status_conflicts(status, judged)
