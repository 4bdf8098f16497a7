"""Fixtures for the roster commands: a small team with short deterministic solver limits."""

from __future__ import annotations

import json

import pytest

from asx.testing import invoke

HOUSE = ["萌萌", "小雨", "阿杰"]  # the seed's house case: 3 agents (seed 001 工休管理)
MONDAY = "2026-11-30"


def add_settings(ws, text: str) -> None:
    p = ws / "asx.toml"
    p.write_text(p.read_text(encoding="utf-8") + "\n" + text, encoding="utf-8")


@pytest.fixture
def house(workspace, monkeypatch):
    """Workspace with the supervisor 李主管 and three agents; the clock at 2026-11-25 10:00."""
    monkeypatch.setenv("ASX_NOW", "2026-11-25T10:00:00+08:00")
    for n in HOUSE:
        r = invoke(["agent", "add", n, "--role", "agent", "--joined", "2024-03-01"])
        assert r.exit_code == 0, r
    add_settings(workspace, "[roster]\ntime_limit = 2.0\n")
    return workspace


def grid(asx, *args) -> dict[str, dict[str, str]]:
    """``roster show -f json`` as {agent: {date: code}}."""
    r = asx(["roster", "show", "-f", "json", *args])
    assert r.exit_code == 0, r
    rows = json.loads(r.stdout)
    rows = rows["rows"] if isinstance(rows, dict) else rows
    return {row.pop("agent"): row for row in rows}


@pytest.fixture
def generated(house, asx):
    r = asx(["roster", "generate", "--start", MONDAY, "--weeks", "3"])
    assert r.exit_code == 0, r
    return house
