"""Throw-away breachdocs projects for the site tests: the repo's site files plus chosen incidents."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "incidents" / "2007-08-10-massmutual-misdirected-email.yaml"
PROFILE = ROOT / "incidents" / "_organization-massmutual.yaml"
HOSTILE = "</title><script>alert('x')</script> {{ 7*7 }} *bold* [link](javascript:alert(1)){: onclick=\"alert(2)\"}"
SCHEMA_LINE = "# yaml-language-server: $schema=../mkdocs_plugins/breachdocs/records/incident.schema.json\n"


def example_data() -> dict[str, Any]:
    return yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))


def write_incident(project: Path, data: dict[str, Any]) -> Path:
    file = project / "incidents" / f"{data['id']}.yaml"
    file.write_text(SCHEMA_LINE + yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return file


def hostile_incident() -> dict[str, Any]:
    """The example incident with markup and template syntax in its free-text fields."""
    data = example_data()
    data.update(id="2020-01-02-hostile-text", title=f"Title {HOSTILE}", circumstances=HOSTILE,
                actions_taken=f"- list item\n\n# heading\n{HOSTILE}", notes=HOSTILE)
    data["dates"] = {"discovered": "2020-01-02", "consumers_notified": "2020-02-03"}
    data["filings"] = []
    data["risk_assessment"] = [{"jurisdiction": "US-NC", "decided_on": "2020-01-03", "decided_by": "Dennis J. Miles",
                                "harm_likely": True}]
    return data


def site_project(tmp: Path, *, incidents: list[dict[str, Any]] | None = None, filings: bool = False) -> Path:
    """A project in ``tmp``: mkdocs.yml, site_src/, templates/ of the repo, and the given incidents
    (default: the repo's incidents). Without ``filings`` the site gets no filing PDFs (faster builds)."""
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    if not filings:
        config = config.replace("  - breachdocs\n", "  - breachdocs:\n      filings: false\n")
    (tmp / "mkdocs.yml").write_text(config, encoding="utf-8")
    shutil.copytree(ROOT / "site_src", tmp / "site_src")
    shutil.copytree(ROOT / "templates", tmp / "templates")
    if (ROOT / "jurisdictions").is_dir():
        shutil.copytree(ROOT / "jurisdictions", tmp / "jurisdictions")
    if incidents is None:
        shutil.copytree(ROOT / "incidents", tmp / "incidents")
    else:
        (tmp / "incidents").mkdir()
        shutil.copy(PROFILE, tmp / "incidents" / PROFILE.name)
        for data in incidents:
            write_incident(tmp, data)
    return tmp
