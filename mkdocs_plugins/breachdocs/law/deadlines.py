"""Open duties across incidents, soonest first, and the iCalendar feed staff subscribe to.

The calendar (RFC 5545) is deterministic: one VEVENT per open duty, all-day for a
due date, at its moment (DTSTART in UTC, the local time and zone in the description)
for a deadline counted in hours,
UID ``<incident>.<jurisdiction>.<duty>@breachdocs`` (stable across builds, so
calendar apps update events instead of duplicating them), DTSTAMP given by the
caller (the CLI passes ``writer.source_date()``, i.e. SOURCE_DATE_EPOCH,
never the clock), CRLF line ends, long lines folded at 75 octets.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable

from .obligations import Obligation

PRODID = "-//breachdocs//deadlines//EN"
JSON_FORMAT = "breachdocs-deadlines/1"


def open_duties(found: Iterable[Obligation]) -> list[Obligation]:
    """The duties of ``found`` not yet done (due or overdue), soonest first.

    A duty with a legal due date sorts by it; one "without unreasonable delay"
    by its internal target; one with neither (e.g. counted from a consumer
    notice not yet dated) comes last. Ties: incident, jurisdiction, duty.
    """
    return sorted((o for o in found if o.is_open), key=soonest_first)


def soonest_first(o: Obligation) -> tuple[dt.date, str, str, str]:
    """The order of open duties: by due date, else internal target (undated last); then incident,
    jurisdiction, duty."""
    return (o.sort_date or dt.date.max, o.incident, o.jurisdiction, o.duty)


def deadlines_table(found: list[Obligation]) -> str:
    lines = []
    for o in found:
        if o.due_at:
            when = o.due_text
        else:
            when = o.due.isoformat() if o.due else (f"{o.target} (target)" if o.target else "not yet dated")
        lines.append(f"{when:<18} {o.status:<8} {o.incident}  {o.jurisdiction} {o.duty}: {o.deadline}")
    return "\n".join(lines) + ("\n" if lines else "")


def deadlines_json(found: list[Obligation], as_of: dt.date, internal_target_days: int) -> str:
    """The open duties for programs: each duty as in ``breachdocs obligations --format json``, with its incident."""
    document = {
        "format": JSON_FORMAT,
        "as_of": as_of.isoformat(),
        "internal_target_days": internal_target_days,
        "deadlines": [{"incident": o.incident, **o.to_dict()} for o in found],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Fold a content line at 75 octets without splitting a UTF-8 character (RFC 5545 3.1)."""
    out: list[str] = []
    current = ""
    size = 0
    limit = 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            out.append(current)
            current, size, limit = " ", 1, 75
        current += char
        size += width
    out.append(current)
    return "\r\n".join(out)


def _when(o: Obligation) -> list[str]:
    """DTSTART (and DTEND for a whole day): the moment in UTC for a deadline in hours, else the day."""
    if o.due_at is not None:  # a point in time: no DTEND (RFC 5545 3.6.1: the event ends when it starts)
        return [f"DTSTART:{o.due_at.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}"]
    day = o.sort_date
    assert day is not None
    return [f"DTSTART;VALUE=DATE:{day:%Y%m%d}", f"DTEND;VALUE=DATE:{day + dt.timedelta(days=1):%Y%m%d}"]


def ics(found: list[Obligation], stamp: dt.datetime) -> str:
    """An iCalendar document with one event per open duty; ``stamp`` is every DTSTAMP."""
    dtstamp = stamp.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN",
             "X-WR-CALNAME:breachdocs deadlines"]
    for o in found:
        day = o.sort_date
        if day is None:
            continue
        kind = "due" if o.due else "internal target"
        shown = o.due_text if o.due_at else day.isoformat()
        summary = f"{o.jurisdiction} {o.title} ({o.incident})"
        description = (f"{o.deadline} ({kind} {shown}); {o.citation}; status {o.status}; "
                       f"recipient {o.recipient.get('name', o.duty)}" + (f"; form {o.form}" if o.form else "")
                       + f"\nWhy: {o.reason}")
        lines += [
            "BEGIN:VEVENT",
            f"UID:{o.incident}.{o.jurisdiction.lower()}.{o.duty}@breachdocs",
            f"DTSTAMP:{dtstamp}",
            *_when(o),
            f"SUMMARY:{_escape(summary)}",
            f"DESCRIPTION:{_escape(description)}",
            f"CATEGORIES:{_escape(o.status)}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)
