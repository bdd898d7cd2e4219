"""Consumer notification letters: sandboxed Jinja2 templates with sections that
declare their content, the content check against each jurisdiction's law, PDF
rendering with reportlab, sample copies and the mail merge.
"""

from .content_check import content_findings
from .context import PLACEHOLDER, Recipient
from .render import Letter, LetterRenderer, notice_copy, render_sample
from .template import LetterBody, LetterTemplate

__all__ = [
    "PLACEHOLDER",
    "Letter",
    "LetterBody",
    "LetterRenderer",
    "LetterTemplate",
    "Recipient",
    "content_findings",
    "notice_copy",
    "render_sample",
]
