"""Values of the NC form for the baselines (bare pypdf, pdftk), computed once before timing.

The baselines fill the same form with the same kind of values the breachdocs
engine fills from its field map; this module does the mapping by hand, as a
user without breachdocs would, so the baselines measure filling alone.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

NC_FORM = Path("templates/forms/us-nc-ago-breach/form.pdf")


def _us(date: str | None) -> str:
    if not date:
        return ""
    year, month, day = date.split("-")
    return f"{month}/{day}/{year}"


def nc_values(data: dict[str, Any]) -> dict[str, str]:
    """Field name -> text for the North Carolina Security Breach Reporting Form."""
    b = data.get("reporting_business") or {}
    dates = data["dates"]
    contact = data.get("contact") or {}
    methods = set(data["notice"]["methods"])
    filing = next((f for f in data.get("filings", []) if f["jurisdiction"] == "US-NC"), {})
    maintainer = data.get("maintaining_business")
    values = {
        "business_name": b.get("name", ""),
        "business_street": b.get("street", ""),
        "business_city_state_zip": f"{b.get('city', '')}, {b.get('state', '')} {b.get('zip', '')}",
        "business_phone": b.get("phone", ""),
        "business_fax": b.get("fax", ""),
        "business_email": b.get("email", ""),
        "date_submitted": _us(filing.get("submitted")),
        "date_discovered": _us(dates["discovered"]),
        "affected_total": f"{data['affected']['total']:,}",
        "affected_nc": f"{data['affected']['residents'].get('US-NC', 0):,}",
        "maintaining_business": maintainer["name"] if isinstance(maintainer, dict) else "NA",
        "circumstances": data["circumstances"],
        "protected": "Yes" if data["data"]["protected"] else "No",
        "protection": data["data"].get("protection", ""),
        "prevention": data.get("prevention", ""),
        "date_notified": _us(dates.get("consumers_notified")),
        "delay_reason": data["notice"].get("delay_reason", ""),
        "signature_date": _us(filing.get("signed")),
        "contact_title": contact.get("title", ""),
        "contact_address": b.get("street", ""),
        "contact_address_2": f"{b.get('city', '')}, {b.get('state', '')} {b.get('zip', '')}",
        "contact_phone": contact.get("phone", b.get("phone", "")),
        "contact_fax": b.get("fax", ""),
        "contact_email": b.get("email", ""),
    }
    for method in ("written", "electronic", "telephone", "substitute"):
        values[f"notice_{method}"] = "/Yes" if method in methods else "/Off"
    return values


def xfdf(values: dict[str, str]) -> str:
    """The XFDF document pdftk fill_form reads."""
    fields = "".join(
        f'<field name="{escape(k)}"><value>{escape(v.lstrip("/"))}</value></field>' for k, v in values.items()
    )
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<xfdf xmlns="http://ns.adobe.com/xfdf/" xml:space="preserve">'
            f"<fields>{fields}</fields></xfdf>\n")


def engine_values(root: Path, count: int) -> list[dict[str, str]] | None:
    """The values breachdocs computes for the NC form (None when the project has no such form)."""
    from breachdocs.forms import incident_values, load_form

    from .adapters import NC_FORM_ID, nc_incidents

    form, _ = load_form(root / "templates", NC_FORM_ID)
    if form is None:
        return None
    out = []
    for incident in nc_incidents(root, count):
        values, _ = incident_values(form, incident)
        out.append({v.name: (f"/{v.state}" if v.state is not None else v.text or "") for v in values})
    return out


def write_form_inputs(project: Path, folder: Path, count: int) -> tuple[Path, Path]:
    """``values.json`` (a list of value maps) and ``xfdf/NNNNN.xfdf`` for ``count`` NC incidents.

    The values are the engine's own when it is present, so both sides fill the same text;
    otherwise :func:`nc_values` maps the incidents by hand.
    """
    values = engine_values(project, count)
    if values is None:
        from .adapters import nc_incidents

        values = [nc_values(i.data) for i in nc_incidents(project, count)]
    folder.mkdir(parents=True, exist_ok=True)
    values_file = folder / "values.json"
    values_file.write_text(json.dumps(values), encoding="utf-8")
    xfdf_dir = folder / "xfdf"
    xfdf_dir.mkdir(exist_ok=True)
    for n, v in enumerate(values):
        (xfdf_dir / f"{n:05d}.xfdf").write_text(xfdf(v), encoding="utf-8")
    return values_file, xfdf_dir
