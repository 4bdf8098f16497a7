"""Issue 16 item 12: an installed store plugin changes only the workspaces that enable it.

asx-tmall is loaded here as pip installs it, through its entry point (faked, like
tests/core/test_plugins.py), not with plugin_registered: the autouse registration is undone.
"""

from __future__ import annotations

import importlib.metadata as md

import pytest

from asx.testing import invoke


class _EP:
    name = "tmall"
    value = "asx_tmall"
    dist = None

    def load(self):
        import asx_tmall

        return asx_tmall


@pytest.fixture
def tmall_installed(monkeypatch):
    """asx-tmall installed (entry point) but not registered by the test."""
    monkeypatch.setattr(md, "entry_points", lambda group=None: [_EP()] if group == "asx" else [])
    monkeypatch.setenv("ASX_LOAD_PLUGINS", "tmall")
    monkeypatch.setenv("ASX_NOW", "2026-11-20T10:00:00+08:00")


def _steps(cwd, case_id):
    r = invoke(["case", "show", case_id, "-f", "json"], cwd=cwd)
    assert r.exit_code == 0, r
    return r.stdout


def _missing_item_case(cwd):
    r = invoke(["--as", "李主管", "case", "add", "--category", "missing_item", "--order", "1", "--buyer", "b1",
                "--summary", "少发一件", "-q"], cwd=cwd)
    assert r.exit_code == 0, r
    return r.stdout.strip()


def test_empty_workspace_shows_no_tmall_steps(tmall_installed, tmp_path):
    """Issue 16 item 12 (R-CASE-3 checklists): asx-tmall installed, workspace not enabling it →
    the core checklist only, no Tmall command; `asx plugins` says installed, not enabled."""
    import asx_tmall  # noqa: F401
    from asx.testing import _test_plugins

    saved = list(_test_plugins)
    _test_plugins.clear()  # undo the conftest's plugin_registered: entry point only
    try:
        assert invoke(["init", str(tmp_path / "empty"), "--me", "李主管"]).exit_code == 0
        ws = tmp_path / "empty"
        assert 'enabled = []' in (ws / "asx.toml").read_text(encoding="utf-8")
        assert invoke(["agent", "add", "李主管", "--role", "supervisor"], cwd=ws).exit_code == 0
        out = _steps(ws, _missing_item_case(ws))
        assert "platform_intervention" not in out
        assert invoke(["tmall", "remind"], cwd=ws).exit_code == 2
        plugins = invoke(["plugins", "-f", "csv"], cwd=ws).stdout
        assert "tmall,,,\"installed, not enabled\"" in plugins, plugins

        # init --store tmall enables it (asx.toml plugins.enabled)
        assert invoke(["init", str(tmp_path / "shop"), "--store", "tmall", "--me", "李主管"]).exit_code == 0
        shop = tmp_path / "shop"
        assert 'enabled = ["tmall"]' in (shop / "asx.toml").read_text(encoding="utf-8")
        assert invoke(["agent", "add", "李主管", "--role", "supervisor"], cwd=shop).exit_code == 0
        out = _steps(shop, _missing_item_case(shop))
        assert "platform_intervention" in out
        assert invoke(["tmall", "remind", "-f", "json"], cwd=shop).exit_code == 0
        assert ",enabled," in invoke(["plugins", "-f", "csv"], cwd=shop).stdout

        # enabling it later in the empty workspace turns it on there too
        r = invoke(["config", "set", "plugins.enabled", '["tmall"]'], cwd=ws)
        assert r.exit_code == 0, r
        assert "platform_intervention" in _steps(ws, _missing_item_case(ws))
    finally:
        _test_plugins[:] = saved
