"""Regulator submissions as data: each regulator duty's kind (form, portal, letter, filing) and questions
(``jurisdictions/submissions/*.yaml``), the answers an incident gives them, the checks, and the worksheets
(text, site, PDF; a letter for kind letter)."""

from .answers import Answer, answers
from .checks import incident_findings, rule_base_findings
from .submission import Question, Submission, load_submissions
from .worksheet import Worksheet, worksheet_pdf, worksheets

__all__ = [
    "Answer",
    "Question",
    "Submission",
    "Worksheet",
    "answers",
    "incident_findings",
    "load_submissions",
    "rule_base_findings",
    "worksheet_pdf",
    "worksheets",
]
