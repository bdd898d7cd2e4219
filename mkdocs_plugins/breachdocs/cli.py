"""The ``breachdocs`` command: a few lines over the core library for each command."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from . import __version__
from .filings.bundle import FilingsResult, build_filings
from .filings.documents import filing_documents
from .filings.signing import ENV_CERT, ENV_KEY, ENV_PASSPHRASE, SigningError, SigningKey
from .findings import FindingsError, format_findings, has_errors
from .forms.fieldmap import starting_map
from .forms.folder import open_pdf
from .git import GitError
from .law import Obligation, obligations
from .law.deadlines import deadlines_table, ics, open_duties
from .law.obligations import DEFAULT_INTERNAL_TARGET_DAYS, obligations_json, obligations_table
from .letters import render_sample
from .letters.merge import Shard, merge_letters, path_findings
from .pdf.inspect import list_fields
from .project import Project
from .project_check import ProjectCheck, check, check_project
from .project_check import validate as validate_project
from .publish.diff import diff_revisions, to_json, to_markdown
from .publish.release import build_release
from .records import Incident, load_incident, packaged_schema
from .scaffold import ScaffoldError, scaffold
from .scaffold import update_schemas as scaffold_update_schemas
from .site.build import SiteBuildError, build_project_site, build_site, serve_site
from .site.engine import EngineError
from .submissions import Submission, load_submissions, worksheet_pdf, worksheets
from .writer import source_date, write_atomic

FORMATS = click.Choice(["text", "github", "json"])


def _project(ctx: click.Context) -> Project:
    return ctx.obj  # type: ignore[no-any-return]


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
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
      breachdocs validate                 check every incident in incidents/
      breachdocs obligations INCIDENT     who must be told what, by when, and why
      breachdocs deadlines --ics cal.ics  every open duty, soonest first
      breachdocs fill INCIDENT            fill its regulator form(s) into site/filings/
      breachdocs letters INCIDENT --recipients FILE.csv --out DIR
                                          mail merge (the list stays outside the repo)
      breachdocs build                    validate, then build the site and filings
      breachdocs diff main HEAD           what a branch changes, for the reviewer
    """
    ctx.obj = Project(root.resolve()) if root else Project.find()


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True,
              help="text for people, github for workflow annotations, json for programs.")
@click.pass_context
def validate(ctx: click.Context, paths: tuple[Path, ...], fmt: str) -> None:
    """Check incident files (default: all of incidents/).

    Prints one line per finding, as FILE:LINE:COLUMN: SEVERITY: FIELD: MESSAGE.
    Exit status: 0 clean, 1 findings, 2 usage error.
    """
    project = _project(ctx)
    missing = [p for p in paths if not p.exists()]
    if missing:
        raise click.UsageError(f"no such file or folder: {missing[0]}")
    checked, findings = validate_project(project, paths)
    if fmt == "json" or findings:
        click.echo(format_findings(findings, fmt))  # type: ignore[arg-type]
    if fmt == "text":
        errors = sum(f.is_error for f in findings)
        summary = f"{checked} incident(s) valid" if not errors else f"{errors} error(s)"
        click.echo(summary, err=True)
    sys.exit(1 if has_errors(findings) else 0)


@main.command()
def schema() -> None:
    """Print the incident JSON Schema (draft 2020-12) that editors use to autocomplete and check incidents."""
    click.echo(json.dumps(packaged_schema("incident.schema.json"), indent=2))


# --- publish: filings bundle, diff between revisions, atomic publish -------------------------------------------


