"""The recipient list of a mail merge: a CSV file of personal data.

Rows are read one at a time (memory stays flat however long the list), each
numbered by the line it starts on (the header is line 1, as in a spreadsheet).
A bad row is reported by its number and the column at fault, never by its
content: recipient data must not reach logs or error messages.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..findings import Finding, FindingsError
from ..records.codes import US_OTHER, US_STATES
from .context import Recipient

COLUMNS = ("name", "address1", "address2", "city", "state", "zip")
_ZIP = re.compile(r"[0-9]{5}(-[0-9]{4})?")
_STATES = frozenset(US_STATES) | frozenset(US_OTHER)


@dataclass(frozen=True)
class Row:
    """One data row: its line number, its index among data rows, and the recipient or the problems."""

    number: int
    index: int
    recipient: Recipient | None
    problems: tuple[Finding, ...] = ()


def _problems(display: str, number: int, values: dict[str, str]) -> list[Finding]:
    out: list[Finding] = []

    def add(column: str, message: str) -> None:
        out.append(Finding(display, number, 0, column, f"row {number}: {message}"))

    for column, what in (("name", "the addressee's name"), ("address1", "the street address"), ("city", "the city")):
        if not values[column]:
            add(column, f"{column} is empty; every letter needs {what}")
    state = values["state"]
    if not state:
        add("state", "state is empty; write the two-letter postal code (NC)")
    elif state not in _STATES:
        add("state", "state is not a US state or territory code; write the two-letter postal code (NC, DC, PR)")
    zip_code = values["zip"]
    if not zip_code:
        add("zip", "zip is empty; write the 5-digit ZIP code")
    elif not _ZIP.fullmatch(zip_code):
        hint = ("; a spreadsheet may have dropped a leading zero: format the column as text"
                if zip_code.isdigit() and len(zip_code) < 5 else "")
        add("zip", f"zip is not a ZIP code (5 digits, or ZIP+4 as 12345-6789){hint}")
    return out


def _clean(value: str) -> str:
    return " ".join(value.split())


def read_rows(path: Path, display: str) -> Iterator[Row]:
    """Every data row of the CSV, in order. A header without the needed columns raises FindingsError."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        try:
            header = next(reader, None)
        except (UnicodeDecodeError, csv.Error):
            header = None
        if not header:
            raise FindingsError([Finding(display, 1, 0, "", "the file has no header row; the first line must name "
                                         f"the columns: {','.join(COLUMNS)}")])
        names = [h.strip().lower() for h in header]
        missing = [c for c in COLUMNS if c not in names]
        if missing:
            raise FindingsError([Finding(display, 1, 0, "", f"the header lacks the column(s) {', '.join(missing)}; "
                                         f"the first line must name at least: {','.join(COLUMNS)}")])
        where = {c: names.index(c) for c in COLUMNS}
        index = 0
        while True:
            number = reader.line_num + 1
            try:
                fields = next(reader)
            except StopIteration:
                return
            except UnicodeDecodeError:
                raise FindingsError([Finding(display, number, 0, "", f"row {number}: the file is not UTF-8 text; "
                                             "save it as CSV UTF-8")]) from None
            except csv.Error:
                raise FindingsError([Finding(display, number, 0, "", f"row {number}: the CSV is malformed "
                                             "(an unclosed quote?); correct the row")]) from None
            if not any(f.strip() for f in fields):
                continue
            values = {c: _clean(fields[i]) if i < len(fields) else "" for c, i in where.items()}
            values["state"] = values["state"].upper().removeprefix("US-")
            problems = _problems(display, number, values)
            recipient = None if problems else Recipient(**values)
            yield Row(number, index, recipient, tuple(problems))
            index += 1
