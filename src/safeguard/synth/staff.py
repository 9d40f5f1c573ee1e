"""The force's staff (``hr``): teams per area in the proportions of a force of ~1,750 staff."""

from __future__ import annotations

from safeguard.synth.force import Force, Officer
from safeguard.synth.geography import AREAS
from safeguard.synth.names import FAMILY
from safeguard.synth.rates import FORCE_POPULATION

# (role, team name, force-wide headcount, rank title) for a force of about 1,750 staff.
ESTABLISHMENT = (
    ("response", "response", 480, "PC"),
    ("neighbourhood", "neighbourhood", 350, "PC"),
    ("control_room", "control room", 120, "Call handler"),
    ("mash", "MASH", 30, "DC"),
    ("ppu_investigator", "PPU", 90, "DC"),
    ("ppu_supervisor", "PPU", 15, "DS"),
    ("mosovo", "MOSOVO", 18, "DC"),
    ("custody", "custody", 75, "PS"),
    ("cse_team", "CSE team", 15, "DC"),
    ("online_abuse_team", "online abuse", 10, "DC"),
    ("analyst", "business improvement", 25, "Analyst"),
    ("other", "CID and support", 522, "DC"),
)
PROBATIONARY_SHARE = {"response": 0.12, "neighbourhood": 0.1, "ppu_investigator": 0.05}


def _specialisms(force: Force, role: str) -> list[str]:
    rng = force.rng
    if role == "ppu_supervisor":
        return ["scaidp"]
    if role == "ppu_investigator":
        if rng.random() < 0.8:
            return ["scaidp", "sexual_offences"] if rng.random() < 0.5 else ["scaidp"]
        return []
    if role == "cse_team":
        return ["scaidp", "cse"]
    if role == "online_abuse_team":
        return ["online_abuse"]
    return []


def write_staff(force: Force, people: int) -> int:
    """Officers scaled to the population, at least two per role and area."""
    scale = people / FORCE_POPULATION
    total = 0
    for area in AREAS:
        for role, team, headcount, rank in ESTABLISHMENT:
            count = max(2, round(headcount * scale / len(AREAS)))
            pool: list[Officer] = []
            for i in range(count):
                specialisms = _specialisms(force, role)
                # The first two of every PPU team are a sworn specialist and a probationer
                # specialist, so patterns can always be staffed.
                probationary = force.rng.random() < PROBATIONARY_SHARE.get(role, 0.0)
                if role == "ppu_investigator" and i < 2:
                    specialisms, probationary = ["scaidp"], i == 1
                name = f"{rank} {force.rng.choice(FAMILY)}"
                key = force.write(
                    "officer",
                    "hr",
                    "O",
                    name=name,
                    team=f"{area} {team}",
                    role=None if role == "other" else role,
                    specialisms=specialisms or None,
                    probationary=probationary or None,
                )
                pool.append(Officer(key, area, role, tuple(specialisms), probationary))
            force.officers[(area, role)] = pool
            total += count
    return total
