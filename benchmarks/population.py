"""Public statistics the generator draws from: where people live and which ZIP codes each state uses.

Populations are the 2020 US Census counts rounded to thousands (territories included).
ZIP ranges are the first three digits the USPS assigns to each state; every generated
ZIP starts with one of them, so a ZIP-by-state check accepts it.
"""

from __future__ import annotations

#: Residents (thousands), 2020 Census.
POPULATION_K: dict[str, int] = {
    "CA": 39538, "TX": 29146, "FL": 21538, "NY": 20201, "PA": 13003, "IL": 12812, "OH": 11799,
    "GA": 10712, "NC": 10439, "MI": 10077, "NJ": 9289, "VA": 8631, "WA": 7705, "AZ": 7152,
    "MA": 7030, "TN": 6911, "IN": 6786, "MD": 6177, "MO": 6154, "WI": 5894, "CO": 5774,
    "MN": 5706, "SC": 5119, "AL": 5024, "LA": 4658, "KY": 4506, "OR": 4237, "OK": 3959,
    "CT": 3606, "UT": 3272, "IA": 3190, "NV": 3105, "AR": 3012, "MS": 2961, "KS": 2938,
    "NM": 2118, "NE": 1962, "ID": 1839, "WV": 1794, "HI": 1455, "NH": 1378, "ME": 1362,
    "RI": 1097, "MT": 1084, "DE": 990, "SD": 887, "ND": 779, "AK": 733, "DC": 690, "VT": 643,
    "WY": 577, "PR": 3286, "GU": 154, "VI": 87,
}

#: Three-digit ZIP prefixes by state, as inclusive ranges.
ZIP_PREFIXES: dict[str, tuple[tuple[int, int], ...]] = {
    "AL": ((350, 369),), "AK": ((995, 999),), "AZ": ((850, 865),), "AR": ((716, 729),),
    "CA": ((900, 961),), "CO": ((800, 816),), "CT": ((60, 69),), "DE": ((197, 199),),
    "DC": ((200, 200), (202, 205)), "FL": ((320, 349),), "GA": ((300, 319),), "HI": ((967, 968),),
    "ID": ((832, 838),), "IL": ((600, 629),), "IN": ((460, 479),), "IA": ((500, 528),),
    "KS": ((660, 679),), "KY": ((400, 427),), "LA": ((700, 714),), "ME": ((39, 49),),
    "MD": ((206, 219),), "MA": ((10, 27),), "MI": ((480, 499),), "MN": ((550, 567),),
    "MS": ((386, 397),), "MO": ((630, 658),), "MT": ((590, 599),), "NE": ((680, 693),),
    "NV": ((889, 898),), "NH": ((30, 38),), "NJ": ((70, 89),), "NM": ((870, 884),),
    "NY": ((100, 149),), "NC": ((270, 289),), "ND": ((580, 588),), "OH": ((430, 459),),
    "OK": ((730, 749),), "OR": ((970, 979),), "PA": ((150, 196),), "RI": ((28, 29),),
    "SC": ((290, 299),), "SD": ((570, 577),), "TN": ((370, 385),), "TX": ((750, 799),),
    "UT": ((840, 847),), "VT": ((50, 59),), "VA": ((220, 246),), "WA": ((980, 994),),
    "WV": ((247, 268),), "WI": ((530, 549),), "WY": ((820, 831),), "PR": ((6, 7), (9, 9)),
    "GU": ((969, 969),), "VI": ((8, 8),),
}
