"""Progress of long work (letters, filings, checks) on a terminal: one bar, the same everywhere.

Core functions take a :data:`ProgressCallback` (``callback(done, total)``) and
know nothing of terminals; the CLI hands them a :class:`ProgressBar`, which
draws on stderr only when stderr is a terminal, so logs and pipes stay clean::

    checking incidents [##########----------]   2/4  ETA 00:01

The bar never counts past its total (a caller reporting more is clamped), is
redrawn at most every ``interval`` seconds, and its last line is printed once,
ending with a newline (when the work finishes, or at :meth:`ProgressBar.close` if it stops short).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

#: ``callback(done, total)``: ``done`` of ``total`` units finished so far.
ProgressCallback = Callable[[int, int], None]

WIDTH = 20


class ProgressBar:
    """A progress line on ``stream`` (default stderr), drawn only when it is a terminal.

    Call it as ``bar(done, total)`` as work finishes (it is a :data:`ProgressCallback`),
    then :meth:`close` (or use it as a context manager) to end the line.
    ``unit`` (e.g. ``"letters"``) adds a rate: ``12 letters/s``. Nothing is drawn before ``delay``
    seconds have passed, so quick work prints no bar at all.
    """

    def __init__(self, label: str, *, unit: str = "", stream: TextIO | None = None,
                 clock: Callable[[], float] = time.monotonic, interval: float = 0.2, delay: float = 0.5) -> None:
        self.label = label
        self.unit = unit
        self.stream = stream if stream is not None else sys.stderr
        self.clock = clock
        self.interval = interval
        self.delay = delay
        self.start = clock()
        self.enabled = _is_terminal(self.stream)
        self.done = 0
        self.total = 0
        self._drawn_at: float | None = None
        self._closed = False
        self._width = 0

    def __call__(self, done: int, total: int) -> None:
        if self._closed:
            return
        self.total = max(total, 0)
        self.done = min(max(done, 0), self.total)
        now = self.clock()
        quick = self._drawn_at is None and now - self.start < self.delay
        if self.done >= self.total:  # finished: the last line, once (none for work too quick to show)
            self._closed = True
            if self.total and not quick:
                self._draw(now, final=True)
        elif not quick and (self._drawn_at is None or now - self._drawn_at >= self.interval):
            self._draw(now, final=False)

    def close(self) -> None:
        """End the line where it stopped (work cut short), with a newline; nothing if the bar finished
        or was never drawn."""
        if self._closed:
            return
        self._closed = True
        if self._drawn_at is not None:
            self._draw(self.clock(), final=True)

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def line(self, now: float) -> str:
        """The progress line for the current state at time ``now``."""
        total = self.total
        filled = WIDTH * self.done // total if total else WIDTH
        digits = len(str(total))
        text = f"{self.label} [{'#' * filled}{'-' * (WIDTH - filled)}] {self.done:>{digits}}/{total}"
        elapsed = now - self.start
        if self.unit:
            rate = self.done / elapsed if elapsed > 0 else 0.0
            text += f"  {rate:,.0f} {self.unit}/s"
        if self.done < total:
            left = (total - self.done) * elapsed / self.done if self.done and elapsed > 0 else None
            text += "  ETA --:--" if left is None else f"  ETA {int(left) // 60:02d}:{int(left) % 60:02d}"
        else:
            text += f"  in {int(elapsed) // 60:02d}:{int(elapsed) % 60:02d}"
        return text

    def _draw(self, now: float, *, final: bool) -> None:
        if not self.enabled:
            return
        text = self.line(now)
        padded = text.ljust(self._width)  # covers a longer line drawn before
        self._width = len(text)
        self.stream.write("\r" + padded + ("\n" if final else ""))
        self.stream.flush()
        self._drawn_at = now


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # closed or not a real stream
        return False
