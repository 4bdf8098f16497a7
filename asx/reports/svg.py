"""Tiny inline SVG charts for the HTML report: no scripts, no fonts or files from the network.

Every chart has a ``viewBox`` and scales to the width of the page (a phone), and its margins are
measured from its labels by display width (a CJK character is about twice as wide as a Latin one), so a
legend or a category name is never clipped (issue 18 item 13)."""

from __future__ import annotations

from html import escape

FONT = 'font-family="sans-serif" font-size="12"'
#: the width of one display column at font-size 12 (a Latin letter is about 7 px, a CJK character 2 columns)
COL_PX = 7.2
COLORS = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f")


def text_px(text: str) -> int:
    """The width of ``text`` at font-size 12, from its display width (CJK double, wcwidth)."""
    from wcwidth import wcswidth

    w = wcswidth(str(text))
    return round((w if w >= 0 else len(str(text))) * COL_PX) + 2


def _open(width: int, height: int, title: str) -> str:
    """The svg element: a viewBox of the drawn size, scaled to the page's width (never wider than drawn)."""
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
            f'height="{height}" style="max-width:100%;height:auto" preserveAspectRatio="xMinYMin meet" role="img" '
            f'aria-label="{escape(title)}">')


def hbar(items: list[tuple[str, float]], *, title: str = "", width: int = 560, fmt=lambda v: f"{v:g}") -> str:
    """Horizontal bars, one per (label, value)."""
    if not items:
        return _open(max(width, text_px(f"{title}: —") + 8), 24, title) + \
            f'<text x="4" y="16" {FONT}>{escape(title)}: —</text></svg>'
    row, top = 22, 24 if title else 4
    left = max(60, max(text_px(label) for label, _ in items) + 12)   # the longest label fits
    right = max(text_px(fmt(v)) for _, v in items) + 10               # and so does the longest value
    width = max(width, left + 200 + right, text_px(title) + 8)
    height = top + row * len(items) + 6
    vmax = max(v for _, v in items) or 1
    span = width - left - right
    parts = [_open(width, height, title)]
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
    # the legend column is as wide as its longest name (plus the swatch), so no name is clipped
    legend = max((text_px(name) for name in series), default=0)
    left, right, top, bottom = 44, legend + 34, 28 if title else 10, 30
    width = max(width, left + 240 + right, text_px(title) + 8)
    height = max(height, top + 18 * len(series) + bottom)
    pw, ph = width - left - right, height - top - bottom
    n = max(1, len(labels) - 1)

    def xy(i: int, v: float) -> tuple[float, float]:
        return left + pw * i / n, top + ph * (1 - (v / ymax if ymax else 0))

    parts = [_open(width, height, title)]
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
