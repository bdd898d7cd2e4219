"""Letter templates: the sandbox holds, and every template error names template, line and value."""

from __future__ import annotations

from pathlib import Path

import pytest
from letters_fixtures import edit_incident, incident, make_project, move_to_2020, write_template

from breachdocs.findings import Finding, FindingsError
from breachdocs.letters import PLACEHOLDER, render_sample
from breachdocs.letters.render import LetterRenderer
from breachdocs.project import Project


def _error(project: Project, name: str, body: str) -> Finding:
    write_template(project, name, body)
    edit_incident(project, "template: default", f"template: {name}")
    with pytest.raises(FindingsError) as caught:
        render_sample(project, incident(project))
    assert len(caught.value.findings) == 1
    return caught.value.findings[0]


def test_missing_value_names_template_line_and_value(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    finding = _error(project, "fax", """\
        {% call section("head") %}
        <p>{{ business.name }}</p>
        <p>Fax: {{ business.fax_number }}</p>
        {% endcall %}
        """)
    assert (finding.path, finding.line) == ("templates/letters/fax.j2", 3)
    assert "'fax_number'" in finding.message and "the letter data does not have" in finding.message


def test_syntax_error_names_the_line(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    finding = _error(project, "broken", """\
        {% call section("head") %}
        <p>{{ business.name }</p>
        {% endcall %}
        """)
    assert finding.path == "templates/letters/broken.j2" and finding.line == 2
    assert finding.message.startswith("template syntax error:")


@pytest.mark.parametrize("trick", [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ business.__class__.__init__.__globals__ }}",
    "{{ letter.paragraphs.append('injected') }}",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
])
def test_sandbox_blocks_template_tricks(tmp_path: Path, trick: str) -> None:
    project = make_project(tmp_path)
    finding = _error(project, "evil", f"""\
        {{% call section("head") %}}
        <p>{trick}</p>
        {{% endcall %}}
        """)
    assert finding.path == "templates/letters/evil.j2" and finding.line == 2
    assert "sandbox forbids" in finding.message or "does not have" in finding.message


def test_templates_cannot_include_files_outside_templates_letters(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    (project.root / "secret.txt").write_text("SECRET", encoding="utf-8")
    finding = _error(project, "escape", """\
        {% call section("head") %}
        <p>{% include "../../secret.txt" %}</p>
        {% endcall %}
        """)
    assert finding.path == "templates/letters/escape.j2" and finding.line == 2
    assert "'../../secret.txt', which is not a file of templates/letters/" in finding.message


def test_markup_beyond_inline_tags_is_refused(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    finding = _error(project, "image", """\
        {% call section("head") %}
        <p>{{ business.name }} <img src="/etc/passwd"/></p>
        {% endcall %}
        """)
    assert finding.path == "templates/letters/image.j2"
    assert 'uses the tag <img src="/etc/passwd"/>' in finding.message


def test_text_outside_sections_is_refused(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    finding = _error(project, "loose", "<p>{{ business.name }}</p>\n")
    assert "outside {% call section(...) %}" in finding.message


def test_unknown_template_named_by_the_incident(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    edit_incident(project, "template: default", "template: fancy")
    with pytest.raises(FindingsError) as caught:
        LetterRenderer(project, incident(project))
    finding = caught.value.findings[0]
    assert finding.field == "notice.letter.template"
    assert "there is no letter template 'fancy' in templates/letters/ (available: default)" in finding.message


def test_sections_declare_what_they_provide(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    move_to_2020(project)  # the template's own sections, under the law of 2020 (a free security freeze)
    body = LetterRenderer(project, incident(project)).body(PLACEHOLDER, residence="US-NC")
    provided = body.provided()
    assert {"incident_description", "incident_date", "data_elements", "credit_bureaus", "fraud_alert",
            "security_freeze", "police_report", "ftc_contact", "ag_contact", "contact_information"} <= provided
    assert "credit_monitoring" in provided  # the test project's incident offers 18 months
    edit_incident(project, "credit_monitoring_months: 18", "credit_monitoring_months: 0")
    offers_none = LetterRenderer(project, incident(project)).body(PLACEHOLDER, residence="US-NC")
    assert "credit_monitoring" not in offers_none.provided()  # the section renders empty
    california = LetterRenderer(project, incident(project)).body(PLACEHOLDER, residence="US-CA")
    assert "ag_contact" not in california.provided()
