"""Which territorial policing area a record belongs to: by the postcode district of its place,
else by the team of the officer it is allocated to ("North PPU"), else Unknown."""

from __future__ import annotations

AREAS = ("North", "South", "West")
UNKNOWN = "Unknown"

# Postcode districts of each area's towns (Cumbria; see docs/synthetic-force.md).
DISTRICTS: dict[str, str] = {
    **dict.fromkeys(
        [
            "CA1",
            "CA2",
            "CA3",
            "CA4",
            "CA5",
            "CA6",
            "CA7",
            "CA8",
            "CA9",
            "CA10",
            "CA11",
            "CA16",
            "CA17",
        ],
        "North",
    ),
    **dict.fromkeys(
        [
            "LA7",
            "LA8",
            "LA9",
            "LA10",
            "LA11",
            "LA12",
            "LA13",
            "LA14",
            "LA15",
            "LA16",
            "LA17",
            "LA21",
            "LA22",
            "LA23",
        ],
        "South",
    ),
    **dict.fromkeys(
        [
            "CA12",
            "CA13",
            "CA14",
            "CA15",
            "CA18",
            "CA19",
            "CA20",
            "CA21",
            "CA22",
            "CA23",
            "CA24",
            "CA25",
            "CA26",
            "CA27",
            "CA28",
            "LA18",
            "LA19",
        ],
        "West",
    ),
}


def area_of(*, postcode: str | None, team: str | None) -> str:
    if postcode:
        district = postcode.strip().upper().split()[0]
        if district in DISTRICTS:
            return DISTRICTS[district]
    if team:
        first = team.strip().split()[0].capitalize() if team.strip() else ""
        if first in AREAS:
            return first
    return UNKNOWN
