"""asx-tmall: order report import, flags, the 16:00 reminder list, refunds (seed 001)."""

from __future__ import annotations

from asx.testing import ws_db
import json
import os
import sqlite3
import subprocess
import sys

from tmall_testdata import order_line


def rows(ws, sql):
    return [tuple(r) for r in ws_db(ws).execute(sql).fetchall()]


def test_import_orders_gbk_report(asx, workspace, order_report):
    f = order_report([
        order_line("3901234567890123456", "tb_小王", "128.00", "交易成功", "2026-11-01 10:00:00", "2026-11-01 10:01:00"),
        order_line("3901234567890123457", "tb_阿花", "59.90", "卖家已发货，等待买家确认", "2026-11-02 11:00:00", "2026-11-02 11:05:00"),
        order_line("3901234567890123458", "tb_老李", "", "等待买家付款", "2026-11-20 09:00:00"),
    ])
    r = asx(["tmall", "import-orders", str(f)])
    assert r.exit_code == 0, r
    assert "gb18030" in r.stderr.lower() or "gbk" in r.stderr.lower()
    got = rows(workspace, "SELECT order_no, buyer, paid_fen, status FROM orders ORDER BY order_no")
    assert got == [("3901234567890123456", "tb_小王", 12800, "success"),
                   ("3901234567890123457", "tb_阿花", 5990, "shipped"),
                   ("3901234567890123458", "tb_老李", None, "unpaid")]
    dump = "\n".join(map(str, rows(workspace, "SELECT * FROM orders")))
    assert "13812345678" not in dump and "张三丰" not in dump and "文三路" not in dump  # not kept
    again = asx(["tmall", "import-orders", str(f)])
    assert again.exit_code == 0 and "0 added or changed" in again.stderr


def test_excel_mangled_order_number_rejected_and_nothing_written(asx, workspace, order_report):
    f = order_report([
        order_line("3901234567890123456", "tb_小王", "128.00", "交易成功", "2026-11-01 10:00:00"),
        order_line("3.90123E+18", "tb_阿花", "59.90", "交易成功", "2026-11-02 11:00:00"),
        order_line("3901234567890123459", "tb_阿华", "12.00", "交易成功", "not a date"),
    ])
    r = asx(["tmall", "import-orders", str(f)])
    assert r.exit_code == 2
    assert f"{f}:3:" in r.stderr and "mangled by Excel" in r.stderr
    assert f"{f}:4:" in r.stderr and "not a date" in r.stderr
    assert rows(workspace, "SELECT count(*) FROM orders") == [(0,)]
    rej = (f.parent / (f.name + ".rejects.csv")).read_text(encoding="utf-8")
    assert ",3," in rej and ",4," in rej
    r = asx(["tmall", "import-orders", str(f), "--skip-bad"])
    assert r.exit_code == 0
    assert rows(workspace, "SELECT order_no FROM orders") == [("3901234567890123456",)]


def test_not_an_order_report(asx, workspace, tmp_path):
    f = tmp_path / "x.csv"
    f.write_text("a,b\n1,2\n", encoding="utf-8")
    r = asx(["tmall", "import-orders", str(f)])
    assert r.exit_code == 2 and "订单编号" in r.stderr and "Traceback" not in r.stderr


def test_red_flag_note_form_and_history(asx, workspace):
    assert asx("agent add 萌萌 --role agent").exit_code == 0
    r = asx(["--as", "萌萌", "tmall", "flag", "3901234567890123456", "red", "发邮政快递"])
    assert r.exit_code == 0, r
    out = json.loads(asx("tmall flags -f json").stdout)
    assert out[0]["note"] == "发邮政快递 _ 萌萌" and out[0]["color"] == "red"
    r = asx(["--as", "萌萌", "tmall", "flag", "1", "red", "发邮政快递_萌萌"])
    assert r.exit_code == 2
    r = asx(["--as", "萌萌", "tmall", "flag", "1", "red"])
    assert r.exit_code == 2
    import pytest

    with pytest.raises(sqlite3.IntegrityError):
        ws_db(workspace).execute("DELETE FROM tmall_flags")


