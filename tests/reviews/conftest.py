"""Fixtures for review tracking tests: a workspace with a team, and a clock to move."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

T0 = datetime.fromisoformat("2026-11-02T10:00:00+08:00")  # a Monday, inside the morning call window


class Clock:
    """A fake clock: sets ASX_NOW, which app.now() reads on every call."""

    def __init__(self, monkeypatch, start: datetime):
        self.mp = monkeypatch
        self.set(start)

    def set(self, when: datetime) -> datetime:
        self.now = when
        self.mp.setenv("ASX_NOW", when.isoformat())
        return when

    def advance(self, **kw) -> datetime:
        return self.set(self.now + timedelta(**kw))


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch, T0)


@pytest.fixture
def T0_():
    return T0


@pytest.fixture
def team(workspace, clock, asx):
    """Workspace (cwd) with 李主管 (supervisor, acting) and agents 萌萌, 小雨."""
    for name in ("萌萌", "小雨"):
        r = asx(["agent", "add", name, "--role", "agent"])
        assert r.exit_code == 0, r
    return workspace


@pytest.fixture
def app(team):
    from asx.core.app import App

    a = App(team)
    yield a
    a.close()


@pytest.fixture
def add_review():
    return _add_review


def _add_review(app, *, created: datetime, at: datetime | None = None, tid: str = "4100000000000001",
               oid: str = "", result: str = "negative", content: str = "一般", severity=None, by="萌萌", **kw) -> int:
    from asx.reviews import service

    data = {"tid": tid, "oid": oid, "created_at": int(created.timestamp()), "result": result, "content": content,
            "buyer": "晴天娃娃", "phone": "13812345678", "item": "乳胶枕", "severity": severity, **kw}
    with app.store.tx():
        return service.add(app, data, at=at or created, by=by)