@main.command()
@click.argument("base")
@click.argument("head", default="HEAD")
@click.option("--format", "fmt", type=click.Choice(["markdown", "json"]), default="markdown", show_default=True)
@click.option("--as-of", type=click.DateTime(["%Y-%m-%d"]), default=None, help="Judge deadlines as of this date.")
@click.option("--previews", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Render the first page of each new or changed filing as a PNG into this folder.")
@click.option("--preview-base", default="", help="Prefix of the preview image links in the Markdown.")
@click.pass_context
def diff(ctx: click.Context, base: str, head: str, fmt: str, as_of: object, previews: Path | None,
         preview_base: str) -> None:
    """Compare two Git revisions: incidents (field by field), obligations, filings (by SHA-256).

    Markdown output is made for a pull request's job summary:
    breachdocs diff origin/main HEAD >> "$GITHUB_STEP_SUMMARY"
    """
    try:
        found = diff_revisions(_project(ctx).root, base, head, previews=previews,
                               as_of=as_of.date() if as_of else None)  # type: ignore[attr-defined]
    except GitError as exc:
        raise click.UsageError(str(exc)) from exc
    click.echo(to_json(found) if fmt == "json" else to_markdown(found, preview_base=preview_base), nl=False)


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
        raise click.UsageError(str(error)) from None


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
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("site"), show_default=True,
              help="Output folder; filings go to OUT/filings/.")
@click.option("--jobs", type=click.IntRange(1, 256), default=1, show_default=True,
              help="Processes rendering the filings (same files and manifest for any number).")
@_signing_options
@click.pass_context
def filings(ctx: click.Context, out: Path, jobs: int, sign_key: Path | None, sign_cert: Path | None) -> None:
    """Write every filing PDF and filings/manifest.json (deterministic; honours SOURCE_DATE_EPOCH)."""
    project = _project(ctx)
    incidents, findings = check(project)
    if has_errors(findings):
        click.echo(format_findings(findings), err=True)
        sys.exit(1)
    result = build_filings(project, incidents, out, jobs=jobs, signing=_signing_key(sign_key, sign_cert))
    _report_filings(result)
    click.echo(f"{len(result.manifest['filings'])} filing document(s) in {out / 'filings'} "
               f"({len(result.rendered)} incident(s) rendered, {len(result.reused)} from cache)", err=True)


def _report_filings(result: FilingsResult) -> None:
    """What a build of the filings must tell: documents it could not publish, changes nobody approved."""
    for missing in result.unrecovered:
        click.echo(f"{missing}: warning: the document as filed is not reproduced by any revision in Git "
                   "(not published); keep the PDF as sent with your records", err=True)
    for line in result.unapproved:
        click.echo(f"{line}: warning: its filings are published as NOT APPROVED (the stamp and the manifest say so)",
                   err=True)


@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--site", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The published site or bundle folder (holding filings/manifest.json). Default: the one FILE "
                   "was published in, else public/, else site/.")
@click.option("--manifest", "manifest_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The manifest itself (filings/manifest.json).")
@click.option("--trust", type=click.Path(exists=True, dir_okay=False, path_type=Path), multiple=True,
              help="Certificate a signed copy's signature must chain to (repeatable).")
@click.pass_context
def verify(ctx: click.Context, file: Path, site: Path | None, manifest_file: Path | None, trust: tuple[Path, ...]) -> None:
    """Say which incident and filing FILE.pdf is, whether its bytes match the record and the manifest, and who
    approved it. Exits 1, saying why, when any of it does not hold (one changed byte is enough).

    breachdocs verify public/filings/<incident>/<form>-flat.stamped.pdf
    """
    from .filings.verify import verify_file

    verdict = verify_file(_project(ctx), file, site=site, manifest_file=manifest_file, trust=list(trust))
    click.echo(verdict.text())
    if not verdict.ok:
        click.echo(f"breachdocs verify: {file} DOES NOT VERIFY: do not treat it as the approved filing", err=True)
        sys.exit(1)


@main.command()
@click.option("--dest", type=click.Path(path_type=Path), default=Path("public"), show_default=True,
              help="Published folder: a symlink switched atomically to each new build.")
