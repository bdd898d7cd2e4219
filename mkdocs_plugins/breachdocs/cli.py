"""The ``breachdocs`` command: a few lines over the core library for each command.

One grammar for every command (see ``breachdocs --help``): an incident is named by its id or its file
(:func:`~breachdocs.records.locate_incident`); ``--format`` is ``text`` for people, ``json`` for programs
and ``github`` for workflow annotations; outputs are named with ``--out``; findings, progress and notes
go to stderr, results to stdout; exit status 0 ok, 1 findings, 2 usage or environment.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import json
import os
import signal
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from . import __version__
from .files import MAX_PDF_BYTES, FileProblem, read_file
from .filings.bundle import FilingsResult, build_filings
from .filings.documents import filing_documents
from .filings.signing import ENV_CERT, ENV_KEY, ENV_PASSPHRASE, SigningError, SigningKey
from .findings import Finding, FindingsError, format_findings, has_errors, printable
from .forms.fieldmap import starting_map
from .forms.folder import open_pdf
from .git import GitError
from .law import Obligation, obligations
from .law.deadlines import deadlines_json, deadlines_table, open_duties
from .law.deadlines import ics as ics_calendar
from .law.duty_state import incident_conflicts
from .law.obligations import DEFAULT_INTERNAL_TARGET_DAYS, obligations_json, obligations_table
from .law.rules import no_rule_base_finding
from .letters import render_sample
from .letters.merge import Shard, merge_letters, path_findings
from .letters.pdf import UnprintableText
from .pdf.inspect import list_fields
from .progress import ProgressBar
from .project import Project
from .project_check import ProjectCheck, check, check_project
from .project_check import validate as validate_project
from .publish.diff import diff_revisions, to_json, to_markdown
from .publish.release import PublishError, build_release
from .records import Incident, UnknownIncident, load_incident, locate_incident, locate_targets, packaged_schema
from .scaffold import ScaffoldError, scaffold
from .scaffold import update_schemas as scaffold_update_schemas
from .site.build import SiteBuildError, build_project_site, build_site, serve_site
from .site.engine import EngineError
from .site.stages import default_jobs
from .submissions import Submission, load_submissions, worksheet_pdf, worksheets
from .writer import source_date, write_atomic

F = TypeVar("F", bound=Callable[..., Any])

#: Where commands write when not told (ignored by Git): the site in site/, everything else in out/.
OUT = Path("out")

#: ``--jobs`` when not given, in every command: the CPUs this process may use, at most 4.
JOBS = default_jobs()

def _echo(message: object = "", *, err: bool = False, nl: bool = True) -> None:
    """Print ``message`` (on stderr with ``err``) with its control characters shown as escapes."""
    click.echo(printable(str(message)), err=err, nl=nl)


class _Commands(click.Group):
    """The commands; a failed write or read (a full disk, a folder without permission) ends any of them with
    one sentence and exit status 2 (an environment problem), never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except OSError as error:
            _echo(_problem(error), err=True)
            ctx.exit(2)


def _project(ctx: click.Context) -> Project:
    return ctx.obj  # type: ignore[no-any-return]


class _Problem(click.ClickException):
    """A usage or environment problem printed as one line (``Error: ...``), exit status 2."""

    exit_code = 2


def _findings_exit(findings: list[Finding], status: int = 1) -> NoReturn:
    """Print ``findings`` on stderr and stop with ``status`` (1: findings in the input)."""
    _echo(format_findings(findings), err=True)
    sys.exit(status)


def _incident_file(ctx: click.Context, ref: str) -> Path:
    try:
        return locate_incident(_project(ctx), ref)
    except UnknownIncident as exc:
        raise _Problem(str(exc)) from None


# --- the shared options: --format, --out, --jobs, deprecated names -------------------------------------------


class _Format(click.Choice):  # type: ignore[type-arg]
    """A ``--format`` choice that also takes earlier names (not shown in --help) for its values."""

    def __init__(self, choices: list[str], aliases: dict[str, str] | None = None) -> None:
        super().__init__(choices)
        self.aliases = aliases or {}

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        return super().convert(self.aliases.get(value, value), param, ctx)


def _format_option(choices: list[str], aliases: dict[str, str] | None = None, extra: str = "") -> Callable[[F], F]:
    words = {"text": "text for people", "json": "json for programs",
             "github": "github for workflow annotations", "ics": "ics for calendars (RFC 5545)"}
    described = ", ".join(words[c] for c in choices)
    return click.option("--format", "fmt", type=_Format(choices, aliases), default="text", show_default=True,
                        help=f"{described[0].upper()}{described[1:]}.{extra}")


def _jobs_option(what: str, default: int | None = JOBS, default_text: str = "") -> Callable[[F], F]:
    shown = default_text or "the CPUs available, at most 4"
    return click.option("--jobs", type=click.IntRange(1, 256), default=default, show_default=default is not None,
                        help=f"Processes {what} (the output is the same for any number). Default: {shown}.")


