"""The wheel carries breachdocs' rule base, default templates and site assets as package data.

They stay where the repository keeps them (``jurisdictions/``, ``templates/``,
``site_src/assets/``); building the package copies them into ``breachdocs/_data/``
(see ``breachdocs.resources``). An editable install reads the folders in place.
Everything else is in pyproject.toml.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
#: Package-data folder name -> the repository folder it is copied from.
DATA = {"jurisdictions": "jurisdictions", "templates": "templates", "assets": "site_src/assets", "github": ".github"}
SKIP = shutil.ignore_patterns("__pycache__", "*.pyc", "*.py", ".*")


class BuildWithData(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        target = Path(self.build_lib) / "breachdocs" / "_data"
        for name, source in DATA.items():
            if (target / name).exists():
                shutil.rmtree(target / name)
            shutil.copytree(HERE / source, target / name, ignore=SKIP)


setup(cmdclass={"build_py": BuildWithData})
