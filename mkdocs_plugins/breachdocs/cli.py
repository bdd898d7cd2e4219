"""The ``breachdocs`` command: a few lines over the core library for each command."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from . import __version__
from .findings import format_findings, has_errors
from .project import Project, check
from .records import packaged_schema

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
      breachdocs validate              check every incident in incidents/
      breachdocs schema > incident.schema.json
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
    incidents, findings = check(project, paths)
    if fmt == "json" or findings:
        click.echo(format_findings(findings, fmt))  # type: ignore[arg-type]
    if fmt == "text":
        errors = sum(f.is_error for f in findings)
        summary = f"{len(incidents)} incident(s) valid" if not errors else f"{errors} error(s)"
        click.echo(summary, err=True)
    sys.exit(1 if has_errors(findings) else 0)


@main.command()
def schema() -> None:
    """Print the incident JSON Schema (draft 2020-12) that editors use to autocomplete and check incidents."""
    click.echo(json.dumps(packaged_schema("incident.schema.json"), indent=2))


@main.command()
@click.option("--site-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where to write the site. Default: site_dir of mkdocs.yml (site/).")
@click.option("--strict/--no-strict", default=True, show_default=True,
              help="Stop on MkDocs warnings too (a broken link, a page missing from the nav).")
@click.pass_context
def build(ctx: click.Context, site_dir: Path | None, strict: bool) -> None:
    """Validate the incidents, then build the site (mkdocs.yml) and the filings into it.

    Exit status: 0 built, 1 findings or a failed build (nothing is published then).
    """
    from .site.build import SiteBuildError, build_site

    project = _project(ctx)
    incidents, findings = check(project)
    if findings:
        click.echo(format_findings(findings))
    if has_errors(findings):
        click.echo(f"{sum(f.is_error for f in findings)} error(s): the site was not built", err=True)
        sys.exit(1)
    try:
        built = build_site(project.root / "mkdocs.yml", site_dir=site_dir, strict=strict)
    except SiteBuildError as error:
        click.echo(str(error), err=True)
        sys.exit(1)
    click.echo(f"site of {len(incidents)} incident(s) built in {built}", err=True)
