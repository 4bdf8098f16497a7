"""`case search` / `review search`: Chinese substring search over case summaries and history notes and
over review text, masked in output (issue 18 item 11; R-SEC-1). SQLite: FTS5 trigram; PostgreSQL: ILIKE
(pg_trgm indexes when the server has the extension)."""

from __future__ import annotations

import json


def _ids(asx, cmd):
    r = asx(cmd)
    assert r.exit_code == 0, r
    return [x["id"] for x in json.loads(r.stdout)]


def test_case_search_summary_and_notes_newest_first(sample, asx):
    found = _ids(asx, "case search 充电线 -f json")
    assert found and found == sorted(found, reverse=True)
    rows = json.loads(asx("case export -f json").stdout)
    want = sorted((r["id"] for r in rows if "充电线" in (r["summary"] or "")), reverse=True)
    assert found[:len(want)] == want[:len(found)] and set(want) <= set(_ids(asx, "case search 充电线 --limit 500 -f json"))
    assert _ids(asx, "case search 破损 --limit 500 -f json")       # two characters: below a trigram, still found
    assert _ids(asx, "case search 没有这种文字的案件 -f json") == []
    # a note added after the index was built is found by the next search
    assert asx(["--as", "萌萌", "case", "note", "296", "买家说快递员把箱子摔了"]).exit_code == 0
    assert _ids(asx, "case search 快递员把箱子 -f json") == [296]


def test_case_search_follows_edits_and_masks(sample, asx):
    assert _ids(asx, "case search 充电线 -f json")
    r = asx(["--as", "萌萌", "case", "edit", "299", "--summary", "想换成蓝色的水杯，电话13812345678"])
    assert r.exit_code == 0, r
    assert _ids(asx, "case search 蓝色的水杯 -f json") == [299]
    assert 299 not in _ids(asx, "case search 订单两件只收到一件 --limit 500 -f json")   # the old text is gone
    out = asx("case search 蓝色的水杯 -f csv").stdout
    assert "13812345678" not in out and "138****5678" in out                          # masked (R-SEC-1)
    r = asx(["case", "search", "  "])
    assert r.exit_code == 2 and "search for what" in r.stderr


def test_review_search(sample, asx):
    got = json.loads(asx("review search 假货 -f json").stdout)
    assert got and all("假货" in x["content"] for x in got)
    assert all("*" in x["buyer"] for x in got if x["buyer"])                          # masked
    assert json.loads(asx("review search 不会出现的评价内容 -f json").stdout) == []
