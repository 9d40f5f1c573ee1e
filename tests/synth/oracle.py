"""A small, independent reading of spec/alerts.md over a generated force, at true-person level.

Not the risk engine: a cross-check that the generator's background raises nothing it did not
plan, and that each planted positive fires, for the rules that can be judged per event or per
person without the full risk picture. People are joined by the truth file (perfect linkage).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Any

from safeguard.synth.clock import local, working_day_after
from safeguard.synth.rates import AS_OF
from safeguard.timeutil import parse_time
from tests.synth.forcefiles import ForceFiles

Rec = dict[str, Any]
YEAR = timedelta(days=365)
CP_KINDS = {"sexual_offence", "physical_abuse", "cse_concern", "online_abuse", "police_protection"}
CUSTODY = (
    "CUSTODY_NO_LA_REQUEST",
    "CUSTODY_BAIL_NOT_REVIEWED",
    "CUSTODY_NO_CERTIFICATE",
    "CUSTODY_HCP_NOT_CONTACTED",
    "CUSTODY_NO_APPROPRIATE_ADULT",
)


def _age(dob: date, on: date) -> int:
    return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))


def _end_of(day: date) -> datetime:
    return local(day + timedelta(days=1), 0)


class Oracle:
    def __init__(self, files: ForceFiles) -> None:
        self.f = files
        self.tid: dict[str, str] = {}
        self.dob: dict[str, date] = {}
        for p in files.people():
            for k in p["keys"]:
                self.tid[k] = p["id"]
            first = files.records[("person", p["keys"][0])]
            self.dob[p["id"]] = date.fromisoformat(first["dob"])
        self.events = {f"{e['source']}:{e['id']}": e for e in files.of("event")}
        self.fired: dict[str, set[str]] = defaultdict(set)  # code -> event keys or person ids

    # ---- helpers ------------------------------------------------------------------------
    def child_at(self, key: str, at: datetime) -> bool:
        return _age(self.dob[self.tid[key]], at.date()) < 18

    def acts(self, event: str, kind: str, key: str | None = None) -> list[Rec]:
        return sorted(
            (
                a
                for a in self.f.actions[event]
                if a["kind"] == kind
                and (key is None or self.tid.get(a.get("person", "")) == self.tid[key])
            ),
            key=lambda a: parse_time(a["at"]),
        )

    def first(self, event: str, kind: str, key: str | None = None) -> datetime | None:
        done = self.acts(event, kind, key)
        return parse_time(done[0]["at"]) if done else None

    def limit(
        self,
        code: str,
        event: str,
        start: datetime,
        deadline: datetime,
        kind: str,
        key: str | None = None,
    ) -> None:
        if deadline > AS_OF:
            return
        done = self.first(event, kind, key)
        if done is None or done > deadline:
            self.fired[code].add(event)

    def people(self, ev: Rec, *roles: str) -> list[str]:
        return [p["person"] for p in ev["people"] if p["role"] in roles]

    def children(self, ev: Rec, *roles: str) -> list[str]:
        at = parse_time(ev["occurred_at"])
        return [k for k in self.people(ev, *roles) if self.child_at(k, at)]

    # ---- per-event rules ----------------------------------------------------------------
    def run(self) -> dict[str, set[str]]:
        for key, ev in self.events.items():
            occurred = parse_time(ev["occurred_at"])
            reported = parse_time(ev.get("reported_at") or ev["occurred_at"])
            in_window = occurred >= AS_OF - YEAR
            kind = ev["kind"]
            if kind == "missing_episode" and in_window:
                self.missing(key, ev)
            if kind == "domestic_abuse" and in_window:
                self.domestic(key, ev)
            if kind == "custody" and in_window:
                self.custody(key, ev)
            cp = self.is_child_protection(ev)
            if in_window and (cp or kind == "child_concern"):
                self.referral(key, ev, reported, cp)
            if in_window and cp:
                self.protection(key, ev, reported)
            if in_window and self.child_centred(ev) and ev.get("closed_at"):
                self.voice(key, ev)
        return self.fired

    def is_child_protection(self, ev: Rec) -> bool:
        if ev["kind"] in CP_KINDS:
            return bool(self.children(ev, "victim", "subject"))
        return ev["kind"] == "child_concern" and bool(ev.get("details", {}).get("significant_harm"))

    def child_centred(self, ev: Rec) -> bool:
        if self.is_child_protection(ev) or ev["kind"] == "child_concern":
            return True
        return ev["kind"] == "domestic_abuse" and bool(self.children(ev, "child_present"))

    def missing(self, key: str, ev: Rec) -> None:
        child = ev["people"][0]["person"]
        found = parse_time(ev["details"]["found_at"])
        self.limit(
            "RETURN_INTERVIEW_OVERDUE",
            key,
            found,
            found + timedelta(hours=72),
            "return_interview",
            child,
        )
        self.limit(
            "SAFE_AND_WELL_MISSING",
            key,
            found,
            found + timedelta(hours=24),
            "safe_and_well_check",
            child,
        )

    def domestic(self, key: str, ev: Rec) -> None:
        # a child witness is present too when the incident is recorded with children present
        witnesses = ev.get("details", {}).get("children_present") is True
        present = self.children(ev, "child_present", *(("witness",) if witnesses else ()))
        for child in present:
            if not self.acts(key, "child_demeanour", child):
                self.fired["DA_CHILD_DEMEANOUR_MISSING"].add(key)
        dash = self.acts(key, "dash_assessment")
        yes, level = (
            (dash[-1]["details"]["yes_count"], dash[-1]["details"]["level"])
            if dash
            else (ev["details"].get("dash_yes", 0), ev.get("risk_level"))
        )
        if (yes >= 14 or level == "high") and not self.acts(key, "marac_referral"):
            self.fired["DA_HIGH_NO_MARAC"].add(key)
        meeting = self.first(key, "marac_meeting")
        strategy = self.first(key, "strategy_discussion")
        if present and meeting and (strategy is None or strategy >= meeting):
            self.fired["MARAC_WITHOUT_STRATEGY"].add(key)

    def referral(self, key: str, ev: Rec, reported: datetime, cp: bool) -> None:
        roles = ("victim", "suspect", "subject") if cp else ("subject",)
        deadline = _end_of(working_day_after(reported, 1))
        for child in self.children(ev, *roles):
            self.limit("NO_CSC_REFERRAL", key, reported, deadline, "referral_to_csc", child)

    def protection(self, key: str, ev: Rec, reported: datetime) -> None:
        self.limit(
            "NO_STRATEGY_DISCUSSION",
            key,
            reported,
            _end_of(working_day_after(reported, 3)),
            "strategy_discussion",
        )
        strategy = self.first(key, "strategy_discussion")
        if strategy:
            self.limit(
                "NO_PROTECTIVE_PLAN",
                key,
                strategy,
                _end_of(working_day_after(strategy, 15)),
                "protective_plan",
            )
        for s47 in self.acts(key, "s47_enquiry"):
            if s47["details"].get("concerns_substantiated"):
                before = [
                    parse_time(a["at"])
                    for a in self.acts(key, "strategy_discussion")
                    if parse_time(a["at"]) <= parse_time(s47["at"])
                ]
                if before:
                    self.limit(
                        "ICPC_OVERDUE",
                        key,
                        before[-1],
                        _end_of(working_day_after(before[-1], 15)),
                        "icpc",
                    )
        self.supervision(key, ev, reported)
        self.allocation_and_suspects(key, ev, reported)
        if ev["kind"] == "police_protection":
            end = parse_time(ev["closed_at"]) if ev.get("closed_at") else AS_OF
            if end - parse_time(ev["occurred_at"]) > timedelta(hours=72):
                self.fired["POLICE_PROTECTION_OVER_72H"].add(key)

    def supervision(self, key: str, ev: Rec, reported: datetime) -> None:
        allocations = self.acts(key, "allocation")
        if ev.get("closed_at") or not (allocations or ev.get("allocated_to")):
            return
        clock = parse_time(allocations[-1]["at"]) if allocations else reported
        reviews = self.acts(key, "supervision_review")
        last = parse_time(reviews[-1]["at"]) if reviews else clock
        if AS_OF - last > timedelta(days=28):
            self.fired["SUPERVISION_OVERDUE"].add(key)

    def allocation_and_suspects(self, key: str, ev: Rec, reported: datetime) -> None:
        if ev["kind"] not in {"sexual_offence", "cse_concern"} or not self.children(ev, "victim"):
            return
        allocations = self.acts(key, "allocation")
        officer = allocations[-1]["details"]["officer"] if allocations else ev.get("allocated_to")
        if officer:
            o = self.f.records[("officer", officer)]
            if "scaidp" not in o.get("specialisms", []) or o.get("probationary"):
                self.fired["NON_SPECIALIST_ALLOCATION"].add(key)
        deadline = _end_of(reported.astimezone(AS_OF.tzinfo).date() + timedelta(days=14))
        for suspect in self.people(ev, "suspect"):
            if deadline > AS_OF:
                continue
            done = [self.first(key, k, suspect) for k in ("arrest", "suspect_interview")]
            if not any(d and d <= deadline for d in done):
                self.fired["SUSPECT_NOT_ACTIONED"].add(key)

    def voice(self, key: str, ev: Rec) -> None:
        for child in self.children(ev, "victim", "subject", "child_present", "suspect", "witness"):
            at = parse_time(ev["occurred_at"])
            old = _age(self.dob[self.tid[child]], at.date()) >= 4
            if not self.acts(key, "child_views" if old else "child_demeanour", child):
                self.fired["CHILD_VOICE_MISSING"].add(key)
            if not self.acts(key, "outcome", child):
                self.fired["OUTCOME_MISSING"].add(key)
            if old and not self.acts(key, "child_informed", child):
                self.fired["CHILD_NOT_INFORMED"].add(key)

    def custody(self, key: str, ev: Rec) -> None:
        child = ev["people"][0]["person"]
        if not self.child_at(child, parse_time(ev["occurred_at"])):
            return
        d = ev.get("details", {})
        bail = self.acts(key, "bail_decision", child)
        denied = d.get("charged") and bail and bail[-1]["details"].get("denied")
        responses = [
            a["details"].get("provided") for a in self.acts(key, "la_accommodation_response")
        ]
        if denied and not self.acts(key, "la_accommodation_request"):
            self.fired["CUSTODY_NO_LA_REQUEST"].add(key)
        if False in responses and not self.acts(key, "bail_review"):
            self.fired["CUSTODY_BAIL_NOT_REVIEWED"].add(key)
        if denied and True not in responses and not self.acts(key, "detention_certificate"):
            self.fired["CUSTODY_NO_CERTIFICATE"].add(key)
        flagged = any(
            f["kind"] in {"self_harm", "mental_health", "substance_misuse"}
            and self.tid[f["person"]] == self.tid[child]
            and (not f.get("until") or parse_time(f["until"]) > AS_OF)
            for f in self.f.of("flag")
        )
        if (d.get("intoxicated") or flagged) and not self.acts(key, "hcp_contact", child):
            self.fired["CUSTODY_HCP_NOT_CONTACTED"].add(key)
        if not self.acts(key, "appropriate_adult", child):
            self.fired["CUSTODY_NO_APPROPRIATE_ADULT"].add(key)


VISIT_DAYS = {"high": 90, "medium": 180, None: 180, "low": 365}


class PersonOracle(Oracle):
    """Rules about people and their links: answers are sets of true person ids or events."""

    def __init__(self, files: ForceFiles) -> None:
        super().__init__(files)
        self.homes: dict[str, list[tuple[str, datetime | None]]] = defaultdict(list)
        self.residents: dict[str, set[str]] = defaultdict(set)
        self.current_residents: dict[str, set[str]] = defaultdict(set)
        for r in files.of("residence"):
            who = self.tid[r["person"]]
            until = parse_time(r["until"]) if r.get("until") else None
            self.homes[who].append((r["location"], until))
            self.residents[r["location"]].add(who)
            if until is None or until > AS_OF:
                self.current_residents[r["location"]].add(who)
        self.relations: list[tuple[str, str, str, bool]] = [
            (
                self.tid[r["a"]],
                self.tid[r["b"]],
                r["kind"],
                not r.get("until") or parse_time(r["until"]) > AS_OF,
            )
            for r in files.of("relation")
        ]

    def is_child(self, tid: str) -> bool:
        return _age(self.dob[tid], AS_OF.date()) < 18

    def carers(self, child: str) -> set[str]:
        return {a for a, b, k, _ in self.relations if b == child and k in {"parent_of", "carer_of"}}

    def linked(self, who: str) -> set[str]:
        """Linked for harm to other children (alerts.md Definitions)."""
        out: set[str] = set()
        for loc, _ in self.homes[who]:
            out |= self.residents[loc]
        partners: set[str] = set()
        for a, b, kind, _ in self.relations:
            if who in (a, b):
                other = b if a == who else a
                out.add(other)
                if kind in {"partner", "ex_partner"}:
                    partners.add(other)
        for p in partners:
            out |= {b for a, b, k, _ in self.relations if a == p and k in {"parent_of", "carer_of"}}
            for loc, _ in self.homes[p]:
                out |= self.residents[loc]
        out.discard(who)
        return out

    def cumulative(self) -> set[str]:
        groups: dict[tuple[str, str], list[str]] = defaultdict(list)
        for key, ev in self.events.items():
            if ev["kind"] != "domestic_abuse" or parse_time(ev["occurred_at"]) < AS_OF - YEAR:
                continue
            if self.acts(key, "marac_referral"):
                continue
            for p in ev["people"]:
                if p["role"] in {"victim", "suspect"}:
                    groups[(p["role"], self.tid[p["person"]])].append(key)
            if ev.get("location"):
                groups[("location", ev["location"])].append(key)
        fired: set[str] = set()
        for events in groups.values():
            if len(events) >= 3 and any(
                self.children(self.events[e], "child_present") for e in events
            ):
                fired |= set(events)
        return fired

    def offenders(self) -> dict[str, Rec]:
        return {
            self.tid[f["person"]]: f
            for f in self.f.of("flag")
            if f["kind"] == "registered_sex_offender"
            and (not f.get("until") or parse_time(f["until"]) > AS_OF)
        }

    def rso_contact(self) -> set[str]:
        fired = set()
        for who in self.offenders():
            homes = [loc for loc, until in self.homes[who] if until is None or until > AS_OF]
            near = {p for loc in homes for p in self.current_residents[loc]}
            near |= {
                b if a == who else a for a, b, _, now in self.relations if now and who in (a, b)
            }
            in_events = {
                self.tid[p["person"]]
                for ev in self.events.values()
                if who in {self.tid[q["person"]] for q in ev["people"]}
                for p in ev["people"]
                if self.child_at(p["person"], parse_time(ev["occurred_at"]))
            }
            if any(self.is_child(p) for p in near - {who}) or in_events:
                fired.add(who)
        return fired

    def rso_review(self) -> set[str]:
        fired = set()
        for who, flag in self.offenders().items():
            keys = [k for k, t in self.tid.items() if t == who]
            acts = [a for e in self.f.actions.values() for a in e if a.get("person") in keys]
            arms = [parse_time(a["at"]) for a in acts if a["kind"] == "arms_assessment"]
            visits = [parse_time(a["at"]) for a in acts if a["kind"] == "rso_visit"]
            since = parse_time(flag["since"])
            interval = timedelta(days=VISIT_DAYS[flag.get("level")])
            if not any(a > AS_OF - YEAR for a in arms) and since < AS_OF - YEAR:
                fired.add(who)
            if not any(v > AS_OF - interval for v in visits) and since < AS_OF - interval:
                fired.add(who)
        return fired

    def other_children(self) -> set[str]:
        fired = set()
        for ev in self.events.values():
            if parse_time(ev["occurred_at"]) < AS_OF - YEAR or not self.is_child_protection(ev):
                continue
            named = {self.tid[p["person"]] for p in ev["people"]}
            for suspect in self.people(ev, "suspect"):
                who = self.tid[suspect]
                if any(self.is_child(c) for c in self.linked(who) - named):
                    fired.add(who)
        return fired

    def location_not_enquired(self) -> set[str]:
        fired = set()
        for key, ev in self.events.items():
            if ev["kind"] not in {"missing_episode", "cse_concern"}:
                continue
            if parse_time(ev["occurred_at"]) < AS_OF - YEAR:
                continue
            d = ev.get("details", {})
            child = self.tid[ev["people"][0]["person"]]
            enquired = {a["details"].get("location") for a in self.acts(key, "enquiry_at_location")}
            for loc in (d.get(n) for n in ("taken_to", "found_location", "seen_at")):
                adults = {
                    p for p in self.current_residents.get(loc or "", set()) if not self.is_child(p)
                }
                if loc and adults - self.carers(child) and loc not in enquired:
                    fired.add(key)
        return fired

    def repeat(self) -> set[str]:
        count: dict[str, int] = defaultdict(int)
        for ev in self.events.values():
            if ev["kind"] == "missing_episode" and parse_time(
                ev["occurred_at"]
            ) >= AS_OF - timedelta(days=90):
                count[self.tid[ev["people"][0]["person"]]] += 1
        return {who for who, n in count.items() if n >= 3}


LEVEL_ORDER = ("no_apparent_risk", "low", "medium", "high")
CSE_EVENT_KINDS = {"cse_concern", "sexual_offence", "online_abuse", "missing_episode"}


class CseOracle(PersonOracle):
    """CSE indicators (as far as the generator makes them) and the rules built on them."""

    def __init__(self, files: ForceFiles) -> None:
        super().__init__(files)
        self.events_of: dict[str, list[Rec]] = defaultdict(list)
        for ev in self.events.values():
            for who in dict.fromkeys(self.tid[p["person"]] for p in ev["people"]):
                self.events_of[who].append(ev)
        self.flags_of: dict[str, list[Rec]] = defaultdict(list)
        for f in files.of("flag"):
            self.flags_of[self.tid[f["person"]]].append(f)

    def indicators(self, child: str, until: datetime, *, inclusive: bool) -> set[str]:
        """Indicator kinds other than going missing, from records made up to ``until``."""
        kinds: set[str] = set()
        carers = self.carers(child)
        for ev in self.events_of[child]:
            at = parse_time(ev["occurred_at"])
            if at > until or (at == until and not inclusive) or at < until - YEAR:
                continue
            roles = {p["role"] for p in ev["people"] if self.tid[p["person"]] == child}
            if not roles or "suspect" in roles:
                continue
            kinds |= set(ev.get("details", {}).get("indicators", []))
            if ev["kind"] in CSE_EVENT_KINDS:
                for p in ev["people"]:
                    other = self.tid[p["person"]]
                    older = (self.dob[child] - self.dob[other]).days >= 5 * 365
                    if other not in carers and other != child and older:
                        kinds.add("older_adult_association")
            for name in ("taken_to", "found_location", "seen_at"):
                loc = ev.get("details", {}).get(name)
                if (
                    loc
                    and {p for p in self.current_residents.get(loc, set()) if not self.is_child(p)}
                    - carers
                ):
                    kinds.add("found_at_adult_home")
        offenders = set(self.offenders())
        if offenders & (self.linked(child) | self.event_contacts(child)):
            kinds.add("rso_link")
        return kinds

    def event_contacts(self, child: str) -> set[str]:
        return {self.tid[p["person"]] for ev in self.events_of[child] for p in ev["people"]}

    def flag(self, child: str, kind: str, at: datetime) -> Rec | None:
        for f in self.flags_of[child]:
            in_force = not f.get("until") or parse_time(f["until"]) > at
            if f["kind"] == kind and parse_time(f["since"]) <= at and in_force:
                return f
        return None

    def episodes(self) -> list[tuple[str, str, datetime]]:
        return sorted(
            (
                (key, self.tid[ev["people"][0]["person"]], parse_time(ev["occurred_at"]))
                for key, ev in self.events.items()
                if ev["kind"] == "missing_episode"
            ),
            key=lambda x: x[2],
        )

    def cse_link(self) -> set[str]:
        fired = set()
        for _, child, at in self.episodes():
            if at < AS_OF - YEAR:
                continue
            if self.indicators(child, AS_OF, inclusive=True) and not self.flag(
                child, "cse_risk", AS_OF
            ):
                fired.add(child)
        return fired

    def computed(
        self, child: str, at: datetime, earlier: int, from_care: bool, *, inclusive: bool
    ) -> str:
        cse = bool(self.indicators(child, at, inclusive=inclusive))
        flag = self.flag(child, "cse_risk", at)
        harm = self.flag(child, "self_harm", at) or self.flag(child, "mental_health", at)
        looked_after = from_care or bool(self.flag(child, "looked_after_child", at))
        for loc, until in self.homes[child]:
            kind = self.f.records[("location", loc)].get("kind")
            if kind in {"foster_home", "children_home"} and (until is None or until > at):
                looked_after = True
        if (earlier >= 3 and (cse or flag)) or (flag and flag.get("level") == "high"):
            return "high"
        if _age(self.dob[child], at.date()) < 12 or (harm and earlier >= 3):
            return "high"
        if earlier >= 3 or cse or looked_after:
            return "medium"
        return "low"

    def understated(self) -> tuple[set[str], set[str]]:
        """Episodes whose recorded risk is below the computed one; and any that hang on a
        reading of the spec (an indicator on the episode itself; a year of 365 or 366 days)."""
        fired, unclear = set(), set()
        starts: dict[str, list[datetime]] = defaultdict(list)
        for key, child, at in self.episodes():
            earlier = starts[child]
            ev = self.events[key]
            if at >= AS_OF - YEAR:
                assessed = self.acts(key, "missing_risk_assessment")
                recorded = assessed[-1]["details"]["level"] if assessed else ev["risk_level"]
                care = ev["details"]["missing_from"] == "care"
                readings = {
                    self.computed(
                        child,
                        at,
                        sum(1 for s in earlier if at - timedelta(days=d) <= s),
                        care,
                        inclusive=inc,
                    )
                    for d in (365, 366)
                    for inc in (False, True)
                }
                below = [LEVEL_ORDER.index(recorded) < LEVEL_ORDER.index(r) for r in readings]
                if all(below):
                    fired.add(key)
                elif any(below):
                    unclear.add(key)
            earlier.append(at)
        return fired, unclear

    def network(self) -> set[str]:
        flagged_children = {child for _, child, at in self.episodes() if at >= AS_OF - YEAR}
        links: dict[str, set[str]] = defaultdict(set)
        for ev in self.events.values():
            if parse_time(ev["occurred_at"]) < AS_OF - YEAR:
                continue
            kids = {
                self.tid[p["person"]]
                for p in ev["people"]
                if self.tid[p["person"]] in flagged_children
            }
            for kid in kids:
                for p in ev["people"]:
                    other = self.tid[p["person"]]
                    if (
                        p["role"] != "reporting_person"
                        and other not in self.carers(kid)
                        and not self.is_child(other)
                    ):
                        links[other].add(kid)
                for name in ("taken_to", "found_location", "seen_at"):
                    loc = ev.get("details", {}).get(name)
                    for adult in self.current_residents.get(loc or "", set()):
                        if not self.is_child(adult):
                            links[adult].add(kid)
        return {adult for adult, kids in links.items() if len(kids) >= 2}
