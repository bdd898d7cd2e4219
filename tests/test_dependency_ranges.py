"""Every dependency declares the range it is tested in; the lowest ends become the constraints of `make test-lowest`."""

from __future__ import annotations

import importlib.util
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("lowest_constraints", ROOT / ".ci" / "lowest_constraints.py")
assert _spec is not None and _spec.loader is not None
lowest = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(lowest)


def test_every_dependency_has_a_lower_and_an_upper_bound() -> None:
    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    for requirement in dependencies:
        assert ">=" in requirement and ",<" in requirement, requirement


def test_the_constraints_pin_each_dependency_to_its_lower_bound() -> None:
    pins = lowest.constraints(ROOT / "pyproject.toml")
    assert pins == ["mkdocs==1.6", "mkdocs-material==9.5", "jinja2==3.0", "pyyaml==6.0", "pypdf==6.0",
                    "jsonschema==4.2", "click==8.2", "reportlab==4.0.4", "rl-accel==0.9"]


def test_a_dependency_without_a_lower_bound_is_refused(tmp_path: Path) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[project]\ndependencies = ["mkdocs>=1.6,<2", "jinja2"]\n')
    with pytest.raises(SystemExit, match="dependency 'jinja2' has no lower bound"):
        lowest.constraints(pyproject)
