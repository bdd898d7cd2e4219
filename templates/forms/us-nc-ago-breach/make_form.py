"""Draw the North Carolina Security Breach Reporting Form as a fillable AcroForm.

A faithful two-page reproduction of the form as MassMutual filed it in 2007
(../shared/seed/): heading and statute line, the "please submit form to"
block, every question in the form's order and wording, the four notice-method
checkboxes and the signature and contact block.

Run from anywhere; it rewrites form.pdf beside this script, byte for byte the
same each time (reportlab ``invariant=1``):

    .venv/bin/python templates/forms/us-nc-ago-breach/make_form.py
"""

from __future__ import annotations

import io
from pathlib import Path

from reportlab.lib.colors import black, white
from reportlab.lib.pagesizes import letter
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

HERE = Path(__file__).resolve().parent
WIDTH, HEIGHT = letter
LEFT = 54.0
RIGHT = WIDTH - 54.0
FONT = "Helvetica"
BOLD = "Helvetica-Bold"
SIZE = 10.0
LEADING = 12.5
FIELD_FONT_SIZE = 10.0


class Sheet:
    """A page cursor: writes question text and places fields below or beside it."""

    def __init__(self, canvas: Canvas):
        self.c = canvas
        self.y = HEIGHT - 54.0

    def text(self, words: str, *, x: float = LEFT, width: float | None = None, font: str = FONT,
             size: float = SIZE, gap: float = 4.0) -> float:
        """Draw wrapped text; return the x where its last line ends."""
        lines = simpleSplit(words, font, size, width or (RIGHT - x))
        self.c.setFont(font, size)
        end = x
        for line in lines:
            self.y -= LEADING
            self.c.drawString(x, self.y, line)
            end = x + self.c.stringWidth(line, font, size)
        self.y -= gap
        return end

    def box(self, name: str, tooltip: str, x: float, y: float, width: float, height: float, *,
            multiline: bool = False) -> None:
        """A text field drawn as a ruled box on the page (the widget itself has no border)."""
        self.c.setLineWidth(0.6)
        self.c.rect(x, y, width, height, stroke=1, fill=0)
        inset = 1.5  # the widget sits inside the ruled box, so its opaque face never hides the rule
        self.c.acroForm.textfield(
            name=name, tooltip=tooltip, x=x + inset, y=y + inset, width=width - 2 * inset, height=height - 2 * inset,
            fontName=FONT, fontSize=FIELD_FONT_SIZE, borderWidth=0, fillColor=white, textColor=black,
            fieldFlags="multiline" if multiline else "", value="", maxlen=None,
        )

    def line_field(self, label: str, name: str, *, x: float = LEFT, width: float | None = None,
                   height: float = 16.0, newline: bool = True, font: str = FONT) -> None:
        """``Label: [field]`` on one line."""
        if newline:
            self.y -= height + 4
        self.c.setFont(font, SIZE)
        self.c.drawString(x, self.y + 4.5, label)
        start = x + self.c.stringWidth(label, font, SIZE) + 4
        end = x + width if width else RIGHT
        self.box(name, label.rstrip(":"), start, self.y, end - start, height)

    def area(self, name: str, tooltip: str, height: float, *, x: float = LEFT) -> None:
        """A multi-line field under the question."""
        self.y -= height
        self.box(name, tooltip, x, self.y, RIGHT - x, height, multiline=True)
        self.y -= 8

    def checkbox(self, name: str, label: str) -> None:
        self.y -= 18
        self.c.acroForm.checkbox(
            name=name, tooltip=label, x=LEFT + 18, y=self.y, size=12, checked=False, buttonStyle="check",
            borderWidth=0.8, borderColor=black, fillColor=white, textColor=black, forceBorder=True,
        )
        self.c.setFont(FONT, SIZE)
        self.c.drawString(LEFT + 38, self.y + 2.5, label)