def _deprecated(old: str, new: str, **kwargs: Any) -> Callable[[F], F]:
    """A hidden option under an earlier name: it still works, with a one-line notice on stderr."""

    def notice(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
        if value is not None:
            _echo(f"note: {old} is deprecated; write {new}", err=True)
        return value

    return click.option(old, hidden=True, default=None, callback=notice, expose_value=True, **kwargs)


def _either(new: Any, old: Any) -> Any:
    """The value of an option, or else of its earlier name."""
    return new if new is not None else old


def _emit(text: str, out: Path | None, what: str) -> None:
    """``text`` to stdout (``out`` None or ``-``), else written to the file ``out`` (noted on stderr)."""
    if out is None or str(out) == "-":
        _echo(text, nl=False)
    else:
        digest = write_atomic(out, text.encode("utf-8"))
        _echo(f"wrote {what} to {out}  sha256 {digest}", err=True)


OUT_FILE = click.Path(dir_okay=False, allow_dash=True, path_type=Path)
OUT_DIR = click.Path(file_okay=False, path_type=Path)

EPILOG = """\b
The grammar, the same in every command:
  INCIDENT      an incident's id (its file name in incidents/ without .yaml) or the path of its file
  --format      text for people, json for programs, github for workflow annotations (validate)
  --out PATH    where the output goes: a folder for commands writing several files, a file
                (or - for stdout) for one-file commands; default: site/ for the site, out/ otherwise
  --jobs N      processes for long work; default: the CPUs available, at most 4
Results (tables, JSON, written files with their SHA-256) go to stdout; findings, progress bars and
notes go to stderr. A progress bar is drawn only when stderr is a terminal.

\b
Exit status, every command:
  0  done, nothing wrong
  1  findings: errors in the input (incidents, rule files, templates, recipient rows)
  2  usage or environment: unknown incident or option, missing file, a path refused, Git failing
"""


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
             epilog=EPILOG)
@click.version_option(__version__, prog_name="breachdocs")
@click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Project folder (holding incidents/, jurisdictions/, templates/). Default: nearest one above the current folder.",
)
@click.pass_context
def main(ctx: click.Context, root: Path | None) -> None:
    """breachdocs: data-breach incidents as reviewed YAML, published as regulator
    filings, consumer letters and an internal compliance site.

    \b
    Typical use:
      breachdocs init DIR                 start a repository of your own incidents
      breachdocs validate                 check every incident in incidents/
      breachdocs obligations INCIDENT     who must be told what, by when, and why
      breachdocs deadlines                every open duty, soonest first (--format ics for a calendar)
      breachdocs fill INCIDENT            fill its regulator form(s) into out/filings/INCIDENT/
      breachdocs letters INCIDENT --recipients FILE.csv --out DIR
                                          mail merge (the list stays outside the repo)
      breachdocs submission INCIDENT      the regulators' questions with the incident's answers
      breachdocs build                    validate, then build the site and filings into site/
      breachdocs serve                    preview the site while you edit
      breachdocs diff main HEAD           what a branch changes, for the reviewer
      breachdocs verify FILE.pdf          which filing a document is, who approved it, and whether it changed
    """
    ctx.obj = Project(root.resolve()) if root else Project.find()
    _stop_cleanly_on_signals()


def _stop_cleanly_on_signals() -> None:
    """SIGTERM and SIGHUP end a command as Ctrl-C does: temporary files and helper processes are removed
    on the way out (a killed build leaves no scratch folder)."""
    me = os.getpid()

    def stop(signum: int, frame: object) -> None:
        if os.getpid() != me:  # a process forked from this one: the signal's own effect
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
        raise SystemExit(128 + signum)

    for signum in (signal.SIGTERM, signal.SIGHUP):
        with contextlib.suppress(ValueError):  # not the main thread: leave the handlers alone
            signal.signal(signum, stop)


@main.command()
@click.argument("incidents", nargs=-1, metavar="[INCIDENT|FILE|FOLDER]...")
@_format_option(["text", "github", "json"], extra=" github and json go to stdout, text findings to stderr.")
@click.pass_context
def validate(ctx: click.Context, incidents: tuple[str, ...], fmt: str) -> None:
    """Check incidents: ids, files or folders (default: all of incidents/ and the rule files).

    Text findings go to stderr, one line each, as FILE:LINE:COLUMN: SEVERITY: FIELD: MESSAGE,
    then a summary; github annotations and the json document go to stdout.

    Exit status: 0 clean, 1 findings, 2 usage error.
    """
    project = _project(ctx)
    try:
        paths = locate_targets(project, incidents)
    except UnknownIncident as exc:
        raise _Problem(str(exc)) from None
    with ProgressBar("checking incidents") as bar:
        checked, findings = validate_project(project, paths, progress=bar)
    if fmt == "json" or (findings and fmt == "github"):
        _echo(format_findings(findings, fmt))  # type: ignore[arg-type]
    if fmt == "text":
        if findings:
            _echo(format_findings(findings), err=True)
        errors = sum(f.is_error for f in findings)
        summary = f"{checked} incident(s) valid" if not errors else f"{errors} error(s)"
        _echo(summary, err=True)
    sys.exit(1 if has_errors(findings) else 0)


