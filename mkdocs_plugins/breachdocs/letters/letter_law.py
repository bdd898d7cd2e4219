"""What the law of each jurisdiction asks of a consumer letter.

Reads ``jurisdictions/*.yaml`` (the rule base of ``breachdocs.law``) for the
few fields letters need: the content ids the letter must carry
(``consumer_notice.required_content``), where the law says so, the paragraphs
added for residents (``consumer_notice.letter_paragraphs``) and the Attorney
General's contact details (recipient of the ``attorney-general`` duty).
File validity is the law module's business: a file that does not load is
skipped here and reported there.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..records.strict_yaml import Loaded, load_yaml


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
    duties: tuple[dict[str, Any], ...] = field(repr=False, default=())
    loaded: Loaded | None = field(repr=False, default=None, compare=False)

    def attorney_general(self, as_of: dt.date | None = None) -> dict[str, str] | None:
        """Recipient of the ``attorney-general`` duty in force on ``as_of`` (else the latest listed)."""
        candidates = [d for d in self.duties
                      if d.get("id") == "attorney-general" and isinstance(d.get("recipient"), dict)]
        if not candidates:
            return None
        chosen = candidates[-1]
        if as_of is not None:
            for duty in candidates:
                start, end = duty.get("effective_from"), duty.get("effective_to")
                started = not start or dt.date.fromisoformat(start) <= as_of
                if started and (not end or as_of <= dt.date.fromisoformat(end)):
                    chosen = duty
        recipient = chosen["recipient"]
        return {k: str(v) for k, v in recipient.items() if isinstance(v, str | int)}


def _letter_law(loaded: Loaded) -> LetterLaw | None:
    data = loaded.data
    if not isinstance(data, dict) or not isinstance(data.get("code"), str):
        return None
    notice = data.get("consumer_notice") if isinstance(data.get("consumer_notice"), dict) else {}
    statute = data.get("statute") if isinstance(data.get("statute"), dict) else {}
    citation = notice.get("content_citation") or statute.get("citation") or data["code"]
    residents = data.get("residents") if isinstance(data.get("residents"), list) else []
    duties = data.get("duties") if isinstance(data.get("duties"), list) else []
    return LetterLaw(
        code=data["code"],
        name=str(data.get("name") or data["code"]),
        path=loaded.path,
        residents=tuple(str(r) for r in residents),
        citation=str(citation),
        required_content=tuple(str(c) for c in notice.get("required_content") or ()),
        paragraphs=tuple(str(p) for p in notice.get("letter_paragraphs") or ()),
        duties=tuple(d for d in duties if isinstance(d, dict)),
        loaded=loaded,
    )


def load_letter_laws(jurisdictions_dir: Path, *, root: Path | None = None) -> dict[str, LetterLaw]:
    """Letter law by residence code (``US-NC`` -> North Carolina's file); files are read again when they change."""
    if not jurisdictions_dir.is_dir():
        return {}
    files = sorted(jurisdictions_dir.glob("*.yaml"))
    stamp = tuple((f.name, f.stat().st_mtime_ns, f.stat().st_size) for f in files)
    return dict(_load(tuple(files), stamp, root))


@lru_cache(maxsize=8)
def _load(files: tuple[Path, ...], _stamp: tuple[tuple[str, int, int], ...], root: Path | None) -> dict[str, LetterLaw]:
    laws: dict[str, LetterLaw] = {}
    for file in files:
        display = file.relative_to(root).as_posix() if root and file.is_relative_to(root) else str(file)
        loaded = load_yaml(file, display)
        if loaded.findings:
            continue
        law = _letter_law(loaded)
        if law is None:
            continue
        for code in law.residents:
            laws.setdefault(code, law)
    return laws
