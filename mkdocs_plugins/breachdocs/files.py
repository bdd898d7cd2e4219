"""Reading the files of a project, safely: the one way every reader opens a file.

:func:`open_file` opens a file only when it is, after resolving every link, inside
the project folder, and a regular file (not a folder, FIFO, device or socket), and
its size is within a limit. Anything else raises :class:`FileProblem`, an
:class:`OSError` whose message says what is wrong and what to do instead, and whose
:meth:`FileProblem.finding` locates it for the CLI, the build and pytest: never a
traceback, a hang on a FIFO, or memory exhausted by a device.

:func:`read_file` and :func:`read_text` read a whole file through it;
:class:`TemplateLoader` serves Jinja templates through it (no template can include a
file outside the project through a link).
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO

import jinja2

from .findings import Finding
from .resources import is_packaged

#: Size limit of a file read whole (incidents, rules, templates, notices): 1 MB.
MAX_BYTES = 1_000_000
#: Size limit of a form's PDF.
MAX_PDF_BYTES = 20_000_000

_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) \
    | getattr(os, "O_CLOEXEC", 0)


class FileProblem(OSError):
    """A file breachdocs will not read; ``message`` says what is wrong and what to do instead."""

    def __init__(self, path: Path, message: str, *, line: int = 0, column: int = 0):
        super().__init__(errno.EPERM, message, str(path))
        self.path = path
        self.message = message
        self.line = line
        self.column = column

    def __str__(self) -> str:
        return self.message

    def finding(self, display: str, field: str = "") -> Finding:
        """The problem located at the file itself (``display`` is its path as printed)."""
        return Finding(display, self.line, self.column, field, self.message)


@lru_cache(maxsize=256)
def _root_of(folder: Path) -> Path:
    """The nearest folder at or above ``folder`` (as written, links not followed) holding ``incidents/``."""
    for candidate in (folder, *folder.parents):
        if (candidate / "incidents").is_dir():
            return candidate.resolve()
    return folder.resolve()


def project_root(path: Path, root: Path | None = None) -> Path:
    """``root`` resolved, or the project that holds ``path`` (the nearest folder above it with ``incidents/``)."""
    return root.resolve() if root is not None else _root_of(path.absolute().parent)


def _kind(mode: int) -> str | None:
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "it is a folder, not a file; remove the folder or give the name of a file"
    if stat.S_ISFIFO(mode):
        what = "a FIFO (named pipe)"
    elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        what = "a device"
    elif stat.S_ISSOCK(mode):
        what = "a socket"
    else:
        what = "not a regular file"
    return f"it is {what}, not a regular file; replace it with a plain text file"


def check_file(path: Path, *, root: Path | None = None, inside: bool = True) -> tuple[Path, os.stat_result]:
    """Where ``path`` leads (links resolved) and its status, when it is a regular file inside the project
    ``root`` (or anywhere, with ``inside=False``); else :class:`FileProblem`. Nothing is opened."""
    try:
        real = path.resolve(strict=True)
    except FileNotFoundError:
        raise FileProblem(path, "the file does not exist; check the name and where it is") from None
    except (OSError, RuntimeError):  # a loop of links
        raise FileProblem(path, "the file is a link that leads nowhere (a loop of links); "
                                "replace it with the file itself") from None
    if inside:
        base = project_root(path, root)
        if not real.is_relative_to(base) and not is_packaged(real):  # breachdocs' own rule base and templates
            raise FileProblem(path, "the file is outside the project (through a link or '..'); breachdocs reads only "
                                    "files inside the project: copy the file into the project and name it there")
    try:
        before = os.stat(real)
    except OSError as exc:
        raise FileProblem(path, f"cannot read the file: {exc.strerror}") from None
    problem = _kind(before.st_mode)
    if problem:
        raise FileProblem(path, problem)
    return real, before


def open_file(path: Path, *, root: Path | None = None, limit: int | None = MAX_BYTES,
              inside: bool = True) -> BinaryIO:
    """``path`` opened for reading, once it is known to be a regular file inside the project
    (``root``, default the project holding ``path``) after resolving links, and at most ``limit``
    bytes. With ``inside=False`` the file may be anywhere (a user's own input that is never
    published, such as a recipient list), but must still be a regular file.

    Raises :class:`FileProblem` for anything else.
    """
    real, before = check_file(path, root=root, inside=inside)
    try:
        fd = os.open(real, _FLAGS)
    except OSError as exc:
        raise FileProblem(path, f"cannot read the file: {exc.strerror}") from None
    try:
        after = os.fstat(fd)
        problem = _kind(after.st_mode) or ("the file changed while it was being opened; run the command again"
                                           if (after.st_dev, after.st_ino) != (before.st_dev, before.st_ino) else None)
        if problem:
            raise FileProblem(path, problem)
        if limit is not None and after.st_size > limit:
            raise FileProblem(path, f"the file is {after.st_size:,} bytes, over the limit of {limit:,}; "
                                    "split it or shorten it")
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_file(path: Path, *, root: Path | None = None, limit: int = MAX_BYTES, inside: bool = True) -> bytes:
    """The bytes of ``path``, read through :func:`open_file` (at most ``limit`` of them)."""
    with open_file(path, root=root, limit=limit, inside=inside) as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:  # grew since it was opened
        raise FileProblem(path, f"the file is over the limit of {limit:,} bytes; split it or shorten it")
    return data


def decode(data: bytes, path: Path) -> str:
    """UTF-8 text (a byte-order mark is dropped); a :class:`FileProblem` at the first bad byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise FileProblem(path, f"byte 0x{data[exc.start]:02x} is not UTF-8; save the file as UTF-8",
                          line=line, column=column) from None


