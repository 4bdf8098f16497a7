#!/usr/bin/env python3
"""Regenerate the screenshots of `asx desk` in the README (docs/desk.svg, docs/desk-reviews.svg,
docs/desk-zh.svg): the sample store (`asx init --sample`, clock 2026-11-20 10:00 +08:00) opened as
萌萌 in an 80×24 terminal by Textual's own harness (run_test), saved with its SVG screenshot.

    python docs/gen_desk_svg.py
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOW = "2026-11-20T10:00:00+08:00"


async def shoot(ws: Path, name: str, *, lang: str | None = None, keys: tuple[str, ...] = ()) -> None:
    from asx.core.app import App
    from asx.desk import data
    from asx.desk.app import DeskApp

    app = App(ws, acting="萌萌", lang=lang)
    desk = DeskApp(app, data.view_for(app, lang=lang), poll_seconds=3600)
    async with desk.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        if keys:
            await pilot.press(*keys)
        await pilot.pause()
        desk.save_screenshot(filename=name, path=str(ROOT / "docs"))
    app.close()
    print(f"docs/{name}")


def main() -> None:
    os.environ["ASX_NOW"] = NOW
    sys.path.insert(0, str(ROOT))
    with tempfile.TemporaryDirectory(prefix="asx-desk-svg-") as tmp:
        ws = Path(tmp) / "shop"
        ws.mkdir()
        subprocess.run([sys.executable, "-m", "asx", "init", "--sample"], cwd=ws, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.chdir(ws)
        asyncio.run(shoot(ws, "desk.svg"))
        asyncio.run(shoot(ws, "desk-reviews.svg", keys=("2",)))
        asyncio.run(shoot(ws, "desk-zh.svg", lang="zh"))


if __name__ == "__main__":
    main()
