from __future__ import annotations

import pytest

from asx.testing import invoke, plugin_registered

from onsite_testdata import NOW  # noqa: E402


@pytest.fixture(autouse=True)
def onsite_loaded():
    import asx_onsite

    with plugin_registered(asx_onsite, "onsite"):
        yield


@pytest.fixture
def field(workspace, monkeypatch):
    """Agent 萌萌, engineers 林工 and 高工 (specialists); unit SN-W (RZ-500, in warranty) and SN-X (RZ-500, out of warranty) of 宏达机械."""
    monkeypatch.setenv("ASX_NOW", NOW)
    for args in (["agent", "add", "萌萌", "--role", "agent"],
                 ["agent", "add", "林工", "--role", "specialist"], ["agent", "add", "高工", "--role", "specialist"],
                 ["onsite", "unit", "add", "SN-W", "--model", "RZ-500", "--buyer", "宏达机械", "--installed",
                  "2026-03-01"],
                 ["onsite", "unit", "add", "SN-X", "--model", "RZ-500", "--buyer", "宏达机械", "--installed",
                  "2024-03-01"]):
        r = invoke(args)
        assert r.exit_code == 0, (args, r)
    return workspace


@pytest.fixture
def onsite_shop(tmp_path, monkeypatch):
    monkeypatch.setenv("ASX_NOW", NOW)
    r = invoke(["init", str(tmp_path / "shop"), "--sample", "--store", "onsite"])
    assert r.exit_code == 0, r
    monkeypatch.chdir(tmp_path / "shop")
    return tmp_path / "shop"
