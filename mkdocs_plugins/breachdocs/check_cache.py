"""What the project check found for each incident, kept by the hash of everything it depends on.

The check of one incident (its schema and semantic checks, the obligations judged, the law's, the
submissions', the forms' and the letters' findings) depends on: the text of the incident file and
of its organisation profile, the file ``notice.notice_text`` names, every rule and submission file
(the project's own and breachdocs' packaged ones), every template and form, our code and the
libraries that shape messages, the day dates are checked against and the day duties are judged on.
:func:`shared_key` and :meth:`CheckCache.key` hash all of it, so a change to any one makes the entry
of every incident it touches a different one: a build re-checks only what changed.

Checks across incidents (two incidents with one id, the binding filing record read from Git) are not
kept: they run on every check.

Entries live only in the user's cache folder (``$XDG_CACHE_HOME/breachdocs/<project>/checks``), never
in the project, where a clone or a pull request could bring one. Each is written atomically and read
only when it names its own key, carries the SHA-256 of its content and parses into findings and
obligations; anything else is ignored and checked again. Entries sharing their inputs but the incident's
own (the same rule base, templates, code and days) are kept in one folder, used or not: a folder unused
for :data:`KEEP_HOURS` (a day passed, a rule file changed) is removed, so the cache does not grow day by
day.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import shutil
import stat
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from . import __version__
from .files import FileProblem, read_file
from .findings import Finding
from .hashing import code_token, sha256_bytes, user_cache_dir
from .law import Obligation
from .law.rules import rule_base_dirs
from .project import Project
from .records import Incident
from .resources import layers
from .writer import write_atomic

#: The form of an entry; a different one is ignored.
FORMAT = "breachdocs-check/2"
#: Hours a folder of entries is kept after it was last used.
KEEP_HOURS = 36
#: The names of those folders: the first characters of the shared key.
_SET = re.compile(r"[0-9a-f]{20}")
#: Libraries whose version may change a finding's words or an obligation.
LIBRARIES = ("pyyaml", "jsonschema", "jinja2", "pypdf", "reportlab", "markupsafe")


@dataclass(frozen=True)
class CheckedIncident:
    """The check of one incident, as :func:`~breachdocs.project_check.check_project` assembles it."""

    #: Findings of the schema and semantic checks.
    load: tuple[Finding, ...]
    #: False when one of those is an error: the incident is not checked further.
    valid: bool
    obligations: tuple[Obligation, ...] = ()
    #: The law's and the submissions' findings.
    law: tuple[Finding, ...] = ()
    forms: tuple[Finding, ...] = ()
    letters: tuple[Finding, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"load": _findings_json(self.load), "valid": self.valid,
                "obligations": [o.to_dict() for o in self.obligations], "law": _findings_json(self.law),
                "forms": _findings_json(self.forms), "letters": _findings_json(self.letters)}

    @classmethod
    def from_json(cls, incident: str, data: dict[str, Any]) -> CheckedIncident:
        """Raises ``KeyError``, ``TypeError`` or ``ValueError`` when ``data`` is not what :meth:`to_json` wrote."""
        if not isinstance(data["valid"], bool):
            raise TypeError("valid is not true or false")
        return cls(_findings(data["load"]), data["valid"],
                   tuple(Obligation.from_dict(incident, o) for o in data["obligations"]),
                   _findings(data["law"]), _findings(data["forms"]), _findings(data["letters"]))


def _findings_json(found: tuple[Finding, ...]) -> list[list[Any]]:
    return [[f.path, f.line, f.column, f.field, f.message, f.severity] for f in found]


def _findings(rows: Any) -> tuple[Finding, ...]:
    out = []
    for path, line, column, field, message, severity in rows:
        if not (isinstance(path, str) and isinstance(field, str) and isinstance(message, str)
                and type(line) is int and type(column) is int and severity in ("error", "warning")):
            raise TypeError("not a finding")
        out.append(Finding(path, line, column, field, message, severity))
    return tuple(out)


def shared_key(project: Project, *, today: str, as_of: str) -> str:
    """The hash of what every incident's check shares: rule and submission files, templates and forms (each
    folder they are read from, the project's own and the packaged one), our code, the libraries, and the days
    (``today``: no date may be later; ``as_of``: the day duties are judged on)."""
    parts = {
        "format": FORMAT,
        "breachdocs": __version__,
        "code": code_token("."),
        "python": sys.version,
        "libraries": _versions(),
        "today": today,
        "as_of": as_of,
        "root": str(project.root.resolve()),
        "rules": folder_digests(project, rule_base_dirs(project)),
        "templates": folder_digests(project, layers(project.templates_dir, "templates")),
    }
    return sha256_bytes(json.dumps(parts, sort_keys=True).encode())


def folder_digests(project: Project, folders: Iterable[Path]) -> list[list[str]]:
    """Each folder (the project's own or breachdocs' packaged) with its :func:`folder_digest`."""
    return [[str(d.resolve()), folder_digest(d, _within(project, d))] for d in folders]


@functools.cache
def _versions() -> dict[str, str]:
    out = {}
    for name in LIBRARIES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "-"
    return out


def _within(project: Project, folder: Path) -> Path:
    """Where a link in ``folder`` may lead for its target to be read: the project for the project's own
    folders, the folder itself for breachdocs' packaged ones."""
    own = folder.absolute().is_relative_to(project.root.absolute())  # where it stands, not where a link leads
    return project.root.resolve() if own else folder.resolve()


