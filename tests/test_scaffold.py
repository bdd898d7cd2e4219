"""``breachdocs init``: a content repository of one's own, built on the packaged rule base and templates."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from html import unescape
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from breachdocs.cli import main
from breachdocs.resources import EDITOR_SCHEMAS, ENVIRONMENT, packaged_dir
from tests.editor_lsp import ROOT, YamlLanguageServer, available

pytestmark = pytest.mark.packaged_data

BREACHDOCS = str(Path(sys.executable).with_name("breachdocs"))
EXAMPLE = "2025-01-14-example-stolen-laptop"
needs_server = pytest.mark.skipif(not available() and not os.environ.get("CI"),
                                  reason="yaml-language-server not installed (make test installs it with npm)")


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([BREACHDOCS, *args], cwd=cwd, capture_output=True, text=True, timeout=600)


def output(result: subprocess.CompletedProcess[str]) -> str:
    """What a command printed (findings and results; which stream each goes to is the CLI's business)."""
    return result.stdout + result.stderr


def page_text(file: Path) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", file.read_text(encoding="utf-8"))).split())


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("init") / "acme"
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv(ENVIRONMENT)  # breachdocs' packaged files: what a new repository is made of
        result = CliRunner().invoke(main, ["init", str(target)])
    assert result.exit_code == 0, result.output
    return target


def test_init_writes_a_whole_content_repository(repo: Path) -> None:
    files = sorted(p.relative_to(repo).as_posix() for p in repo.rglob("*") if p.is_file())
    github = sorted(f".github/{p.relative_to(ROOT / '.github').as_posix()}" for p in (ROOT / ".github").rglob("*")
                    if p.is_file())
    assert {".github/CODEOWNERS", ".github/pull_request_template.md", ".github/workflows/pr.yml",
            ".github/workflows/publish.yml"} <= set(github)
    assert files == sorted([
        *github, ".gitignore", ".pre-commit-config.yaml", "README.md",
        f"incidents/{EXAMPLE}.yaml", "incidents/_organization.yaml", "mkdocs.yml", "requirements.txt",
        "schemas/incident.schema.json", "schemas/jurisdiction.schema.json", "schemas/organization.schema.json",
        "site_src/about.md",
    ])
    assert (repo / "requirements.txt").read_text().splitlines()[-1] == "breachdocs[sign]==0.1.0"
    for name, source in EDITOR_SCHEMAS.items():
        assert (repo / "schemas" / name).read_bytes() == (ROOT / "mkdocs_plugins" / "breachdocs" / source).read_bytes()
    # the repository's own workflows and review files are the ones a new repository starts with
    for name in ("CODEOWNERS", "pull_request_template.md", "workflows/publish.yml"):
        assert (repo / ".github" / name).read_bytes() == (ROOT / ".github" / name).read_bytes()
    ignored = (repo / ".gitignore").read_text().splitlines()
    assert {"/site/", "/public", "/.public.releases/", "/preview", "/previews/", ".cache/"} <= set(ignored)


def test_the_scaffold_validates_and_builds_with_obligations_from_the_packaged_rules(repo: Path,
                                                                                     tmp_path: Path) -> None:
    work = tmp_path / "acme"
    shutil.copytree(repo, work)
    assert not (work / "jurisdictions").exists() and not (work / "templates").exists()
    checked = run("validate", cwd=work)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "1 incident(s) valid" in output(checked)
    built = run("build", cwd=work)
    assert built.returncode == 0, built.stdout + built.stderr
    page = page_text(work / "site" / "incidents" / EXAMPLE / "index.html")
    assert "Notice to the Attorney General to North Carolina Attorney General, Consumer Protection Division US-NC" in page
    assert "120 US-NC residents >= 1 personal information: name + ssn" in page
    assert "40 US-VA residents >= 1" in page
    # breachdocs' theme override, stylesheet and vendored Mermaid came from the package
    assert (work / "site" / "assets" / "breachdocs.css").read_bytes() == (ROOT / "site_src/assets/breachdocs.css").read_bytes()
    assert (work / "site" / "assets" / "vendor" / "mermaid" / "mermaid.min.js").is_file()
    home = (work / "site" / "index.html").read_text(encoding="utf-8")
    assert "<title>Breach compliance</title>" in home
    assert (work / "site" / "filings" / EXAMPLE / "us-nc-ago-breach-flat.pdf").read_bytes().startswith(b"%PDF")


def test_init_never_overwrites_and_writes_nothing_then(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text("site_name: ours\n")
    result = run("init", str(tmp_path), cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith(f"Error: {tmp_path}: mkdocs.yml already exist(s); breachdocs init never "
                                    "overwrites a file")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mkdocs.yml"]
    assert (tmp_path / "mkdocs.yml").read_text() == "site_name: ours\n"


def test_validate_warns_of_a_stale_schema_copy_until_it_is_refreshed(repo: Path, tmp_path: Path) -> None:
    work = tmp_path / "acme"
    shutil.copytree(repo, work)
    (work / "schemas" / "incident.schema.json").write_text('{"type": "object"}\n')
    (work / "schemas" / "jurisdiction.schema.json").unlink()
    stale = run("validate", cwd=work)
    assert stale.returncode == 0  # a warning: the incidents are fine
    assert ("schemas/incident.schema.json: warning: the editor schema differs from the schema of this breachdocs, "
            "so editors check the files differently from validate; refresh the copies with "
            "`breachdocs init --update-schemas` and commit them") in output(stale)
    assert "schemas/jurisdiction.schema.json: warning: the editor schema is missing" in output(stale)
    refreshed = run("init", "--update-schemas", cwd=work)
    assert refreshed.returncode == 0, refreshed.stderr
    assert refreshed.stdout.splitlines() == [f"schemas/{name}" for name in EDITOR_SCHEMAS]
    again = run("validate", cwd=work)
    assert again.returncode == 0 and "warning" not in again.stdout + again.stderr


@needs_server
def test_an_editor_shows_no_problem_in_the_scaffolded_files_and_flags_a_wrong_field(repo: Path,
                                                                                     tmp_path: Path) -> None:
    work = tmp_path / "acme"
    shutil.copytree(repo, work)
    broken = work / "incidents" / "2025-02-01-typo.yaml"
    text = (work / "incidents" / f"{EXAMPLE}.yaml").read_text().replace(f"id: {EXAMPLE}", "id: 2025-02-01-typo")
    broken.write_text(text.replace('discovered: "2025-01-14"', "discovered: January 14, 2025"))
    with YamlLanguageServer(work) as server:
        assert server.diagnostics(work / "incidents" / f"{EXAMPLE}.yaml") == []
        assert server.diagnostics(work / "incidents" / "_organization.yaml") == []
        shown = server.diagnostics(broken)
    line = next(i for i, t in enumerate(text.splitlines(), 1) if t.strip().startswith("discovered:"))
    assert {n for n, _ in shown} == {line}, shown
    assert f"incidents/2025-02-01-typo.yaml:{line}:15: error: dates.discovered:" in output(run("validate", cwd=work))


def test_a_project_rule_file_replaces_the_packaged_one_and_its_page_says_so(repo: Path, tmp_path: Path) -> None:
    work = tmp_path / "acme"
    shutil.copytree(repo, work)
    (work / "jurisdictions").mkdir()
    own = re.sub(r"(?m)^name: .*$", "name: Virginia (our reading)", (ROOT / "jurisdictions" / "us-va.yaml").read_text())
    (work / "jurisdictions" / "us-va.yaml").write_text(own)
    (work / "templates" / "site").mkdir(parents=True)
    home = (ROOT / "templates" / "site" / "home.md.j2").read_text()
    (work / "templates" / "site" / "home.md.j2").write_text("Our own home page.\n\n" + home)
    built = run("build", cwd=work)
    assert built.returncode == 0, built.stdout + built.stderr
    virginia = page_text(work / "site" / "jurisdictions" / "us-va" / "index.html")
    assert "Virginia (our reading) (US-VA)" in virginia
    assert "Rule file this repository's own jurisdictions/us-va.yaml , in place of breachdocs' rule file" in virginia
    assert "Rule file" not in page_text(work / "site" / "jurisdictions" / "us-nc" / "index.html")
    assert "Our own home page." in page_text(work / "site" / "index.html")


def test_in_a_source_checkout_the_packaged_data_is_the_checkout_s_own_folders() -> None:
    assert packaged_dir("jurisdictions") == ROOT / "jurisdictions"
    assert packaged_dir("templates", "letters") == ROOT / "templates" / "letters"
    assert packaged_dir("assets") == ROOT / "site_src" / "assets"


def test_the_pre_commit_hooks_validate_the_changed_incident_files(repo: Path, tmp_path: Path) -> None:
    """pre-commit runs ``entry`` with the changed files that match ``files``: as here."""
    offered = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    configured = yaml.safe_load((repo / ".pre-commit-config.yaml").read_text())["repos"][0]["hooks"]
    work = tmp_path / "acme"
    shutil.copytree(repo, work)
    example, profile = work / "incidents" / f"{EXAMPLE}.yaml", work / "incidents" / "_organization.yaml"
    changed = [f"incidents/{EXAMPLE}.yaml", "incidents/_organization.yaml", "mkdocs.yml", "README.md"]
    for hook in (*offered, *configured):
        assert hook["id"] == "breachdocs-validate" and hook["files"] == r"^incidents/.*\.yaml$"
        chosen = [f for f in changed if re.search(hook["files"], f)]
        assert chosen == changed[:2]
        entry = hook["entry"].split()
        assert entry[0] == "breachdocs"
        assert run(*entry[1:], *chosen, cwd=work).returncode == 0
        example.write_text(example.read_text().replace("total: 160", "total: 10"))
        failed = run(*entry[1:], chosen[0], cwd=work)
        assert failed.returncode == 1, failed.stdout
        assert "error: affected.total: the residents listed add up to 160, more than the total of 10" in output(failed)
        shutil.copy(repo / "incidents" / f"{EXAMPLE}.yaml", example)
        # a changed profile is checked through the incidents that inherit from it
        profile.write_text(profile.read_text().replace('zip: "27701"', "zip: 27701x"))
        failed = run(*entry[1:], chosen[1], cwd=work)
        assert failed.returncode == 1, failed.stdout
        assert "incidents/_organization.yaml:10:8: error: reporting_business.zip: '27701x' is not in the expected form" \
            in output(failed)
        shutil.copy(repo / "incidents" / "_organization.yaml", profile)
