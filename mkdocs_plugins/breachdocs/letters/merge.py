"""The mail merge: one PDF per recipient, a manifest, optionally one print-ready PDF.

Layout of the output folder (mode 0700; every file 0600)::

    OUT/letters/letter-0000002.pdf   one letter per CSV row, named by row number only
    OUT/manifest.csv                 row, file, sha256, state, input_sha256 (sharded: manifest-K-of-N.csv)
    OUT/letters.pdf                  with single_pdf: every letter in row order (letters-K-of-N.pdf)

``input_sha256`` fingerprints what a letter was made from (the row, the
incident, the templates, the jurisdiction files, the code): a re-run skips
rows whose input and output file are unchanged. Rows done are appended to a
journal as they finish, so an interrupted run resumes too. Recipient data
never appears in messages; problems name the row number and the column.
"""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import json
import multiprocessing
import os
import re
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pypdf import PdfWriter

from .. import __version__
from ..files import FileProblem, check_file, read_file, read_text
from ..findings import Finding, FindingsError
from ..hashing import code_token, sha256_file
from ..law.rules import jurisdiction_files, rule_base_dirs
from ..pdf.pdf_encoding import fast_tokens
from ..progress import ProgressCallback
from ..project import Project
from ..records import Incident, load_incident
from ..resources import layered_files
from ..workers import finish, pool_worker
from ..writer import write_atomic
from .content_check import content_findings
from .context import PLACEHOLDER, Recipient
from .pdf import UnprintableText
from .recipients import read_rows
from .render import LetterRenderer

MANIFEST_COLUMNS = ("row", "file", "sha256", "state", "input_sha256")
LETTERS_DIR = "letters"


@dataclass(frozen=True)
class Shard:
    """Shard ``k`` of ``n`` (1-based): the data rows whose index modulo ``n`` is ``k - 1``."""

    k: int = 1
    n: int = 1

    @classmethod
    def parse(cls, text: str) -> Shard:
        k, sep, n = text.partition("/")
        if not (sep and k.isdigit() and n.isdigit() and 1 <= int(k) <= int(n)):
            raise ValueError(f"'{text}' is not a shard: write K/N with 1 <= K <= N, e.g. 2/8")
        return cls(int(k), int(n))

    def holds(self, index: int) -> bool:
        return index % self.n == self.k - 1

    @property
    def suffix(self) -> str:
        return "" if self.n == 1 else f"-{self.k}-of-{self.n}"


@dataclass
class MergeResult:
    rows: int = 0
    written: int = 0
    unchanged: int = 0
    #: The problems of the rows that failed (a row may have several).
    failed: list[Finding] = field(default_factory=list)
    #: Rows that failed (each counted once, however many problems it has).
    failed_rows: int = 0
    manifest: Path | None = None
    single_pdf: Path | None = None

    @property
    def ok(self) -> bool:
        return not self.failed



def published_folders(project: Project) -> list[Path]:
    """Folders a site or its filings are built from or into: whatever lands there may be published."""
    folders = [project.site_dir, project.root / "site_src", project.templates_dir, project.incidents_dir,
               project.jurisdictions_dir]
    config = project.root / "mkdocs.yml"
    try:
        text = read_text(config, root=project.root) if config.is_file() else ""
    except FileProblem:
        text = ""
    for key in ("docs_dir", "site_dir", "custom_dir"):
        for found in re.finditer(rf"^\s*{key}:\s*['\"]?([^'\"#\n]+?)['\"]?\s*(#.*)?$", text, re.M):
            folders.append(project.root / found.group(1))
    return [f.resolve() for f in folders]


