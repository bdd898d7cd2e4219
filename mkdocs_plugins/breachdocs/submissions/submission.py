"""Submission files (``jurisdictions/submissions/<code>-<duty>.yaml``): what one regulator duty asks for.

A :class:`Submission` names its kind (form, portal, letter, filing), where to send it, where its
questions come from and the questions in order, each with the incident value that answers it
(see ``submission.schema.json``). :func:`load_submissions` reads every file of the folder and
returns located findings for the ones that do not hold together; whether each names a real duty,
form and incident field is checked by :func:`.checks.rule_base_findings`, which knows the rules.
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..findings import Finding
from ..law.obligations import RECORD_DUTY
from ..project import relative
from ..records import Loaded, load_yaml, schema_findings
from ..resources import layered_files

SCHEMA = "submissions/submission.schema.json"
#: Duties that are not a notice to a regulator, and why: to the people affected and the credit bureaus (their
#: documents are the consumer letters), a service provider's notice to the business that owns the data, and a
#: risk-of-harm determination kept in the business's own records (sending it is a regulator duty).
NOT_REGULATOR_WHY = {
    "consumers": "its documents are the consumer letters",
    "credit-bureaus": "its documents are the consumer letters",
    "data-owner": "it is the notice to the business that owns the data",
    RECORD_DUTY: "the determination is kept in the business's own records; sending it is risk-determination",
}
NOT_REGULATOR = frozenset(NOT_REGULATOR_WHY)
#: What a letter's ``opening`` may name: replaced by the business's name and the law's citation.
OPENING_NAMES = ("business", "citation")
#: Kinds whose worksheet the site and the filings bundle show (a form has its own filled PDF).
WORKSHEET_KINDS = ("portal", "letter", "filing")


@dataclass(frozen=True)
class Question:
    """One question of the regulator (or one content the law requires of a letter)."""

    id: str
    label: str
    type: str
    required: bool
    answer: str | None
    needs: str | None = None
    choices: tuple[str, ...] = ()
    map: tuple[tuple[str, str], ...] = ()  # incident value -> the portal's choice
    notes: str = ""
    index: int = 0  # position in the file's questions, for locating findings

    @property
    def computed(self) -> str | None:
        """The computed value's name (``residents`` for ``=residents``), or None for a path."""
        return self.answer[1:] if self.answer and self.answer.startswith("=") else None


@dataclass(frozen=True)
class Submission:
    """One submission file."""

    path: str
    jurisdiction: str
    duty: str
    kind: str
    title: str
    url: str | None
    source: dict[str, Any]
    confirmed: bool
    questions: tuple[Question, ...]
    unconfirmed: str = ""
    form: str | None = None
    notes: str = ""
    opening: str = ""  # kind letter: its first paragraph, with {business} and {citation}
    loaded: Loaded | None = field(default=None, repr=False, compare=False)

    @property
    def id(self) -> str:
        """``us-tx-attorney-general``: the file's name, and the name of its worksheet."""
        return file_stem(self.jurisdiction, self.duty)

    @property
    def key(self) -> tuple[str, str]:
        return self.jurisdiction, self.duty

    def finding(self, where: tuple[str | int, ...], message: str, *, severity: str = "error") -> Finding:
        if self.loaded is None:
            return Finding(self.path, 0, 0, ".".join(str(w) for w in where), message)
        return self.loaded.finding(where, message, severity=severity)


def file_stem(jurisdiction: str, duty: str) -> str:
    return f"{jurisdiction.lower()}-{duty}"


def _question(raw: dict[str, Any], index: int) -> Question:
    return Question(
        id=raw["id"], label=raw["label"], type=raw["type"], required=bool(raw["required"]), answer=raw.get("answer"),
        needs=raw.get("needs"), choices=tuple(raw.get("choices") or ()), map=tuple((raw.get("map") or {}).items()),
        notes=raw.get("notes") or "", index=index,
    )


