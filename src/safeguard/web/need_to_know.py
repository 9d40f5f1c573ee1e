"""Need-to-know: frontline and control-room roles see markers, computed risk levels and what to
do, not specialist case notes. Applied to the data itself, so pages and the API agree."""

from __future__ import annotations

import copy
import re
from typing import Any

from safeguard.access.restrictions import RESTRICTED_LABEL, Restrictions
from safeguard.access.roles import FRONTLINE, Role

Json = dict[str, Any]

ADVICE: dict[str, str] = {
    "registered_sex_offender": "Registered sex offender: tell the offender manager (MOSOVO) of "
    "any contact with children.",
    "cse_risk": "At risk of child sexual exploitation: contact the CSE coordinator; record who "
    "the child is with and where.",
    "child_protection_plan": "Child subject to a protection plan: contact the PPU and "
    "children's social care.",
    "looked_after_child": "Looked-after child: inform the local authority.",
    "frequent_missing": "Frequently missing: check the missing coordinator's plan; a return "
    "interview is due after each episode.",
    "mappa": "MAPPA-managed person: contact the offender manager before acting.",
    "violent": "Violence warning: attend with at least two officers.",
    "self_harm": "Self-harm risk: consider the child's immediate safety; healthcare if detained.",
    "mental_health": "Mental health: consider a healthcare practitioner.",
    "substance_misuse": "Substance misuse: check for intoxication; healthcare if detained.",
    "learning_disability": "Learning disability: an appropriate adult is needed if detained.",
}

SPECIALIST_EVENT_FIELDS = ("summary", "details", "text", "risk_level")
WITHHELD = "Details withheld: this alert also concerns a restricted record."


def advice_for(flags: list[Json]) -> list[str]:
    seen: list[str] = []
    for flag in flags:
        text = ADVICE.get(str(flag.get("kind")))
        if text and text not in seen:
            seen.append(text)
    return seen


def sees_everything(role: Role, *, break_glass: bool) -> bool:
    return role not in FRONTLINE or break_glass


def visible_picture(picture: Json, *, role: Role, break_glass: bool) -> Json:
    """The picture as this role may see it, with `advice` and the `view` granted."""
    advice = advice_for(picture.get("flags") or [])
    if sees_everything(role, break_glass=break_glass):
        return picture | {"advice": advice, "view": "full"}  # nothing removed: no deep copy
    shown = copy.deepcopy(picture)
    shown["advice"] = advice
    shown["view"] = "markers"
    for flag in shown.get("flags") or []:
        flag.pop("reason", None)
    for item in shown.get("timeline") or []:
        for field in SPECIALIST_EVENT_FIELDS:
            item.pop(field, None)
    for alert in shown.get("alerts") or []:
        alert.pop("evidence", None)
    for section in ("missing", "cse"):
        value = shown.get(section)
        if isinstance(value, dict):
            value.pop("reasons", None)
            value.pop("indicators", None)
    return shown


def restricted_picture(picture: Json) -> Json:
    """A restricted record as seen by someone not named on it: that it exists, its warning
    markers and what to do; no name, dates, history or links."""
    person = picture.get("person") or {}
    flags = [{k: v for k, v in f.items() if k != "reason"} for f in picture.get("flags") or []]
    return {
        "person": {
            "keys": person.get("keys", []),
            "name": RESTRICTED_LABEL,
            "dob": None,
            "age": None,
        },
        "flags": flags,
        "advice": advice_for(flags),
        "suggested_flags": [],
        "missing": None,
        "cse": None,
        "links": [],
        "alerts": [],
        "timeline": [],
        "engine": picture.get("engine", "risk"),
        "view": "restricted",
    }


def hide_restricted_people(
    picture: Json, restrictions: Restrictions, username: str
) -> dict[str, str]:
    """Linked people the user may not see become "Restricted record", in the links and in the
    alert messages that name them (an alert about this person may name others). Returns the
    hidden names by key, for other alerts shown beside the picture (`shown_message`)."""
    hidden_names: dict[str, str] = {}
    for link in picture.get("links") or []:
        if link.get("type") == "person" and restrictions.hides(username, [link["key"]]):
            for key in link.get("keys") or [link["key"]]:
                hidden_names[key] = str(link["label"])
            link["label"] = RESTRICTED_LABEL
    own = list((picture.get("person") or {}).get("keys") or [])
    for alert in picture.get("alerts") or []:
        alert["message"] = shown_message(
            str(alert["message"]),
            alert.get("subjects") or [],
            own=own,
            restrictions=restrictions,
            username=username,
            hidden_names=hidden_names,
        )
    return hidden_names


def shown_message(
    message: str,
    subjects: list[str],
    *,
    own: list[str],
    restrictions: Restrictions,
    username: str,
    hidden_names: dict[str, str],
) -> str:
    """An alert message as the user may read it on the page of the person with keys ``own``:
    every hidden linked person's name (and age) replaced, whether or not they are among the
    alert's subjects (a suspect's alert names the child victim); withheld whole when a hidden
    subject's name is not known or a hidden person's given name is still there."""
    hidden = [k for k in subjects if k not in own and restrictions.hides(username, [k])]
    if any(k not in hidden_names for k in hidden):
        return WITHHELD
    for name in sorted(set(hidden_names.values()), key=len, reverse=True):
        message = re.sub(rf"{re.escape(name)}(?: \(\d+\))?", RESTRICTED_LABEL, message)
    for name in set(hidden_names.values()):
        given = name.split()[0] if name.split() else ""
        if len(given) > 1 and re.search(rf"\b{re.escape(given)}\b", message, re.IGNORECASE):
            return WITHHELD
    return message
