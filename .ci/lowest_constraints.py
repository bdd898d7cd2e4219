"""Print a pip constraints file pinning every dependency of pyproject.toml to its declared lower bound.

`make test-lowest` installs breachdocs with it into a venv of its own, so the lowest versions the
package claims to work with are the ones tested (the main venv has the highest).
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

BOUND = re.compile(r"^\s*([A-Za-z0-9_.\-\[\]]+?)\s*(?:\[[^\]]*\])?\s*>=\s*([0-9][0-9A-Za-z.]*)")


def constraints(pyproject: Path) -> list[str]:
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    pins = []
    for requirement in project["dependencies"]:
        found = BOUND.match(requirement.split(";")[0])
        if found is None:
            raise SystemExit(f"{pyproject}: dependency {requirement!r} has no lower bound (>=); declare the lowest "
                             "version that works")
        pins.append(f"{found.group(1)}=={found.group(2)}")
    return pins


if __name__ == "__main__":
    print("\n".join(constraints(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("pyproject.toml"))))
