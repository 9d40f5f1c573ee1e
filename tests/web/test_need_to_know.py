"""Alert messages on a visible person's picture do not give away a restricted person."""

from __future__ import annotations

from typing import Any

from safeguard.access.restrictions import RESTRICTED_LABEL, Restrictions
from safeguard.web.need_to_know import WITHHELD, hide_restricted_people

LIMITS = Restrictions(
    {"cad:C1": frozenset({"named.officer"}), "ppu:C9": frozenset({"named.officer"})}
)


def _picture(message: str, *, linked: bool = True) -> dict[str, Any]:
    links = [
        {"type": "person", "key": "cad:C1", "keys": ["cad:C1", "ppu:C9"], "label": "Ada Quill"}
    ]
    return {
        "person": {"keys": ["cad:A1"]},
        "links": links if linked else [],
        "alerts": [
            {"code": "SUSPECT_NOT_ACTIONED", "subjects": ["cad:A1", "ppu:C9"], "message": message}
        ],
    }


def test_the_hidden_persons_name_and_age_are_replaced() -> None:
    picture = _picture("Suspect Bo Tern, in an offence against Ada Quill (15), was not arrested")
    hide_restricted_people(picture, LIMITS, "other.officer")
    assert picture["alerts"][0]["message"] == (
        f"Suspect Bo Tern, in an offence against {RESTRICTED_LABEL}, was not arrested"
    )
    assert picture["links"][0]["label"] == RESTRICTED_LABEL


def test_a_name_left_in_part_or_not_known_withholds_the_whole_message() -> None:
    partial = _picture("Ada (15) was not seen; Ada Quill was not arrested")
    hide_restricted_people(partial, LIMITS, "other.officer")
    assert partial["alerts"][0]["message"] == WITHHELD
    unknown = _picture("Ada Quill was not seen", linked=False)
    hide_restricted_people(unknown, LIMITS, "other.officer")
    assert unknown["alerts"][0]["message"] == WITHHELD


def test_a_user_named_on_the_restriction_sees_the_message_as_it_is() -> None:
    picture = _picture("Ada Quill (15) was not seen")
    hide_restricted_people(picture, LIMITS, "named.officer")
    assert picture["alerts"][0]["message"] == "Ada Quill (15) was not seen"
    assert picture["links"][0]["label"] == "Ada Quill"


def test_a_hidden_person_named_but_not_a_subject_is_replaced_too() -> None:
    picture = _picture("Suspect Bo Tern, in an offence against Ada Quill (15), was not arrested")
    picture["alerts"][0]["subjects"] = ["cad:A1"]  # the suspect's alert, naming the child victim
    hide_restricted_people(picture, LIMITS, "other.officer")
    assert "Ada" not in picture["alerts"][0]["message"]
    assert RESTRICTED_LABEL in picture["alerts"][0]["message"]
