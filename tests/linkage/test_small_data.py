"""Ten records link as well as ten million: the stored-model path, misspelt pairs."""

from __future__ import annotations

import itertools

from sqlalchemy.orm import Session

from safeguard.linkage import service
from tests.factories import key, load, person
from tests.linkage.test_floor_and_rules import linked

# (record, record) pairs that are the same person, spelt or keyed differently.
SAME = [
    (
        person("Gemma", "Hall", "1990-04-04", sex="F", source="storm", id="P1"),
        person("Gema", "Hall", "1990-04-14", sex="F", source="ppu", id="G1"),
    ),  # typo and digit
    (
        person("Karen", "Jackson", "1978-03-03", sex="F", source="storm", id="P2"),
        person("Jackson", "Karen", "1978-03-03", source="lcs", id="K7"),
    ),  # names swapped
    (
        person("Callum", "Rowe", "2003-09-01", sex="M", source="storm", id="P3"),
        person("Calum", "Rowe", "2003-01-09", sex="M", source="ppu", id="C2"),
    ),  # dob transposed
    (
        person("Katherine", "Dent", "2001-02-02", sex="F", source="storm", id="P4"),
        person("Kate", "Dent", "2001-02-02", source="custody", id="D4"),
    ),
]
OTHERS = [
    person("Noah", "Hall", "2011-11-11", sex="M", source="storm", id="P5"),
    person("Jason", "Bragg", "1988-08-08", sex="M", source="storm", id="P6"),
]


def test_ten_records_link_the_misspelt_pairs_and_nothing_else(session: Session) -> None:
    records = [r for pair in SAME for r in pair] + OTHERS
    assert len(records) == 10
    load(session, records)
    summary = service.run_link(session=session)
    assert summary.keys == 10
    for a, b in SAME:
        assert linked(session, key(a), key(b)), (key(a), key(b))
    same = {frozenset((key(a), key(b))) for a, b in SAME}
    for a, b in itertools.combinations(records, 2):
        if frozenset((key(a), key(b))) not in same:
            assert not linked(session, key(a), key(b)), (key(a), key(b))
