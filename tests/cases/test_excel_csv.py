"""`--excel` CSV keeps long identifiers through a spreadsheet (issue 18 item 1).

A 19-digit order number written as a bare number opens in Excel/LibreOffice as 3.3082990988462E+18 and
is saved back as 3.90123456789012E+018, which `case import` rejects. With --excel it is written as
``="…"`` (unquoted), so spreadsheets keep it as text; asx's readers take the guard off."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess

import pytest

ORDER = "3308299098846212345"
HEADER = "订单编号,买家,手机,类别,级别,渠道,摘要,客服,创建时间\n"
ROWS = (f"{ORDER},买家甲,13812345678,质量问题,normal,旺旺,拉链坏了,萌萌,2026-11-10 10:00:00\n"
        f"0012345,买家乙,13812345679,少发货,normal,旺旺,少一件,萌萌,2026-11-11 11:00:00\n")


@pytest.fixture
def imported(team, asx):
    f = team / "team.csv"
    f.write_text(HEADER + ROWS, encoding="utf-8")
    r = asx(["case", "import", str(f)])
    assert r.exit_code == 0, r
    return team


def test_excel_csv_bytes_keep_long_ids_as_text(imported, asx):
    assert asx("case list --excel -o x.csv --columns id,order_no,summary").exit_code == 0
    data = (imported / "x.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbfid,order_no,summary\r\n")
    # before issue 18: b'1,3308299098846212345,...' (a number to a spreadsheet)
    assert f'1,="{ORDER}",'.encode() in data
    assert b',="0012345",' in data            # a leading zero survives as well
    assert b'"=""' not in data                 # unquoted: LibreOffice evaluates it as a formula
    # plain CSV for scripts is unchanged
    plain = asx("case list -f csv --columns id,order_no").stdout
    assert f"1,{ORDER}\n" in plain


def test_excel_csv_short_numbers_and_text_untouched():
    from asx.io.output import excel_text

    assert excel_text("12345678901") == "12345678901"       # 11 digits: shown in full
    assert excel_text("123456789012") == '="123456789012"'
    assert excel_text("0") == "0" and excel_text("5.00") == "5.00" and excel_text(42) == 42
    assert excel_text("138****5678") == "138****5678" and excel_text("１２３４５６７８９０１２３") == "１２３４５６７８９０１２３"


def test_excel_csv_reimports_with_the_same_order_numbers(imported, asx, app):
    """The --excel file read back by asx (as saved by a spreadsheet, the guard gone, or as written)."""
    assert asx("case list --excel -o back.csv --columns order_no,category,opened_at,agent,summary").exit_code == 0
    r = asx(["case", "import", "--dry-run", "back.csv"])
    assert r.exit_code == 0 and "0 bad" in r.stderr and "2 already present" in r.stderr, r
    # what Excel/LibreOffice save after opening it: the formula's value, every digit
    saved = (imported / "back.csv").read_text(encoding="utf-8-sig").replace(f'="{ORDER}"', ORDER) \
        .replace('="0012345"', "0012345")
    (imported / "saved.csv").write_text(saved, encoding="utf-8-sig")
    r = asx(["case", "import", "--dry-run", "saved.csv"])
    assert r.exit_code == 0 and "2 already present" in r.stderr, r


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_open_and_save_keeps_the_order_number(imported, asx, tmp_path):
    """Open the --excel CSV in LibreOffice headless and save it as CSV and as XLSX: the order number
    is still all 19 digits (runs where LibreOffice is installed)."""
    assert asx("case list --excel -o lo.csv --columns id,order_no").exit_code == 0
    out = tmp_path / "lo"
    out.mkdir()
    for target in ("csv:Text - txt - csv (StarCalc):44,34,76,1", "xlsx"):
        subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                        "--infilter=CSV:44,34,76,1", "--convert-to", target, "--outdir", str(out),
                        str(imported / "lo.csv")], check=True, capture_output=True, timeout=120)
    rows = list(csv.reader(io.StringIO((out / "lo.csv").read_text(encoding="utf-8-sig"))))
    assert rows[1] == ["1", ORDER]
    from python_calamine import CalamineWorkbook

    sheet = CalamineWorkbook.from_path(str(out / "lo.xlsx")).get_sheet_by_index(0).to_python()
    assert str(sheet[1][1]) == ORDER