def _semantic(loaded: Loaded, stem: str) -> list[Finding]:
    data = loaded.data
    out: list[Finding] = []
    expected = file_stem(data["jurisdiction"], data["duty"])
    if stem != expected:
        out.append(loaded.finding(("duty",), f"the file is named {stem}.yaml but holds {data['jurisdiction']} "
                                            f"{data['duty']}; rename it to {expected}.yaml"))
    if data["duty"] in NOT_REGULATOR:
        out.append(loaded.finding(("duty",), f"'{data['duty']}' is not a regulator duty "
                                             f"({NOT_REGULATOR_WHY[data['duty']]}); submissions are for the other "
                                             "duties"))
    if not data["confirmed"] and not data.get("unconfirmed"):
        out.append(loaded.finding(("confirmed",), "confirmed is false but 'unconfirmed' is missing; add unconfirmed: "
                                                  "what could not be checked on the regulator's page, and why"))
    if data["kind"] == "form" and not data.get("form"):
        out.append(loaded.finding(("kind",), "a submission of kind form names its form: add form: <id of a folder "
                                             "under templates/forms/>"))
    if data["kind"] != "form" and data.get("form"):
        out.append(loaded.finding(("form",), f"only a submission of kind form names a form (this one is "
                                             f"{data['kind']}); remove form or write kind: form"))
    out += _opening_findings(loaded)
    seen: set[str] = set()
    for i, raw in enumerate(data["questions"]):
        if raw["id"] in seen:
            out.append(loaded.finding(("questions", i, "id"), f"the question id '{raw['id']}' is used twice in "
                                                              "this file; give each question its own id"))
        seen.add(raw["id"])
        if raw.get("answer") is None and not raw.get("needs"):
            out.append(loaded.finding(("questions", i, "answer"), "the question has no answer: write the incident "
                                      "field that answers it, or answer: null with needs: <proposed field>"))
        if raw.get("answer") is not None and raw.get("needs"):
            out.append(loaded.finding(("questions", i, "needs"), "needs is only for a question without an answer; "
                                      "remove needs (the answer names its field)"))
        unknown = [c for c in (raw.get("map") or {}).values() if raw.get("choices") and c not in raw["choices"]]
        if unknown:
            out.append(loaded.finding(("questions", i, "map"), f"'{unknown[0]}' is not one of the question's choices; "
                                      f"write one of: {' | '.join(raw['choices'])}"))
        if raw.get("choices") and raw["type"] not in ("choice", "multichoice"):
            out.append(loaded.finding(("questions", i, "choices"), f"choices are for questions of type choice or "
                                      f"multichoice (this one is {raw['type']}); remove them or change the type"))
    return out


def _opening_findings(loaded: Loaded) -> list[Finding]:
    opening = loaded.data.get("opening")
    if opening is None:
        return []
    if loaded.data["kind"] != "letter":
        return [loaded.finding(("opening",), f"only a letter has an opening paragraph (this submission is "
                                             f"{loaded.data['kind']}); remove opening or write kind: letter")]
    try:
        names = [name for _text, name, _spec, _conv in string.Formatter().parse(opening) if name is not None]
    except ValueError:
        names = ["{"]
    wrong = [n for n in names if n not in OPENING_NAMES]
    if wrong:
        return [loaded.finding(("opening",), f"the opening names '{{{wrong[0]}}}', which the letter cannot fill; "
                                             "write {business} or {citation}, and {{ or }} for a brace")]
    return []


def load_submission(file: Path, display: str | None = None) -> tuple[Submission | None, list[Finding]]:
    """One submission file, checked against its schema and itself."""
    loaded = load_yaml(file, display or str(file))
    if loaded.findings:
        return None, loaded.findings
    if not isinstance(loaded.data, dict):
        return None, [loaded.finding((), "a submission file is a mapping of fields (jurisdiction:, duty:, kind:, ...)")]
    problems = schema_findings(loaded, SCHEMA)
    if problems:
        return None, problems
    problems = _semantic(loaded, file.stem)
    data = loaded.data
    submission = Submission(
        path=loaded.path, jurisdiction=data["jurisdiction"], duty=data["duty"], kind=data["kind"],
        title=data["title"], url=data["url"], source=dict(data["source"]), confirmed=bool(data["confirmed"]),
        questions=tuple(_question(q, i) for i, q in enumerate(data["questions"])),
        unconfirmed=data.get("unconfirmed") or "", form=data.get("form"), notes=data.get("notes") or "",
        opening=data.get("opening") or "", loaded=loaded,
    )
    return (None if any(f.is_error for f in problems) else submission), problems


def submissions_dir(jurisdictions_dir: Path) -> Path:
    return jurisdictions_dir / "submissions"


_CACHE: dict[tuple[Any, ...], tuple[dict[tuple[str, str], Submission], list[Finding]]] = {}


def load_submissions(
    jurisdictions_dir: Path, *, root: Path | None = None
) -> tuple[dict[tuple[str, str], Submission], list[Finding]]:
    """Every submission file under ``jurisdictions/submissions/`` by (jurisdiction, duty), and the findings: the
    project's own files and breachdocs' packaged ones, a project file replacing the packaged one of the same name.

    Results are reused while no file changes (size and modification time).
    """
    folder = submissions_dir(jurisdictions_dir)
    files = list(layered_files(jurisdictions_dir, "jurisdictions", folder.name, pattern="*.yaml").values())
    key = (str(folder.resolve()), str(root), tuple((str(f), f.stat().st_mtime_ns, f.stat().st_size) for f in files))
    if key not in _CACHE:
        _CACHE.clear()
        found: dict[tuple[str, str], Submission] = {}
        findings: list[Finding] = []
        for file in files:
            submission, problems = load_submission(file, _display(file, root))
            findings += problems
            if submission is not None:
                found[submission.key] = submission
        _CACHE[key] = (found, sorted(findings))
    found, findings = _CACHE[key]
    return dict(found), list(findings)


def _display(file: Path, root: Path | None) -> str:
    return relative(file, root or Path.cwd())