@click.option("--keep", type=int, default=2, show_default=True, help="Earlier builds kept beside DEST.")
@_signing_options
@click.pass_context
def publish(ctx: click.Context, dest: Path, keep: int, sign_key: Path | None, sign_cert: Path | None) -> None:
    """Build the site and the filings bundle into a fresh folder, then switch DEST to it atomically.

    A failed build publishes nothing: DEST keeps pointing at the previous build. Re-run after an interruption.
    """
    try:
        signing = _signing_key(sign_key, sign_cert)
        with _signing_env(signing):
            target = build_release(_project(ctx), dest, site_builder=build_project_site, keep=keep,
                                   report=_report_filings, signing=signing)
    except (FindingsError, SiteBuildError) as exc:
        click.echo(format_findings(exc.findings) if isinstance(exc, FindingsError) else str(exc), err=True)
        click.echo(f"nothing published; {dest} is untouched", err=True)
        sys.exit(1)
    click.echo(f"published {dest} -> {target}", err=True)


# --- law: obligations and deadlines -------------------------------------------------------------

def _law_inputs(ctx: click.Context, day: dt.date) -> ProjectCheck:
    """The project checked, its obligations judged as of ``day`` (findings printed, not fatal; a project
    without a rule base is refused: every answer would be "nothing to do")."""
    from .law.rules import no_rule_base_finding

    missing = no_rule_base_finding(_project(ctx))
    if missing is not None:
        click.echo(format_findings([missing]), err=True)
        sys.exit(1)
    checked = check_project(_project(ctx), as_of=day)
    if has_errors(checked.findings):
        click.echo(format_findings(checked.findings), err=True)
    return checked


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


@main.command("obligations")
@click.argument("incident")
@click.option("--as-of", "as_of", metavar="DATE", help="Judge status as of this day (YYYY-MM-DD). Default: today.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--internal-target-days", type=click.IntRange(0, 365), default=30, show_default=True,
              help="Internal target for duties due 'without unreasonable delay', in days.")
@click.pass_context
def obligations_command(ctx: click.Context, incident: str, as_of: str | None, fmt: str,
                        internal_target_days: int) -> None:
    """Every notice the law requires for INCIDENT (its id or file), why, by when, and its status.

    With --format json each duty also names its submission: kind (form, portal, letter, filing), the file that
    describes it under jurisdictions/submissions/, and its worksheet PDF in the filings bundle."""
    day = _as_of(as_of)
    checked = _law_inputs(ctx, day)
    wanted = Path(incident).stem
    match = next((i for i in checked.incidents if i.id == wanted), None)
    if match is None:
        known = ", ".join(sorted(i.id for i in checked.incidents)) or "none"
        raise click.UsageError(f"no valid incident '{wanted}'; valid incidents: {known}")
    found = _judged(checked, [match], internal_target_days)
    project = _project(ctx)
    submissions, _problems = load_submissions(project.jurisdictions_dir, root=project.root)
    if fmt == "json":
        document = json.loads(obligations_json(match, found, day, internal_target_days))
        for row in document["obligations"]:
            row["submission"] = _submission_json(project, submissions.get((row["jurisdiction"], row["duty"])),
                                                 match.id if row["triggered"] else None)
        click.echo(json.dumps(document, indent=2, ensure_ascii=False))
    else:
        click.echo(f"{match.id} (discovered {match.discovered}), as of {day}")
        click.echo(obligations_table(found), nl=False)


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
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Also write each worksheet as PDF into this folder (JUR-DUTY-worksheet.pdf; a letter for "
                   "kind letter).")
