"""Server-drawn SVG charts: they need no JavaScript and weigh a few kilobytes.

Each chart carries a title and a description for screen readers; pages show the same numbers
in a table beside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 40, 12, 12, 42


@dataclass(frozen=True)
class Series:
    """One line (or one stack layer): its name, CSS class and a value per x label."""

    name: str
    css: str
    values: Sequence[float | None]


def _x(i: int, n: int) -> float:
    inner = WIDTH - LEFT - RIGHT
    return LEFT + (inner * (i + 0.5) / n)


def _y(value: float, low: float, high: float, invert: bool = False) -> float:
    inner = HEIGHT - TOP - BOTTOM
    share = (value - low) / (high - low) if high > low else 0
    if invert:
        share = 1 - share
    return TOP + inner * (1 - share)


def _frame(title: str, desc: str, body: list[str], chart_id: str) -> Markup:
    head = (
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{chart_id}-t {chart_id}-d" preserveAspectRatio="xMidYMid meet">'
        f'<title id="{chart_id}-t">{escape(title)}</title>'
        f'<desc id="{chart_id}-d">{escape(desc)}</desc>'
    )
    return Markup(head + "".join(body) + "</svg>")


def _x_labels(labels: Sequence[str], every: int) -> list[str]:
    n = len(labels)
    out = []
    for i, label in enumerate(labels):
        if i % every == 0 or i == n - 1:
            out.append(
                f'<text class="tick" x="{_x(i, n):.1f}" y="{HEIGHT - BOTTOM + 16}" '
                f'text-anchor="middle">{escape(label)}</text>'
            )
    return out


def _legend(series: Sequence[Series], char_width: int, gap: int) -> list[str]:
    """A colour key and the name of each series, left to right along the bottom."""
    out, lx = [], LEFT
    for s in series:
        out.append(
            f'<rect class="key {s.css}" x="{lx}" y="{HEIGHT - 12}" width="10" height="10"/>'
            f'<text class="legend" x="{lx + 14}" y="{HEIGHT - 3}">{escape(s.name)}</text>'
        )
        lx += 16 + char_width * len(s.name) + gap
    return out


def line_chart(
    chart_id: str,
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    low: float,
    high: float,
    ticks: Sequence[float],
    invert: bool = False,
) -> Markup:
    """Lines over shared x labels; gaps where a value is None. `invert` puts `low` on top."""
    n = max(len(labels), 1)
    body: list[str] = []
    for t in ticks:
        y = _y(t, low, high, invert)
        body.append(
            f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>'
            f'<text class="tick" x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{t:g}</text>'
        )
    body += _x_labels(labels, max(1, n // 8))
    for s in series:
        runs: list[list[str]] = [[]]
        for i, v in enumerate(s.values):
            if v is None:
                runs.append([])
                continue
            runs[-1].append(f"{_x(i, n):.1f},{_y(v, low, high, invert):.1f}")
        for run in runs:
            if len(run) > 1:
                body.append(f'<polyline class="line {s.css}" points="{" ".join(run)}"/>')
            for point in run:
                cx, cy = point.split(",")
                body.append(f'<circle class="dot {s.css}" cx="{cx}" cy="{cy}" r="2.5"/>')
    body += _legend(series, char_width=8, gap=12)  # a text label for each line
    desc = "; ".join(
        f"{s.name}: "
        + ", ".join(
            f"{lab} {v:g}" for lab, v in zip(labels, s.values, strict=False) if v is not None
        )
        for s in series
    )
    return _frame(title, desc, body, chart_id)


def stacked_bars(
    chart_id: str, title: str, labels: Sequence[str], layers: Sequence[Series]
) -> Markup:
    """Stacked bars, one per label; layers stack from the bottom in the order given."""
    n = max(len(labels), 1)
    totals = [sum((layer.values[i] or 0) for layer in layers) for i in range(len(labels))]
    high = max(totals, default=1) or 1
    step = 50 if high > 100 else 20
    ticks = list(range(0, int(high) + 1, step))
    body: list[str] = []
    for t in ticks:
        y = _y(t, 0, high)
        body.append(
            f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>'
            f'<text class="tick" x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{t}</text>'
        )
    bar = (WIDTH - LEFT - RIGHT) / n * 0.8
    for i, label in enumerate(labels):
        base = 0.0
        for layer in layers:
            v = layer.values[i] or 0
            y_top, y_base = _y(base + v, 0, high), _y(base, 0, high)
            body.append(
                f'<rect class="bar {layer.css}" x="{_x(i, n) - bar / 2:.1f}" y="{y_top:.1f}" '
                f'width="{bar:.1f}" height="{y_base - y_top:.1f}">'
                f"<title>{escape(label)}: {escape(layer.name)} {v:g}</title></rect>"
            )
            base += v
    body += _x_labels(labels, max(1, n // 8))
    body += _legend(layers, char_width=7, gap=14)
    desc = f"{len(labels)} editions from {labels[0]} to {labels[-1]}" if labels else "no data"
    return _frame(title, desc, body, chart_id)
