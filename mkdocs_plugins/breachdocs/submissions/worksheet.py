"""Worksheets: for each regulator duty an incident triggers, the regulator's questions with the answers
ready to copy, each answer's source field, and what is missing; as text, as plain values for the
site, and as PDF (a letter for kind letter: the law's required contents, addressed to the regulator).

PDFs are the worksheet's plain-text blocks laid out line by line (``letters.plain_pdf``, in the letters' fonts
and styles, without platypus: a site makes them by the thousand), deterministic like every output.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from markupsafe import escape

from ..law import Jurisdiction, Obligation
from ..letters.plain_pdf import plain_pdf
from ..letters.template import Block, LetterBody, Section
from ..records import Incident
from .answers import Answer, answers, duty_filing
from .submission import WORKSHEET_KINDS, Submission

KIND_WORDS = {"form": "PDF form", "portal": "online form (portal)", "letter": "letter (contents the law lists)",
              "filing": "filing"}


@dataclass(frozen=True)
class Worksheet:
    """One regulator duty of one incident, answered."""

    incident: Incident = field(repr=False)
    submission: Submission
    obligation: Obligation
    answers: tuple[Answer, ...]

    @property
    def id(self) -> str:
        return self.submission.id

    @property
    def filename(self) -> str:
        """The PDF's name in the incident's filings folder."""
        return f"{self.id}-worksheet.pdf"

    @property
    def missing(self) -> list[Answer]:
        return [a for a in self.answers if a.missing]

    @property
    def due_text(self) -> str:
        o = self.obligation
        if o.due:
            return f"{o.due_text} ({o.deadline})"
        if o.target:
            return f"{o.deadline} (internal target {o.target})"
        return o.deadline

    @property
    def filed(self) -> Mapping[str, Any] | None:
        return duty_filing(self.incident, self.submission.jurisdiction, self.submission.duty)

    def heading(self) -> list[tuple[str, str]]:
        """(label, value) lines above the questions."""
        s, o = self.submission, self.obligation
        where = s.url or "; ".join(_address(o.recipient)) or "see the law"
        lines = [("Regulator", str(o.recipient.get("name") or s.duty)), ("Submit as", KIND_WORDS[s.kind]),
                 ("Where", where), ("Due", self.due_text), ("Law", o.citation)]
        filed = self.filed
        if filed:
            lines.append(("Filed", f"{filed.get('submitted')}" + (f" (reference {filed['reference']})"
                                                                 if filed.get("reference") else "")))
        lines.append(("Questions from", f"{s.source.get('title', '')} ({s.source.get('url', '')}, read "
                                        f"{s.source.get('read', '')})"))
        if not s.confirmed:
            lines.append(("Not confirmed", s.unconfirmed))
        return lines

    def text(self) -> str:
        """The worksheet as plain text (``breachdocs submission``)."""
        s = self.submission
        out = [f"{s.title}", f"{self.incident.id}: {s.jurisdiction} {s.duty}", ""]
        out += [f"{label}: {value}" for label, value in self.heading()]
        out.append("")
        for n, a in enumerate(self.answers, 1):
            need = "required" if a.question.required else "optional"
            out.append(f"{n}. {a.question.label} [{a.question.type}, {need}]")
            if a.question.choices:
                out.append(f"   choices: {' | '.join(a.question.choices)}")
            out.append(f"   answer: {a.shown}")
            out.append(f"   from:   {_source(a)}")
        if self.missing:
            out += ["", f"Missing ({len(self.missing)}):"]
            out += [f"- {a.question.label}: record it under {a.record_at}" if a.record_at else
                    f"- {a.question.label}" for a in self.missing]
        return "\n".join(out) + "\n"

    def as_input(self) -> dict[str, Any]:
        """Plain values for the site's incident page."""
        return {
            "id": self.id, "jurisdiction": self.submission.jurisdiction, "duty": self.submission.duty,
            "kind": self.submission.kind, "kind_words": KIND_WORDS[self.submission.kind],
            "title": self.submission.title, "url": self.submission.url, "heading": self.heading(),
            "pdf": self.filename, "status": self.obligation.status,
            "questions": [{"n": n, "label": a.question.label, "type": a.question.type,
                           "required": a.question.required, "choices": list(a.question.choices),
                           "answer": a.text, "shown": a.shown, "source": _source(a),
                           "missing": a.missing, "record_at": a.record_at}
                          for n, a in enumerate(self.answers, 1)],
            "missing": [{"label": a.question.label, "record_at": a.record_at} for a in self.missing],
        }


def _source(a: Answer) -> str:
    if a.source:
        return a.source
    if a.question.needs:
        return f"no incident field yet (proposed: {a.question.needs}); answer it on the regulator's form"
    return "-"