def page_one(s: Sheet) -> None:
    c = s.c
    c.setFont(BOLD, 14)
    c.drawCentredString(WIDTH / 2, s.y, "North Carolina Security Breach Reporting Form")
    s.y -= 16
    c.setFont("Helvetica-Oblique", SIZE)
    c.drawCentredString(WIDTH / 2, s.y, "Pursuant to the Identity Theft Protection Act of 2005")
    s.y -= 14

    # The business block on the left, "please submit form to" on the right.
    top = s.y
    split = 356.0
    s.text("Name of Business Owning or Licensing Information Affected by the Breach:",
           width=split - LEFT - 12, font=BOLD, gap=2)
    s.y -= 18
    s.box("business_name", "Name of business owning or licensing the information", LEFT, s.y, split - LEFT - 12, 16)
    s.line_field("Address:", "business_street", width=split - LEFT - 12)
    s.y -= 20
    s.box("business_city_state_zip", "City, state and ZIP", LEFT + 47, s.y, split - LEFT - 59, 16)
    s.line_field("Telephone:", "business_phone", width=split - LEFT - 12)
    s.line_field("Fax:", "business_fax", width=split - LEFT - 12)
    s.line_field("Email:", "business_email", width=split - LEFT - 12)
    bottom = s.y

    block = [
        ("PLEASE SUBMIT FORM TO:", BOLD),
        ("Consumer Protection Division", FONT),
        ("NC Attorney General's Office", FONT),
        ("9001 Mail Service Center", FONT),
        ("Raleigh, NC 27699-9001", FONT),
        ("Telephone: (919) 716-6000", FONT),
        ("Toll Free in NC: (877) 566-7226", FONT),
        ("FAX: (919) 716-6050", FONT),
    ]
    c.setLineWidth(1)
    c.rect(split, bottom, RIGHT - split, top - bottom, stroke=1, fill=0)
    y = top - 8
    for words, font in block:
        y -= LEADING + 1
        c.setFont(font, SIZE)
        c.drawString(split + 10, y, words)
    s.y = bottom - 14

    def dated(label: str, name: str) -> None:
        s.line_field(label, name, width=380, font=BOLD)

    dated("Date Security Breach Reporting Form submitted:", "date_submitted")
    dated("Date the Security Breach was discovered:", "date_discovered")
    dated("Estimated number of affected individuals:", "affected_total")
    dated("Estimated number of NC residents affected:", "affected_nc")
    s.y -= 10

    s.text("Name of business maintaining or possessing information that was the subject of the Security "
           "Breach, if the business that experienced the Security Breach is not the same entity as the "
           "business reporting the Security Breach (pursuant to N.C.G.S. \u00a7 75-65(b)):", font=BOLD)
    s.y -= 16
    s.box("maintaining_business", "Business maintaining or possessing the information", LEFT, s.y, RIGHT - LEFT, 16)
    s.y -= 10

    s.text("Describe the circumstances surrounding the Security Breach and state whether the information "
           "breached was in electronic or paper format:", font=BOLD)
    s.area("circumstances", "Circumstances of the breach; electronic or paper format", 64)

    end = s.text("Regarding electronic information breached, state whether the information breached or "
                 "potentially breached was password protected or encrypted in some manner.", font=BOLD, gap=0)
    s.y += 0
    s.box("protected", "Password protected or encrypted? (yes/no)", end + 6, s.y - 3.5, 48, 14)
    s.y -= 6
    s.text("If so, please describe the security measures protecting the information:", font=BOLD)
    s.area("protection", "Security measures protecting the information", 54)

    s.text("Describe any measures taken to prevent a similar Security Breach from occurring in the future:",
           font=BOLD)
    s.area("prevention", "Measures taken to prevent a similar breach", 64)


def page_two(s: Sheet) -> None:
    s.line_field("Date affected NC residents were/will be notified:", "date_notified", font=BOLD)
    s.y -= 14
    s.text("If there has been any delay in notifying affected NC residents, describe the circumstances "
           "surrounding the delay pursuant to N.C.G.S. \u00a7 75-65(a) and (c):", font=BOLD)
    s.area("delay_reason", "Circumstances of any delay in notifying NC residents", 76)
    s.text("If the delay was pursuant to a request from law enforcement pursuant to N.C.G.S. \u00a7 75-65(c), "
           "please include the written request or the contemporaneous memorandum.", font="Helvetica-Oblique")
    s.y -= 8
    s.text("How NC residents were/will be notified? (pursuant to N.C.G.S. \u00a7 75-65(e))", font=BOLD)
    s.checkbox("notice_written", "written notice")
    s.checkbox("notice_electronic", "electronic notice (email)")
    s.checkbox("notice_telephone", "telephone notice")
    s.checkbox("notice_substitute", "substitute notice")
    s.y -= 12
    s.text("Please attach copy of the notice if in written form or a copy of any scripted notice if in "
           "telephonic form.", font="Helvetica-Oblique")
    s.y -= 24

    c = s.c
    c.setFont(BOLD, SIZE)
    c.drawString(LEFT, s.y + 4.5, "Signature:")
    c.setLineWidth(0.6)
    c.line(LEFT + 56, s.y + 2, 360, s.y + 2)
    s.line_field("Date:", "signature_date", x=380, newline=False, font=BOLD)
    s.line_field("Contact Person, Title:", "contact_title", font=BOLD)
    s.line_field("Address:", "contact_address", font=BOLD)
    s.y -= 20
    c.setFont("Helvetica-Oblique", 9)
    c.drawString(LEFT, s.y + 4.5, "(if different from above)")
    s.box("contact_address_2", "Contact address, continued", LEFT + 110, s.y, RIGHT - LEFT - 110, 16)
    s.line_field("Telephone:", "contact_phone", width=132, font=BOLD)
    s.line_field("Fax:", "contact_fax", x=LEFT + 140, width=106, newline=False, font=BOLD)
    s.line_field("Email:", "contact_email", x=LEFT + 254, newline=False, font=BOLD)


def footer(c: Canvas, page: int) -> None:
    c.setFont(FONT, 8)
    c.drawCentredString(WIDTH / 2, 30, f"North Carolina Security Breach Reporting Form \u2014 page {page} of 2")


def build() -> bytes:
    out = io.BytesIO()
    c = Canvas(out, pagesize=letter, invariant=1, pageCompression=1)
    c.setTitle("North Carolina Security Breach Reporting Form")
    c.setAuthor("breachdocs")
    c.setCreator("breachdocs templates/forms/us-nc-ago-breach/make_form.py")
    c.setSubject("Pursuant to the Identity Theft Protection Act of 2005")
    page_one(Sheet(c))
    footer(c, 1)
    c.showPage()
    page_two(Sheet(c))
    footer(c, 2)
    c.showPage()
    c.save()
    return out.getvalue()


if __name__ == "__main__":
    (HERE / "form.pdf").write_bytes(build())
    print(HERE / "form.pdf")
