"""The force's three territorial policing areas and their towns (approximate populations).

Penrith is placed in North: in 2016 Cumbria Constabulary's North area covered Carlisle and
Eden, and Penrith is Eden's main town.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Town:
    name: str
    area: str
    postcode_district: str
    weight: int  # approximate population, thousands; towns drawn in proportion


TOWNS = (
    Town("Carlisle", "North", "CA1", 75),
    Town("Penrith", "North", "CA11", 16),
    Town("Brampton", "North", "CA8", 4),
    Town("Longtown", "North", "CA6", 3),
    Town("Wigton", "North", "CA7", 6),
    Town("Appleby-in-Westmorland", "North", "CA16", 3),
    Town("Alston", "North", "CA9", 2),
    Town("Kendal", "South", "LA9", 29),
    Town("Barrow-in-Furness", "South", "LA14", 57),
    Town("Ulverston", "South", "LA12", 12),
    Town("Windermere", "South", "LA23", 8),
    Town("Grange-over-Sands", "South", "LA11", 4),
    Town("Dalton-in-Furness", "South", "LA15", 8),
    Town("Workington", "West", "CA14", 25),
    Town("Whitehaven", "West", "CA28", 24),
    Town("Cockermouth", "West", "CA13", 8),
    Town("Maryport", "West", "CA15", 11),
    Town("Keswick", "West", "CA12", 5),
    Town("Egremont", "West", "CA22", 8),
    Town("Millom", "West", "LA18", 7),
    Town("Cleator Moor", "West", "CA25", 7),
)
AREAS = ("North", "South", "West")
TOWN_WEIGHTS = tuple(t.weight for t in TOWNS)
