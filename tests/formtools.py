"""Helpers for the form tests: render PDF pages with pdftoppm, look at pixels, read text with pdftotext."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
NC = ROOT / "templates" / "forms" / "us-nc-ago-breach"
MASSMUTUAL = "2007-08-10-massmutual-misdirected-email"


def render(pdf: bytes, page: int, dpi: int = 72) -> Image.Image:
    """Page ``page`` (1-based) in grey; at the default 72 dpi one pixel per point."""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.pdf"
        src.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-f", str(page), "-l", str(page), "-png",
                        str(src), str(Path(tmp) / "out")], check=True, capture_output=True)
        (png,) = Path(tmp).glob("out*.png")
        with Image.open(png) as image:
            return image.convert("L").copy()


def dark_pixels(image: Image.Image, rect: tuple[float, float, float, float], *, inset: float = 0.0,
                dpi: int = 72) -> int:
    """Pixels darker than mid-grey inside a PDF rectangle (x0, y0, x1, y1 in points, origin bottom left)."""
    k = dpi / 72
    x0, y0, x1, y1 = (v * k for v in rect)
    inset *= k
    box = (int(x0 + inset), int(image.height - y1 + inset), int(x1 - inset), int(image.height - y0 - inset))
    return sum(image.crop(box).histogram()[:128])


def pdftotext(pdf: bytes) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.pdf"
        src.write_bytes(pdf)
        return subprocess.run(["pdftotext", "-layout", str(src), "-"], check=True, capture_output=True,
                              text=True).stdout


def copy_project(tmp: Path) -> Path:
    """A copy of the project's incidents, templates and rule base to change freely."""
    shutil.copytree(ROOT / "incidents", tmp / "incidents")
    shutil.copytree(ROOT / "templates", tmp / "templates")
    shutil.copytree(ROOT / "jurisdictions", tmp / "jurisdictions")
    return tmp