def folder_digest(folder: Path, within: Path) -> str:
    """SHA-256 over the name, kind and content of every entry under ``folder``: a link's target and, when that is
    a regular file inside ``within``, its bytes (what a check would read through it; a link leading elsewhere is
    refused by the check, and its target is never read here); a regular file's bytes; of anything else (a FIFO,
    a device) only its kind, never its content."""
    lines = []
    for entry in sorted(folder.rglob("*")) if folder.is_dir() else []:
        name = entry.relative_to(folder).as_posix()
        try:
            inside = entry.resolve().is_relative_to(within)
        except (OSError, RuntimeError):  # a loop of links
            inside = False
        if entry.is_symlink():
            lines.append(f"{name} -> {os.readlink(entry)} {_bytes_digest(entry) if inside else 'outside'}")
        elif not inside:  # under a linked folder that leads out: never read
            lines.append(f"{name} outside")
        elif entry.is_file():
            lines.append(f"{name} {_bytes_digest(entry)}")
        elif not entry.is_dir():
            lines.append(f"{name} (not a regular file)")
    return sha256_bytes("\n".join(lines).encode())


def _bytes_digest(file: Path) -> str:
    """The SHA-256 of a regular file's bytes (following a link), else ``-``."""
    try:
        if not file.is_file():
            return "-"
        digest = hashlib.sha256()
        with file.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        return digest.hexdigest()
    except OSError:
        return "-"


class KeptEntries:
    """Entries (JSON bodies) by key in the user's cache folder: ``<folder>/<first 20 of the shared key>/<key>.json``,
    each naming its form (:attr:`FORMAT`) and key and carrying the SHA-256 of its body. ``folder`` None keeps
    nothing. The entries of one shared key are a folder; the other folders are removed when unused for
    :data:`KEEP_HOURS`."""

    #: The form of an entry; a different one is ignored.
    FORMAT = FORMAT

    def __init__(self, folder: Path | None, shared: str) -> None:
        self.folder = folder
        self.shared = shared
        self.entries = folder / shared[:20] if folder is not None else None

    @functools.cached_property
    def _unlinked(self) -> bool:
        """Whether the folder of entries is where its path says, no link on the way (the cache folder's path comes
        with its links resolved, :func:`~breachdocs.hashing.user_cache_dir`): a link there is not the user's, and
        the cache then neither reads, writes nor removes through it."""
        if self.entries is None:
            return False
        try:
            return self.entries.resolve() == self.entries.absolute()
        except (OSError, RuntimeError):  # a loop of links
            return False

    def prune(self, *, now: float | None = None) -> None:
        """Mark this cache's folder of entries used, and remove the other folders of entries (only those: named
        by a shared key) unused for :data:`KEEP_HOURS`."""
        if self.folder is None or self.entries is None or not self._unlinked or not self.folder.is_dir():
            return
        moment = time.time() if now is None else now
        try:
            if self.entries.is_dir():
                os.utime(self.entries, (moment, moment))
            for other in self.folder.iterdir():
                if (other != self.entries and _SET.fullmatch(other.name) and not other.is_symlink() and other.is_dir()
                        and other.stat().st_mtime < moment - KEEP_HOURS * 3600):
                    shutil.rmtree(other, ignore_errors=True)
        except OSError:  # a cache that cannot be tidied is still a cache
            pass

    def body(self, key: str) -> Any:
        """The body of the entry of ``key``, or None when there is none or it cannot be trusted: torn, corrupt,
        of another key or another form."""
        if self.entries is None or not self._unlinked:
            return None
        try:
            head, _, text = _read_entry(self.entries / f"{key}.json").partition(b"\n")
            entry = json.loads(head)
            if not isinstance(entry, dict) or entry.get("format") != self.FORMAT or entry.get("key") != key:
                return None
            if entry.get("sha256") != sha256_bytes(text):
                return None
            return json.loads(text)
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None

    def keep(self, key: str, body: Any) -> None:
        """Keep ``body`` (plain JSON values) as the entry of ``key``: written atomically, owner-only."""
        if self.entries is None or not self._unlinked:
            return
        try:  # a cache that cannot be written only means making it again next time
            write_atomic(self.entries / f"{key}.json", entry_bytes(self.FORMAT, key, body),
                         mode=0o600, fsync=False)  # checked against its SHA-256 when read
        except OSError:
            pass


