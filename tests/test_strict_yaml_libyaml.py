"""The libyaml fast path of the strict loader gives exactly what the pure-Python parser gives."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from benchmarks.generate import iter_incidents
from breachdocs.records import strict_yaml

CASES = {
    "plain": "a: x\nb: 'y'\nc: \"z\"\nd: |\n  block\ne: >-\n  folded\n",
    "numbers": "zip: 01111\nn: 12\nf: 1.5\nt: 8:30\nx: 0x1F\n",
    "booleans": "a: yes\nb: no\nc: true\nd: 'no'\nno: 1\n",
    "dates": "d: 2007-08-10\nq: '2007-08-10'\n",
    "duplicate": "a: 1\nb: 2\na: 3\n",
    "lists": "l: [a, 'b', 3]\nm:\n  - x\n  - {k: v}\n",
    "null": "a: null\nb: ~\nc:\n",
    "tag": "a: !!python/object:os.system x\nb: !custom y\n",
    "merge": "base: &b {x: 1}\nc:\n  <<: *b\n",
    "aliases": "a: &x [1, 2]\nb: *x\n",
    "tab": "a:\n\t- b\n",
    "two documents": "a: 1\n---\nb: 2\n",
    "unclosed quote": "a: 'x\nb: 2\n",
    "bad indent": "a: 1\n  b: 2\n",
    "complex key": "? [a]\n: 1\n",
    "unicode": "name: Zoë Ångström\n",
}


def _both(text: str, monkeypatch: pytest.MonkeyPatch) -> tuple[strict_yaml.Loaded, strict_yaml.Loaded]:
    fast = strict_yaml.load_yaml_text(text, "x.yaml")
    with monkeypatch.context() as m:
        m.delattr(yaml, "CSafeLoader", raising=False)  # no libyaml: PyYAML's own parser
        slow = strict_yaml.load_yaml_text(text, "x.yaml")
    return fast, slow


def test_libyaml_is_used_when_available(monkeypatch: pytest.MonkeyPatch) -> None:
    if not hasattr(yaml, "CSafeLoader"):
        pytest.skip("PyYAML built without libyaml")
    used: list[type] = []
    real = yaml.compose

    def spy(text: str, Loader: type) -> object:  # noqa: N803 - PyYAML's keyword
        used.append(Loader)
        return real(text, Loader=Loader)

    monkeypatch.setattr(yaml, "compose", spy)
    strict_yaml.load_yaml_text("a: 1\n", "x.yaml")
    assert used == [yaml.CSafeLoader]


@pytest.mark.parametrize("text", CASES.values(), ids=CASES.keys())
def test_same_data_marks_and_findings(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    fast, slow = _both(text, monkeypatch)
    assert (fast.data, fast.marks, fast.findings) == (slow.data, slow.marks, slow.findings)


def test_same_result_on_generated_incidents(monkeypatch: pytest.MonkeyPatch) -> None:
    for _name, text in iter_incidents(60, seed=11):
        fast, slow = _both(text, monkeypatch)
        assert (fast.data, fast.marks, fast.findings) == (slow.data, slow.marks, slow.findings)
        assert not fast.findings


def test_the_example_incident_loads_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    root = Path(__file__).resolve().parent.parent
    for file in sorted((root / "incidents").glob("*.yaml")):
        fast, slow = _both(file.read_text(encoding="utf-8"), monkeypatch)
        assert (fast.data, fast.marks, fast.findings) == (slow.data, slow.marks, slow.findings)