def path_findings(project: Project, recipients: Path, out: Path, *, allow_inside_repo: bool = False) -> list[Finding]:
    """Refuse a recipient list or output folder inside the repository (personal data must stay out of it;
    with ``allow_inside_repo``, a test list may be there, but never in a folder a site is built from),
    an output folder that is a link, and a recipient list that is not a regular file."""
    root = project.root.resolve()
    problems: list[Finding] = []
    if not recipients.exists():
        problems.append(Finding(str(recipients), 0, 0, "", "no such recipients file"))
    else:
        try:
            check_file(recipients, inside=False)
        except FileProblem as problem:  # a folder, a FIFO, a device: never read
            problems.append(problem.finding(str(recipients)))
    for folder in (out, out / LETTERS_DIR):
        if folder.is_symlink():
            problems.append(Finding(str(folder), 0, 0, "", "the output folder is a link; breachdocs does not "
                                    "write through links: name the folder itself"))
    if out.exists() and not out.is_dir():
        problems.append(Finding(str(out), 0, 0, "", "the output folder is a file; name a folder"))
    published = published_folders(project)
    checks = ((recipients, "the recipients file"), (out, "the output folder"))
    for path, what in checks:
        full = path.resolve()
        inside = next((f for f in published if full == f or full.is_relative_to(f)), None)
        if inside is not None:
            shown = inside.relative_to(root).as_posix() if inside.is_relative_to(root) else str(inside)
            problems.append(Finding(str(path), 0, 0, "", f"{what} is inside {shown}/, which a site build reads or "
                                    "publishes; keep letters and recipient lists outside the project"))
        elif full.is_relative_to(root) and not allow_inside_repo:
            problems.append(Finding(str(path), 0, 0, "", f"{what} is inside the repository {root}, and it holds "
                                    "personal data; move it outside (or pass --allow-inside-repo for a test list)"))
    return problems


def _fingerprint(project: Project, incident: Incident) -> str:
    """What every letter of this incident is made from, besides the row."""
    digest = hashlib.sha256()
    digest.update(f"breachdocs {__version__} {code_token('letters')}\n".encode())
    digest.update(json.dumps(incident.data, sort_keys=True, ensure_ascii=False).encode())
    sources = [*layered_files(project.templates_dir, "templates", "letters").values(),
               *(file for folder in rule_base_dirs(project) for file in jurisdiction_files(folder))]
    for source in sources:
        if source.is_file() or source.is_symlink():
            try:
                data = read_file(source, root=project.root)
            except FileProblem as problem:  # the check reports it; the letters cannot use it either
                data = problem.message.encode()
            digest.update(source.name.encode() + b"\0" + data + b"\0")
    return digest.hexdigest()


def _input_hash(fingerprint: str, recipient: Recipient) -> str:
    fields = (recipient.name, recipient.address1, recipient.address2, recipient.city, recipient.state, recipient.zip)
    return hashlib.sha256((fingerprint + "\x1f" + "\x1f".join(fields)).encode()).hexdigest()


def _letter_file(row: int) -> str:
    return f"{LETTERS_DIR}/letter-{row:07d}.pdf"


def _read_manifest(path: Path) -> dict[int, tuple[str, str]]:
    """Row -> (sha256, input_sha256) of a manifest or journal, if there is one."""
    entries: dict[int, tuple[str, str]] = {}
    if not path.is_file() or path.is_symlink():  # a link planted in the output folder is not read
        return entries
    with path.open(newline="", encoding="utf-8") as handle:
        for line in csv.DictReader(handle):
            if line.get("row", "").isdigit() and line.get("sha256") and line.get("input_sha256"):
                entries[int(line["row"])] = (line["sha256"], line["input_sha256"])
    return entries


# -- the work of one row, in this process or a worker --------------------------------------------

_worker: dict[str, Any] = {}


def _init_worker(root: str, incident_file: str, incident_display: str, out: str) -> None:
    """Worker start-up where processes are spawned, not forked: load the incident and template again."""
    project = Project(Path(root))
    incident, findings = load_incident(Path(incident_file), display=incident_display)
    if incident is None:  # the parent loaded it a moment ago; only a concurrent edit gets here
        raise FindingsError(findings)
    _worker.update(renderer=LetterRenderer(project, incident), out=Path(out))


Task = tuple[int, tuple[str, ...], str, str | None]
Outcome = tuple[int, str, str, str, str, str]  # row, file, sha256, state, input_sha256, problem ('' when fine)


