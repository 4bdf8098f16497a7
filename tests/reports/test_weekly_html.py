"""Issue 18 item 13 (and item 5's weekly labels): the weekly HTML pack scales on a phone (SVG viewBox,
viewport meta), prints cleanly (print CSS), no legend or label of a chart is clipped, the SLA series and
refund reasons show their labels, not their keys. The headless-Chromium check at the end is skipped where
Chromium is absent."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from asx.reports import svg


def _pack(sample, asx) -> str:
    out = sample / "w.html"
    r = asx(["report", "weekly", "--week", "2026-W46", "-f", "html", "-o", str(out)])
    assert r.exit_code == 0, r
    return out.read_text(encoding="utf-8")


def _svgs(html: str) -> list[str]:
    return re.findall(r"<svg.*?</svg>", html, flags=re.S)


def _fits(one: str) -> list[str]:
    """Texts of an SVG that stick out of its viewBox (measured as the chart measures: display width)."""
    m = re.search(r'viewBox="0 0 (\d+) (\d+)"', one)
    assert m, one[:200]
    width = int(m.group(1))
    bad = []
    for attrs, text in re.findall(r"<text([^>]*)>([^<]*)</text>", one):
        x = float(re.search(r'x="([\d.]+)"', attrs).group(1))
        import html as h

        w = svg.text_px(h.unescape(text))
        if 'text-anchor="end"' in attrs:
            left, right = x - w, x
        elif 'text-anchor="middle"' in attrs:
            left, right = x - w / 2, x + w / 2
        else:
            left, right = x, x + w
        if left < 0 or right > width:
            bad.append(f"{text!r} spans {left:.0f}..{right:.0f} of {width}")
    return bad


def test_charts_scale_and_nothing_is_clipped(sample, asx):
    html = _pack(sample, asx)
    charts = _svgs(html)
    assert len(charts) >= 4
    for one in charts:
        assert "viewBox=" in one and "max-width:100%" in one
        assert not _fits(one), _fits(one)
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert "@media print" in html


def test_long_legends_and_cjk_labels_fit():
    """A legend as long as ``sla_first_response`` (the clipped one of issue 18) and Chinese category names
    (double width) fit inside the chart."""
    line = svg.line({"sla_first_response_calendar": [0.5, 0.7], "首次响应达成率（服务时间）": [0.6, 0.9]}, ["W45", "W46"],
                    title="SLA attainment")
    assert not _fits(line)
    bars = svg.hbar([("质量问题与想象不符的长长类别名称", 12), ("x", 3)], title="类别 by category")
    assert not _fits(bars)


def test_series_and_reasons_by_label_not_key(sample, asx):
    html = _pack(sample, asx)
    trend = next(s for s in _svgs(html) if 'aria-label="SLA attainment"' in s)
    assert "sla_first_response" not in trend and "首次响应" in trend
    refunds = next(s for s in _svgs(html) if 'aria-label="金额 yuan"' in s)
    assert "退款" in refunds and ">refund<" not in refunds
    assert "fine 50 yuan" not in html and "罚款 50 元" in html      # R-KPI-4 ladder in words


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def _png_rows(path) -> tuple[int, int, list[bytes]]:
    """Width, height and the RGB rows of a PNG (8-bit RGB/RGBA, no interlace: what Chromium writes)."""
    import struct
    import zlib

    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, w, h, bpp = 8, b"", 0, 0, 3
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and ctype in (2, 6)
            bpp = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw = zlib.decompress(idat)
    stride = w * bpp
    rows, prev = [], bytearray(stride)
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line if bpp == 3 else bytes(v for j, v in enumerate(line) if j % 4 != 3)))
        prev = line
    return w, h, rows


def _shot(chromium: str, html_path, png, width: int, height: int) -> None:
    subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                    f"--window-size={width},{height}", f"--screenshot={png}", html_path.as_uri()],
                   check=True, capture_output=True, timeout=120)


@pytest.mark.skipif(_chromium() is None, reason="Chromium is not installed (CI installs it: .ci/run)")
def test_chromium_renders_legends_whole_and_chinese_without_tofu(sample, asx, tmp_path):
    """In a real browser at phone width: the SLA chart's legend ends inside the chart (the right margin of
    the screenshot is blank), and Chinese text does not come out as tofu boxes (fonts-noto-cjk): a label
    drawn in Chinese differs from the same count of a character no font has."""
    chromium = _chromium()
    html = _pack(sample, asx)
    trend = next(s for s in _svgs(html) if 'aria-label="SLA attainment"' in s)
    page = tmp_path / "trend.html"
    page.write_text('<!DOCTYPE html><html><head><meta charset="utf-8"><meta name="viewport" '
                    'content="width=device-width, initial-scale=1"><style>body{margin:0;background:#fff}'
                    '</style></head><body>' + trend + "</body></html>", encoding="utf-8")
    png = tmp_path / "trend.png"
    _shot(chromium, page, png, 390, 400)
    w, h, rows = _png_rows(png)
    ink = [x for row in rows for x in range(w) if min(row[3 * x:3 * x + 3]) < 200]
    assert ink, "nothing drawn"
    assert max(ink) < w - 2, "the chart's right edge (its legend) is cut off at phone width"

    def drawn(text: str) -> list[bytes]:
        p = tmp_path / "t.html"
        p.write_text('<!DOCTYPE html><html><head><meta charset="utf-8"><style>body{margin:0;background:#fff;'
                     'font:24px sans-serif}</style></head><body>' + text + "</body></html>", encoding="utf-8")
        out = tmp_path / "t.png"
        _shot(chromium, p, out, 300, 60)
        return _png_rows(out)[2]

    assert drawn("首次响应") != drawn("\U0010fffd" * 4), "Chinese is drawn as tofu boxes: install fonts-noto-cjk"
