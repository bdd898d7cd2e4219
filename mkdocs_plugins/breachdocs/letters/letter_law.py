"""What the law of each jurisdiction asks of a consumer letter.

A thin view over the rule base of :mod:`breachdocs.law` (``jurisdictions/*.yaml``):
the content ids the letter must carry (``consumer_notice.required_content``),
where the law says so, the paragraphs added for residents
(``consumer_notice.letter_paragraphs``) and the Attorney General's contact
details (recipient of the ``attorney-general`` duty). File validity is the law
module's business: a file with errors is left out here and reported there.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..law import Jurisdiction, load_jurisdictions


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


def load_letter_laws(jurisdictions_dir: Path, *, root: Path | None = None) -> dict[str, LetterLaw]:
    """Letter law by residence code (``US-NC`` -> North Carolina's file)."""
    found, _findings = load_jurisdictions(jurisdictions_dir, root=root)
    laws: dict[str, LetterLaw] = {}
    for jurisdiction in found.values():
        law = letter_law(jurisdiction)
        for code in law.residents:
            laws.setdefault(code, law)
    return laws
