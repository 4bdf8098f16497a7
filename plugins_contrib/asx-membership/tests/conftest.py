from __future__ import annotations

import pytest

from asx.testing import invoke, plugin_registered

from membership_testdata import NOW  # noqa: E402


@pytest.fixture(autouse=True)
def membership_loaded():
    import asx_membership

    with plugin_registered(asx_membership, "membership"):
        yield


@pytest.fixture
def club(workspace, monkeypatch):
    """A workspace with agent 萌萌, a gold member M1 (buyer 会员甲) with a product out of warranty and one
    in warranty, and a regular member M2 (buyer 会员乙)."""
    monkeypatch.setenv("ASX_NOW", NOW)
    for args in (["agent", "add", "萌萌", "--role", "agent"],
                 ["member", "add", "M1", "--buyer", "会员甲", "--tier", "gold", "--joined", "2025-03-01",
                  "--name", "王芳"],
                 ["member", "add", "M2", "--buyer", "会员乙", "--tier", "regular"],
                 ["member", "product", "M1", "扫地机器人", "--serial", "SN-OLD", "--purchased", "2024-01-10"],
                 ["member", "product", "M1", "净化器", "--serial", "SN-NEW", "--purchased", "2026-06-01",
                  "--warranty-months", "24"]):
        r = invoke(args)
        assert r.exit_code == 0, (args, r)
    return workspace


@pytest.fixture
def membership_shop(tmp_path, monkeypatch):
    monkeypatch.setenv("ASX_NOW", NOW)
    r = invoke(["init", str(tmp_path / "shop"), "--sample", "--store", "membership"])
    assert r.exit_code == 0, r
    monkeypatch.chdir(tmp_path / "shop")
    return tmp_path / "shop"
