"""`-` is standard input for every import and standard output for every `-o`; every import prints its
summary as JSON with --format json (case import: --summary json, its --format names the input);
`case show` honours -f and -o (issue 18 item 10)."""

from __future__ import annotations

import csv
import io
import json
import stat

REVIEWS = ("tid,oid,nick,result,created,item_title,item_price,content\n"
           "4300000000000000001,4300000000000000002,阿花,bad,2026-11-10 20:00:00,床垫,459.00,怀疑是假货\n"
           "4300000000000000003,,小明,neutral,2026-11-11 08:00:00,枕头,59.90,一般\n")


def test_review_import_stdin_json_summary(sample, asx):
    r = asx("review import - -f json", input=REVIEWS)
    assert r.exit_code == 0, r
    s = json.loads(r.stdout)
    assert (s["file"], s["read"], s["added"], s["known"], s["rejected"], s["rejects"]) == ("-", 2, 2, 0, 0, None)
    again = json.loads(asx("review import - --format json", input=REVIEWS).stdout)
    assert (again["added"], again["known"]) == (0, 2)                          # idempotent (R-REV-1)
    r = asx("review import - -f json --rejects bad.csv",
            input=REVIEWS + "4300000000000000009,,小红,好坏,2026-11-11 09:00:00,枕头,1,?\n")
    assert r.exit_code == 2 and json.loads(r.stdout)["rejected"] == 1 and json.loads(r.stdout)["imported"] is False


def test_log_import_stdin_json_summary(sample, asx):
    text = ("day,agent,served,ordered,amount\n2026-09-01,小雨,12,3,99.50\n2026-11-18,nobody,1,0,0\n")
    r = asx("log import - --skip-bad -f json", input=text)
    assert r.exit_code == 0, r
    s = json.loads(r.stdout)
    assert (s["read"], s["added"] + s["replaced"] + s["known"], s["rejected"], s["rejects"]) == \
        (2, 1, 1, "stdin.rejects.csv")
    rej = sample / "stdin.rejects.csv"
    assert rej.exists() and stat.S_IMODE(rej.stat().st_mode) == 0o600 and "nobody" in rej.read_text("utf-8")


def test_case_import_stdin_summary_json(sample, asx):
    text = "订单编号,类别,创建时间,客服,摘要\n5500000000000000001,inquiry,2026-11-18 09:00,小雨,问发货\n"
    r = asx("case import - --summary json", input=text)
    assert r.exit_code == 0, r
    s = json.loads(r.stdout)
    assert (s["file"], s["added"], s["known"], s["rejected"]) == ("-", 1, 0, 0)
    assert json.loads(asx("case import - --summary json", input=text).stdout)["known"] == 1


def test_roster_import_and_audit_read_stdin(sample, asx):
    grid = asx("roster show -f csv --from 2026-11-23 --to 2026-11-29").stdout
    r = asx("roster import - --dry-run -f json", input=grid)
    assert r.exit_code == 0, r
    statement = (sample / "inbox" / "alipay-ledger-202611.csv").read_bytes()
    by_path = asx("audit refunds inbox/alipay-ledger-202611.csv --no-record -f json")
    from asx.testing import invoke

    by_pipe = invoke(["audit", "refunds", "-", "--no-record", "-f", "json"], input=statement)
    assert by_pipe.exit_code == by_path.exit_code
    def norm(text, name):
        return [{**x, "file": None, "message": x["message"].replace(f"{name}:", "FILE:")} for x in json.loads(text)]

    rows = norm(by_pipe.stdout, "-")
    assert rows == norm(by_path.stdout, "inbox/alipay-ledger-202611.csv") and rows
    assert {x["file"] for x in json.loads(by_pipe.stdout)} - {None} == {"-"}   # ledger-side findings have no file


def test_case_show_honours_format_and_output(sample, asx):
    rows = list(csv.DictReader(io.StringIO(asx("case show 7 -f csv").stdout)))
    assert len(rows) == 1 and rows[0]["id"] == "7" and rows[0]["amount_fen"] == "500"   # was JSON whatever asked
    assert json.loads(asx("case show 7 -f jsonl").stdout)["id"] == 7
    assert "\n" not in asx("case show 7 -f jsonl").stdout.strip()
    assert asx("case show 7 -o c7.json").exit_code == 0
    assert json.loads((sample / "c7.json").read_text("utf-8"))["history"]
    assert asx("case show 7 -f table -o c7.txt").exit_code == 0
    text = (sample / "c7.txt").read_text("utf-8")
    assert text.startswith("id ") and "history:" in text
    assert stat.S_IMODE((sample / "c7.txt").stat().st_mode) == 0o644
    assert json.loads(asx("case show 7 -f json -o -").stdout)["id"] == 7


def test_dash_output_is_stdout(sample, asx):
    r = asx("ledger list -f json -o -")
    assert r.exit_code == 0 and json.loads(r.stdout) and not (sample / "-").exists()
