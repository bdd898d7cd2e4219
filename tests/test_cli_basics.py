"""The CLI's own surface: help that explains, and the schema it prints."""

from __future__ import annotations

import json

from click.testing import CliRunner
from jsonschema import Draft202012Validator

from breachdocs.cli import main


def test_help_lists_commands_and_explains() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    assert "validate" in result.output and "schema" in result.output
    assert "breachdocs validate" in result.output


def test_validate_help_documents_exit_status() -> None:
    result = CliRunner().invoke(main, ["validate", "--help"])
    assert "Exit status: 0 clean, 1 findings, 2 usage error." in result.output


def test_schema_is_a_documented_draft_2020_12_schema() -> None:
    result = CliRunner().invoke(main, ["schema"])
    schema = json.loads(result.output)
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"

    def walk(node: dict, path: str) -> list[str]:
        missing = []
        for name, sub in node.get("properties", {}).items():
            if "description" not in sub:
                missing.append(f"{path}.{name}: description")
            if "examples" not in sub and sub.get("type") not in ("object", None) and "$ref" not in sub:
                missing.append(f"{path}.{name}: examples")
            missing += walk(sub, f"{path}.{name}")
            if isinstance(sub.get("items"), dict):
                missing += walk(sub["items"], f"{path}.{name}[]")
        return missing

    assert walk(schema, "") == []
    business = schema["properties"]["reporting_business"]["properties"]
    assert business["zip"]["examples"] == ["01111"]
