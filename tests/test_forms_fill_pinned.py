"""The MassMutual NC filing's SHA-256, pinned: speed-ups of the fill must not change a byte
(a filing is identified by its hash; see benchmarks/README.md, forms)."""

from __future__ import annotations

import contextlib
import io
import subprocess
import sys
from pathlib import Path

import pytest
from formtools import MASSMUTUAL, ROOT
from pypdf.errors import DeprecationError, PdfStreamError
from pypdf.generic import NameObject, TextStringObject, create_string_object

from benchmarks.generate import write_project
from breachdocs.forms import Form, fill_incident, fill_incident_copies, forms_for, load_form
from breachdocs.hashing import sha256_bytes
from breachdocs.pdf import fill, pdf_encoding
from breachdocs.pdf.pdf_encoding import encoded_name, encoded_text
from breachdocs.project import Project
from breachdocs.project_check import check
from breachdocs.records import Incident

#: Measured before the writer was made faster (pypdf 7.1.0); the same with pypdf 6.0.0.
PINNED = {
    False: "6a4520414582a29b8aae95b7afcc167b0e9df47a50cd15a7cd7351598823f195",
    True: "542a5cf1fb2d5b707b459702b9ebb4e8074339ab3469fc31228c6cc6a943cd04",
}


@pytest.mark.parametrize("flat", [False, True])
def test_massmutual_nc_fill_keeps_its_sha256(flat: bool) -> None:
    project = Project(ROOT)
    incidents, findings = check(project, [project.incidents_dir / f"{MASSMUTUAL}.yaml"])
    assert findings == []
    form, problems = load_form(project.templates_dir, "us-nc-ago-breach", root=ROOT)
    assert form is not None, problems
    for _ in range(2):  # the second fill reuses the form's parsed (and pre-serialised) objects
        data, problems = fill_incident(form, incidents[0], flatten_form=flat)
        assert data is not None and problems == []
        assert sha256_bytes(data) == PINNED[flat]


@pytest.mark.parametrize("name", ["/Type", "/A#B", "/two words", "/Caf\u00e9", "/x(y)", "/BDFlat0x12"])
def test_memoised_names_are_the_bytes_pypdf_writes(name: str) -> None:
    memo = encoded_name(NameObject(name))
    assert memo == encoded_name(NameObject(name)) == pdf_encoding._original_renumber(NameObject(name))
    for fast in (False, True):
        stream = io.BytesIO()
        with pdf_encoding.fast_tokens() if fast else contextlib.nullcontext():
            NameObject(name).write_to_stream(stream)
        assert stream.getvalue() == memo


def test_a_name_without_its_slash_is_still_refused() -> None:
    """As pypdf refuses it (PdfStreamError in pypdf 7, DeprecationError in pypdf 6)."""
    with pytest.raises((PdfStreamError, DeprecationError)) as theirs:
        NameObject("Type").write_to_stream(io.BytesIO())
    with pytest.raises(type(theirs.value)):
        encoded_name(NameObject("Type"))


@pytest.mark.parametrize("text", ["5135", "Springfield, MA 01111", "a (b) \\ c", "tab\there\nnew line",
                                  "Caf\u00e9 \u2014 \u00bd", "\u4e2d\u6587", "", "\x00\xff~"])
def test_text_strings_are_the_bytes_pypdf_writes(text: str) -> None:
    for obj in (TextStringObject(text), create_string_object(text.encode("utf-16be", "replace"))):
        if not isinstance(obj, TextStringObject):
            continue
        ours, theirs = io.BytesIO(), io.BytesIO()
        with pdf_encoding.fast_tokens():
            obj.write_to_stream(ours)
        obj.write_to_stream(theirs)
        assert ours.getvalue() == theirs.getvalue() == encoded_text(obj)


def _massmutual() -> tuple[Form, Incident]:
    project = Project(ROOT)
    incidents, findings = check(project, [project.incidents_dir / f"{MASSMUTUAL}.yaml"])
    form, problems = load_form(project.templates_dir, "us-nc-ago-breach", root=ROOT)
    assert findings == [] and form is not None, problems
    return form, incidents[0]


def test_both_copies_from_one_fill_keep_their_sha256() -> None:
    form, incident = _massmutual()
    copies, problems = fill_incident_copies(form, incident)
    assert copies is not None and problems == []
    assert [sha256_bytes(c) for c in copies] == [PINNED[False], PINNED[True]]


def test_both_copies_when_pypdf_keeps_its_metadata_elsewhere(monkeypatch: pytest.MonkeyPatch) -> None:
    """If a pypdf upgrade moves the document information object, the flattened copy is filled afresh:
    same bytes, only slower."""
    form, incident = _massmutual()
    monkeypatch.setattr(fill, "_forget_metadata", lambda writer: False)
    copies, _ = fill_incident_copies(form, incident)
    assert copies is not None and [sha256_bytes(c) for c in copies] == [PINNED[False], PINNED[True]]


def test_generated_incidents_get_the_same_copies_either_way(tmp_path: Path) -> None:
    write_project(tmp_path / "p", 60, seed=11)
    project = Project(tmp_path / "p")
    incidents, _ = check(project)
    form, _ = load_form(project.templates_dir, "us-nc-ago-breach", root=project.root)
    assert form is not None
    used = [i for i in incidents if "us-nc-ago-breach" in forms_for(project.templates_dir, i)]
    assert len(used) >= 5
    for incident in used:
        copies, _ = fill_incident_copies(form, incident)
        assert copies == (fill_incident(form, incident)[0], fill_incident(form, incident, flatten_form=True)[0])


def _pypdf_writers() -> tuple[object, object]:
    return NameObject.__dict__.get("write_to_stream"), TextStringObject.__dict__.get("write_to_stream")


def test_the_table_writers_apply_only_while_our_writer_writes() -> None:
    before = _pypdf_writers()
    form, incident = _massmutual()
    with pdf_encoding.fast_tokens():
        assert _pypdf_writers() != before
        with pdf_encoding.fast_tokens():  # nested (a packet written while a form is): still in place
            pass
        assert _pypdf_writers() != before
    assert _pypdf_writers() == before
    assert fill_incident(form, incident)[0] is not None and _pypdf_writers() == before


def test_importing_the_plugin_and_the_cli_leaves_pypdf_untouched() -> None:
    script = (
        "import pypdf.generic as g\n"
        "def writers(): return [c.__dict__.get('write_to_stream') for c in (g.NameObject, g.TextStringObject)]\n"
        "before = writers()\n"
        "import breachdocs.site.plugin, breachdocs.cli, breachdocs.pdf.fill, breachdocs.filings.bundle\n"
        "assert writers() == before, (writers(), before)\n"
        "print('untouched')\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.strip() == "untouched", done.stderr


def test_a_pypdf_that_changed_gets_its_own_code_back_with_a_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    """When pypdf no longer works as measured, the fill warns and writes with pypdf's own code: same bytes."""
    monkeypatch.setattr(pdf_encoding, "_usable", None)
    monkeypatch.setattr(pdf_encoding, "_TABLE", object())  # as if pypdf had replaced its table
    form, incident = _massmutual()
    before = _pypdf_writers()
    with pytest.warns(RuntimeWarning, match="renumber_table was replaced.*pypdf's own code"):
        with pdf_encoding.fast_tokens():
            assert _pypdf_writers() == before
    data, _ = fill_incident(form, incident, flatten_form=True)
    assert data is not None and sha256_bytes(data) == PINNED[True]
