"""Where a breachdocs project keeps its data: a value, no checks.

A project is a folder with ``incidents/``, ``jurisdictions/`` and
``templates/``. The whole-project check is :mod:`breachdocs.project_check`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .resources import packaged_name


@dataclass(frozen=True)
class Project:
    root: Path

    @property
    def incidents_dir(self) -> Path:
        return self.root / "incidents"

    @property
    def jurisdictions_dir(self) -> Path:
        return self.root / "jurisdictions"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def site_dir(self) -> Path:
        return self.root / "site"

    def relative(self, path: Path | str) -> str:
        """``path`` as findings name it: relative to the project (POSIX) when inside it, else as given."""
        return relative(path, self.root)

    @classmethod
    def find(cls, start: Path | None = None) -> Project:
        """The nearest folder at or above ``start`` holding ``incidents/``; else ``start`` itself."""
        here = (start or Path.cwd()).resolve()
        for candidate in (here, *here.parents):
            if (candidate / "incidents").is_dir():
                return cls(candidate)
        return cls(here)


def relative(path: Path | str, root: Path | None) -> str:
    """``path`` relative to ``root`` (both resolved; POSIX separators); outside ``root`` (or without one), one of
    breachdocs' packaged files as ``breachdocs:<kind>/<file>``, anything else as given."""
    if root is not None:
        try:
            return Path(path).resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            pass
        try:  # a link inside the project that leads out of it: the link's own name
            return Path(path).absolute().relative_to(root.absolute()).as_posix()
        except ValueError:
            pass
    return packaged_name(Path(path)) or str(path)
