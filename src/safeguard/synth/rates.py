"""Every rate the generator uses, in one place: docs/synthetic-force.md cites each figure.

Volumes are per 1,000 population per year unless named otherwise; ``SPAN_DAYS`` of events end
at ``AS_OF``. The figures are approximate England and Wales rates (see the document).
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

UK = ZoneInfo("Europe/London")

# The force's data end: no record is made after it, so the truth is judged at this time.
AS_OF = datetime(2016, 7, 18, 9, 0, tzinfo=UK)
SPAN_DAYS = 730
FORCE_POPULATION = 499_000
FORCE_STAFF = 1_750

# Yearly volumes per 1,000 population (approximate; sources in docs/synthetic-force.md).
VOLUME_PER_1000 = {
    "domestic_abuse": 18.0,
    "missing_episode": 3.5,  # episodes of children
    "child_concern": 4.0,
    "sexual_offence": 0.8,  # against children
    "cse_concern": 0.3,
    "online_abuse": 0.2,
    "police_protection": 0.3,
    "custody": 1.5,  # children detained
}
RSO_PER_1000 = 1.0  # registered sex offenders, a standing count
# Children who go missing in a year, per 1,000 population; the rest of the episodes are repeats.
MISSING_CHILDREN_PER_1000 = 1.3
MISSING_LOOKED_AFTER_SHARE = 0.45  # of missing children, looked after
MISSING_CHRONIC_SHARE = 0.04  # of missing children, missing 20+ times in the span

# Share of household types (approximate, ONS Families and Households 2016 shape).
HOUSEHOLD_MIX = {
    "single": 0.31,
    "couple": 0.30,
    "couple_children": 0.18,
    "lone_parent": 0.10,
    "older_couple": 0.11,
}

# Variation applied to a person's key in a second source (each independently).
VARIATION = {
    "typo_family": 0.04,
    "typo_given": 0.03,
    "nickname": 0.08,  # only where a known variant exists
    "swap_names": 0.015,
    "family_changed": 0.30,  # only women with a recorded earlier family name
    "dob_swap": 0.03,  # day and month swapped; adults 21+ with day <= 12
    "dob_missing": 0.03,  # adults 21+
    "dob_typo": 0.01,  # adults 21+
}
# Share of families with children known to children's social care (lcs holds the children
# and their mother), besides the children in child-protection events.
LCS_KNOWN_FAMILIES = 0.12
# Share of people with a second key in the force's own system (duplicate nominal).
STORM_DUPLICATE = 0.02
# Share of households that moved in the span (a past and a current residence).
MOVED = 0.3
PHONE_ADULT = 0.85
PHONE_CHILD_12_PLUS = 0.7
TWIN_SHARE = 0.015

# Injected alert patterns: positives and near misses per 100,000 population, at least MIN each.
PATTERN_PER_100K = 10.0
NEAR_MISS_PER_100K = 10.0
PATTERN_MIN = 2
