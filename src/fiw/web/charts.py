"""Server-drawn SVG charts: they need no JavaScript and weigh a few kilobytes.

Each chart carries a title and a description for screen readers, a `<title>` on every point
and bar (hover and keyboard focus show the value), labels at the ends of its lines, and its
data as CSV in the box around it (`data-csv`), which static/charts.js offers as downloads
beside PNG and SVG; pages show the same numbers in a table beside it. Text is 11 px at the
chart's natural width, which it keeps on narrow screens (its box scrolls sideways).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 40, 12, 12, 42
CHAR = 6.6  # width of an 11 px character, roughly: labels are spaced by it


@dataclass(frozen=True)
class Series:
    """One line (or one stack layer): its name, CSS class and a value per x label."""

    name: str
    css: str
    values: Sequence[float | None]


def _x(i: int, n: int, width: int = WIDTH, right: float = RIGHT) -> float:
    inner = width - LEFT - right
    return LEFT + (inner * (i + 0.5) / n)


def _y(value: float, low: float, high: float, invert: bool = False) -> float:
    inner = HEIGHT - TOP - BOTTOM
    share = (value - low) / (high - low) if high > low else 0
    if invert:
        share = 1 - share
    return TOP + inner * (1 - share)


def _csv(labels: Sequence[str], series: Sequence[Series]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["label", *(s.name for s in series)])
    for i, label in enumerate(labels):
        writer.writerow(
            [label, *("" if s.values[i] is None else f"{s.values[i]:g}" for s in series)]
        )
    return out.getvalue()


def _frame(
    title: str,
    desc: str,
    body: list[str],
    chart_id: str,
    data: str,
    width: int = WIDTH,
) -> Markup:
    head = (
        f'<div class="chart-box" id="{chart_id}-box" data-name="{escape(chart_id)}" '
        f'data-csv="{escape(data)}"><div class="chart-scroll" tabindex="0" role="region" '
        f'aria-label="{escape(title)}">'
        f'<svg class="chart" viewBox="0 0 {width} {HEIGHT}" role="img" '
        f'aria-labelledby="{chart_id}-t {chart_id}-d" preserveAspectRatio="xMidYMid meet" '
        f'xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{chart_id}-t">{escape(title)}</title>'
        f'<desc id="{chart_id}-d">{escape(desc)}</desc>'
    )
    return Markup(head + "".join(body) + "</svg></div></div>")


def _x_labels(labels: Sequence[str], every: int, right: float = RIGHT) -> list[str]:
    """Labels under the x axis, every `every`-th and the last, skipping any that would touch
    the one before, and kept inside the chart (the first may be long: "Jan.-Feb. 1973")."""
    n = len(labels)
    out: list[str] = []
    right_of_last = -1.0
    picked = [i for i in range(n) if i % every == 0]
    if n and picked[-1] != n - 1:
        picked.append(n - 1)
    for i in picked:
        label = labels[i]
        half = len(label) * CHAR / 2
        x = min(max(_x(i, n, WIDTH, right), half + 2), WIDTH - half - 2)
        if x - half < right_of_last + 6:
            if i != n - 1 or not out:
                continue
            out.pop()  # the last label wins over the one just before it
        out.append(
            f'<text class="tick" x="{x:.1f}" y="{HEIGHT - BOTTOM + 16}" '
            f'text-anchor="middle">{escape(label)}</text>'
        )
        right_of_last = x + half
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


def _end_labels(ends: list[tuple[float, float, str, str]], width: int) -> list[str]:
    """A label at the end of each line (its name and last value), nudged apart vertically."""
    out, last_y = [], -100.0
    for x, y, css, text in sorted(ends, key=lambda e: e[1]):
        y = max(y + 4, last_y + 12)
        out.append(
            f'<text class="end {css}" x="{min(x + 6, width - 2):.1f}" y="{y:.1f}">'
            f"{escape(text)}</text>"
        )
        last_y = y
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
    """Lines over shared x labels; gaps where a value is None. `invert` puts `low` on top.
    Every point has a `<title>` and takes keyboard focus; each line is labelled at its end."""
    n = max(len(labels), 1)
    last = {s.name: next((v for v in reversed(s.values) if v is not None), None) for s in series}
    ends_text = {s.name: f"{s.name} {last[s.name]:g}" for s in series if last[s.name] is not None}
    right = max(RIGHT, max((len(t) for t in ends_text.values()), default=0) * CHAR + 10)
    width = WIDTH

    def x_of(i: int) -> float:
        return _x(i, n, width, right)

    body: list[str] = []
    for t in ticks:
        y = _y(t, low, high, invert)
        body.append(
            f'<line class="grid" x1="{LEFT}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}"/>'
            f'<text class="tick" x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{t:g}</text>'
        )
    body += _x_labels(labels, max(1, n // 8), right)
    ends: list[tuple[float, float, str, str]] = []
    for s in series:
        runs: list[list[tuple[float, float, int]]] = [[]]
        for i, v in enumerate(s.values):
            if v is None:
                runs.append([])
                continue
            runs[-1].append((x_of(i), _y(v, low, high, invert), i))
        for run in runs:
            if len(run) > 1:
                points = " ".join(f"{x:.1f},{y:.1f}" for x, y, _ in run)
                body.append(f'<polyline class="line {s.css}" points="{points}"/>')
            for x, y, i in run:
                value = s.values[i]
                assert value is not None
                body.append(
                    f'<circle class="dot {s.css}" cx="{x:.1f}" cy="{y:.1f}" r="3" tabindex="0">'
                    f"<title>{escape(labels[i])}: {escape(s.name)} {value:g}</title></circle>"
                )
        if s.name in ends_text:
            i = max(i for i, v in enumerate(s.values) if v is not None)
            value = s.values[i]
            assert value is not None
            ends.append((x_of(i), _y(value, low, high, invert), s.css, ends_text[s.name]))
    body += _end_labels(ends, width)
    body += _legend(series, char_width=7, gap=12)  # the colour key of each line
    desc = "; ".join(
        f"{s.name}: "
        + ", ".join(
            f"{lab} {v:g}" for lab, v in zip(labels, s.values, strict=False) if v is not None
        )
        for s in series
    )
    return _frame(title, desc, body, chart_id, _csv(labels, series), width)


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
    return _frame(title, desc, body, chart_id, _csv(labels, layers))