def _do(task: Task) -> Outcome:
    number, fields, input_hash, previous_sha = task
    recipient = Recipient(*fields)
    name = _letter_file(number)
    target: Path = _worker["out"] / name
    if previous_sha and target.is_file() and sha256_file(target) == previous_sha:
        return number, name, previous_sha, recipient.state, input_hash, "unchanged"
    renderer: LetterRenderer = _worker["renderer"]
    try:
        letter = renderer.letter(recipient, redact=True)
    except FindingsError as exc:
        where = exc.findings[0]
        return number, name, "", recipient.state, input_hash, (
            f"the letter template failed at {where.path}:{where.line} for this row; check the template")
    except UnprintableText as exc:
        return number, name, "", recipient.state, input_hash, str(exc)
    except Exception as exc:  # noqa: BLE001 - never let a row's data escape through an exception message
        return number, name, "", recipient.state, input_hash, f"the letter could not be made ({type(exc).__name__})"
    sha = write_atomic(target, letter.pdf, mode=0o600, fsync=False)  # one os.sync() at the end of the run
    return number, name, sha, recipient.state, input_hash, ""


# -- the run --------------------------------------------------------------------------------------

def _survey(recipients: Path, display: str, shard: Shard, residents: list[str]) -> tuple[int, set[str]]:
    """Rows in the shard and the residence codes of their states (a first pass; nothing kept per row)."""
    total, states = 0, set()
    for row in read_rows(recipients, display, residents):
        if shard.holds(row.index):
            total += 1
            if row.recipient is not None:
                states.add(row.recipient.residence)
    return total, states


def _tasks(recipients: Path, display: str, shard: Shard, fingerprint: str,
           previous: dict[int, tuple[str, str]], result: MergeResult, residents: list[str]) -> Iterator[Task]:
    for row in read_rows(recipients, display, residents):
        if not shard.holds(row.index):
            continue
        result.rows += 1
        if row.recipient is None:
            result.failed.extend(row.problems)
            result.failed_rows += 1
            continue
        r = row.recipient
        input_hash = _input_hash(fingerprint, r)
        sha, made_from = previous.get(row.number, ("", ""))
        previous_sha = sha if made_from == input_hash else None
        yield row.number, (r.name, r.address1, r.address2, r.city, r.state, r.zip), input_hash, previous_sha


def _secure_dir(path: Path) -> None:
    """``path`` made owner-only (0700) when this creates it; an existing folder keeps its permissions
    (the letters in it are 0600). A link is refused, never followed."""
    if path.is_symlink():
        raise FindingsError([Finding(str(path), 0, 0, "", "the output folder is a link; breachdocs does not write "
                                     "through links: name the folder itself")])
    try:
        path.mkdir(mode=0o700, parents=True)
    except FileExistsError:
        return
    os.chmod(path, 0o700)  # exactly 0700 whatever the umask