@click.option("--as-of", "as_of", metavar="DATE", help="Judge the duties as of this day (YYYY-MM-DD). Default: today.")
@click.pass_context
def submission_command(ctx: click.Context, incident: str, duties: tuple[str, ...], out: Path | None,
                       as_of: str | None) -> None:
    """Print the regulator worksheets of INCIDENT: each question, its answer ready to copy, where the answer
    comes from, and what is missing. Exit status: 0 printed, 1 the incident has errors, 2 usage error."""
    project = _project(ctx)
    day = _as_of(as_of)
    checked = check_project(project, as_of=day)
    wanted = Path(incident).stem
    match = next((i for i in checked.incidents if i.id == wanted), None)
    if match is None:
        own = [f for f in checked.findings if f.is_error and Path(f.path).stem == wanted]
        if own:
            click.echo(format_findings(own))
            sys.exit(1)
        known = ", ".join(sorted(i.id for i in checked.incidents)) or "none"
        raise _OneLineUsageError(f"no valid incident '{wanted}'; valid incidents: {known}")
    submissions, _problems = load_submissions(project.jurisdictions_dir, root=project.root)
    kinds = ("portal", "letter", "filing", "form") if duties else ("portal", "letter", "filing")
    made = worksheets(match, checked.obligations.get(match.id, []), checked.rules, submissions, kinds=kinds)
    if duties:
        keys = set()
        for duty in duties:
            code, sep, duty_id = duty.partition(":")
            if not sep or not duty_id:
                raise _OneLineUsageError(f"--duty {duty!r}: write JURISDICTION:DUTY, e.g. US-TX:attorney-general")
            keys.add((code, duty_id))
        known_keys = {(w.submission.jurisdiction, w.submission.duty) for w in made}
        unknown = sorted(keys - known_keys)
        if unknown:
            have = ", ".join(f"{c}:{d}" for c, d in sorted(known_keys)) or "none"
            raise _OneLineUsageError(f"{unknown[0][0]}:{unknown[0][1]} is not a triggered regulator duty of "
                                     f"{match.id} with a submission; its duties: {have}")
        made = [w for w in made if (w.submission.jurisdiction, w.submission.duty) in keys]
    if not made:
        click.echo(f"{match.id}: no triggered regulator duty is a portal, letter or filing")
        return
    click.echo("\n".join(w.text() for w in made), nl=False)
    if out is not None:
        for w in made:
            if w.submission.kind == "form":
                continue
            digest = write_atomic(out / w.filename, worksheet_pdf(w))
            click.echo(f"wrote {out / w.filename}  sha256 {digest}", err=True)


@main.command("deadlines")
@click.option("--as-of", "as_of", metavar="DATE", help="Open duties as of this day (YYYY-MM-DD). Default: today.")
@click.option("--ics", "ics_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write an iCalendar file (RFC 5545) staff can subscribe to.")
@click.option("--internal-target-days", type=click.IntRange(0, 365), default=30, show_default=True)
@click.pass_context
def deadlines_command(ctx: click.Context, as_of: str | None, ics_file: Path | None, internal_target_days: int) -> None:
    """Every open duty across all incidents, soonest first."""
    checked = _law_inputs(ctx, _as_of(as_of))
    found = open_duties(_judged(checked, checked.incidents, internal_target_days))
    click.echo(deadlines_table(found) or "no open duties\n", nl=False)
    if ics_file:
        write_atomic(ics_file, ics(found, source_date()))
        click.echo(f"wrote {ics_file} ({len(found)} event(s))", err=True)


# --- forms -------------------------------------------------------------------


