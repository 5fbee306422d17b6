"""Charts drawn on the server as inline SVG: no script, no CDN, readable on a phone.

SVG scales with its viewBox, so one drawing fits a phone and a desk screen; colours come
from presentation attributes (the CSP forbids inline styles). Every label is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

from api.web import texts

BAR_COLOR = "#1f6feb"
ALERT_COLOR = "#d1242f"
GRID_COLOR = "#d0d7de"
TEXT_COLOR = "#1f2328"


def _number(value: float) -> str:
    return f"{value:,.0f}".replace(",", ".")


def bar_chart(
    items: Sequence[tuple[str, float]], *, title: str, color: str = BAR_COLOR, label_width: int = 160
) -> Markup:
    """Horizontal bars: long Vietnamese labels stay readable on a narrow screen."""
    # Narrow drawing, large type: a phone shows it at about 0.9x, so 14 stays readable.
    width, row, top = 380, 28, 6
    height = top + row * max(len(items), 1) + 8
    peak = max((value for _, value in items), default=0) or 1
    room = width - label_width - 48
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'xmlns="http://www.w3.org/2000/svg" aria-label="{escape(title)}"><title>{escape(title)}</title>'
    ]
    if not items:
        parts.append(f'<text x="8" y="22" fill="{TEXT_COLOR}" font-size="14">{texts.NO_DATA}</text>')
    for i, (label, value) in enumerate(items):
        y = top + i * row
        bar = max(room * value / peak, 1 if value else 0)
        short = label if len(label) <= 17 else label[:16] + "…"
        parts.append(
            f'<text x="{label_width - 6}" y="{y + 19}" text-anchor="end" font-size="14" '
            f'fill="{TEXT_COLOR}"><title>{escape(label)}</title>{escape(short)}</text>'
            f'<rect x="{label_width}" y="{y + 4}" width="{bar:.1f}" height="{row - 8}" rx="3" '
            f'fill="{color}"/>'
            f'<text x="{label_width + bar + 4:.1f}" y="{y + 19}" font-size="14" '
            f'fill="{TEXT_COLOR}">{_number(value)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def line_chart(points: Sequence[tuple[str, float]], *, title: str, color: str = BAR_COLOR) -> Markup:
    """A monthly line with dots; on long series every third month is labelled, counted back
    from the latest (the month leadership looks at)."""
    width, height, left, right, top, bottom = 380, 190, 34, 26, 14, 30
    peak = max((value for _, value in points), default=0) or 1
    inner_w, inner_h = width - left - right, height - top - bottom
    step = inner_w / max(len(points) - 1, 1)

    def xy(i: int, value: float) -> tuple[float, float]:
        return left + i * step, top + inner_h - inner_h * value / peak

    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'xmlns="http://www.w3.org/2000/svg" aria-label="{escape(title)}"><title>{escape(title)}</title>',
        f'<line x1="{left}" y1="{top + inner_h}" x2="{width - right}" y2="{top + inner_h}" '
        f'stroke="{GRID_COLOR}"/>',
        f'<text x="{left - 4}" y="{top + 4}" text-anchor="end" font-size="13" '
        f'fill="{TEXT_COLOR}">{_number(peak)}</text>',
        f'<text x="{left - 4}" y="{top + inner_h}" text-anchor="end" font-size="13" '
        f'fill="{TEXT_COLOR}">0</text>',
    ]
    coords = [xy(i, value) for i, (_, value) in enumerate(points)]
    if coords:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{color}" stroke-width="2.5"/>')
    every = 3 if len(points) > 8 else 1
    for i, ((label, value), (x, y)) in enumerate(zip(points, coords, strict=True)):
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{color}"><title>{escape(label)}: '
            f"{_number(value)}</title></circle>"
        )
        if (len(points) - 1 - i) % every == 0:
            parts.append(
                f'<text x="{x:.1f}" y="{height - 12}" text-anchor="middle" font-size="13" '
                f'fill="{TEXT_COLOR}">{escape(label)}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))
