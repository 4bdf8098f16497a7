from __future__ import annotations

import pytest

from asx.testing import invoke, plugin_registered

from example_testdata import NOW  # noqa: E402


@pytest.fixture(autouse=True)
def example_loaded():
    import asx_example

    with plugin_registered(asx_example, "example"):
        yield


@pytest.fixture
def shop(workspace, monkeypatch):
    """A workspace with agent 萌萌 and the clock at 2026-11-20 10:00 (+08:00)."""
    monkeypatch.setenv("ASX_NOW", NOW)
    r = invoke(["agent", "add", "萌萌", "--role", "agent"])
    assert r.exit_code == 0, r
    return workspace