@main.command()
@click.option("--out", type=OUT_FILE, default=None, help="File to write. Default: - (stdout).")
def schema(out: Path | None) -> None:
    """Print the incident JSON Schema (draft 2020-12) that editors use to autocomplete and check incidents."""
    _emit(json.dumps(packaged_schema("incident.schema.json"), indent=2) + "\n", out, "the schema")


# --- publish: filings bundle, diff between revisions, atomic publish -------------------------------------------


@main.command()
@click.argument("base")
@click.argument("head", default="HEAD")
@_format_option(["text", "json"], {"markdown": "text"}, " Text is Markdown, made for a pull request's job summary.")
@click.option("--out", type=OUT_FILE, default=None, help="File to write. Default: - (stdout).")
@click.option("--as-of", "as_of", metavar="DATE", help="Judge deadlines as of this day (YYYY-MM-DD). Default: today.")
@click.option("--previews", type=OUT_DIR, default=None,
              help="Render the first page of each new or changed filing as a PNG into this folder.")
@click.option("--preview-base", default="", help="Prefix of the preview image links in the Markdown.")
@click.pass_context
def diff(ctx: click.Context, base: str, head: str, fmt: str, out: Path | None, as_of: str | None,
         previews: Path | None, preview_base: str) -> None:
    """Compare two Git revisions: incidents (field by field), obligations, filings (by SHA-256).

    \b
    The text form is Markdown, made for a pull request's job summary:
      breachdocs diff origin/main HEAD >> "$GITHUB_STEP_SUMMARY"

    Exit status: 0 compared, 2 a revision Git does not know.
    """
    try:
        found = diff_revisions(_project(ctx).root, base, head, previews=previews, as_of=_as_of(as_of))
    except GitError as exc:
        raise _Problem(str(exc)) from exc
    _emit(to_json(found) if fmt == "json" else to_markdown(found, preview_base=preview_base), out, "the comparison")


def _signing_options(command: Any) -> Any:
    """``--sign-key`` and ``--sign-cert``: sign the stamped copy of each approved filing (PAdES, pyHanko)."""
    key = click.option("--sign-key", type=click.Path(dir_okay=False, path_type=Path), envvar=ENV_KEY,
                       help=f"Private key (PEM or DER) to sign approved filings with [env {ENV_KEY}; a passphrase "
                            f"comes from {ENV_PASSPHRASE}].")
    cert = click.option("--sign-cert", type=click.Path(dir_okay=False, path_type=Path), envvar=ENV_CERT,
                        help=f"The signing key's certificate (PEM or DER) [env {ENV_CERT}].")
    return key(cert(command))


def _signing_key(key: Path | None, cert: Path | None) -> SigningKey | None:
    try:
        return SigningKey.from_files(key, cert)
    except SigningError as error:
        raise _Problem(str(error)) from None


@contextlib.contextmanager
def _signing_env(signing: SigningKey | None) -> Iterator[None]:
    """The key named in the environment while the site builds (its pages link, and its filings job makes,
    the signed copies); the environment as it was afterwards."""
    before = {name: os.environ.get(name) for name in (ENV_KEY, ENV_CERT)}
    if signing is not None:
        os.environ[ENV_KEY], os.environ[ENV_CERT] = str(signing.key_file), str(signing.cert_file)
    try:
        yield
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@main.command()
@click.option("--out", type=OUT_DIR, default=None,
              help="Folder for the bundle, laid out as in the site: OUT/filings/INCIDENT/FORM.pdf "
                   "and OUT/filings/manifest.json.  [default: out/]")
@_jobs_option("rendering the filings")
@_signing_options
@click.pass_context
def filings(ctx: click.Context, out: Path | None, jobs: int, sign_key: Path | None, sign_cert: Path | None) -> None:
    """Write every filing PDF and filings/manifest.json (deterministic; honours SOURCE_DATE_EPOCH).

    Exit status: 0 written, 1 findings in the incidents (nothing written), 2 a signing key that cannot be used.
    """
    project = _project(ctx)
    out = out or project.root / OUT
    with ProgressBar("checking incidents") as bar:
        incidents, findings = check(project, progress=bar)
    if has_errors(findings):
        _findings_exit(findings)
    signing = _signing_key(sign_key, sign_cert)
    with ProgressBar("filings") as bar:
        result = build_filings(project, incidents, out, jobs=jobs, signing=signing, progress=bar)
    _report_filings(result)
    _echo(f"{len(result.manifest['filings'])} filing document(s) in {project.relative(out / 'filings')} "
               f"({len(result.rendered)} incident(s) rendered, {len(result.reused)} from cache)", err=True)


