"""The roles of design.md, the areas of the force, and which roles are frontline."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    CONTROL_ROOM = "control_room"
    RESPONSE = "response"
    NEIGHBOURHOOD = "neighbourhood"
    MASH = "mash"
    PPU_INVESTIGATOR = "ppu_investigator"
    PPU_SUPERVISOR = "ppu_supervisor"
    CSE_COORDINATOR = "cse_coordinator"
    OFFENDER_MANAGER = "offender_manager"
    CUSTODY = "custody"
    ANALYST = "analyst"
    SENIOR_LEADER = "senior_leader"
    AUDITOR = "auditor"
    ADMINISTRATOR = "administrator"
    PARTNER_CSC = "partner_csc"


class Area(StrEnum):
    NORTH = "north"
    SOUTH = "south"
    WEST = "west"
    FORCE = "force"


ALL_ROLES: frozenset[Role] = frozenset(Role)

# See that a child or address carries warning markers and what to do, not specialist notes.
FRONTLINE: frozenset[Role] = frozenset(
    {Role.CONTROL_ROOM, Role.RESPONSE, Role.NEIGHBOURHOOD, Role.CUSTODY}
)

# Read case detail (event summaries, action notes) as part of their ordinary duty.
SPECIALIST: frozenset[Role] = frozenset(
    {
        Role.MASH,
        Role.PPU_INVESTIGATOR,
        Role.PPU_SUPERVISOR,
        Role.CSE_COORDINATOR,
        Role.OFFENDER_MANAGER,
    }
)

# Police staff who may look people up at all (partners see only what is shared with them;
# analysts, leaders, auditors and administrators work on figures, logs and accounts).
PERSON_READERS: frozenset[Role] = FRONTLINE | SPECIALIST

SUPERVISORS: frozenset[Role] = frozenset({Role.PPU_SUPERVISOR, Role.AUDITOR})

# The justification a role's ordinary duty supplies for consulting a person's record.
DUTY: dict[Role, str] = {
    Role.CONTROL_ROOM: "control room: risk check before officers attend",
    Role.RESPONSE: "response officer: attending or dealing with an incident",
    Role.NEIGHBOURHOOD: "neighbourhood officer: local safeguarding duty",
    Role.CUSTODY: "custody officer: care of a detained person",
    Role.MASH: "MASH: triage and information sharing",
    Role.PPU_INVESTIGATOR: "PPU: child protection investigation",
    Role.PPU_SUPERVISOR: "PPU: supervision of investigations",
    Role.CSE_COORDINATOR: "CSE and missing coordination",
    Role.OFFENDER_MANAGER: "management of registered sex offenders",
}
