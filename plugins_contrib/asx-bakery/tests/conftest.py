from __future__ import annotations

import pytest

from asx.testing import invoke, plugin_registered


@pytest.fixture(autouse=True)
def bakery_loaded():
    import asx_bakery

    with plugin_registered(asx_bakery, "bakery"):
        yield


@pytest.fixture
def bakery_shop(tmp_path, monkeypatch):
    monkeypatch.setenv("ASX_NOW", "2026-11-20T10:00:00+08:00")
    r = invoke(["init", str(tmp_path / "shop"), "--sample", "--store", "bakery"])
    assert r.exit_code == 0, r
    monkeypatch.chdir(tmp_path / "shop")
    return tmp_path / "shop"


@pytest.fixture
def bakery_team(workspace, asx, monkeypatch):
    monkeypatch.setenv("ASX_NOW", "2026-11-20T10:00:00+08:00")
    assert asx("agent add 小美 --role agent").exit_code == 0
    return workspace