def _report_filings(result: FilingsResult) -> None:
    """What a build of the filings must tell: documents it could not publish, changes nobody approved."""
    for missing in result.unrecovered:
        _echo(f"{missing}: warning: the document as filed is not reproduced by any revision in Git "
                   "(not published); keep the PDF as sent with your records", err=True)
    for line in result.unapproved:
        _echo(f"{line}: warning: its filings are published as NOT APPROVED (the stamp and the manifest say so)",
                   err=True)


@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--site", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The published site or bundle folder (holding filings/manifest.json). Default: the one FILE "
                   "was published in, else out/public/, public/ or site/.")
@click.option("--manifest", "manifest_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The manifest itself (filings/manifest.json).")
@click.option("--trust", type=click.Path(exists=True, dir_okay=False, path_type=Path), multiple=True,
              help="Certificate a signed copy's signature must chain to (repeatable).")
@click.pass_context
def verify(ctx: click.Context, file: Path, site: Path | None, manifest_file: Path | None, trust: tuple[Path, ...]) -> None:
    """Say which incident and filing FILE.pdf is, whether its bytes match the record and the manifest, and who
    approved it.

    \b
      breachdocs verify out/public/filings/<incident>/<form>-flat.stamped.pdf

    Exit status: 0 it verifies, 1 it does not (the reasons on stdout; one changed byte is enough), 2 usage error.
    """
    from .filings.verify import verify_file

    verdict = verify_file(_project(ctx), file, site=site, manifest_file=manifest_file, trust=list(trust))
    _echo(verdict.text())
    if not verdict.ok:
        _echo(f"breachdocs verify: {file} DOES NOT VERIFY: do not treat it as the approved filing", err=True)
        sys.exit(1)


@main.command()
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="Published folder: a symlink switched atomically to each new build; earlier builds are kept "
                   "in .NAME.releases/ beside it.  [default: out/public]")
@_deprecated("--dest", "--out", type=click.Path(path_type=Path))
@click.option("--keep", type=int, default=2, show_default=True, help="Earlier builds kept beside OUT.")
@_signing_options
@click.pass_context
def publish(ctx: click.Context, out: Path | None, dest: Path | None, keep: int, sign_key: Path | None,
            sign_cert: Path | None) -> None:
    """Build the site and the filings bundle into a fresh folder, then switch OUT to it atomically.

    A failed build publishes nothing: OUT keeps pointing at the previous build. Re-run after an interruption.

    Exit status: 0 published, 1 findings or a failed build, 2 a destination refused or a failed write
    (nothing published).
    """
    target_dir: Path = _either(out, dest) or _project(ctx).root / OUT / "public"
    try:
        signing = _signing_key(sign_key, sign_cert)
        with _signing_env(signing):
            target = build_release(_project(ctx), target_dir, site_builder=build_project_site, keep=keep,
                                   report=_report_filings, signing=signing)
    except (FindingsError, SiteBuildError, PublishError, OSError) as exc:
        _echo(format_findings(exc.findings) if isinstance(exc, FindingsError) else _problem(exc), err=True)
        _echo(f"nothing published; {target_dir} is untouched", err=True)
        sys.exit(2 if isinstance(exc, (PublishError, OSError)) else 1)
    _echo(f"published {target_dir} -> {target}", err=True)


def _problem(error: Exception) -> str:
    """An error as one sentence: a failed write names the file and what to do (never a traceback)."""
    if isinstance(error, OSError) and not isinstance(error, FileProblem):
        if error.errno in (errno.ENOSPC, errno.EDQUOT):
            where = f" {error.filename}" if error.filename else ""
            return f"breachdocs: cannot write{where}: {error.strerror}; free some disk space, then run again"
        where = f"{error.filename}: " if error.filename else ""
        return f"breachdocs: {where}{error.strerror or error}"
    if isinstance(error, FileProblem):
        return f"{error.path}: error: {error.message}"
    return str(error)


# --- law: obligations and deadlines -------------------------------------------------------------

def _refuse_without_rule_base(project: Project) -> None:
    """Stop (exit 1) when the project has no rule base: every answer would be "nothing to do"."""
    missing = no_rule_base_finding(project)
    if missing is not None:
        _findings_exit([missing])


def _judged(checked: ProjectCheck, incidents: list[Incident], internal_target_days: int) -> list[Obligation]:
    """The obligations of ``incidents`` (the check's, unless another internal target is asked for)."""
    if internal_target_days == DEFAULT_INTERNAL_TARGET_DAYS:
        return [o for i in incidents for o in checked.obligations.get(i.id, [])]
    return [o for i in incidents
            for o in obligations(i, checked.rules, checked.as_of, internal_target_days=internal_target_days)]


