"""Charts as inline SVG, drawn with matplotlib, the same bytes every time.

matplotlib is imported only here and only when a chart is drawn (it takes a while to
load). Determinism: an Agg canvas (no display, and no global backend switched), a
fixed hash salt per chart (which also keeps the element ids of several inlined charts
apart), and no metadata block (it would carry matplotlib's version and a date).
Colours are the Okabe-Ito palette's blue and orange, which differ in lightness too;
the second series is also hatched (bars) or dashed with other markers (lines), so a
greyscale print or a colour-blind reader still tells them apart.
"""

from __future__ import annotations

import io
import re
import sys
from typing import Any

from orbit_adapters.annual_report.model import Chart

COLOURS = ("#0072B2", "#E69F00")
HATCHES = ("", "//")
LINE_STYLES = (("-", "o"), ("--", "s"))

_ID = re.compile(r'\bid="([^"]+)"')
_REFERENCE = re.compile(r"(url\(#|xlink:href=\"#|href=\"#)([^\")]+)")


def chart_svg(chart: Chart, *, decimal_comma: bool) -> str:
    """The chart as an ``<svg>`` element for inlining in HTML (no XML prolog)."""
    import matplotlib as mpl  # noqa: PLC0415 (slow to import; only when drawing)
    from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: PLC0415
    from matplotlib.figure import Figure  # noqa: PLC0415
    from matplotlib.ticker import FuncFormatter  # noqa: PLC0415

    style: Any = {
        "svg.hashsalt": f"orbit-{chart.key}",
        "svg.fonttype": "none",  # text stays text: searchable, and smaller
        "font.family": "sans-serif",
        "font.sans-serif": ["DejaVu Sans", "Liberation Sans", "Arial"],
        "font.size": 9,
        "axes.spines.top": False,
        "axes.spines.right": False,
    }
    with mpl.rc_context(style):
        # A Figure on an Agg canvas of its own rather than pyplot's: no global backend or
        # figure list is touched, which matters to a service that embeds orbit.
        figure = Figure(figsize=(6.4, 2.8))
        FigureCanvasAgg(figure)
        axes = figure.subplots()
        positions = list(range(len(chart.categories)))
        if chart.kind == "bar":
            width = 0.8 / len(chart.series)
            for index, series in enumerate(chart.series):
                offset = (index - (len(chart.series) - 1) / 2) * width
                axes.bar(
                    [position + offset for position in positions],
                    [float(value) for value in series.values],
                    width,
                    label=series.name,
                    color=COLOURS[index % 2],
                    hatch=HATCHES[index % 2],
                    edgecolor="#333333",
                    linewidth=0.5,
                )
        else:
            for index, series in enumerate(chart.series):
                line, marker = LINE_STYLES[index % 2]
                axes.plot(
                    positions,
                    [float(value) for value in series.values],
                    linestyle=line,
                    marker=marker,
                    markersize=4,
                    label=series.name,
                    color=COLOURS[index % 2],
                )
            highest = max(float(value) for series in chart.series for value in series.values)
            # Room above the top line; no more than a float holds (a store from before
            # events-v1 had bounds can hold seats near the limit).
            axes.set_ylim(0, min(highest * 1.15, sys.float_info.max) or 1)
        axes.set_xticks(positions, chart.categories)
        axes.yaxis.set_major_formatter(FuncFormatter(_tick_formatter(chart.unit, decimal_comma)))
        axes.grid(axis="y", color="#dddddd", linewidth=0.5)
        axes.set_axisbelow(True)
        axes.legend(frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncols=2)
        figure.tight_layout()
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    return _inline(buffer.getvalue(), chart.key)


def _tick_formatter(unit: str, decimal_comma: bool) -> Any:
    def tick(value: float, _position: int) -> str:
        if unit == "percent":
            text = f"{value * 100:.0f}"
            return f"{text}\u00a0%" if decimal_comma else f"{text}%"
        text = f"{value:g}"
        return text.replace(".", ",") if decimal_comma else text

    return tick


def _inline(svg: str, key: str) -> str:
    """The ``<svg>`` element alone, its ids prefixed with the chart's key."""
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.DOTALL)
    svg = _ID.sub(lambda match: f'id="{key}-{match.group(1)}"', svg)
    svg = _REFERENCE.sub(lambda match: f"{match.group(1)}{key}-{match.group(2)}", svg)
    return svg.strip()
