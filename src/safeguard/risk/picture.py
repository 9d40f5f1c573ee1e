"""The risk picture of one person (`safeguard assess`): everything from every linked key."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from safeguard.errors import NotFoundError
from safeguard.risk.engine import alerts_about
from safeguard.risk.facts import EventF, Facts
from safeguard.risk.indicators import (
    Window,
    computed_missing_risk,
    cse_indicators,
    cse_level,
    missing_episodes,
    recorded_missing_risk,
)
from safeguard.risk.policy import Policy
from safeguard.risk.rules import evaluate
from safeguard.risk.rules.domestic import dash_of
from safeguard.risk.scope import ScopeLoader
from safeguard.timeutil import UK


def iso(value: datetime | None) -> str | None:
    return None if value is None else value.astimezone(UK).isoformat()


def _missing(facts: Facts, cid: int) -> dict[str, Any]:
    at = facts.as_of
    every = missing_episodes(facts, cid, Window(datetime.min.replace(tzinfo=UK), at))
    recent = missing_episodes(
        facts, cid, Window(at - timedelta(days=facts.policy.missing.repeat_days), at)
    )
    year = missing_episodes(facts, cid, Window(facts.lookback_start, at))
    result: dict[str, Any] = {
        "episodes_total": len(every),
        "episodes_90d": len(recent),
        "episodes_12m": len(year),
        "last_recorded_risk": None,
        "computed_risk": None,
        "reasons": [],
        "episodes": [],
    }
    for episode in every:
        recorded, _ = recorded_missing_risk(episode)
        computed = computed_missing_risk(facts, cid, episode)
        result["episodes"].append(
            {
                "event": episode.key,
                "occurred_at": iso(episode.occurred_at),
                "found_at": episode.details.get("found_at"),
                "missing_from": episode.details.get("missing_from"),
                "recorded_risk": recorded,
                "computed_risk": computed.level,
                "reasons": computed.reasons,
            }
        )
    if every:
        last = result["episodes"][-1]
        result["last_recorded_risk"] = last["recorded_risk"]
        result["computed_risk"] = last["computed_risk"]
        result["reasons"] = last["reasons"]
    return result


def _cse(facts: Facts, cid: int) -> dict[str, Any]:
    window = Window(facts.lookback_start, facts.as_of)
    found = cse_indicators(facts, cid, window)
    return {
        "level": cse_level(facts, cid, window, found),
        "indicators": [
            {"kind": k, "reasons": v.reasons, "evidence": sorted(v.evidence)}
            for k, v in found.items()
        ],
    }


def _suggested(
    facts: Facts, cid: int, missing: dict[str, Any], cse: dict[str, Any]
) -> list[dict[str, Any]]:
    out = []
    if cse["level"] in ("medium", "high") and not facts.flag(cid, "cse_risk"):
        out.append(
            {
                "kind": "cse_risk",
                "level": cse["level"],
                "reasons": [f"CSE indicator {i['kind']}" for i in cse["indicators"]],
            }
        )
    if missing["episodes_90d"] >= facts.policy.missing.repeat_count and not facts.flag(
        cid, "frequent_missing"
    ):
        out.append(
            {
                "kind": "frequent_missing",
                "level": missing["computed_risk"],
                "reasons": [
                    (
                        f"missing {missing['episodes_90d']} times in "
                        f"{facts.policy.missing.repeat_days} days"
                    )
                ],
            }
        )
    for ind in cse["indicators"]:
        if ind["kind"] in ("self_harm", "substance_misuse") and not facts.flag(cid, ind["kind"]):
            out.append({"kind": ind["kind"], "level": None, "reasons": ind["reasons"]})
    return out


def _links(facts: Facts, cid: int) -> dict[str, list[dict[str, Any]]]:
    at = facts.as_of
    people: dict[tuple[int, str], dict[str, Any]] = {}

    def add(other: int, how: str, via: str) -> None:
        if other != cid:
            people.setdefault(
                (other, how + via),
                {
                    "keys": facts.person(other).keys,
                    "name": facts.person(other).name,
                    "how": how,
                    "via": via,
                },
            )

    for rel in facts.relations_of.get(cid, []):
        other = rel.b if rel.a == cid else rel.a
        how = rel.kind if rel.a == cid else f"{rel.kind} (of this person)"
        add(other, how + ("" if rel.current(at) else " (ended)"), rel.key)
    places = []
    for res in facts.residences_of.get(cid, []):
        place = facts.locations.get(res.b)
        places.append(
            {
                "key": res.b,
                "address": place.address if place else None,
                "kind": place.kind if place else None,
                "current": res.current(at),
                "how": "lives at" if res.current(at) else "lived at",
            }
        )
        for other in facts.residents_at.get(res.b, []):
            add(other.a, "lives or lived at the same address", res.b)
    for event in facts.events_of.get(cid, []):
        for other, role in event.people:
            add(other, f"{role} in the same event", event.key)
    objects = []
    for use in facts.uses_of.get(cid, []):
        objects.append({"key": use.b, "current": use.current(at)})
        for other in facts.users_of.get(use.b, []):
            add(other.a, "uses the same object", use.b)
    ordered = sorted(people.values(), key=lambda p: (p["keys"], p["how"], p["via"]))
    return {
        "people": ordered,
        "places": sorted(places, key=lambda p: p["key"]),
        "objects": sorted(objects, key=lambda o: o["key"]),
    }


def _timeline(facts: Facts, cid: int) -> list[dict[str, Any]]:
    items = []
    events: list[EventF] = facts.events_of.get(cid, [])
    for event in events:
        items.append(
            {
                "at": iso(event.occurred_at),
                "record": "event",
                "key": event.key,
                "kind": event.kind,
                "roles": sorted(event.roles_of(cid)),
                "summary": event.summary,
                "source": event.key.split(":", 1)[0],
            }
        )
        for action in event.actions:
            if action.person in (None, cid) or action.person not in event.cids():
                items.append(
                    {
                        "at": iso(action.at),
                        "record": "action",
                        "key": action.key,
                        "kind": action.kind,
                        "event": event.key,
                        "text": action.text,
                        "source": action.key.split(":", 1)[0],
                    }
                )
    return sorted(items, key=lambda i: (i["at"], i["record"] != "event", i["key"]))


def _dash(facts: Facts, cid: int) -> list[dict[str, Any]]:
    out = []
    for event in facts.events_of.get(cid, []):
        if event.kind != "domestic_abuse":
            continue
        count, level, source = dash_of(event)
        out.append(
            {
                "event": event.key,
                "occurred_at": iso(event.occurred_at),
                "roles": sorted(event.roles_of(cid)),
                "yes_count": count,
                "level": level,
                "source": source,
                "marac_referral": bool(event.actions_of("marac_referral")),
            }
        )
    return out


def assess(*, session: Session, key: str, as_of: datetime, policy: Policy) -> dict[str, Any]:
    if session.autoflush:
        session.flush()  # what the session holds is read as the queries it makes would
    loader = ScopeLoader(session=session, as_of=as_of, policy=policy)
    person_id = loader.person_id(key)
    if person_id is None:
        raise NotFoundError(f"no person with key {key!r}")
    facts = loader.load_scope(loader.neighbourhood({person_id}), core={person_id})
    cid = loader.cid(person_id)
    person = facts.person(cid)
    missing = _missing(facts, cid)
    cse = _cse(facts, cid)
    flags = [
        {
            "key": f.key,
            "kind": f.kind,
            "level": f.level,
            "since": iso(f.since),
            "until": iso(f.until),
        }
        for f in sorted(facts.flags_of.get(cid, []), key=lambda f: (f.kind, f.since, f.key))
        if f.in_force(as_of)
    ]
    return {
        "person": {
            "keys": person.keys,
            "name": person.name,
            "dob": person.dob.isoformat() if person.dob else None,
            "age": facts.age(cid, as_of),
            "sex": person.sex,
        },
        "as_of": iso(as_of),
        "flags": flags,
        "suggested_flags": _suggested(facts, cid, missing, cse),
        "missing": missing,
        "cse": cse,
        "dash": _dash(facts, cid),
        "links": _links(facts, cid),
        "alerts": [a.as_json() for a in alerts_about(evaluate(facts), {cid})],
        "timeline": _timeline(facts, cid),
    }