def _as_of(value: str | None) -> dt.date:
    try:
        return dt.date.fromisoformat(value) if value else dt.date.today()
    except ValueError as exc:
        raise click.BadParameter(f"{value!r} is not a date; write YYYY-MM-DD", param_hint="--as-of") from exc


_TARGET_DAYS = click.option("--internal-target-days", type=click.IntRange(0, 365), default=30, show_default=True,
                            help="Internal target for duties due 'without unreasonable delay', in days.")


@main.command("obligations")
@click.argument("incident")
@click.option("--as-of", "as_of", metavar="DATE", help="Judge status as of this day (YYYY-MM-DD). Default: today.")
@_format_option(["text", "json"], {"table": "text"})
@click.option("--out", type=OUT_FILE, default=None, help="File to write. Default: - (stdout).")
@_TARGET_DAYS
@click.pass_context
def obligations_command(ctx: click.Context, incident: str, as_of: str | None, fmt: str, out: Path | None,
                        internal_target_days: int) -> None:
    """Every notice the law requires for INCIDENT (its id or file), why, by when, and its status.

    With --format json each duty also names its submission: kind (form, portal, letter, filing), the file that
    describes it under jurisdictions/submissions/, and its worksheet PDF in the filings bundle.

    Exit status: 0 shown, 1 the incident has errors (shown on stderr; judged when it loads), 2 unknown incident.
    """
    day = _as_of(as_of)
    file = _incident_file(ctx, incident)
    _refuse_without_rule_base(_project(ctx))
    checked = check_project(_project(ctx), [file], as_of=day)
    if has_errors(checked.findings):
        _echo(format_findings(checked.findings), err=True)
    if not checked.incidents:
        sys.exit(1)
    match = checked.incidents[0]
    found = _judged(checked, [match], internal_target_days)
    project = _project(ctx)
    submissions, _problems = load_submissions(project.jurisdictions_dir, root=project.root)
    if fmt == "json":
        document = json.loads(obligations_json(match, found, day, internal_target_days))
        for row in document["obligations"]:
            row["submission"] = _submission_json(project, submissions.get((row["jurisdiction"], row["duty"])),
                                                 match.id if row["triggered"] else None)
        text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    else:
        text = f"{match.id} (discovered {match.discovered}), as of {day}\n" + obligations_table(found, day)
    _emit(text, out, "the obligations")
    sys.exit(1 if has_errors(checked.findings) else 0)


def _submission_json(project: Project, submission: Submission | None, incident: str | None
                     ) -> dict[str, object] | None:
    """What a duty's submission is and where it is described (None for consumer and credit-bureau notices);
    for a triggered duty (``incident`` given) of kind portal, letter or filing, its worksheet in the bundle."""
    if submission is None:
        return None
    worksheet = (f"filings/{incident}/{submission.id}-worksheet.pdf"
                 if incident is not None and submission.kind != "form" else None)
    return {"kind": submission.kind, "file": submission.path,
            "title": submission.title, "url": submission.url, "form": submission.form,
            "confirmed": submission.confirmed, "worksheet": worksheet}


@main.command("submission")
@click.argument("incident")
@click.option("--duty", "duties", multiple=True, metavar="JUR:ID",
              help="Only this duty, as jurisdiction code and duty id (US-TX:attorney-general); repeatable. "
                   "Default: every triggered regulator duty whose submission is a portal, letter or filing.")
@click.option("--out", type=OUT_DIR, default=None,
              help="Also write each worksheet as PDF into this folder (JUR-DUTY-worksheet.pdf; a letter for "
                   "kind letter).")
@click.option("--as-of", "as_of", metavar="DATE", help="Judge the duties as of this day (YYYY-MM-DD). Default: today.")
@click.pass_context
def submission_command(ctx: click.Context, incident: str, duties: tuple[str, ...], out: Path | None,
                       as_of: str | None) -> None:
    """Print the regulator worksheets of INCIDENT (its id or file): each question, its answer ready to copy,
    where the answer comes from, and what is missing.

    Exit status: 0 printed, 1 the incident has errors (shown on stderr; worksheets printed when it loads),
    2 usage error.
    """
    project = _project(ctx)
    day = _as_of(as_of)
    file = _incident_file(ctx, incident)
    _refuse_without_rule_base(project)
    checked = check_project(project, [file], as_of=day)
    failed = has_errors(checked.findings)
    if failed:
        _echo(format_findings(checked.findings), err=True)
    if not checked.incidents:
        sys.exit(1)
    match = checked.incidents[0]
    submissions, _problems = load_submissions(project.jurisdictions_dir, root=project.root)
    kinds = ("portal", "letter", "filing", "form") if duties else ("portal", "letter", "filing")
    made = worksheets(match, checked.obligations.get(match.id, []), checked.rules, submissions, kinds=kinds)
    if duties:
        keys = set()
        for duty in duties:
            code, sep, duty_id = duty.partition(":")
            if not sep or not duty_id:
                raise _Problem(f"--duty {duty!r}: write JURISDICTION:DUTY, e.g. US-TX:attorney-general")
            keys.add((code, duty_id))
        known_keys = {(w.submission.jurisdiction, w.submission.duty) for w in made}
        unknown = sorted(keys - known_keys)
        if unknown:
            have = ", ".join(f"{c}:{d}" for c, d in sorted(known_keys)) or "none"
            raise _Problem(f"{unknown[0][0]}:{unknown[0][1]} is not a triggered regulator duty of "
                           f"{match.id} with a submission; its duties: {have}")
        made = [w for w in made if (w.submission.jurisdiction, w.submission.duty) in keys]
    if not made:
        _echo(f"{match.id}: no triggered regulator duty is a portal, letter or filing")
        sys.exit(1 if failed else 0)
    _echo("\n".join(w.text() for w in made), nl=False)
    if out is not None:
        for w in made:
            if w.submission.kind == "form":
                continue
            try:
                data = worksheet_pdf(w)
            except UnprintableText:  # the check's findings (above) name the field and the characters
                failed = True
                continue
            digest = write_atomic(out / w.filename, data)
            _echo(f"wrote {out / w.filename}  sha256 {digest}", err=True)
    sys.exit(1 if failed else 0)


