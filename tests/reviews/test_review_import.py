"""Importing TradeRate CSV/JSON/JSONL (R-REV-1; formats.md "Reviews"): idempotent, bad rows named."""

from __future__ import annotations

import csv
import json

import pytest

HEADER = "tid,oid,role,nick,result,created,rated_nick,item_title,item_price,content,reply,num_iid,phone"
ROWS = [
    '="4100000000000001",4100000000000002,buyer,晴天娃娃,neutral,2026-11-01 10:22:01,旗舰店,乳胶枕,¥159.00,'
    '有点味道,亲亲抱歉,612345678902,13812345678',
    "4100000000000011\t,4100000000000012,buyer,风中的麦田,bad,2026/11/01 11:00:00,旗舰店,蚕丝被,899元,"
    "怀疑是假货 要投诉,,612345678903,",
    "4100000000000021,,buyer,阿白不白,good,2026-11-01 12:00:00,旗舰店,毛毯,69,很好,,612345678904,",
    "4100000000000031,,seller,旗舰店,bad,2026-11-01 12:30:00,阿白不白,毛毯,69,买家差,,612345678904,",
]


def write_csv(path, rows, *, encoding="utf-8-sig", preamble=("店铺评价导出", "导出时间: 2026-11-02")):
    text = "\n".join([*preamble, HEADER, *rows]) + "\n"
    path.write_bytes(text.encode(encoding))
    return path


def reviews(asx):
    r = asx("review list -f json")
    assert r.exit_code == 0, r
    return json.loads(r.stdout)


def test_csv_import_is_idempotent(asx, team, clock, tmp_path):
    f = write_csv(tmp_path / "rates.csv", ROWS)
    r = asx(["review", "import", str(f)])
    assert r.exit_code == 0, r
    assert "2 added" in r.stderr and "2 not tracked" in r.stderr and "utf-8-sig" in r.stderr
    got = reviews(asx)
    assert {g["tid"] for g in got} == {"4100000000000001", "4100000000000011"}  # guards and TAB stripped
    severe = next(g for g in got if g["tid"] == "4100000000000011")
    assert severe["severity"] == 3 and severe["result"] == "negative"  # 假货/投诉 (R-REV-4)
    assert got[0]["id"] == severe["id"]  # severe first
    r = asx(["review", "import", str(f)])
    assert r.exit_code == 0 and "0 added" in r.stderr and "2 already known" in r.stderr
    assert len(reviews(asx)) == 2
    show = json.loads(asx(f"review show {severe['id']} -f json").stdout)[0]
    assert [h["action"] for h in show["history"]] == ["import"]


def test_gb18030_file(asx, team, clock, tmp_path):
    f = write_csv(tmp_path / "gbk.csv", ROWS[:2], encoding="gb18030")
    r = asx(["review", "import", str(f)])
    assert r.exit_code == 0, r
    assert "gb18030" in r.stderr
    assert {g["item"] for g in reviews(asx)} == {"乳胶枕", "蚕丝被"}


def test_malformed_rows_rejected_with_line_and_reason(asx, team, clock, tmp_path):
    bad = ROWS[:1] + [
        "1.23457E+17,,buyer,x,bad,2026-11-01 10:00:00,,枕头,10,差,,1,",        # line 5: Excel mangled
        ",,buyer,x,bad,2026-11-01 10:00:00,,枕头,10,差,,1,",                    # line 6: no tid
        "4100000000000041,,buyer,x,terrible,2026-11-01 10:00:00,,枕头,10,差,,1,",  # line 7: result
        "4100000000000051,,buyer,x,bad,yesterday-ish,,枕头,10,差,,1,",           # line 8: created
        "4100000000000061,,buyer,x,bad,2026-11-01 10:00:00,,枕头,abc,差,,1,",    # line 9: price
    ]
    f = write_csv(tmp_path / "bad.csv", bad)
    rejects = tmp_path / "rejects.csv"
    r = asx(["review", "import", str(f), "--rejects", str(rejects)])
    assert r.exit_code == 2, r
    assert "nothing imported" in r.stderr
    for line, why in [(5, "scientific notation"), (6, "tid is empty"), (7, "not good, neutral or bad"),
                      (8, "is not a time"), (9, "item_price")]:
        assert f"bad.csv:{line}: " in r.stderr and why in r.stderr, (line, why)
    assert reviews(asx) == []
    rows = list(csv.DictReader(rejects.open(encoding="utf-8")))
    assert [int(x["line"]) for x in rows] == [5, 6, 7, 8, 9]
    r = asx(["review", "import", str(f), "--skip-bad"])
    assert r.exit_code == 0 and "1 added" in r.stderr and "5 bad" in r.stderr


