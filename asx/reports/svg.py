"""Tiny inline SVG charts for the HTML report: no scripts, no fonts or files from the network."""

from __future__ import annotations

from html import escape

FONT = 'font-family="sans-serif" font-size="12"'
COLORS = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f")


def hbar(items: list[tuple[str, float]], *, title: str = "", width: int = 560, fmt=lambda v: f"{v:g}") -> str:
    """Horizontal bars, one per (label, value)."""
    if not items:
        return f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="24" role="img">' \
               f'<text x="4" y="16" {FONT}>{escape(title)}: —</text></svg>'
    row, top, left = 22, 24 if title else 4, 150
    height = top + row * len(items) + 6
    vmax = max(v for _, v in items) or 1
    span = width - left - 60
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
             f'aria-label="{escape(title)}">']
    if title:
        parts.append(f'<text x="4" y="16" {FONT} font-weight="bold">{escape(title)}</text>')
    for i, (label, v) in enumerate(items):
        y = top + i * row
        w = max(1, round(span * v / vmax)) if v else 0
        parts.append(f'<text x="{left - 6}" y="{y + 15}" {FONT} text-anchor="end">{escape(str(label))}</text>')
        parts.append(f'<rect x="{left}" y="{y + 3}" width="{w}" height="{row - 6}" fill="{COLORS[i % len(COLORS)]}"/>')
        parts.append(f'<text x="{left + w + 4}" y="{y + 15}" {FONT}>{escape(fmt(v))}</text>')
    parts.append("</svg>")
    return "".join(parts)


def line(series: dict[str, list[float | None]], labels: list[str], *, title: str = "", width: int = 560,
         height: int = 220, ymax: float = 1.0, percent: bool = True) -> str:
    """Lines over the x labels (e.g. weeks); values None leave a gap."""
    left, right, top, bottom = 44, 120, 28 if title else 10, 30
    pw, ph = width - left - right, height - top - bottom
    n = max(1, len(labels) - 1)

    def xy(i: int, v: float) -> tuple[float, float]:
        return left + pw * i / n, top + ph * (1 - (v / ymax if ymax else 0))

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
             f'aria-label="{escape(title)}">']
    if title:
        parts.append(f'<text x="4" y="16" {FONT} font-weight="bold">{escape(title)}</text>')
    for k in range(0, 5):
        v = ymax * k / 4
        _, y = xy(0, v)
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + pw}" y2="{y:.1f}" stroke="#ddd"/>')
        parts.append(f'<text x="{left - 4}" y="{y + 4:.1f}" {FONT} text-anchor="end">'
                     f'{f"{v:.0%}" if percent else f"{v:g}"}</text>')
    for i, lab in enumerate(labels):
        x, _ = xy(i, 0)
        parts.append(f'<text x="{x:.1f}" y="{height - 10}" {FONT} text-anchor="middle">{escape(lab)}</text>')
    for s, (name, vals) in enumerate(series.items()):
        color = COLORS[s % len(COLORS)]
        pts = [xy(i, v) for i, v in enumerate(vals) if v is not None]
        if len(pts) > 1:
            d = " ".join(f"{x:.1f},{y:.1f}" for x, y in pts)
            parts.append(f'<polyline points="{d}" fill="none" stroke="{color}" stroke-width="2"/>')
        for x, y in pts:
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{color}"/>')
        parts.append(f'<rect x="{left + pw + 10}" y="{top + s * 18}" width="10" height="10" fill="{color}"/>')
        parts.append(f'<text x="{left + pw + 24}" y="{top + s * 18 + 9}" {FONT}>{escape(name)}</text>')
    parts.append("</svg>")
    return "".join(parts)
