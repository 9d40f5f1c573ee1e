"""The deterministic pass, run in DuckDB over the feature table, independent of Splink.

- shared identifier: two keys carrying the same identifier (e.g. the same PNC number);
- the linkage floor of spec/alerts.md: same date of birth, no conflicting known sex, given
  names the same, known nicknames of each other or sharing their primary Double Metaphone
  code, and family names sharing their primary Double Metaphone code or within Jaro-Winkler
  0.8. Exact name-and-dob matches are the floor's strongest case and are labelled ``exact``.
"""

from __future__ import annotations

import duckdb

from safeguard.linkage.clusters import Edge

IDENTIFIER_SQL = """
with ids as (
    select unique_id, unnest(identifiers) as ident from features where identifiers is not null
)
select l.unique_id, r.unique_id, min(l.ident)
from ids l join ids r on l.ident = r.ident and l.unique_id < r.unique_id
group by 1, 2
"""

FLOOR_SQL = """
select
    l.unique_id, r.unique_id,
    l.given = r.given as given_same,
    coalesce(list_has_any(l.nick, r.nick), false) as nickname,
    l.family = r.family as family_same,
    l.family_dm = r.family_dm as family_dm_same,
    jaro_winkler_similarity(l.family, r.family) as family_jw
from features l
join features r on l.dob = r.dob and l.unique_id < r.unique_id
where l.given is not null and r.given is not null
  and l.family is not null and r.family is not null
  and (l.sex is null or r.sex is null or l.sex = r.sex)
  and (l.given = r.given or coalesce(list_has_any(l.nick, r.nick), false)
       or l.given_dm = r.given_dm)
  and (l.family_dm = r.family_dm or jaro_winkler_similarity(l.family, r.family) >= 0.8)
"""


def identifier_edges(con: duckdb.DuckDBPyConnection) -> list[Edge]:
    return [
        Edge(a, b, 0.0, "identifier", {"identifier": ident.split(":", 1)[0]})
        for a, b, ident in con.execute(IDENTIFIER_SQL).fetchall()
    ]


def floor_edges(con: duckdb.DuckDBPyConnection) -> list[Edge]:
    edges = []
    for a, b, given_same, nickname, family_same, family_dm_same, family_jw in con.execute(
        FLOOR_SQL
    ).fetchall():
        given = "exact" if given_same else "nickname" if nickname else "metaphone"
        family = (
            "exact" if family_same else "metaphone" if family_dm_same else f"jw {family_jw:.2f}"
        )
        method = "exact" if given_same and family_same else "floor"
        edges.append(Edge(a, b, 0.0, method, {"given": given, "family": family, "dob": "exact"}))
    return edges
