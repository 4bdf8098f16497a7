"""XLSX output of every listing (issue 18 item 2): money a number with a yuan format, times as dates, a
frozen header with a filter, masked, the file mode of docs/privacy.md (R-SEC-1/2), no formulas."""

from __future__ import annotations

import io
import json
import stat
from datetime import datetime

import pytest

openpyxl = pytest.importorskip("openpyxl")

from asx.io.xlsx import DATETIME_FORMAT, YUAN_FORMAT  # noqa: E402


def _sheet(path, name="data"):
    return openpyxl.load_workbook(path)[name]


def _by_header(ws):
    heads = [c.value for c in ws[1]]
    return [dict(zip(heads, row)) for row in ws.iter_rows(min_row=2)]


def test_ledger_xlsx_money_numbers_dates_header(sample, asx):
    r = asx("ledger list -o ledger.xlsx")
    assert r.exit_code == 0, r
    ws = _sheet(sample / "ledger.xlsx")
    assert ws.freeze_panes == "A2"
    rows = _by_header(ws)
    assert ws.auto_filter.ref == f"A1:N{len(rows) + 1}"
    first = json.loads(asx("ledger list -f json").stdout)[0]
    amount, at = rows[0]["amount"], rows[0]["time"]
    # before issue 18 there was no XLSX listing; kpi export --xlsx stored money as text '891.00'
    assert amount.data_type == "n" and amount.value * 100 == first["amount_fen"]
    assert amount.number_format == YUAN_FORMAT
    assert at.is_date and at.number_format == DATETIME_FORMAT
    assert at.value == datetime.fromisoformat(first["at"]).replace(tzinfo=None)   # store time (+08:00)
    assert rows[0]["order"].value == first["order_no"] and rows[0]["order"].data_type == "s"  # all 19 digits
    assert rows[0]["reason"].value == "coupon value"         # labels, as in a table
    total = sum(r["amount"].value for r in rows)              # it sums
    assert total * 100 == sum(x["amount_fen"] for x in json.loads(asx("ledger list -f json").stdout))


def test_kpi_xlsx_yuan_indicators_are_numbers(sample, asx):
    assert asx("kpi export -p 2026-10 --xlsx -o k.xlsx").exit_code == 0
    ws = _sheet(sample / "k.xlsx", "KPI")
    rows = _by_header(ws)
    csv_rows = json.loads(asx("kpi export -p 2026-10 -f json").stdout)["rows"]
    paid = [(r["refunds_paid"].value, r["refunds_paid"].number_format) for r in rows if r["refunds_paid"].value]
    assert paid, "the sample has refunds in October"
    assert all(isinstance(v, (int, float)) and f == YUAN_FORMAT for v, f in paid)   # was the text '891.00'
    assert sorted(round(v, 2) for v, _ in paid) == sorted(float(r["refunds_paid"]) for r in csv_rows
                                                           if r["refunds_paid"] not in (None, "0.00"))
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref


def test_xlsx_file_modes_follow_privacy_rule(sample, asx):
    """docs/privacy.md: masked → 0644, --reveal → 0600; buyer data masked unless revealed."""
    assert asx("case export -o masked.xlsx").exit_code == 0
    assert stat.S_IMODE((sample / "masked.xlsx").stat().st_mode) == 0o644
    assert asx("case export --reveal -o clear.xlsx").exit_code == 0
    assert stat.S_IMODE((sample / "clear.xlsx").stat().st_mode) == 0o600
    masked = [c.value for row in _sheet(sample / "masked.xlsx").iter_rows() for c in row if c.value]
    from asx.io.masking import find_unmasked

    assert not find_unmasked("\n".join(map(str, masked)))
    assert not list(sample.glob(".*.tmp"))


def test_xlsx_to_a_pipe_and_refusals(sample, asx):
    r = asx("ledger list -f xlsx")   # not a terminal here: the workbook goes to stdout
    assert r.exit_code == 0 and r.stdout.startswith("PK")
    r = asx("ledger list -o nowhere/l.xlsx")
    assert r.exit_code == 2 and "does not exist" in r.stderr and not (sample / "nowhere").exists()


def test_xlsx_text_never_a_formula(capsys, tmp_path):
    from asx.io.output import Column, OutputSpec, emit

    emit(None, OutputSpec(format="xlsx", output=str(tmp_path / "f.xlsx")),
         iter([{"note": "=cmd|' /C calc'!A0", "day": "2026-11-03", "n": 3}]),
         [Column("note"), Column("day"), Column("n")])
    ws = _sheet(tmp_path / "f.xlsx")
    note, day, n = ws[2]
    assert note.data_type == "s" and note.value == "=cmd|' /C calc'!A0"
    assert day.is_date and n.value == 3 and n.data_type == "n"
