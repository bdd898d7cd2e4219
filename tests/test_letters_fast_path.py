"""The content check renders what all states share once: the same bodies, findings and errors as a
full render of the letter for each state."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from letters_fixtures import incident, make_project, move_to_2020, shift_to_2020, write_template

from benchmarks.generate import write_project
from breachdocs.findings import Finding, FindingsError
from breachdocs.letters import content_findings
from breachdocs.letters import template as template_module
from breachdocs.letters.context import PLACEHOLDER, letter_context
from breachdocs.letters.letter_law import load_letter_laws
from breachdocs.letters.render import LetterRenderer
from breachdocs.letters.template import LetterTemplate
from breachdocs.project import Project
from breachdocs.project_check import check

TODAY = dt.date(2026, 11, 24)
EXTRA = ("US-CA", "US-MA", "US-NC", "US-NY", "US-TX")


def _full_render(monkeypatch: pytest.MonkeyPatch, project: Project, inc: object, **kw: object) -> list[Finding]:
    """content_findings with the template never split: one whole render per state, as before."""
    with monkeypatch.context() as patch:
        patch.setattr(template_module, "_chunks", lambda env, template: None)
        return content_findings(project, inc, **kw)  # type: ignore[arg-type]


def test_generated_incidents_same_bodies_and_findings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = Project(write_project(tmp_path, 12, seed=5))
    incidents, _ = check(project, today=TODAY)
    laws = load_letter_laws(project.jurisdictions_dir, root=project.root)
    states = 0
    for inc in incidents:
        renderer = LetterRenderer(project, inc, laws=laws)
        assert template_module._chunks(renderer.template._env, renderer.template._template) is not None
        codes = sorted({c for c, n in inc.residents.items() if n > 0 and c in laws} | set(EXTRA))
        states = max(states, len(codes))
        fast = list(renderer.bodies(PLACEHOLDER, codes))
        assert fast == [renderer.body(PLACEHOLDER, residence=code) for code in codes]
        assert [b.text for b in fast] == [renderer.body(PLACEHOLDER, residence=c).text for c in codes]
        assert content_findings(project, inc, laws=laws, residences=EXTRA) == \
            _full_render(monkeypatch, project, inc, laws=laws, residences=EXTRA)
    assert states >= 10, "some incident touches many states"


def test_missing_required_element_same_finding(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = make_project(tmp_path, nc_required="likely_consequences")
    inc = incident(project)
    fast = content_findings(project, inc, residences=("US-MA", "US-NC"))
    assert fast == _full_render(monkeypatch, project, inc, residences=("US-MA", "US-NC"))
    assert len(fast) == 1 and "lacks 'likely_consequences'" in fast[0].message
    assert "North Carolina" in fast[0].message


def test_error_in_a_state_section_same_finding(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    shift_to_2020(project)  # North Carolina's paragraph counts from 2009-10-01
    write_template(project, "broken", """\
        {% call section("opening") %}
        <p>Dear customer,</p>
        {% endcall %}
        {% if state_paragraphs %}
        {% call section("state", provides="ag_contact") %}
        <p>{{ state_paragraphs[0] }} {{ incident.no_such_fact }}</p>
        {% endcall %}
        {% endif %}
        """)
    template = LetterTemplate(project.templates_dir / "letters", "broken", root=project.root)
    laws = load_letter_laws(project.jurisdictions_dir, root=project.root)
    inc = incident(project)
    contexts = [letter_context(inc, PLACEHOLDER, laws.get(code)) for code in ("US-CA", "US-NC", "US-MA")]
    first = template.render(contexts[0])  # no law for California here: no state section, no error
    with pytest.raises(FindingsError) as whole:
        template.render(contexts[1])
    bodies = template.render_each(contexts)
    assert next(bodies) == first
    with pytest.raises(FindingsError) as split:
        next(bodies)
    assert split.value.findings == whole.value.findings
    assert whole.value.findings[0].line == 6 and "'no_such_fact'" in whole.value.findings[0].message


def test_text_outside_sections_in_a_state_part_same_finding(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    move_to_2020(project)  # Massachusetts gives its paragraph from 2007-10-31
    write_template(project, "stray", """\
        {% call section("opening") %}
        <p>Dear customer,</p>
        {% endcall %}
        {% if state_paragraphs %}
        {{ state_paragraphs[0] }}
        {% endif %}
        """)
    template = LetterTemplate(project.templates_dir / "letters", "stray", root=project.root)
    laws = load_letter_laws(project.jurisdictions_dir, root=project.root)
    contexts = [letter_context(incident(project), PLACEHOLDER, laws.get(code)) for code in ("US-CA", "US-MA")]
    with pytest.raises(FindingsError) as whole:
        template.render(contexts[1])
    bodies = template.render_each(contexts)
    assert next(bodies) == template.render(contexts[0])
    with pytest.raises(FindingsError) as split:
        next(bodies)
    assert split.value.findings == whole.value.findings
    assert "writes text outside" in whole.value.findings[0].message
