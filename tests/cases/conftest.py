"""Fixtures for case tests: a small team in a fresh workspace, clock fixed."""

from __future__ import annotations

import pytest

NOW = "2026-11-20T10:00:00+08:00"


@pytest.fixture
def team(workspace, monkeypatch, asx):
    """Workspace with 李主管 (supervisor), 萌萌/小雨 (agents), 老周 (specialist), 阿敏 (order clerk)."""
    monkeypatch.setenv("ASX_NOW", NOW)
    # these tests have no roster: keep "the case stays with whoever opened it" (the roster-aware
    # rule of issue 11 leaves such cases unassigned; tested in tests/daily)
    assert asx("config set daily.assignment none").exit_code == 0
    for name, role in (("萌萌", "agent"), ("小雨", "agent"), ("老周", "specialist"), ("阿敏", "order_clerk")):
        r = asx(["agent", "add", name, "--role", role])
        assert r.exit_code == 0, r
    return workspace


@pytest.fixture
def app(team):
    from asx.core.app import App

    a = App(team)
    yield a
    a.close()