def test_future_review_rejected(asx, team, clock, tmp_path):
    f = write_csv(tmp_path / "f.csv", ["4100000000000071,,buyer,x,bad,2026-12-01 10:00:00,,枕头,10,差,,1,"])
    r = asx(["review", "import", str(f)])
    assert r.exit_code == 2 and "f.csv:4: created" in r.stderr and "future" in r.stderr


def test_json_api_wrapper_and_jsonl(asx, team, clock, tmp_path):
    rates = [{"tid": 4100000000000081, "oid": 4100000000000082, "role": "buyer", "nick": "糖糖不吃糖",
              "result": "neutral", "created": "2026-11-01 09:00:00", "item_title": "凉席", "content": "一般般"},
             {"tid": "4100000000000091", "role": "buyer", "nick": "王二小", "result": "bad",
              "created": "2026-11-01 09:30:00", "item_title": "凉席", "content": "质量差"}]
    f = tmp_path / "rates.json"
    f.write_text(json.dumps({"traderates_get_response": {"trade_rates": {"trade_rate": rates}}},
                            ensure_ascii=False, indent=2), encoding="utf-8")
    r = asx(["review", "import", str(f)])
    assert r.exit_code == 0 and "2 added" in r.stderr, r
    jl = tmp_path / "more.jsonl"
    jl.write_text(json.dumps(rates[0], ensure_ascii=False) + "\n{not json\n"
                  + json.dumps({**rates[1], "result": "meh"}, ensure_ascii=False) + "\n", encoding="utf-8")
    r = asx(["review", "import", str(jl)])
    assert r.exit_code == 2
    assert "more.jsonl:2: not valid JSON" in r.stderr and "more.jsonl:3: result 'meh'" in r.stderr
    r = asx(["review", "import", str(jl), "--skip-bad"])
    assert r.exit_code == 0 and "0 added" in r.stderr and "1 already known" in r.stderr


def test_no_header(asx, team, clock, tmp_path):
    f = tmp_path / "x.csv"
    f.write_text("a,b,c\n1,2,3\n", encoding="utf-8")
    r = asx(["review", "import", str(f)])
    assert r.exit_code == 2 and "no review reader recognises" in r.stderr


def test_store_plugin_reader_and_severity_rule(asx, team, clock, tmp_path):
    """A store plugin adds a reader for its own export and a severity rule (issue 5 §5)."""
    from asx import hookimpl
    from asx.reviews.importer import ReadResult, Reader
    from asx.testing import plugin_registered

    def read(path):
        rows = []
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            tid, when, text = line.split("|")
            rows.append((n, {"tid": tid, "created": when, "result": "差评", "content": text}))
        return ReadResult("utf-8", rows)

    class Plugin:
        @hookimpl
        def register_review_importers(self, register):
            register(Reader(name="pipes", description="a|b|c", read=read,
                            sniff=lambda path, head: path.suffix == ".pipes"))

        @hookimpl
        def register_review_severity_rules(self, register):
            register("expensive", lambda review: 3 if "退货" in (review.get("content") or "") else None)

    with plugin_registered(Plugin(), "test-reviews-plugin"):
        f = tmp_path / "x.pipes"
        f.write_text("4100000000000101|2026-11-01 08:00:00|要退货\n", encoding="utf-8")
        r = asx(["review", "import", str(f)])
        assert r.exit_code == 0 and "(pipes, utf-8)" in r.stderr, r
        got = reviews(asx)
        assert got[0]["severity"] == 3
        assert json.loads(asx(f"review show {got[0]['id']} -f json").stdout)[0]["severity_rule"] == "expensive"
