"""A readable rendering of the risk picture for the terminal."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.panel import Panel
from rich.table import Table


def render_picture(out: Console, p: dict[str, Any]) -> None:
    person = p["person"]
    out.print(
        Panel(
            f"{person['name']}  dob {person['dob'] or 'unknown'}  age {person['age']}\n"
            f"keys: {', '.join(person['keys'])}",
            title=f"Risk picture as of {p['as_of']}",
        )
    )
    flags = ", ".join(f"{f['kind']}({f['level'] or '-'})" for f in p["flags"]) or "none"
    out.print(f"[bold]Flags in force:[/bold] {flags}")
    for s in p["suggested_flags"]:
        reasons = "; ".join(s["reasons"])
        out.print(f"[bold]Suggested flag:[/bold] {s['kind']} {s['level'] or ''}: {reasons}")
    m = p["missing"]
    out.print(
        f"[bold]Missing:[/bold] {m['episodes_total']} episodes ({m['episodes_90d']} in 90 days, "
        f"{m['episodes_12m']} in 12 months); recorded {m['last_recorded_risk']}, computed "
        f"{m['computed_risk']}"
    )
    for reason in m["reasons"]:
        out.print(f"  - {reason}")
    out.print(f"[bold]CSE level:[/bold] {p['cse']['level']}")
    for ind in p["cse"]["indicators"]:
        out.print(f"  - {ind['kind']}: {'; '.join(ind['reasons'])}")
    table = Table("code", "status", "severity", "message", title="Alerts")
    for a in p["alerts"]:
        table.add_row(a["code"], a["status"], a["severity"], a["message"])
    out.print(table)
    timeline = Table("at", "record", "kind", "key", title="Timeline")
    for item in p["timeline"]:
        timeline.add_row(item["at"], item["record"], item["kind"], item["key"])
    out.print(timeline)
