"""The vocabulary of places where affected people live.

Residents are counted by ISO 3166-2 code for US states and territories
(``US-NC``) and by ISO 3166-1 code for countries (``GB``), with ``EU`` for the
European Union as a whole. A jurisdiction file in ``jurisdictions/`` names the
codes whose residents it protects.
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
EU_MEMBERS = (
    "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE".split()
)

RESIDENCE_CODES: dict[str, str] = {
    **{f"US-{k}": v for k, v in US_STATES.items()},
    **{f"US-{k}": v for k, v in US_OTHER.items()},
    "EU": "European Union",
    "GB": "United Kingdom",
}


def residence_name(code: str) -> str:
    return RESIDENCE_CODES.get(code, code)


def suggest_code(code: str) -> str | None:
    """``NC`` -> ``US-NC``, ``nc`` -> ``US-NC``, ``UK`` -> ``GB``, ``DE`` -> ``EU``."""
    upper = code.upper()
    if upper in RESIDENCE_CODES:
        return upper
    if f"US-{upper}" in RESIDENCE_CODES:
        return f"US-{upper}"
    if upper == "UK":
        return "GB"
    if upper in EU_MEMBERS:
        return "EU"
    for k, v in RESIDENCE_CODES.items():
        if v.lower() == code.lower():
            return k
    return None
