"""The stored text of a record is the standard library's canonical JSON, however it is made:
a record stored before the importer used orjson must not look changed when it arrives again."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from safeguard.ingest.rows import canonical

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text()
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


def _standard(obj: dict[str, Any]) -> str:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


@settings(deadline=None)  # a shared, loaded machine: no time limit per example
@given(st.dictionaries(st.text(), values, max_size=6), st.booleans())
def test_canonical_text_is_the_standard_librarys(obj: dict[str, Any], spaced: bool) -> None:
    line = json.dumps(obj, ensure_ascii=False, separators=(", ", ": ") if spaced else (",", ":"))
    assert canonical(json.loads(line), line.encode("utf-8", "surrogatepass")) == _standard(obj)


def test_small_exponents_are_written_as_json_writes_them() -> None:
    line = b'{"details": {"score": 1e-7, "tiny": -2.5E-5}}'
    assert canonical(json.loads(line), line) == '{"details":{"score":1e-07,"tiny":-2.5e-05}}'
