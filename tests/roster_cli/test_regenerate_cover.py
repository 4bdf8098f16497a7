"""Retire and regenerate in the sample shop (issue 19 item 1): the kept days before the next
switch day lose their night agent; regenerate covers them inside the rules (R-ROS-7, R-ROS-1..4)
or names each uncovered shift and exits 1 — never "optimal" while `roster check` fails (R-ROS-3)."""

from __future__ import annotations

import json

import pytest

from asx.testing import build_sample, clone_workspace, invoke

NOW = "2026-12-07T10:00:00+08:00"  # the sample month is December; one agent works nights 12-13 – 12-18
WEEK = ["2026-12-14", "2026-12-15", "2026-12-16", "2026-12-17", "2026-12-18"]


@pytest.fixture(scope="module")
def december_template(tmp_path_factory):
    return build_sample(tmp_path_factory.mktemp("sample_dec") / "shop", NOW)


@pytest.fixture
def december(december_template, tmp_path, monkeypatch):
    dest = clone_workspace(december_template, tmp_path / "shop")
    monkeypatch.setenv("ASX_NOW", NOW)
    monkeypatch.chdir(dest)
    return dest


def _grid(asx, first, last):
    r = asx(["roster", "show", "--from", first, "--to", last, "-f", "json"])
    assert r.exit_code == 0, r
    rows = json.loads(r.stdout)
    rows = rows["rows"] if isinstance(rows, dict) else rows
    return {row.pop("agent"): row for row in rows}


def _night_agent(asx) -> str:
    """The agent on the nights of the kept week (小七 in the issue's sample data)."""
    g = _grid(asx, WEEK[0], WEEK[-1])
    who = [a for a, row in g.items() if [row[d] for d in WEEK] == ["N"] * 5]
    assert len(who) == 1, g
    return who[0]


def test_retire_then_regenerate_covers_the_kept_nights(december, asx):
    night = _night_agent(asx)  # the nights that lose their agent
    assert asx(["agent", "retire", night, "--on", "2026-12-13"]).exit_code == 0
    r = asx(["--lang", "zh", "roster", "regenerate", "--dry-run"])  # what it would do, in Chinese
    assert r.exit_code == 0, r
    assert "补班（R-ROS-7，符合 R-ROS-1..4）" in r.stderr and "其中 5 天是补班" in r.stderr, r.stderr
    r = asx(["roster", "regenerate"])
    assert r.exit_code == 0, r
    assert "covers it (R-ROS-7" in r.stderr
    chk = asx(["roster", "check", "-f", "json"])
    assert chk.exit_code == 0, chk  # R-ROS-3: the kept days are covered
    g = _grid(asx, WEEK[0], WEEK[-1])
    for d in WEEK:
        assert sum(1 for a, row in g.items() if row[d] == "N") == 1, d
    # one agent took the whole run of nights: R-ROS-4 (one shift type between switch days) holds
    night = {a for a, row in g.items() if any(row[d] == "N" for d in WEEK)}
    assert len(night) == 1


def test_regenerate_names_each_uncovered_shift_and_exits_1(december, asx):
    # D needs all six remaining agents that week, so nobody can take the nights inside the rules
    with open("asx.toml", "a", encoding="utf-8") as fh:
        fh.write("\n[roster.coverage_dates]\n" + "".join(f'"{d}" = {{D = {{min = 6}}}}\n' for d in WEEK))
    assert asx(["agent", "retire", _night_agent(asx), "--on", "2026-12-13"]).exit_code == 0
    r = asx(["roster", "regenerate"])
    assert r.exit_code == 1, r
    for d in WEEK:
        assert f"UNCOVERED: N on {d}" in r.stderr
    r = asx(["--lang", "zh", "roster", "regenerate", "--dry-run"])
    assert r.exit_code == 1 and f"无人值班：{WEEK[0]} 的 N 没有人——由主管负责（R-ROS-7）" in r.stderr, r.stderr
    assert "从 2026-12-19（下一个换班日）起重新生成" in r.stderr, r.stderr
    assert "5 个班无人值班：由主管处理（R-ROS-7）" in r.stderr, r.stderr
    assert "optimal" not in r.stderr.splitlines()[-1]
    assert asx(["roster", "check"]).exit_code == 1  # the same gap, reported by both (R-ROS-7)
