"""The recipient list of a mail merge: a CSV file of personal data.

Rows are read one at a time (memory stays flat however long the list), each
numbered by the line it starts on (the header is line 1, as in a spreadsheet).
A bad row is reported by its number and the column at fault, never by its
content: recipient data must not reach logs or error messages.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ..files import FileProblem, open_file
from ..findings import Finding, FindingsError
from ..records.codes import US_OTHER, US_STATES
from .context import Recipient

COLUMNS = ("name", "address1", "address2", "city", "state", "zip")
_ZIP = re.compile(r"[0-9]{5}(-[0-9]{4})?")
_STATES = frozenset(US_STATES) | frozenset(US_OTHER)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


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


class _Lines:
    """The file's lines decoded one at a time, so a bad byte is charged to the line that holds it
    (a text stream decodes ahead, in blocks, and would blame an earlier row). ``number`` is the
    last line given out; ``bad`` the lines that were not UTF-8 (given out decoded with replacements)."""

    def __init__(self, handle: BinaryIO):
        self.handle = handle
        self.number = 0
        self.bad: list[int] = []

    def __iter__(self) -> Iterator[str]:
        for raw in self.handle:
            self.number += 1
            if self.number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            try:
                yield raw.decode("utf-8")
            except UnicodeDecodeError:
                self.bad.append(self.number)
                yield raw.decode("utf-8", "replace")


def open_recipients(path: Path) -> BinaryIO:
    """The recipient list opened for reading: a regular file (anywhere: it is the user's own input, kept
    out of the project and never published), else a :class:`FindingsError` naming it."""
    try:
        return open_file(path, inside=False, limit=None)
    except FileProblem as problem:
        raise FindingsError([problem.finding(str(path))]) from None


def read_rows(path: Path, display: str, residents: Iterable[str] | None = None) -> Iterator[Row]:
    """Every data row of the CSV, in order. A header without the needed columns raises FindingsError.

    A row is refused (with row-numbered findings, never its content) when it is not UTF-8, spans
    several lines (an unclosed quote would swallow the rows after it), holds control characters such
    as NUL, repeats an earlier row, or (given ``residents``, the incident's residence codes) lives
    in a state the incident does not list.
    """
    with open_recipients(path) as handle:
        lines = _Lines(handle)
        reader = csv.reader(lines)
        try:
            header = next(reader, None)
        except csv.Error:
            header = None
        if not header or lines.bad:
            raise FindingsError([Finding(display, 1, 0, "", "the file has no header row; the first line must name "
                                         f"the columns: {','.join(COLUMNS)}" if not lines.bad else
                                         "the header row is not UTF-8 text; save the file as CSV UTF-8")])
        names = [h.strip().lower() for h in header]
        missing = [c for c in COLUMNS if c not in names]
        if missing:
            raise FindingsError([Finding(display, 1, 0, "", f"the header lacks the column(s) {', '.join(missing)}; "
                                         f"the first line must name at least: {','.join(COLUMNS)}")])
        where = {c: names.index(c) for c in COLUMNS}
        wanted = frozenset(residents) if residents is not None else None
        seen: dict[int, int] = {}  # a short digest of each recipient -> the row it was first on
        index = 0
        while True:
            number = lines.number + 1
            bad_before = len(lines.bad)
            try:
                fields = next(reader)
            except StopIteration:
                return
            except csv.Error:
                raise FindingsError([Finding(display, number, 0, "", f"row {number}: the CSV is malformed "
                                             "(an unclosed quote?); correct the row")]) from None
            problems: list[Finding] = []
            if len(lines.bad) > bad_before:
                problems.append(Finding(display, number, 0, "", f"row {number}: line {lines.bad[bad_before]} is not "
                                        "UTF-8 text; save the file as CSV UTF-8"))
            if lines.number > number:
                problems.append(Finding(display, number, 0, "", f"row {number}: lines {number} to {lines.number} were "
                                        "read as one row: a quote opened on this row is not closed (or a value holds "
                                        "a line break); close the quote, and keep each recipient on one line"))
            if not problems and not any(f.strip() for f in fields):
                continue
            if not problems:
                control = next((c for i, c in enumerate(COLUMNS) if where[c] < len(fields)
                                and _CONTROL.search(fields[where[c]])), None)
                if control:
                    problems.append(Finding(display, number, 0, control, f"row {number}: {control} holds a control "
                                            "character (a NUL byte or similar: the file may not be plain text); "
                                            "save the file as CSV UTF-8 and retype the value"))
            values = {c: _clean(fields[i]) if i < len(fields) else "" for c, i in where.items()}
            values["state"] = values["state"].upper().removeprefix("US-")
            if not problems:
                problems = _problems(display, number, values)
            if not problems and wanted is not None and f"US-{values['state']}" not in wanted:
                problems.append(Finding(display, number, 0, "state", f"row {number}: the recipient lives in "
                                        f"US-{values['state']}, which the incident does not list under "
                                        "affected.residents, so its law was not checked; add the state to the "
                                        "incident, or remove the row"))
            if not problems:
                key = int.from_bytes(hashlib.blake2b("\x1f".join(values[c].casefold() for c in COLUMNS).encode(),
                                                     digest_size=8).digest())
                first = seen.setdefault(key, number)
                if first != number:
                    problems.append(Finding(display, number, 0, "", f"row {number}: the same recipient as row {first}; "
                                            "remove one of the two rows (each person gets one letter)"))
            recipient = None if problems else Recipient(**values)
            yield Row(number, index, recipient, tuple(problems))
            index += 1
