"""What the law of each jurisdiction asks of a consumer letter.

A thin view over the rule base of :mod:`breachdocs.law` (``jurisdictions/*.yaml``):
the content ids the letter must carry (``consumer_notice.required_content``),
where the law says so, the paragraphs added for residents
(``consumer_notice.letter_paragraphs``, each in force in its period) and the Attorney General's contact
details (recipient of the ``attorney-general`` duty). File validity is the law
module's business: a file with errors is left out here and reported there.

The law is read as it stood when the breach was discovered: a jurisdiction whose
notice to consumers was not yet in force asks nothing of the letter, and content an
amendment added (``consumer_notice.required_content_since``) counts from its date, as does a
dated paragraph (``{text, from, to}``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..law import Jurisdiction
from ..law.rules import CONSUMERS, load_jurisdictions, load_rule_base
from ..project import Project
from ..records.codes import region_of


@dataclass(frozen=True)
class LetterLaw:
    """The letter-related part of one jurisdiction file."""

    code: str
    name: str
    path: str
    residents: tuple[str, ...]
    citation: str
    required_content: tuple[str, ...]
    paragraphs: tuple[str, ...]
    jurisdiction: Jurisdiction | None = field(repr=False, default=None, compare=False)

    def in_force_on(self, day: dt.date) -> bool:
        """Whether the law's notice to consumers was in force on ``day`` (a law without one: always)."""
        j = self.jurisdiction
        if j is None or CONSUMERS not in j.duty_ids():
            return True
        return j.in_force(CONSUMERS, day) is not None

    def required_on(self, day: dt.date) -> tuple[str, ...]:
        """Content ids the letter must carry for a breach discovered on ``day``."""
        if not self.in_force_on(day):
            return ()
        if self.jurisdiction is None:
            return self.required_content
        return tuple(c for c in self.jurisdiction.required_content_on(day) if c in self.required_content)

    def paragraphs_on(self, day: dt.date) -> tuple[str, ...]:
        """The paragraphs for residents in force for a breach discovered on ``day``."""
        if not self.in_force_on(day):
            return ()
        if self.jurisdiction is None:
            return self.paragraphs
        return tuple(self.jurisdiction.letter_paragraphs_on(day))

    def attorney_general(self, as_of: dt.date | None = None) -> dict[str, str] | None:
        """Recipient of the ``attorney-general`` duty in force on ``as_of`` (else its latest version)."""
        if self.jurisdiction is None:
            return None
        versions = self.jurisdiction.versions("attorney-general")
        if not versions:
            return None
        duty = (self.jurisdiction.in_force("attorney-general", as_of) if as_of else None) or versions[-1]
        recipient: dict[str, Any] = duty.recipient or {}
        return {k: str(v) for k, v in recipient.items() if isinstance(v, str | int)}


def letter_law(jurisdiction: Jurisdiction) -> LetterLaw:
    notice = jurisdiction.consumer_notice
    statute = jurisdiction.data.get("statute") or {}
    return LetterLaw(
        code=jurisdiction.code,
        name=jurisdiction.name,
        path=jurisdiction.path,
        residents=tuple(jurisdiction.residents),
        citation=str(notice.get("content_citation") or statute.get("citation") or jurisdiction.code),
        required_content=tuple(jurisdiction.required_content),
        paragraphs=tuple(jurisdiction.letter_paragraphs),
        jurisdiction=jurisdiction,
    )


def law_for(laws: dict[str, LetterLaw], residence: str) -> LetterLaw | None:
    """The letter law of a residence code: its own, else its region's (``EU-DE`` -> the law of ``EU``)."""
    found = laws.get(residence)
    region = region_of(residence)
    return found if found is not None or region is None else laws.get(region)


def load_letter_laws(project: Project | Path, *, root: Path | None = None) -> dict[str, LetterLaw]:
    """Letter law by residence code (``US-NC`` -> North Carolina's file), from the project's rule base
    (or from one folder of rule files)."""
    if isinstance(project, Path):
        found, _findings = load_jurisdictions(project, root=root)
    else:
        found, _findings = load_rule_base(project)
    laws: dict[str, LetterLaw] = {}
    for jurisdiction in found.values():
        law = letter_law(jurisdiction)
        for code in law.residents:
            laws.setdefault(code, law)
    return laws