def _read_entry(path: Path) -> bytes:
    """The bytes of the entry at ``path``: a regular file, not a link (``OSError`` otherwise; never waits on a pipe)."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise OSError(f"{path} is not a regular file")
        return handle.read()


def entry_bytes(form: str, key: str, body: Any) -> bytes:
    """An entry as kept: a line naming its form, its key and the SHA-256 of its body, then the body (JSON, one
    line: the digest is of these very bytes, so reading it back needs no second encoding)."""
    text = json.dumps(body, ensure_ascii=False).encode()
    head = json.dumps({"format": form, "key": key, "sha256": sha256_bytes(text)}).encode()
    return head + b"\n" + text


class CheckCache(KeptEntries):
    """Checked incidents by key (in the project's ``checks`` folder of the user's cache folder)."""

    @classmethod
    def of(cls, project: Project, *, today: str, as_of: str) -> CheckCache:
        """The cache of ``project`` in the user's cache folder; its folders unused for :data:`KEEP_HOURS` are
        removed."""
        cache = cls(user_cache_dir(project.root) / "checks", shared_key(project, today=today, as_of=as_of))
        cache.prune()
        return cache

    def key(self, incident: Incident, root: Path) -> str:
        """The hash of everything the check of ``incident`` (as :func:`~breachdocs.records.read_incident` read it,
        not yet checked) depends on: the shared inputs, the text of its file and of its profile as read, where
        they are, and the file ``notice.notice_text`` names."""
        profile = incident.profile
        parts = [self.shared, incident.path, incident.loaded.text,
                 profile.path if profile else "", profile.text if profile else "", _named_file(incident, root)]
        return sha256_bytes(json.dumps(parts).encode())

    def get(self, key: str, incident: str) -> CheckedIncident | None:
        """The entry of ``key`` (the incident with id ``incident``), or None when there is none or it cannot be
        trusted: torn, corrupt, of another key or another format."""
        body = self.body(key)
        if body is None:
            return None
        try:
            return CheckedIncident.from_json(incident, body)
        except (ValueError, KeyError, TypeError, AttributeError):
            return None

    def put(self, key: str, checked: CheckedIncident) -> None:
        self.keep(key, checked.to_json())


def _named_file(incident: Incident, root: Path) -> str:
    """The SHA-256 of the text file ``notice.notice_text`` names (beside the incident), as the check reads it;
    ``-`` when it names none or it cannot be read (the check says why)."""
    notice = incident.data.get("notice")
    name = notice.get("notice_text") if isinstance(notice, dict) else None  # another shape: the check says so
    if not name:
        return ""
    try:
        return f"{name} {sha256_bytes(read_file(root / Path(incident.path).parent / str(name), root=root))}"
    except FileProblem as problem:
        return f"{name} - {problem.message}"
