"""The law as data: jurisdiction rule files (``rules``), the obligations engine
(``obligations``), open duties and the iCalendar feed (``deadlines``), and the
law's checks on incidents (``checks``)."""

from .obligations import Obligation, obligations, obligations_json
from .rules import Duty, Jurisdiction, load_jurisdiction, load_jurisdictions

__all__ = [
    "Duty",
    "Jurisdiction",
    "Obligation",
    "load_jurisdiction",
    "load_jurisdictions",
    "obligations",
    "obligations_json",
]