@main.command("deadlines")
@click.option("--as-of", "as_of", metavar="DATE", help="Open duties as of this day (YYYY-MM-DD). Default: today.")
@_format_option(["text", "json", "ics"], extra=" An ics file is one staff can subscribe to.")
@click.option("--out", type=OUT_FILE, default=None, help="File to write. Default: - (stdout).")
@_deprecated("--ics", "--format ics --out FILE", type=click.Path(dir_okay=False, path_type=Path))
@_TARGET_DAYS
@click.pass_context
def deadlines_command(ctx: click.Context, as_of: str | None, fmt: str, out: Path | None, ics: Path | None,
                      internal_target_days: int) -> None:
    """Every open duty across all incidents, soonest first; an incident whose status contradicts its duties
    (closed with duties open, notified with a late notice) is named on stderr.

    Exit status: 0 shown, 1 some incidents have errors (shown on stderr; incidents that do not load are
    left out), 2 usage error.
    """
    day = _as_of(as_of)
    _refuse_without_rule_base(_project(ctx))
    checked = check_project(_project(ctx), as_of=day)
    if has_errors(checked.findings):
        _echo(format_findings(checked.findings), err=True)
    judged = _judged(checked, checked.incidents, internal_target_days)
    found = open_duties(judged)
    for incident in checked.incidents:
        for conflict in incident_conflicts(incident.status, [o for o in judged if o.incident == incident.id], day):
            _echo(f"{incident.id}: {conflict}", err=True)
    if ics is not None:  # the earlier form: the table on stdout and the calendar in a file
        _echo(deadlines_table(found, day) or "no open duties\n", nl=False)
        fmt, out = "ics", ics
    if fmt == "ics":
        _emit(ics_calendar(found, source_date(), day), out, f"{len(found)} event(s)")
    elif fmt == "json":
        _emit(deadlines_json(found, day, internal_target_days), out, "the deadlines")
    else:
        _emit(deadlines_table(found, day) or "no open duties\n", out, "the deadlines")
    sys.exit(1 if has_errors(checked.findings) else 0)


# --- forms -------------------------------------------------------------------


