"""The filings bundle built while something else runs: :func:`build_filings` in another process.

A site build spends most of its time in MkDocs (Markdown, search index) on one
core; the filing PDFs need nothing MkDocs makes. :func:`start` begins them in a
separate process as soon as the incidents are checked, and
:meth:`FilingsJob.wait` collects them after the pages: on a machine with a free
core the filings cost no waiting. With ``jobs=1`` nothing runs in the
background: :meth:`~FilingsJob.wait` builds the filings there and then. The
files are the same either way (``build_filings`` decides every byte; the
process only changes when it runs).

The process writes into a temporary folder of its own; nothing reaches the
caller's folder until :meth:`~FilingsJob.wait` has the whole result, and
:meth:`~FilingsJob.cancel` (a failed build) stops the process and removes the
folder.
"""

from __future__ import annotations

import multiprocessing
import shutil
import tempfile
import traceback
from multiprocessing import util
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from ..filings.bundle import FilingsResult, build_filings
from ..filings.documents import FilingRenderer
from ..filings.signing import SigningKey
from ..findings import FindingsError
from ..project import Project
from ..records import Incident

if TYPE_CHECKING:
    from multiprocessing.process import BaseProcess


def _run(project: Project, incidents: list[Incident], work: Path, jobs: int, renderer: FilingRenderer | None,
         signing: SigningKey | None, send: Connection) -> None:
    """In the background process: build, then send ("ok", result), ("findings", [...]) or ("error", text)."""
    try:
        message: tuple[str, Any] = ("ok", build_filings(project, incidents, work, jobs=jobs, renderer=renderer,
                                                         durable=False, signing=signing))
    except FindingsError as error:
        message = ("findings", error.findings)
    except BaseException:  # noqa: BLE001 - reported to the parent, which raises it there
        message = ("error", traceback.format_exc())
    send.send(message)
    send.close()


class FilingsJob:
    """The filings of ``incidents``, being built (``jobs`` >= 2: in a background process)."""

    def __init__(self, project: Project, incidents: list[Incident], *, jobs: int = 1,
                 renderer: FilingRenderer | None = None, signing: SigningKey | None = None) -> None:
        self.project = project
        self.signing = signing
        self.incidents = incidents
        self.renderer = renderer
        self.jobs = max(1, jobs)
        self.work = Path(tempfile.mkdtemp(prefix="breachdocs-filings-"))
        self.process: BaseProcess | None = None
        self.receive: Connection | None = None
        if self.jobs >= 2 and incidents:
            method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
            context: Any = multiprocessing.get_context(method)
            self.receive, send = context.Pipe(duplex=False)
            # This process keeps one core for the caller; the rest render in the background process's pool.
            self.process = context.Process(target=_run, name="breachdocs-filings",
                                           args=(project, incidents, self.work, self.jobs - 1, renderer, signing, send))
            self.process.start()
            send.close()
        # A caller that never waits (an abandoned build, a tool that stops after the pages) still leaves
        # nothing behind: at exit, before multiprocessing joins its children, the process is stopped.
        self._at_exit = util.Finalize(self, _stop, args=(self.process, self.work), exitpriority=10)

    @property
    def in_background(self) -> bool:
        return self.process is not None

    def wait(self, target: Path) -> FilingsResult:
        """Wait for the filings, copy them into ``target`` (the filings folder) and return the result.

        Raises :class:`FindingsError` when a filing cannot be made (nothing is copied then).
        """
        try:
            if self.process is None or self.receive is None:
                result = build_filings(self.project, self.incidents, self.work, jobs=self.jobs, renderer=self.renderer,
                                       durable=False, signing=self.signing)  # a scratch folder: copied into the site after
            else:
                try:
                    kind, value = self.receive.recv()
                except EOFError:
                    kind, value = "error", f"the filings process ended without a result (exit code {self._join()})"
                self._join()
                if kind == "findings":
                    raise FindingsError(value)
                if kind == "error":
                    raise RuntimeError(f"breachdocs: building the filings failed:\n{value}")
                result = cast(FilingsResult, value)
            if (self.work / "filings").is_dir():
                shutil.copytree(self.work / "filings", target, dirs_exist_ok=True)
            return result
        finally:
            self.cancel()

    def cancel(self) -> None:
        """Stop the background process (if still running) and remove the temporary folder."""
        self._at_exit()
        if self.receive is not None:
            self.receive.close()
            self.receive = None

    def _join(self) -> int | None:
        if self.process is None:
            return None
        self.process.join()
        return self.process.exitcode


def _stop(process: BaseProcess | None, work: Path) -> None:
    if process is not None:
        if process.is_alive():
            process.terminate()
        process.join()
    shutil.rmtree(work, ignore_errors=True)


def start(project: Project, incidents: list[Incident], *, jobs: int = 1,
          renderer: FilingRenderer | None = None, signing: SigningKey | None = None) -> FilingsJob:
    """Begin the filings of ``incidents``: in the background when ``jobs`` >= 2 (``signing``: see build_filings)."""
    return FilingsJob(project, incidents, jobs=jobs, renderer=renderer, signing=signing)
