"""Incident records: strict YAML, the incident schema, semantic checks."""

from .incident import Incident, find_incident_files, load_incident, load_incidents
from .locate import UnknownIncident, incident_ids, locate_incident, locate_targets
from .schema_check import load_mapping, packaged_schema, schema_findings
from .strict_yaml import Loaded, dotted, load_yaml, load_yaml_text

__all__ = [
    "Incident",
    "Loaded",
    "UnknownIncident",
    "dotted",
    "find_incident_files",
    "incident_ids",
    "load_incident",
    "load_incidents",
    "load_mapping",
    "load_yaml",
    "load_yaml_text",
    "locate_incident",
    "locate_targets",
    "packaged_schema",
    "schema_findings",
]