def test_remind_lists_unpaid_until_blue_flagged(asx, workspace, order_report, monkeypatch):
    f = order_report([
        order_line("3901234567890123401", "tb_小王", "", "等待买家付款", "2026-11-20 09:00:00"),
        order_line("3901234567890123402", "tb_阿花", "", "等待买家付款", "2026-11-20 17:00:00"),
        order_line("3901234567890123403", "tb_老李", "30.00", "交易成功", "2026-11-20 09:00:00", "2026-11-20 09:01:00"),
    ])
    assert asx(["tmall", "import-orders", str(f)]).exit_code == 0
    monkeypatch.setenv("ASX_NOW", "2026-11-20T16:05:00+08:00")
    out = json.loads(asx("tmall remind -f json").stdout)
    assert [o["order_no"] for o in out] == ["3901234567890123401"]
    assert out[0]["buyer"] != "tb_小王" and out[0]["overdue"] == "yes"  # masked (R-SEC-1)
    assert asx("tmall flag 3901234567890123401 blue").exit_code == 0
    assert json.loads(asx("tmall remind -f json").stdout) == []
    # the next day only the order not yet reminded: an order blue-flagged the day before never comes
    # back (seed 001 避免多次催单, issue 16 item 8)
    monkeypatch.setenv("ASX_NOW", "2026-11-21T16:05:00+08:00")
    assert [o["order_no"] for o in json.loads(asx("tmall remind -f json").stdout)] == ["3901234567890123402"]
    assert asx("tmall flag 3901234567890123402 blue").exit_code == 0
    monkeypatch.setenv("ASX_NOW", "2026-11-25T16:05:00+08:00")
    assert json.loads(asx("tmall remind -f json").stdout) == []


def test_import_refund_report(asx, workspace, tmp_path):
    header = ("订单编号,退款编号,支付宝交易号,订单付款时间,商品编码,退款完结时间,买家实际支付金额,宝贝标题,买家退款金额,"
              "手工退款/系统退款,是否需要退货,退款的申请时间,超时时间,退款状态,货物状态,退货物流信息,发货物流信息,客服介入状态,"
              "卖家真实姓名,卖家真实姓名新,卖家退货地址,卖家邮编,卖家电话,卖家手机,退货物流单号,退货物流公司,买家退款原因,"
              "买家退款说明,买家退货时间,责任方,售中或售后,商家备注,完结时间,部分退款/全部退款,审核操作人,举证超时,是否零秒响应,"
              "退款操作人,退款原因标签,业务类型,是否帮他退款,帮他退款操作账号")
    line = ('="3901234567890123456",="123456789012",2026110122001,2026-11-01 10:01:00,,2026-11-03 12:00:00,128.00,'
            "四件套,28.00,手工退款,否,2026-11-02 09:00:00,,SUCCESS,买家已收到货,,,,王五,,,,,,,,质量问题,线头多,,商家,售后,,,"
            "部分退款,萌萌,,,萌萌,,,,")
    f = tmp_path / "refunds.csv"
    f.write_bytes((header + "\n" + line + "\n").encode("gbk"))
    r = asx(["tmall", "import-refunds", str(f)])
    assert r.exit_code == 0, r
    out = json.loads(asx("tmall refunds -f json").stdout)
    assert out[0]["refund"] == "28.00" and out[0]["order_no"] == "3901234567890123456"
    assert asx(["tmall", "import-refunds", str(f)]).stderr.count("0 added or changed") == 1


def test_sample_store_tmall(asx, tmall_shop, monkeypatch):
    out = json.loads(asx("tmall remind -f json").stdout)
    assert 1 <= len(out) <= 6
    flags = json.loads(asx("tmall flags -f json").stdout)
    assert any(f["note"].endswith(" _ " + f["agent"]) for f in flags)


def test_installed_entry_point_lists_in_plugins(tmp_path):
    """Installed with pip, the plugin loads through its entry point (no test registration)."""
    env = {**os.environ, "ASX_LOAD_PLUGINS": "tmall"}
    code = "import sys; sys._called_from_test = False\nfrom asx.cli import main\nmain(['plugins', '-f', 'json'])"
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path)
    names = {p["name"] for p in json.loads(r.stdout)}
    assert "tmall" in names, r.stderr