def worksheets(
    incident: Incident, found: Iterable[Obligation], rules: Mapping[str, Jurisdiction],
    submissions: Mapping[tuple[str, str], Submission], *, kinds: Iterable[str] = WORKSHEET_KINDS,
) -> list[Worksheet]:
    """A worksheet for each triggered regulator duty of ``incident`` whose submission is of one of ``kinds``."""
    wanted = set(kinds)
    out = []
    for obligation in found:
        submission = submissions.get((obligation.jurisdiction, obligation.duty))
        if not obligation.triggered or submission is None or submission.kind not in wanted:
            continue
        given = answers(incident, submission, rules.get(obligation.jurisdiction))
        out.append(Worksheet(incident, submission, obligation, tuple(given)))
    return out


# --- PDF ----------------------------------------------------------------------------------------------------------

def _b(kind: str, text: str) -> Block:
    return Block(kind, str(escape(text)).replace("\n", "<br/>"))


def _worksheet_blocks(ws: Worksheet) -> list[Block]:
    s = ws.submission
    blocks = [_b("h", s.title), _b("line", f"Incident: {ws.incident.id}"),
              _b("line", f"{ws.incident.business.get('name', '')}"), _b("gap", "")]
    blocks += [_b("line", f"{label}: {value}") for label, value in ws.heading()]
    blocks.append(_b("gap", ""))
    for n, a in enumerate(ws.answers, 1):
        need = "required" if a.question.required else "optional"
        blocks.append(_b("h", f"{n}. {a.question.label}"))
        if a.question.choices:
            blocks.append(_b("note", "Choices: " + " | ".join(a.question.choices)))
        blocks.append(_b("p", a.shown))
        blocks.append(_b("note", f"{a.question.type}, {need}; from: {_source(a)}"))
    if ws.missing:
        blocks.append(_b("h", f"Missing ({len(ws.missing)})"))
        blocks += [_b("line", f"{a.question.label}: record it under {a.record_at}") for a in ws.missing]
    return blocks


def _address(recipient: Mapping[str, Any]) -> list[str]:
    lines = [str(recipient.get("name") or "")]
    lines += [line.strip() for line in str(recipient.get("address") or "").splitlines() if line.strip()]
    return [line for line in lines if line]


def _letter_blocks(ws: Worksheet) -> list[Block]:
    """A letter to the regulator: letterhead, date, address, the law's required contents, signature."""
    b, s, o = ws.incident.business, ws.submission, ws.obligation
    data = ws.incident.data
    blocks = [_b("line", str(b.get("name", "")))]
    blocks += [_b("line", line) for line in (str(b.get("street") or ""),
               " ".join(str(b.get(k) or "") for k in ("city", "state", "zip")).strip()) if line]
    blocks.append(_b("gap", ""))
    filed = ws.filed
    day = filed.get("submitted") if filed else None
    blocks.append(_b("line", _long(day) if day else "<DATE>"))
    blocks.append(_b("gap", ""))
    blocks += [_b("line", line) for line in _address(o.recipient)]
    blocks.append(_b("gap", ""))
    blocks.append(_b("h", f"Re: {s.title}, under {o.citation}"))
    opening = s.opening or ("{business} gives notice of a breach of the security of personal information under "
                            "{citation}. The information the law requires follows.")
    blocks.append(_b("p", opening.format(business=b.get("name", ""), citation=o.citation)))
    for a in ws.answers:
        blocks.append(_b("h", a.question.label))
        blocks.append(_b("p", a.shown))
    signatory = data.get("signatory") or {}
    blocks += [_b("gap", ""), _b("line", "Sincerely,"), _b("gap", ""),
               _b("line", str(signatory.get("name") or "")), _b("line", str(signatory.get("title") or ""))]
    return blocks


def _long(value: str) -> str:
    day = dt.date.fromisoformat(value)
    return f"{day:%B} {day.day}, {day.year}"


def worksheet_body(ws: Worksheet) -> LetterBody:
    """The worksheet (kind letter: the letter) as a letter body of one section."""
    blocks = _letter_blocks(ws) if ws.submission.kind == "letter" else _worksheet_blocks(ws)
    return LetterBody(f"submission:{ws.id}", (Section(ws.submission.kind, (), tuple(blocks)),))


def worksheet_pdf(ws: Worksheet) -> bytes:
    """The worksheet as PDF bytes (deterministic), laid out line by line (its blocks are plain text)."""
    title = f"{ws.incident.id}: {ws.submission.title}"
    return plain_pdf(worksheet_body(ws), title=title, author=str(ws.incident.business.get("name", "")))
