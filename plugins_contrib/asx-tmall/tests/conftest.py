from __future__ import annotations

import pytest

from asx.testing import invoke, plugin_registered


@pytest.fixture(autouse=True)
def tmall_loaded():
    import asx_tmall

    with plugin_registered(asx_tmall, "tmall"):
        yield


@pytest.fixture
def tmall_shop(tmp_path, monkeypatch):
    monkeypatch.setenv("ASX_NOW", "2026-11-20T10:00:00+08:00")
    r = invoke(["init", str(tmp_path / "shop"), "--sample", "--store", "tmall"])
    assert r.exit_code == 0, r
    monkeypatch.chdir(tmp_path / "shop")
    return tmp_path / "shop"


from tmall_testdata import HEADER  # noqa: E402


@pytest.fixture
def order_report(tmp_path):
    def make(lines, name="orders.csv", encoding="gbk"):
        p = tmp_path / name
        p.write_bytes(("\r\n".join([HEADER, *lines]) + "\r\n").encode(encoding))
        return p

    return make
