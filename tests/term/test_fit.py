"""Issue 18 item 6: on a terminal, tables fit its width (columns picked and shortened as ``gh`` does,
text elided by display width — CJK double), long output goes through ``$PAGER`` (``less -FRX`` as git),
``--wide`` shows everything; a pipe or a file gets exactly the table it always got."""

from __future__ import annotations

import re

import pytest
from wcwidth import wcswidth

from asx.io import term
from ptyrun import run_tty

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def _widths(text: str) -> list[int]:
    return [wcswidth(ANSI.sub("", line)) for line in text.splitlines() if line]


def test_elide_by_display_width():
    assert term.elide("拉链开线了", 6) == "拉链…"          # 2+2+1 columns: no half character
    assert term.width(term.elide("拉链开线了", 6)) <= 6
    assert term.elide("abcdef", 6) == "abcdef"
    assert term.elide("abcdefg", 6) == "abcde…"


def test_fit_table_keeps_ids_whole_and_drops_from_the_right():
    headers = ["id", "order", "summary", "opened"]
    rows = [["1", "3086839165539966758", "拉链开线，买家要求退货退款并补偿运费", "2026-10-21T10:12:29+08:00"]]
    lines, hidden = term.fit_table(headers, rows, 50)
    assert all(term.width(line) <= 50 for line in lines)
    assert "3086839165539966758" in lines[2]              # an order number is never cut
    assert hidden == ["opened"]
    assert "…" in lines[2]                                  # the summary is elided
    lines, hidden = term.fit_table(headers, rows, 200)
    assert hidden == [] and "运费" in lines[2]


@pytest.mark.parametrize("cmd", [["kpi", "show"], ["config", "show"], ["case", "list"],
                                 ["--lang", "zh", "case", "list"], ["--lang", "zh", "kpi", "show"]])
def test_tables_fit_120_columns(sample, cmd):
    code, text, err = run_tty(cmd, cols=120, stderr_tty=False)
    assert code == 0, err
    widths = _widths(text)
    assert widths and max(widths) <= 120, max(widths)


def test_hidden_columns_are_named_and_wide_shows_them(sample):
    code, text, err = run_tty(["kpi", "show"], cols=120, stderr_tty=False)
    assert "hidden" in err and "--wide" in err
    code, wide, _ = run_tty(["kpi", "show", "--wide"], cols=120, stderr_tty=False)
    assert max(_widths(wide)) > 120 and "daily_records" in wide


def test_a_pipe_gets_the_table_it_always_got(sample, asx):
    """Non-TTY output is byte-identical to the full table: the same bytes as --wide on a terminal."""
    piped = asx("kpi show -f table")
    assert piped.exit_code == 0
    assert max(_widths(piped.stdout)) > 120 and "daily_records" in piped.stdout
    code, wide, _ = run_tty(["kpi", "show", "-f", "table", "--wide"], cols=120, stderr_tty=False)
    assert wide == piped.stdout
    assert asx("kpi show -f table --wide").stdout == piped.stdout


def test_long_output_goes_through_the_pager(sample, tmp_path):
    got = tmp_path / "paged.txt"
    pager = f"sh -c 'echo LESS=$LESS > {got}; cat >> {got}'"
    code, text, _ = run_tty(["case", "list"], cols=120, rows=30, env={"PAGER": pager}, stderr_tty=False)
    assert code == 0
    paged = got.read_text(encoding="utf-8")
    assert paged.startswith("LESS=FRX\n")                   # as git: quit on one screen, keep colours
    assert "3086839165539966758" in paged and text.strip() == ""
    got.unlink()
    code, text, _ = run_tty(["agent", "list"], cols=120, rows=30, env={"PAGER": pager}, stderr_tty=False)
    assert not got.exists() and "李主管" in text          # one screen: printed, no pager
    code, text, _ = run_tty(["case", "list"], cols=120, rows=30, env={"PAGER": "cat"}, stderr_tty=False)
    assert "3086839165539966758" in text                    # PAGER=cat: no pager
