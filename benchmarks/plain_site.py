"""The baseline of the site benchmark: MkDocs + Material building plain Markdown pages.

One page per incident, of about the size of a breachdocs incident page (summary,
facts, residents table, the three narrative paragraphs, filings), written as
files outside the nav and reached from one index page with a table of all of them,
as the breachdocs pages are (per-incident pages kept out of the nav).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

_Loader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MKDOCS_YML = """\
site_name: Plain MkDocs baseline
docs_dir: docs
theme:
  name: material
  font: false
  features: [navigation.indexes]
plugins: [search]
nav:
  - index.md
not_in_nav: |
  /incidents/
markdown_extensions: [tables, admonition, attr_list]
"""


def incident_markdown(data: dict[str, Any]) -> str:
    """A plain page holding what a breachdocs incident page shows."""
    dates = data["dates"]
    business = data.get("reporting_business") or {"name": data.get("organization", "")}
    lines = [
        f"# {data['title']}", "",
        f'!!! info "{data["status"]}"',
        f"    {business.get('name', '')} · discovered {dates['discovered']} · {data['affected']['total']:,} affected", "",
        "## Facts", "", "| Field | Value |", "|---|---|",
        f"| Id | `{data['id']}` |", f"| Status | {data['status']} |",
        *(f"| {k.replace('_', ' ').capitalize()} | {v} |" for k, v in dates.items()),
        f"| Data | {', '.join(data['data']['elements'])} ({data['data']['format']}) |",
        f"| Protected | {'yes' if data['data']['protected'] else 'no'} |", "",
        "## Affected residents", "", "| Jurisdiction | People |", "|---|---:|",
        *(f"| {code} | {count:,} |" for code, count in data["affected"]["residents"].items()), "",
        "## What happened", "", data["circumstances"], "",
        "## What was done", "", data.get("actions_taken", ""), "",
        "## Prevention", "", data.get("prevention", ""), "",
        "## Filings", "", "| Jurisdiction | Recipient | Submitted |", "|---|---|---|",
        *(f"| {f['jurisdiction']} | {f['recipient']} | {f['submitted']} |" for f in data.get("filings", [])), "",
    ]
    return "\n".join(lines)


def write_plain_site(project: Path, folder: Path) -> int:
    """Write ``folder/mkdocs.yml`` and ``folder/docs`` from the incidents of ``project``; returns the page count."""
    docs = folder / "docs"
    (docs / "incidents").mkdir(parents=True, exist_ok=True)
    (folder / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    rows = ["# Incidents", "", "| Id | Title | Status | Discovered | Affected |", "|---|---|---|---|---:|"]
    count = 0
    for file in sorted((project / "incidents").glob("*.yaml")):
        if file.name.startswith("_"):
            continue
        data = yaml.load(file.read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506 - safe loader
        (docs / "incidents" / f"{data['id']}.md").write_text(incident_markdown(data), encoding="utf-8")
        rows.append(f"| [{data['id']}](incidents/{data['id']}.md) | {data['title']} | {data['status']} "
                    f"| {data['dates']['discovered']} | {data['affected']['total']:,} |")
        count += 1
    (docs / "index.md").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return count


SAME_PAGES_CONFIG = "mkdocs-same-pages.yml"
SAME_PAGES_DOCS = "same-pages-docs"


def dump_generated_pages(root: Path) -> tuple[Path, int]:
    """Write the Markdown the breachdocs plugin generates as plain files, and a config without the plugin.

    The baseline "same Markdown": MkDocs building exactly the pages breachdocs makes
    (same count, same bytes, same theme and extensions, same nav), from files, with no
    plugin. The ratio to it is the plugin's own cost: loading and checking incidents,
    rendering the page templates. Returns the config written and the pages dumped.
    """
    import shutil

    from mkdocs.config import load_config
    from mkdocs.structure.files import get_files

    config_file = root / "mkdocs.yml"
    config = load_config(str(config_file))
    config.plugins.on_startup(command="build", dirty=False)
    config = config.plugins.on_config(config)
    files = config.plugins.on_files(get_files(config), config=config)
    config.plugins.on_shutdown()  # the build ends here: the plugin stops what it began (the filings)
    docs = root / SAME_PAGES_DOCS
    shutil.rmtree(docs, ignore_errors=True)
    count = 0
    for file in files:
        target = docs / file.src_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        if file.generated_by:
            target.write_text(file.content_string, encoding="utf-8")
            count += 1
        else:
            shutil.copyfile(file.abs_src_path, target)
    lines = []
    for line in config_file.read_text(encoding="utf-8").splitlines():
        if line.strip() in ("- breachdocs", "breachdocs:"):
            continue
        if line.startswith("docs_dir:"):
            line = f"docs_dir: {SAME_PAGES_DOCS}"
        lines.append(line)
    lines.append("not_in_nav: |\n  /incidents/*/\n  /jurisdictions/*/")
    out = root / SAME_PAGES_CONFIG
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out, count
