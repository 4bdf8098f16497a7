"""`review import` reads an XLSX workbook of TradeRate columns as it reads CSV (issue 18 item 3, R-REV-1):
preamble skipped, bad rows with their line, idempotent on (tid, oid, created)."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

openpyxl = pytest.importorskip("openpyxl")


def _book(path, header, rows):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["评价导出 2026-11-20"])
    ws.append(header)
    for r in rows:
        ws.append(list(r))
    wb.save(path)
    return path


def test_review_import_xlsx(team, asx, clock):
    header = ["tid", "oid", "nick", "result", "created", "item_title", "item_price", "content"]
    rows = [["4200009188233474987", "4200009188233474988", "阿花", "bad", datetime(2026, 10, 3, 20, 0), "床垫", 459,
             "怀疑是假货"],
            ["4200009188233474990", "", "小明", "neutral", "2026-10-04 08:00:00", "枕头", "59.90", "一般"],
            ["4200009188233474991", "", "小红", "好坏", "2026-10-04 09:00:00", "枕头", "59.90", "?"]]
    f = _book(team / "reviews.xlsx", header, rows)
    r = asx(["--as", "萌萌", "review", "import", str(f)])
    assert r.exit_code != 0 and f"{f}:5:" in r.stderr, r
    r = asx(["--as", "萌萌", "review", "import", "--skip-bad", str(f)])
    assert r.exit_code == 0 and "xlsx" in r.stderr, r
    got = json.loads(asx("review export -f json").stdout)
    assert {(x["tid"], x["result"], x["item_price_fen"]) for x in got} == {
        ("4200009188233474987", "negative", 45900), ("4200009188233474990", "neutral", 5990)}
    r = asx(["--as", "萌萌", "review", "import", "--skip-bad", str(f)])
    assert r.exit_code == 0, r
    assert len(json.loads(asx("review export -f json").stdout)) == 2     # idempotent
