"""The shared output path: formats, columns, atomic files, Excel CSV, masking, formula injection."""

from __future__ import annotations

import csv
import io
import json

import pytest

from asx.io.output import Column, OutputSpec, emit, neutralise

COLS = [Column("name", "name", "姓名"), Column("phone", "phone", "手机", mask="phone"),
        Column("role", "role", "角色", kind="role")]
ROWS = [{"name": "萌萌", "phone": "13812345678", "role": "agent"},
        {"name": "=cmd|' /C calc'!A0", "phone": None, "role": "supervisor"}]


def run(fmt, capsys, **kw):
    emit(None, OutputSpec(format=fmt, **kw), iter(ROWS), COLS)
    return capsys.readouterr().out


def test_csv_masks_and_neutralises(capsys):
    out = run("csv", capsys)
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["name", "phone", "role"]
    assert rows[1] == ["萌萌", "138****5678", "agent"]
    assert rows[2][0] == "'=cmd|' /C calc'!A0"


def test_reveal_shows_raw(capsys):
    out = run("json", capsys, reveal=True)
    assert json.loads(out)[0]["phone"] == "13812345678"


def test_json_jsonl_tsv(capsys):
    assert [r["name"] for r in json.loads(run("json", capsys))] == ["萌萌", "=cmd|' /C calc'!A0"]
    lines = run("jsonl", capsys).splitlines()
    assert json.loads(lines[0])["phone"] == "138****5678"
    assert run("tsv", capsys).splitlines()[0] == "name\tphone\trole"


def test_table_translates_labels(capsys):
    emit(None, OutputSpec(format="table", lang="zh"), iter(ROWS), COLS)
    out = capsys.readouterr().out
    assert "姓名" in out and "售后客服" in out and "售后主管" in out


def test_columns_and_no_headers(capsys):
    emit(None, OutputSpec(format="csv", columns=["role", "name"], headers=False), iter(ROWS), COLS)
    assert capsys.readouterr().out.splitlines()[0] == "agent,萌萌"
    import click

    with pytest.raises(click.UsageError, match="nope"):
        emit(None, OutputSpec(format="csv", columns=["nope"]), iter(ROWS), COLS)


def test_output_file_is_atomic(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("old\n")

    def rows():
        yield ROWS[0]
        raise RuntimeError("crash mid-export")

    with pytest.raises(RuntimeError):
        emit(None, OutputSpec(format="csv", output=str(target)), rows(), COLS)
    assert target.read_text() == "old\n"
    assert list(tmp_path.iterdir()) == [target]  # no half-written temp left behind
    emit(None, OutputSpec(format="csv", output=str(target)), iter(ROWS), COLS)
    assert "138****5678" in target.read_text()


def test_excel_csv_has_bom_and_crlf(tmp_path):
    target = tmp_path / "x.csv"
    emit(None, OutputSpec(format="csv", excel=True, output=str(target)), iter(ROWS), COLS)
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    assert "萌萌" in raw.decode("utf-8-sig")


def test_streaming_does_not_collect(capsys):
    seen = []

    def rows():
        for i in range(3):
            seen.append(i)
            yield {"name": f"n{i}", "phone": None, "role": "agent"}

    emit(None, OutputSpec(format="jsonl"), rows(), COLS)
    assert seen == [0, 1, 2]


@pytest.mark.parametrize("v, expect", [("=1+1", "'=1+1"), ("+86 138", "'+86 138"), ("-12.5", "-12.5"),
                                       ("@SUM(A1)", "'@SUM(A1)"), ("ok", "ok"), (5, 5)])
def test_neutralise(v, expect):
    assert neutralise(v) == expect


def test_cli_formats(asx, workspace):
    assert asx("agent add 萌萌 --role agent --wangwang 店:萌萌").exit_code == 0
    r = asx("agent list -f json")
    assert {a["name"] for a in json.loads(r.stdout)} == {"李主管", "萌萌"}
    r = asx("agent list --excel -f json")
    assert r.exit_code == 2
    r = asx("--lang zh agent list -f table")
    assert "售后客服" in r.stdout
    r = asx("agent list --columns name,role --no-headers -f csv")
    assert r.stdout.splitlines() == ["李主管,supervisor", "萌萌,agent"]
