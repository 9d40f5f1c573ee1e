"""Charts as inline SVG (matplotlib, no display needed), for the HTML and PDF reports."""

from __future__ import annotations

import io
from functools import cache
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure

COLOURS = {
    "North": "#1d70b8",
    "South": "#00703c",
    "West": "#d4351c",
    "Force": "#0b0c0c",
    "Unknown": "#505a5f",
}


@cache
def _pyplot() -> ModuleType:
    """matplotlib is loaded when the first chart is drawn, not whenever the command line starts
    (it costs most of a second)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot

    return matplotlib.pyplot


def _svg(fig: Figure) -> str:
    plt = _pyplot()
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight")
    plt.close(fig)
    text = buffer.getvalue()
    return text[text.index("<svg") :]


def trend_chart(
    title: str, months: list[str], series: dict[str, list[float | None]], *, percent: bool
) -> str:
    """One line per area across the months."""
    fig, ax = _pyplot().subplots(figsize=(7, 2.6))
    for name, values in series.items():
        points = [
            (m, v * 100 if percent and v is not None else v)
            for m, v in zip(months, values, strict=True)
        ]
        xs = [i for i, (_, v) in enumerate(points) if v is not None]
        ys = [v for _, v in points if v is not None]
        ax.plot(xs, ys, marker="o", label=name, color=COLOURS.get(name, "#505a5f"))
    ax.set_xticks(range(len(months)), months, rotation=45, ha="right", fontsize=7)
    ax.set_title(title, fontsize=10, loc="left")
    if percent:
        ax.set_ylim(0, 105)
        ax.set_ylabel("%")
    ax.grid(axis="y", alpha=0.3)
    ax.legend(fontsize=7, frameon=False, ncols=4)
    return _svg(fig)


def area_bars(title: str, values: dict[str, float | None], *, percent: bool) -> str:
    """Areas side by side."""
    fig, ax = _pyplot().subplots(figsize=(3.4, 2.4))
    names = list(values)
    scale = 100 if percent else 1
    shown = [(v or 0) * scale for v in values.values()]
    ax.bar(names, shown, color=[COLOURS.get(n, "#505a5f") for n in names])
    for i, raw in enumerate(values.values()):
        label = "no data" if raw is None else f"{raw * scale:.0f}{'%' if percent else ''}"
        ax.text(i, shown[i], label, ha="center", va="bottom", fontsize=8)
    ax.set_title(title, fontsize=9, loc="left")
    if percent:
        ax.set_ylim(0, 110)
    ax.tick_params(labelsize=8)
    return _svg(fig)
