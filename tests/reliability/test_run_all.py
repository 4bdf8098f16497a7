"""Issue 9 §6: the scale report's parsing and verdicts, and that every benchmark script prints its
figures as BENCH lines through the one helper (benchmarks/gen.py: bench)."""

from __future__ import annotations

from pathlib import Path

import run_all

BENCH = Path(__file__).resolve().parents[2] / "benchmarks"


def test_parse_and_judge():
    rows = run_all.parse("human line\nBENCH name=case_import value=120000 unit=rows/s target=100000 baseline=240000\n"
                         "BENCH name=kpi_export_month value=0.8 unit=s target=1 baseline=0.4\n"
                         "BENCH name=rss value=250 unit=MB target=200 baseline=-\nBENCH broken line\n")
    assert [r["name"] for r in rows] == ["case_import", "kpi_export_month", "rss"]
    assert run_all.judge(rows[0]) == (2.0, "ok")          # half the reference rate: costs 2×
    assert run_all.judge(rows[1]) == (2.0, "ok")
    assert run_all.judge(rows[2]) == (None, "MISSED")
    text = run_all.table(rows)
    assert "MISSED" in text and "case_import" in text and "2.00" in text


def test_every_benchmark_prints_bench_lines():
    listed = {s for s, _ in run_all.scripts(full=True, tmp=Path("/tmp"))} | {"nrp.py", "nrp_score.py"}
    for p in BENCH.glob("*.py"):
        if p.name == "run_all.py":
            continue
        assert p.name in listed, f"{p.name} is not run by run_all.py"
        text = p.read_text(encoding="utf-8")
        assert "bench(" in text or "BENCH name=" in text, f"{p.name} prints no BENCH line"
