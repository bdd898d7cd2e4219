"""The wheel alone is enough: installed in a fresh virtual environment (not editable, no clone), it starts a
content repository that validates and builds, with obligations from the rule base it carries."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from html import unescape
from pathlib import Path

import pytest

from tests.clone_support import clone_like_copy, environment

pytestmark = pytest.mark.packaged_data


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("wheel")
    source = clone_like_copy(base / "source")
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", ".", "--no-deps", "--wheel-dir", str(base / "dist")],
                           cwd=source, env=environment(base / "home"), capture_output=True, text=True, timeout=900)
    assert built.returncode == 0, built.stdout + built.stderr
    (found,) = (base / "dist").glob("breachdocs-*.whl")
    return found


def test_the_wheel_carries_the_rule_base_templates_assets_and_scaffold(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    data = "breachdocs/_data/"
    for name in ("jurisdictions/README.md", "jurisdictions/us-nc.yaml", "jurisdictions/eu-gdpr.yaml",
                 "templates/letters/default.j2", "templates/forms/us-nc-ago-breach/form.pdf",
                 "templates/forms/us-nc-ago-breach/fields.yaml", "templates/site/incident.md.j2",
                 "templates/site/theme/main.html", "assets/breachdocs.css", "assets/vendor/mermaid/mermaid.min.js",
                 "github/CODEOWNERS", "github/pull_request_template.md", "github/workflows/publish.yml"):
        assert data + name in names, name
    rules = [n for n in names if n.startswith(data + "jurisdictions/") and n.endswith(".yaml")]
    repository_rules = list((Path(__file__).resolve().parent.parent / "jurisdictions").rglob("*.yaml"))
    assert len(rules) == len(repository_rules)
    assert data + "jurisdictions/submissions/us-nc-attorney-general.yaml" in names  # regulator submissions too
    assert "breachdocs/scaffold/files/incidents/2025-01-14-example-stolen-laptop.yaml" in names
    assert "breachdocs/scaffold/files/gitignore" in names
    assert not [n for n in names if n.endswith(".py") and n.startswith(data)]  # data, no scripts
    license_files = [n for n in names if n.endswith("licenses/LICENSE")]
    assert license_files and b"Apache License" in zipfile.ZipFile(wheel).read(license_files[0])


def test_a_fresh_environment_with_only_the_wheel_inits_validates_and_builds(wheel: Path, tmp_path: Path) -> None:
    env = environment(tmp_path / "home")
    venv = tmp_path / "env"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    installed = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", str(wheel)],
                               env=env, capture_output=True, text=True, timeout=900)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    work = tmp_path / "work"
    work.mkdir()
    env["PATH"] = f"{venv / 'bin'}:{env['PATH']}"
    where = subprocess.run(["python", "-c", "from breachdocs.resources import packaged_dir; "
                                            "print(packaged_dir('jurisdictions'))"],
                           cwd=work, env=env, capture_output=True, text=True, check=True).stdout.strip()
    assert Path(where).is_relative_to(venv) and where.endswith("site-packages/breachdocs/_data/jurisdictions")
    result = subprocess.run(["bash", "-e", "-c", "breachdocs init demo && cd demo && breachdocs validate && breachdocs build"],
                            cwd=work, env=env, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr
    demo = work / "demo"
    assert not (demo / "jurisdictions").exists() and not (demo / "templates").exists()
    page = (demo / "site" / "incidents" / "2025-01-14-example-stolen-laptop" / "index.html").read_text(encoding="utf-8")
    text = " ".join(unescape(re.sub(r"<[^>]+>", " ", page)).split())
    obligations = text[text.index("Duties ¶"):]
    assert "Notice to the Attorney General to North Carolina Attorney General, Consumer Protection Division US-NC" \
        in obligations
    assert "120 US-NC residents >= 1 personal information: name + ssn" in obligations
    assert "Notice to affected Virginia residents" in obligations
    nc = " ".join(unescape(re.sub(r"<[^>]+>", " ", (demo / "site" / "jurisdictions" / "us-nc" / "index.html")
                                   .read_text(encoding="utf-8"))).split())
    assert "N.C.G.S. 75-65" in nc and "Rule file" not in nc  # breachdocs' own rule file