@main.command("form-fields")
@click.argument("pdf", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--map-out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write a starting field map (fields.yaml) listing every field, to complete by hand.")
def form_fields(pdf: Path, map_out: Path | None) -> None:
    """List the fields of a fillable PDF: name, type, page, size (points), options.

    Use it when adding a regulator's official PDF as templates/forms/FORM-ID/form.pdf:
    the names it prints are the keys of that form's fields.yaml.
    """
    if not pdf.is_file():
        raise click.ClickException(f"no such PDF: {pdf}")
    parsed, problems = open_pdf(pdf, str(pdf))
    if parsed is None:
        raise click.ClickException(str(problems[0]))
    reader, fields = parsed
    if not fields:
        raise click.ClickException(f"{pdf} has no form fields (it is not a fillable AcroForm)")
    for info in list_fields(reader):
        click.echo(info.line())
    click.echo(f"{len(fields)} field(s)", err=True)
    if map_out is not None:
        digest = write_atomic(map_out, starting_map(fields))
        click.echo(f"wrote {map_out}  sha256 {digest}", err=True)


@main.command()
@click.argument("incident")
@click.option("--form", "forms", multiple=True, metavar="FORM",
              help="Form id in templates/forms/ (repeatable). Default: every form the incident uses "
                   "(its filings[].form, and forms of the jurisdictions its residents live in).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder to write into. Default: site/filings/INCIDENT-ID/.")
@click.option("--flatten", is_flag=True,
              help="Write a non-editable copy for submission (FORM-flat.pdf) instead of the editable FORM.pdf.")
@click.option("--packet", is_flag=True,
              help="Also write FORM-packet.pdf: the flattened form followed by a copy of the notice, with bookmarks.")
@click.pass_context
def fill(ctx: click.Context, incident: str, forms: tuple[str, ...], out: Path | None, flatten: bool,
         packet: bool) -> None:
    """Fill the regulator form(s) of INCIDENT (an incident file, or its id) and print each file's path and SHA-256.

    Output is byte-for-byte reproducible, so the SHA-256 identifies what was filed
    (record it under filings[].sha256). Nothing is written unless every file can be made.
    Exit status: 0 written, 1 findings (printed as FILE:LINE:COLUMN: ...), 2 usage error.
    """
    project = _project(ctx)
    file = Path(incident)
    if not file.is_file():
        file = project.incidents_dir / f"{incident}.yaml"
    if not file.is_file():
        raise _OneLineUsageError(f"no incident '{incident}': neither a file nor {project.relative(file)}")
    incidents, findings = check(project, [file])
    errors = [f for f in findings if f.is_error]
    if errors or not incidents:
        click.echo(format_findings(errors or findings))
        sys.exit(1)
    documents, problems = filing_documents(project, incidents[0], forms or None, packet=packet)
    wanted = {"flat" if flatten else "", *(["packet"] if packet else [])}
    chosen = [d for d in documents if d.variant in wanted]
    if not chosen or any(f.is_error for f in problems):
        click.echo(format_findings([f for f in problems if f.is_error] or problems))
        sys.exit(1)
    folder = out or project.site_dir / "filings" / incidents[0].id
    for document in chosen:
        target = folder / document.filename
        click.echo(f"{project.relative(target)}  sha256 {write_atomic(target, document.data)}")


class _OneLineUsageError(click.ClickException):
    """A usage error printed as one line (``Error: ...``), exit status 2."""

    exit_code = 2


# -- letters ----------------------------------------------------------------------------------------

class _LetterProgress:
    """A progress bar on stderr: done/total, letters per second, time left."""

    def __init__(self) -> None:
        self._clock = time.monotonic
        self.start = self._clock()
        self.shown = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = self._clock()
        if done < total and now - self.shown < 0.2:
            return
        self.shown = now
        elapsed = max(now - self.start, 1e-6)
        rate = done / elapsed
        left = (total - done) / rate if rate else 0.0
        width = 30
        filled = int(width * done / total) if total else width
        bar = "#" * filled + "-" * (width - filled)
        end = "\n" if done >= total else ""
        click.echo(f"\r[{bar}] {done}/{total} {rate:,.0f} letters/s ETA {int(left) // 60:02d}:{int(left) % 60:02d}"
                   + end, err=True, nl=False)


def _load_one_incident(incident: Path) -> Incident:

    loaded, findings = load_incident(incident, display=str(incident))
    if loaded is None or has_errors(findings):
        click.echo(format_findings(findings), err=True)
        sys.exit(1)
    return loaded


@main.command()
@click.argument("incident", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--recipients", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="CSV with a header row naming at least name,address1,address2,city,state,zip.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder for the letters (created with owner-only permissions).")
@click.option("--single-pdf", is_flag=True, help="Also write every letter, in row order, into one print-ready PDF.")
@click.option("--jobs", type=click.IntRange(1, 256), default=1, show_default=True, help="Processes to use.")
@click.option("--shard", default="1/1", show_default=True,
              help="Make shard K of N (rows split by row position), each with its own manifest.")
@click.option("--allow-inside-repo", is_flag=True,
              help="Allow a recipients file or output folder inside the repository.")
@click.pass_context
def letters(ctx: click.Context, incident: Path, recipients: Path, out: Path, single_pdf: bool, jobs: int,
            shard: str, allow_inside_repo: bool) -> None:
    """Mail merge: one PDF letter per recipient of the CSV, plus a manifest (row, file, SHA-256, state).

    Bad rows are reported by row number and skipped; re-running skips letters already made and unchanged.
    Exit status: 0 all letters made, 1 some rows failed or nothing could be made, 2 usage error.
    """
    project = _project(ctx)
    try:
        part = Shard.parse(shard)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--shard") from None
    refused = path_findings(project, recipients, out, allow_inside_repo=allow_inside_repo)
    if refused:
        click.echo(format_findings(refused), err=True)
        sys.exit(2)
    record = _load_one_incident(incident)
    try:
        result = merge_letters(project, record, recipients, out, single_pdf=single_pdf, jobs=jobs, shard=part,
                               progress=_LetterProgress(), recipients_display=str(recipients))
    except FindingsError as exc:
        click.echo(format_findings(exc.findings), err=True)
        sys.exit(1)
    if result.failed:
        click.echo(format_findings(result.failed), err=True)
    click.echo(f"{result.written} letter(s) written, {result.unchanged} unchanged, {len(result.failed)} row(s) failed; "
               f"manifest: {result.manifest}" + (f"; print file: {result.single_pdf}" if result.single_pdf else ""),
               err=True)
    sys.exit(1 if result.failed else 0)


@main.command("letter-sample")
@click.argument("incident", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("output", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--jurisdiction", default=None, help="Residence code (US-NC): include what residents there get.")
@click.pass_context
def letter_sample(ctx: click.Context, incident: Path, output: Path, jurisdiction: str | None) -> None:
    """Write the incident's letter with placeholder recipient data (<NAME>, <ADDRESS>) as a PDF: the copy
    of the notice regulators ask for."""
    try:
        letter = render_sample(_project(ctx), _load_one_incident(incident), jurisdiction)
    except FindingsError as exc:
        click.echo(format_findings(exc.findings), err=True)
        sys.exit(1)
    click.echo(f"{output}: sha256 {write_atomic(output, letter.pdf)}")


@main.command()
@click.option("--site-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where to write the site. Default: site_dir of mkdocs.yml (site/).")
@click.option("--strict/--no-strict", default=True, show_default=True,
              help="Stop on MkDocs warnings too (a broken link, a page missing from the nav).")
@click.option("--jobs", type=click.IntRange(1, 256), default=None,
              help="Processes to use: with 2 or more the filing PDFs are made in the background while MkDocs "
                   "renders the pages (same output for any number). Default: the plugin's jobs (0: the CPUs available).")
@click.pass_context
def build(ctx: click.Context, site_dir: Path | None, strict: bool, jobs: int | None) -> None:
    """Validate the incidents, then build the site (mkdocs.yml) and the filings into it.

    Exit status: 0 built, 1 findings or a failed build (nothing is published then).
    """
    project = _project(ctx)
    incidents, findings = check(project)
    if findings:
        click.echo(format_findings(findings))
    if has_errors(findings):
        click.echo(f"{sum(f.is_error for f in findings)} error(s): the site was not built", err=True)
        sys.exit(1)
    try:
        built = build_site(project.root / "mkdocs.yml", site_dir=site_dir, strict=strict, jobs=jobs)
    except SiteBuildError as error:
        click.echo(str(error), err=True)
        sys.exit(1)
    click.echo(f"site of {len(incidents)} incident(s) built in {built}", err=True)


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
    except (SiteBuildError, EngineError) as error:
        click.echo(str(error), err=True)
        sys.exit(1)


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
    Exit status: 0 written, 1 nothing written.
    """
    try:
        written = scaffold_update_schemas(directory) if update_schemas else scaffold(directory)
    except ScaffoldError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(1)
    for path in written:
        click.echo(directory / path)
    if update_schemas:
        click.echo(f"{len(written)} schema(s) refreshed; commit them", err=True)
    else:
        click.echo(f"{len(written)} file(s) written. Next: cd {directory}, replace the organisation in "
                   "incidents/_organization.yaml with yours, then breachdocs validate and breachdocs build", err=True)
