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

With ``kept`` (a folder of the user's cache that breachdocs owns), that folder is the
build's own instead, kept between builds: :func:`build_filings` then skips every
incident whose inputs, approval and files are those of the last build there, and
:meth:`~FilingsJob.wait` hard-links the manifest's files into the caller's folder
(copies them across file systems) rather than writing them again. One build at a
time uses it (a lock); another builds into a temporary folder as before, and so does
a build whose ``kept`` is a link. The files built there are removed when the machine
has restarted since they were written (they are not flushed to disk one by one), and
the folder when a build fails.
"""

from __future__ import annotations

import contextlib
import fcntl
import multiprocessing
import os
import shutil
import signal
import tempfile
import traceback
from collections.abc import Callable
from multiprocessing import util
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from ..filings.bundle import FilingsResult, build_filings
from ..filings.documents import FilingRenderer
from ..filings.manifest import MANIFEST, files_of
from ..filings.signing import SigningKey
from ..findings import FindingsError
from ..project import Project
from ..records import Incident
from ..workers import end_with_parent

if TYPE_CHECKING:
    from multiprocessing.process import BaseProcess


def _run(project: Project, incidents: list[Incident], work: Path, jobs: int, renderer: FilingRenderer | None,
         signing: SigningKey | None, send: Connection, receive: Connection, parent: int,
         progress: Callable[[int, int], None] | None = None) -> None:
    """In the background process: build, then send ("ok", result), ("findings", [...]) or ("error", text).

    The process ends, removing its scratch folder, when the build that started it ends (killed or
    interrupted): it never waits forever on a parent that is gone."""
    receive.close()  # only the parent reads: a parent gone is a broken pipe here, not a full one

    me = os.getpid()

    def parent_gone(signum: int, frame: object) -> None:
        if os.getpid() == me:  # not in a worker forked from here, which inherits the handler
            shutil.rmtree(work, ignore_errors=True)
        os._exit(128 + signum)

    signal.signal(signal.SIGTERM, parent_gone)
    end_with_parent(parent, signal.SIGTERM)
    try:
        message: tuple[str, Any] = ("ok", build_filings(project, incidents, work, jobs=jobs, renderer=renderer,
                                                         durable=False, signing=signing, progress=progress))
    except FindingsError as error:
        message = ("findings", error.findings)
    except BaseException:  # noqa: BLE001 - reported to the parent, which raises it there
        message = ("error", traceback.format_exc())
    try:
        send.send(message)
        send.close()
    except OSError:  # the parent is gone: nobody collects the result
        shutil.rmtree(work, ignore_errors=True)


#: How long a stopped background process has to end (removing its scratch folder) before it is killed.
STOP_SECONDS = 5


class FilingsJob:
    """The filings of ``incidents``, being built (``jobs`` >= 2: in a background process)."""

    def __init__(self, project: Project, incidents: list[Incident], *, jobs: int = 1,
                 renderer: FilingRenderer | None = None, signing: SigningKey | None = None,
                 progress: Callable[[int, int], None] | None = None, kept: Path | None = None) -> None:
        self.project = project
        self.signing = signing
        self.progress = progress
        self.incidents = incidents
        self.renderer = renderer
        self.jobs = max(1, jobs)
        self._lock = _take(kept) if kept is not None else None
        #: True when ``work`` is the folder kept between builds (else a temporary one, removed after).
        self.kept = self._lock is not None
        self.work = kept if kept is not None and self.kept else Path(tempfile.mkdtemp(prefix="breachdocs-filings-"))
        #: What the end of the job removes: the folder, unless a build into the kept folder succeeded.
        self._scratch = [self.work]
        self.process: BaseProcess | None = None
        self.receive: Connection | None = None
        if self.jobs >= 2 and incidents:
            method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
            context: Any = multiprocessing.get_context(method)
            self.receive, send = context.Pipe(duplex=False)
            # This process keeps one core for the caller; the rest render in the background process's pool.
            self.process = context.Process(target=_run, name="breachdocs-filings",
                                           args=(project, incidents, self.work, self.jobs - 1, renderer, signing, send,
                                                 self.receive, os.getpid(), progress))
            self.process.start()
            send.close()
        # A caller that never waits (an abandoned build, a tool that stops after the pages) still leaves
        # nothing behind: at exit, before multiprocessing joins its children, the process is stopped.
        self._at_exit = util.Finalize(self, _stop, args=(self.process, self._scratch, self._lock), exitpriority=10)

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
                                       durable=False, signing=self.signing,  # a scratch folder, copied after
                                       progress=self.progress)
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
            made = self.work / "filings"
            if self.kept:
                _link(self.work, sorted(files_of(result.manifest.get("filings", [])) | {MANIFEST}), target)
                self._scratch.clear()  # kept for the next build
            elif made.is_dir() and not _moved(made, target):
                try:
                    shutil.copytree(made, target, dirs_exist_ok=True)
                except OSError:  # a full disk: no half bundle in the site (the folder is this build's own)
                    shutil.rmtree(target, ignore_errors=True)
                    raise
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


def _moved(folder: Path, target: Path) -> bool:
    """Whether ``folder`` became ``target`` by a rename: when ``target`` does not exist yet and both are on one
    file system (no file is copied, and none is left to remove)."""
    if target.exists() or target.is_symlink():
        return False
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        os.rename(folder, target)
    except OSError:  # another file system, or the target appeared meanwhile: copied instead
        return False
    return True


#: Where the kept folder notes the machine's boot it was written in.
BOOT_NOTE = ".boot"


def _boot_id() -> str:
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text(encoding="ascii").strip()
    except OSError:
        return ""


def _take(kept: Path) -> int | None:
    """A lock on ``kept`` (made if missing; its files removed if written before the machine last started); None
    when another build holds it, it is a link or it cannot be made."""
    if kept.is_symlink():  # only a folder of its own: never one a link leads to
        return None
    try:
        kept.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(kept / ".lock", os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    boot, note = _boot_id(), kept / BOOT_NOTE
    try:
        noted = note.read_text(encoding="ascii")
    except OSError:
        noted = None
    if not boot or noted != boot:  # files not flushed before a restart may be torn: start afresh
        made = kept / "filings"  # all that build_filings writes there
        try:
            if made.is_symlink():
                made.unlink()
            elif made.is_dir():
                shutil.rmtree(made)
            note.unlink(missing_ok=True)
            note.write_text(boot, encoding="ascii")
        except OSError:
            os.close(fd)
            return None
    return fd


def _link(work: Path, files: list[str], target: Path) -> None:
    """``files`` (paths under ``work``, each ``filings/...``) hard-linked into ``target`` (copied when a link
    cannot be made: another file system). A failure removes ``target`` (the build's own folder)."""
    copy = False
    try:
        for name in files:
            source, into = work / name, target / name.removeprefix("filings/")
            into.parent.mkdir(parents=True, exist_ok=True)
            if into.exists() or into.is_symlink():
                into.unlink()
            if not copy:
                try:
                    os.link(source, into)
                    continue
                except OSError:
                    copy = True
            shutil.copy2(source, into)
    except OSError:
        shutil.rmtree(target, ignore_errors=True)
        raise


def _stop(process: BaseProcess | None, scratch: list[Path], lock: int | None) -> None:
    if process is not None:
        if process.is_alive():
            process.terminate()
            process.join(STOP_SECONDS)
            if process.is_alive():  # a SIGTERM that reached the process while it was being forked is lost
                process.kill()
        process.join()
    for work in scratch:
        shutil.rmtree(work, ignore_errors=True)
    if lock is not None:
        with contextlib.suppress(OSError):
            os.close(lock)


def start(project: Project, incidents: list[Incident], *, jobs: int = 1,
          renderer: FilingRenderer | None = None, signing: SigningKey | None = None,
          progress: Callable[[int, int], None] | None = None, kept: Path | None = None) -> FilingsJob:
    """Begin the filings of ``incidents``: in the background when ``jobs`` >= 2 (``signing``: see build_filings).
    ``progress(done, total)`` is told as incidents' filings are written (in the background process when there
    is one). ``kept``: a folder kept between builds (see the module's text)."""
    return FilingsJob(project, incidents, jobs=jobs, renderer=renderer, signing=signing, progress=progress,
                      kept=kept)