def merge_letters(
    project: Project,
    incident: Incident,
    recipients: Path,
    out: Path,
    *,
    single_pdf: bool = False,
    jobs: int = 1,
    shard: Shard = Shard(),
    progress: ProgressCallback | None = None,
    recipients_display: str | None = None,
) -> MergeResult:
    """Make the letters of ``incident`` for every good row of ``recipients`` (in ``shard``) into ``out``.

    Raises FindingsError when nothing can be made (bad header, template error);
    bad rows are reported in ``MergeResult.failed`` and skipped.
    """
    display = recipients_display or recipients.name
    renderer = LetterRenderer(project, incident)
    renderer.body(PLACEHOLDER, residence="")  # template errors surface here, with placeholder data only
    residents = list(incident.residents)
    total, residences = _survey(recipients, display, shard, residents)
    lacking = content_findings(project, incident, laws=renderer.laws, residences=residences)
    if lacking:  # a letter without what the law requires must not be mailed
        raise FindingsError(lacking)
    fingerprint = _fingerprint(project, incident)

    _secure_dir(out)
    _secure_dir(out / LETTERS_DIR)
    manifest = out / f"manifest{shard.suffix}.csv"
    journal = out / f".manifest{shard.suffix}.journal"
    previous = _read_manifest(manifest)
    previous.update(_read_manifest(journal))

    result = MergeResult()
    # Outcomes arrive in row order: the new manifest is written as they come into a temporary file, renamed
    # over the old one only at the end (nothing per row is kept in memory but its number, 4 bytes).
    done = array("I")
    fresh = out / f".manifest{shard.suffix}.csv.tmp"
    nofollow = getattr(os, "O_NOFOLLOW", 0)  # a link planted in the output folder is an error, never followed
    fresh.unlink(missing_ok=True)
    fd = os.open(journal, os.O_WRONLY | os.O_CREAT | os.O_APPEND | nofollow, 0o600)
    table_fd = os.open(fresh, os.O_WRONLY | os.O_CREAT | os.O_EXCL | nofollow, 0o600)
    try:
        with os.fdopen(fd, "a", newline="", encoding="utf-8") as log, \
                os.fdopen(table_fd, "w", newline="", encoding="utf-8") as new_manifest:
            table = csv.writer(new_manifest)
            table.writerow(MANIFEST_COLUMNS)
            writer = csv.writer(log)
            if log.tell() == 0:
                writer.writerow(MANIFEST_COLUMNS)
            tasks = _tasks(recipients, display, shard, fingerprint, previous, result, residents)
            _worker.update(renderer=renderer, out=out)
            for number, name, sha, state, input_hash, problem in _run(tasks, jobs, project, incident, out):
                if problem and problem != "unchanged":
                    result.failed.append(Finding(display, number, 0, "", f"row {number}: {problem}"))
                    result.failed_rows += 1
                else:
                    if problem == "unchanged":
                        result.unchanged += 1
                    else:
                        result.written += 1
                        writer.writerow((number, name, sha, state, input_hash))
                    table.writerow((number, name, sha, state, input_hash))
                    done.append(number)
                if progress is not None:
                    progress(result.written + result.unchanged + result.failed_rows, total)
            log.flush()
            new_manifest.flush()
    except BaseException:
        fresh.unlink(missing_ok=True)  # the old manifest stays as it was; the journal has the rows
        raise
    os.sync()  # letters are written without a flush each; make them durable before the manifest lists them
    if progress is not None:
        progress(result.rows, total)

    os.replace(fresh, manifest)
    journal.unlink(missing_ok=True)
    result.manifest = manifest
    result.failed.sort()
    if single_pdf:
        result.single_pdf = _single_pdf(out, [_letter_file(n) for n in done], shard)
    return result


def _incident_file(project: Project, incident: Incident) -> Path:
    shown = Path(incident.path)
    return shown if shown.is_absolute() else project.root / shown


def _run(tasks: Iterator[Task], jobs: int, project: Project, incident: Incident, out: Path) -> Iterator[Outcome]:
    """Outcomes in row order; ``jobs`` processes (forked workers inherit the loaded renderer)."""
    if jobs <= 1:
        yield from map(_do, tasks)
        return
    if "fork" in multiprocessing.get_all_start_methods():
        pool = multiprocessing.get_context("fork").Pool(jobs, initializer=pool_worker, initargs=(os.getpid(),))
    else:
        args = (str(project.root), str(_incident_file(project, incident)), incident.path, str(out))
        pool = multiprocessing.get_context("spawn").Pool(jobs, initializer=_init_worker, initargs=args)
    with pool:
        # Pool.imap would queue every task at once: hand them over in batches so memory stays flat
        while batch := list(itertools.islice(tasks, 512 * jobs)):
            yield from pool.imap(_do, batch, chunksize=16)
        finish(pool)


def _single_pdf(out: Path, files: list[str], shard: Shard) -> Path:
    """Every letter in row order in one PDF, for the mail house."""
    writer = PdfWriter()
    for name in files:
        writer.append(str(out / name))
    writer.add_metadata({"/Producer": "breachdocs", "/Creator": "breachdocs", "/Title": "Letters for mailing"})
    buffer = io.BytesIO()
    with fast_tokens():
        writer.write(buffer)
    target = out / f"letters{shard.suffix}.pdf"
    write_atomic(target, buffer.getvalue(), mode=0o600)
    return target