def read_text(path: Path, *, root: Path | None = None, limit: int = MAX_BYTES) -> str:
    """The UTF-8 text of ``path``, read through :func:`open_file`."""
    return decode(read_file(path, root=root, limit=limit), path)


def folder_findings(folder: Path, *, root: Path) -> list[Finding]:
    """Every entry under ``folder`` that another program (MkDocs, its theme) would read and that breachdocs
    would not: a link leading outside the project ``root``, anything but a regular file or a folder.
    Links to folders inside the project are followed, once each."""
    base = root.resolve()
    findings: list[Finding] = []
    seen: set[Path] = set()
    pending = [folder]
    while pending:
        current = pending.pop()
        real = current.resolve()
        if real in seen:
            continue
        seen.add(real)
        if not real.is_relative_to(base):
            findings.append(FileProblem(current, "the folder is outside the project (through a link); copy it "
                                                 "into the project instead of linking to it").finding(_shown(current, base)))
            continue
        try:
            entries = sorted(current.iterdir())
        except OSError as exc:
            findings.append(Finding(_shown(current, base), 0, 0, "", f"cannot read the folder: {exc.strerror}"))
            continue
        for entry in entries:
            if entry.is_dir():
                pending.append(entry)
                continue
            try:
                check_file(entry, root=base)
            except FileProblem as problem:
                findings.append(problem.finding(_shown(entry, base)))
    return sorted(findings)


def _shown(path: Path, base: Path) -> str:
    """``path`` relative to ``base`` as written (the link itself, not where it leads)."""
    try:
        return path.absolute().relative_to(base).as_posix()
    except ValueError:
        return str(path)


class UnreadableTemplate(jinja2.TemplateNotFound):
    """A template that exists but may not be read (outside the project, not a regular file, too big)."""

    def __init__(self, name: str, problem: FileProblem):
        super().__init__(name, f"the template {name} cannot be used: {problem.message}")
        self.problem = problem


class TemplateLoader(jinja2.BaseLoader):
    """Jinja templates of one folder, or of layered folders (the project's own first, then breachdocs'
    packaged ones), each read through :func:`read_text` (inside the project or packaged, regular,
    size-limited). Names with ``..`` or a leading ``/`` are not found, as with Jinja's own loader."""

    def __init__(self, folder: Path | list[Path], *, root: Path | None = None):
        self.folders = [folder] if isinstance(folder, Path) else list(folder)
        self.root = project_root(self.folders[0] / "x", root) if self.folders else (root or Path.cwd()).resolve()

    def get_source(self, environment: jinja2.Environment,
                   template: str) -> tuple[str, str | None, Callable[[], bool] | None]:
        parts = jinja2.loaders.split_template_path(template)
        for folder in self.folders:
            path = folder.joinpath(*parts)
            if not path.exists() and not path.is_symlink():
                continue
            try:
                text = read_text(path, root=self.root)
            except FileProblem as problem:
                raise UnreadableTemplate(template, problem) from None
            return text, str(path), _unchanged(path)
        raise jinja2.TemplateNotFound(template)

    def list_templates(self) -> list[str]:
        return sorted({p.relative_to(folder).as_posix() for folder in self.folders if folder.is_dir()
                       for p in folder.rglob("*") if p.is_file()})


def _unchanged(path: Path) -> Callable[[], bool]:
    """Whether ``path`` is as it was now (Jinja's "is the template up to date")."""
    stamp = file_stamp(path)
    return lambda: file_stamp(path) == stamp


def file_stamp(path: Path) -> tuple[int, int]:
    """(modification time, size) of ``path``, (0, 0) when it cannot be read: a key that changes with the file."""
    try:
        st = path.stat()
    except OSError:
        return (0, 0)
    return (st.st_mtime_ns, st.st_size)
