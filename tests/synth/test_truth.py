"""The truth file agrees with the source files."""

from __future__ import annotations

import re
from collections import Counter

from safeguard.synth.patterns import PATTERNS
from tests.conftest import SHARED
from tests.synth.forcefiles import ForceFiles


def test_every_person_key_belongs_to_exactly_one_true_person(small_files: ForceFiles) -> None:
    owners = Counter(k for p in small_files.people() for k in p["keys"])
    in_files = {key for (record, key) in small_files.records if record == "person"}
    assert set(owners) == in_files
    assert max(owners.values()) == 1


def test_unvaried_keys_repeat_the_true_person_exactly(small_files: ForceFiles) -> None:
    checked = 0
    for p in small_files.people():
        first = small_files.records[("person", p["keys"][0])]
        for key in p["keys"][1:]:
            if p["variations"][key] in ([], ["duplicate"]):
                rec = small_files.records[("person", key)]
                fields = ("given_name", "family_name", "dob", "sex")
                assert [rec.get(f) for f in fields] == [first.get(f) for f in fields]
                checked += 1
    assert checked > 100


def test_varied_keys_differ_as_recorded(small_files: ForceFiles) -> None:
    seen: Counter[str] = Counter()
    for p in small_files.people():
        first = small_files.records[("person", p["keys"][0])]
        for key in p["keys"][1:]:
            rec = small_files.records[("person", key)]
            for variation in p["variations"][key]:
                seen[variation] += 1
                if variation == "dob_missing":
                    assert "dob" not in rec
                if variation == "swap_names":
                    assert (
                        rec["given_name"] != first["given_name"]
                        or first["given_name"] == first["family_name"]
                    )
    assert {"nickname", "typo_family", "dob_missing"} <= set(seen)


def test_alert_truth_names_real_records_and_people(small_files: ForceFiles) -> None:
    person_keys = {k for p in small_files.people() for k in p["keys"]}
    tids = {p["id"] for p in small_files.people()}
    for alert in (t for t in small_files.truth if t["truth"] == "alert"):
        assert alert["subjects"] and set(alert["subjects"]) <= person_keys
        assert set(alert["people"]) <= tids
        for event in alert["events"]:
            assert ("event", event) in small_files.records


def test_every_code_has_positives_and_near_misses(small_files: ForceFiles) -> None:
    for code in PATTERNS:
        outcomes = Counter(a["expect"] for a in small_files.alerts(code))
        assert outcomes[True] >= 2 and outcomes[False] >= 2, code


def test_every_code_of_the_catalogue_has_a_pattern() -> None:
    catalogue = (SHARED / "spec" / "alerts.md").read_text(encoding="utf-8")
    codes = set(re.findall(r"^\| `([A-Z0-9_]+)` \|", catalogue, re.MULTILINE))
    assert len(codes) >= 29
    assert codes == set(PATTERNS)
