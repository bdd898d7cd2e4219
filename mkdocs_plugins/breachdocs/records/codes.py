"""The vocabulary of places where affected people live.

Residents are counted by ISO 3166-2 code for US states and territories
(``US-NC``) and by ISO 3166-1 code for countries (``GB``); residents of the
European Union by member state (``EU-DE``, ``EU-FR``), or as ``EU`` when the
member states are not known. A jurisdiction file in ``jurisdictions/`` names
the codes whose residents it protects; ``EU`` there covers every ``EU-XX``.
"""

from __future__ import annotations

US_STATES: dict[str, str] = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "FL": "Florida", "GA": "Georgia",
    "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois", "IN": "Indiana", "IA": "Iowa",
    "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana", "ME": "Maine", "MD": "Maryland",
    "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota", "MS": "Mississippi",
    "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada", "NH": "New Hampshire",
    "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York", "NC": "North Carolina",
    "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon", "PA": "Pennsylvania",
    "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota", "TN": "Tennessee",
    "TX": "Texas", "UT": "Utah", "VT": "Vermont", "VA": "Virginia", "WA": "Washington",
    "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming",
}
US_OTHER: dict[str, str] = {
    "DC": "District of Columbia", "PR": "Puerto Rico", "GU": "Guam", "VI": "U.S. Virgin Islands",
}
EU_MEMBERS: dict[str, str] = {
    "AT": "Austria", "BE": "Belgium", "BG": "Bulgaria", "HR": "Croatia", "CY": "Cyprus", "CZ": "Czechia",
    "DK": "Denmark", "EE": "Estonia", "FI": "Finland", "FR": "France", "DE": "Germany", "GR": "Greece",
    "HU": "Hungary", "IE": "Ireland", "IT": "Italy", "LV": "Latvia", "LT": "Lithuania", "LU": "Luxembourg",
    "MT": "Malta", "NL": "Netherlands", "PL": "Poland", "PT": "Portugal", "RO": "Romania", "SK": "Slovakia",
    "SI": "Slovenia", "ES": "Spain", "SE": "Sweden",
}
#: Codes of rule files for regimes that are not a place (filings name them as their jurisdiction).
REGIME_CODES = ("EU-GDPR", "GB-UKGDPR")

RESIDENCE_CODES: dict[str, str] = {
    **{f"US-{k}": v for k, v in US_STATES.items()},
    **{f"US-{k}": v for k, v in US_OTHER.items()},
    "EU": "European Union",
    **{f"EU-{k}": v for k, v in EU_MEMBERS.items()},
    "GB": "United Kingdom",
}


def region_of(code: str) -> str | None:
    """The wider residence code a code belongs to: ``EU-DE`` -> ``EU``; None for the others."""
    return "EU" if code.startswith("EU-") and code in RESIDENCE_CODES else None


def is_jurisdiction_code(code: str) -> bool:
    """A code a filing may name: a residence code, a federal regime (``US-FED-...``) or a regime code."""
    return code in RESIDENCE_CODES or code in REGIME_CODES or code.startswith("US-FED-")


def residence_name(code: str) -> str:
    return RESIDENCE_CODES.get(code, code)


def suggest_code(code: str) -> str | None:
    """``NC`` -> ``US-NC``, ``nc`` -> ``US-NC``, ``UK`` -> ``GB``, ``DE`` -> ``EU-DE``."""
    upper = code.upper()
    if upper in RESIDENCE_CODES:
        return upper
    if f"US-{upper}" in RESIDENCE_CODES:
        return f"US-{upper}"
    if upper == "UK":
        return "GB"
    if upper in EU_MEMBERS:
        return f"EU-{upper}"
    for k, v in RESIDENCE_CODES.items():
        if v.lower() == code.lower():
            return k
    return None