@main.command("form-fields")
@click.argument("pdf", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--map-out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write a starting field map (fields.yaml) listing every field, to complete by hand.")
def form_fields(pdf: Path, map_out: Path | None) -> None:
    """List the fields of a fillable PDF: name, type, page, size (points), options.

    Use it when adding a regulator's official PDF as templates/forms/FORM-ID/form.pdf:
    the names it prints are the keys of that form's fields.yaml.

    Exit status: 0 listed, 1 not a readable fillable PDF, 2 no such file.
    """
    if not pdf.is_file():
        raise _Problem(f"no such PDF: {pdf}")
    try:  # a regular file of bounded size, wherever it is (a PDF you name to inspect)
        data = read_file(pdf, inside=False, limit=MAX_PDF_BYTES)
    except FileProblem as problem:
        raise _Problem(f"{pdf}: {problem.message}") from None
    parsed, problems = open_pdf(data, str(pdf))
    if parsed is None:
        raise click.ClickException(str(problems[0]))
    reader, fields = parsed
    if not fields:
        raise click.ClickException(f"{pdf} has no form fields (it is not a fillable AcroForm)")
    for info in list_fields(reader):
        _echo(info.line())
    _echo(f"{len(fields)} field(s)", err=True)
    if map_out is not None:
        digest = write_atomic(map_out, starting_map(fields))
        _echo(f"wrote {map_out}  sha256 {digest}", err=True)


@main.command()
@click.argument("incident")
@click.option("--form", "forms", multiple=True, metavar="FORM",
              help="Form id in templates/forms/ (repeatable). Default: every form the incident uses "
                   "(its filings[].form, and forms of the jurisdictions its residents live in).")
@click.option("--out", type=OUT_DIR, default=None, help="Folder to write into.  [default: out/filings/INCIDENT/]")
@click.option("--flatten", is_flag=True,
              help="Write a non-editable copy for submission (FORM-flat.pdf) instead of the editable FORM.pdf.")
@click.option("--packet", is_flag=True,
              help="Also write FORM-packet.pdf: the flattened form followed by a copy of the notice, with bookmarks.")
@click.pass_context
def fill(ctx: click.Context, incident: str, forms: tuple[str, ...], out: Path | None, flatten: bool,
         packet: bool) -> None:
    """Fill the regulator form(s) of INCIDENT (its id or file) and print each file's path and SHA-256.

    Output is byte-for-byte reproducible, so the SHA-256 identifies what was filed
    (record it under filings[].sha256). Nothing is written unless every file can be made.

    Exit status: 0 written, 1 findings (printed on stderr as FILE:LINE:COLUMN: ...), 2 usage error.
    """
    project = _project(ctx)
    file = _incident_file(ctx, incident)
    incidents, findings = check(project, [file])
    errors = [f for f in findings if f.is_error]
    if errors or not incidents:
        _findings_exit(errors or findings)
    documents, problems = filing_documents(project, incidents[0], forms or None, packet=packet)
    wanted = {"flat" if flatten else "", *(["packet"] if packet else [])}
    chosen = [d for d in documents if d.variant in wanted]
    if not chosen or any(f.is_error for f in problems):
        _findings_exit([f for f in problems if f.is_error] or problems)
    folder = out or project.root / OUT / "filings" / incidents[0].id
    for document in chosen:
        target = folder / document.filename
        _echo(f"{project.relative(target)}  sha256 {write_atomic(target, document.data)}")


# -- letters ----------------------------------------------------------------------------------------


def _load_one_incident(ctx: click.Context, incident: str) -> Incident:
    file = _incident_file(ctx, incident)
    loaded, findings = load_incident(file, display=_project(ctx).relative(file))
    if loaded is None or has_errors(findings):
        _findings_exit(findings)
    return loaded


@main.command()
@click.argument("incident")
@click.option("--recipients", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="CSV with a header row naming at least name,address1,address2,city,state,zip.")
@click.option("--out", type=OUT_DIR, required=True,
              help="Folder for the letters (created with owner-only permissions), outside the repository.")
@click.option("--single-pdf", is_flag=True, help="Also write every letter, in row order, into one print-ready PDF.")
@_jobs_option("making the letters")
@click.option("--shard", default="1/1", show_default=True,
              help="Make shard K of N (rows split by row position), each with its own manifest.")
@click.option("--allow-inside-repo", is_flag=True,
              help="Allow a recipients file or output folder inside the repository.")
@click.pass_context
def letters(ctx: click.Context, incident: str, recipients: Path, out: Path, single_pdf: bool, jobs: int,
            shard: str, allow_inside_repo: bool) -> None:
    """Mail merge: one PDF letter per recipient of the CSV, plus a manifest (row, file, SHA-256, state).

    INCIDENT is its id or file. Bad rows are reported on stderr by row number and skipped; re-running
    skips letters already made and unchanged.

    Exit status: 0 all letters made, 1 some rows failed or nothing could be made, 2 usage error
    (including a recipients file or output folder refused).
    """
    project = _project(ctx)
    try:
        part = Shard.parse(shard)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--shard") from None
    record = _load_one_incident(ctx, incident)
    refused = path_findings(project, recipients, out, allow_inside_repo=allow_inside_repo)
    if refused:
        _findings_exit(refused, 2)
    try:
        with ProgressBar("letters", unit="letters") as bar:
            result = merge_letters(project, record, recipients, out, single_pdf=single_pdf, jobs=jobs, shard=part,
                                   progress=bar, recipients_display=str(recipients))
    except FindingsError as exc:
        _findings_exit(exc.findings)
    if result.failed:
        _echo(format_findings(result.failed), err=True)
    _echo(f"{result.written} letter(s) written, {result.unchanged} unchanged, {result.failed_rows} row(s) failed; "
               f"manifest: {result.manifest}" + (f"; print file: {result.single_pdf}" if result.single_pdf else ""),
               err=True)
    sys.exit(1 if result.failed else 0)


@main.command("letter-sample")
@click.argument("incident")
@click.argument("output", required=False, type=click.Path(dir_okay=False, path_type=Path), metavar="")
@click.option("--out", type=OUT_FILE, default=None,
              help="PDF file to write, or - for stdout.  [default: out/letters/INCIDENT-sample.pdf]")
@click.option("--jurisdiction", default=None, help="Residence code (US-NC): include what residents there get.")
@click.pass_context
def letter_sample(ctx: click.Context, incident: str, output: Path | None, out: Path | None,
                  jurisdiction: str | None) -> None:
    """Write INCIDENT's letter (its id or file) with placeholder recipient data (<NAME>, <ADDRESS>) as a
    PDF: the copy of the notice regulators ask for. Prints the file's path and SHA-256.

    Exit status: 0 written, 1 findings (the letter lacks what the law requires, or the incident has errors),
    2 usage error.
    """
    if output is not None:
        _echo("note: the positional OUTPUT is deprecated; write --out FILE", err=True)
    record = _load_one_incident(ctx, incident)
    try:
        letter = render_sample(_project(ctx), record, jurisdiction)
    except FindingsError as exc:
        _findings_exit(exc.findings)
    target: Path = _either(out, output) or _project(ctx).root / OUT / "letters" / f"{record.id}-sample.pdf"
    if str(target) == "-":
        sys.stdout.buffer.write(letter.pdf)
        sys.stdout.flush()
        return
    _echo(f"{_project(ctx).relative(target)}  sha256 {write_atomic(target, letter.pdf)}")


@main.command()
@click.option("--out", type=OUT_DIR, default=None, help="Folder to write the site into.  [default: site_dir of "
              "mkdocs.yml, site/]")
@_deprecated("--site-dir", "--out", type=OUT_DIR)
@click.option("--strict/--no-strict", default=True, show_default=True,
              help="Stop on MkDocs warnings too (a broken link, a page missing from the nav).")
@_jobs_option("for the build: with 2 or more the filing PDFs are made in the background while MkDocs renders "
              "the pages", default=None,
              default_text=f"the plugin's jobs in mkdocs.yml, by default the CPUs available, at most 4 (here {JOBS})")
@click.pass_context
def build(ctx: click.Context, out: Path | None, site_dir: Path | None, strict: bool, jobs: int | None) -> None:
    """Validate the incidents, then build the site (mkdocs.yml) and the filings into it.

    Exit status: 0 built, 1 findings or a failed build (nothing is published then).
    """
    project = _project(ctx)
    with ProgressBar("checking incidents") as bar:
        incidents, findings = check(project, progress=bar)
    if findings:
        _echo(format_findings(findings), err=True)
    if has_errors(findings):
        _echo(f"{sum(f.is_error for f in findings)} error(s): the site was not built", err=True)
        sys.exit(1)
    try:
        built = build_site(project.root / "mkdocs.yml", site_dir=_either(out, site_dir), strict=strict, jobs=jobs)
    except SiteBuildError as error:
        _echo(str(error), err=True)
        sys.exit(1)
    _echo(f"site of {len(incidents)} incident(s) built in {built}", err=True)


@main.command()
@click.option("--dev-addr", metavar="HOST:PORT", default=None,
              help="Address to serve on. Default: dev_addr of mkdocs.yml (127.0.0.1:8000).")
@click.option("--open", "open_in_browser", is_flag=True, help="Open the site in a browser.")
@click.pass_context
def serve(ctx: click.Context, dev_addr: str | None, open_in_browser: bool) -> None:
    """Preview the site, rebuilding it when an incident, a rule file or a template changes (Ctrl-C stops).

    Uses ProperDocs when it is installed, MkDocs otherwise.
    """
    try:
        serve_site(_project(ctx).root / "mkdocs.yml", dev_addr=dev_addr, open_in_browser=open_in_browser)
    except SiteBuildError as error:
        _echo(str(error), err=True)
        sys.exit(1)
    except EngineError as error:
        raise _Problem(str(error)) from None


# --- a content repository of one's own --------------------------------------------------------------

@main.command("init")
@click.argument("directory", type=click.Path(path_type=Path), default=Path("."))
@click.option("--update-schemas", is_flag=True,
              help="Only rewrite DIRECTORY/schemas/ with this breachdocs' editor schemas (after an upgrade).")
def init_command(directory: Path, update_schemas: bool) -> None:
    """Start a content repository in DIRECTORY (default: here): incidents/ with the organisation profile
    and a fictional example, mkdocs.yml, the GitHub workflows, CODEOWNERS, the pull-request template,
    .pre-commit-config.yaml, .gitignore, requirements.txt and schemas/ for editors.

    Never overwrites a file: when any of them exists, nothing is written.
    Exit status: 0 written, 2 nothing written (a file exists already, or DIRECTORY is a file).
    """
    try:
        written = scaffold_update_schemas(directory) if update_schemas else scaffold(directory)
    except ScaffoldError as error:
        raise _Problem(str(error)) from None
    for path in written:
        _echo(directory / path)
    if update_schemas:
        _echo(f"{len(written)} schema(s) refreshed; commit them", err=True)
    else:
        _echo(f"{len(written)} file(s) written. Next: cd {directory}, replace the organisation in "
                   "incidents/_organization.yaml with yours, then breachdocs validate and breachdocs build", err=True)
