"""Plugins: built-ins, registration inside a test, ASX_LOAD_PLUGINS, a broken plugin, tracing."""

from __future__ import annotations

import json
import sys
import types
from pathlib import Path

import click
import pytest

from asx import hookimpl
from asx.core.plugin_host import PluginHost
from asx.testing import plugin_registered

REPO = Path(__file__).resolve().parents[2]


def test_builtins_are_registered_like_plugins(asx):
    r = asx("plugins -f json")
    rows = json.loads(r.stdout)
    names = {p["name"] for p in rows}
    assert "asx.plugins.core" in names
    core = next(p for p in rows if p["name"] == "asx.plugins.core")
    assert "register_settings" in core["hooks"]


def test_register_and_unregister_inside_a_test(asx, workspace):
    class Shop:
        __name__ = "test-shop"

        @hookimpl
        def register_settings(self, register):
            register("plugins.testshop.greeting", "str", "你好", "A test setting.")

        @hookimpl
        def register_commands(self, cli):
            @cli.command(name="hello")
            @click.pass_obj
            def hello(app):
                """Say hello."""
                click.echo(app.config.get("plugins.testshop.greeting"))

    with plugin_registered(Shop(), "test-shop"):
        toml = workspace / "asx.toml"  # keeps its database line (a postgresql:// URL on that backend)
        toml.write_text(toml.read_text(encoding="utf-8") + '\n[plugins.testshop]\ngreeting = "早上好"\n',
                        encoding="utf-8")
        r = asx("hello")
        assert r.stdout.strip() == "早上好", r
        assert "test-shop" in asx("plugins -f csv").stdout
    # without the plugin, its table is ignored and the command is gone
    assert asx("hello").exit_code == 2
    assert asx("agent list").exit_code == 0


def test_misspelt_hook_is_an_error():
    mod = types.ModuleType("typo_plugin")

    @hookimpl
    def register_setings(register):  # noqa: misspelt on purpose
        pass

    mod.register_setings = register_setings
    from pluggy import PluginValidationError

    with pytest.raises(PluginValidationError):
        PluginHost.load(plugins=[mod])


class _EP:
    def __init__(self, name, target):
        self.name = name
        self.value = "x:y"
        self._target = target
        self.dist = None

    def load(self):
        if isinstance(self._target, Exception):
            raise self._target
        return self._target


def _fake_entry_points(monkeypatch, eps):
    import importlib.metadata as md

    monkeypatch.setattr(md, "entry_points", lambda group=None: [e for e in eps] if group == "asx" else [])


def test_load_plugins_allow_list(monkeypatch):
    good = types.ModuleType("good")
    other = types.ModuleType("other")
    _fake_entry_points(monkeypatch, [_EP("good", good), _EP("other", other)])
    monkeypatch.setenv("ASX_LOAD_PLUGINS", "good")
    pm = PluginHost.load().pm
    assert pm.get_plugin("good") is good and pm.get_plugin("other") is None
    monkeypatch.setenv("ASX_LOAD_PLUGINS", "")
    pm = PluginHost.load().pm
    assert pm.get_plugin("good") is None and pm.get_plugin("other") is None


def test_broken_plugin_warns_and_asx_keeps_working(asx, workspace, monkeypatch):
    _fake_entry_points(monkeypatch, [_EP("broken", ImportError("No module named 'zzz'"))])
    monkeypatch.setenv("ASX_LOAD_PLUGINS", "broken")
    r = asx("agent list -f csv")
    assert r.exit_code == 0
    assert "plugin 'broken' failed to load" in r.stderr
    assert len([l for l in r.stderr.splitlines() if "broken" in l]) == 1
    assert "李主管" in r.stdout


def test_trace_plugins(asx, workspace, monkeypatch):
    monkeypatch.setenv("ASX_TRACE_PLUGINS", "1")
    r = asx("agent list -f csv")
    assert "hook register_settings" in r.stderr


def test_every_hook_is_documented():
    from asx.core import hookspecs

    doc = (REPO / "docs" / "plugins.md").read_text(encoding="utf-8")
    hooks = [n for n in dir(hookspecs) if n.startswith(("register_", "assign_"))]
    assert hooks
    for h in hooks:
        assert f"`{h}" in doc, f"hook {h} is not described in docs/plugins.md"
        assert (getattr(hookspecs, h).__doc__ or "").strip(), h


def test_default_plugins_name_every_builtin_module():
    """DEFAULT_PLUGINS (the built-ins, registered like store plugins) lists every module of asx/plugins/."""
    import pkgutil

    import asx.plugins
    from asx.core.plugin_host import DEFAULT_PLUGINS

    found = sorted(f"asx.plugins.{m.name}" for m in pkgutil.iter_modules(asx.plugins.__path__)
                   if not m.name.startswith("_"))
    assert sorted(DEFAULT_PLUGINS) == found


def test_installed_plugin_only_in_workspaces_that_enable_it(asx, workspace, monkeypatch, tmp_path):
    """Issue 16 item 12: an installed (entry-point) plugin is on only where asx.toml lists it in
    `plugins.enabled`; built-ins always; outside a workspace every installed plugin loads."""
    shop = types.ModuleType("shopx")

    @hookimpl
    def register_commands(cli):
        @cli.command(name="shopx-hello")
        def hello():
            click.echo("hi")

    shop.register_commands = register_commands
    _fake_entry_points(monkeypatch, [_EP("shopx", shop)])
    monkeypatch.setenv("ASX_LOAD_PLUGINS", "shopx")
    assert asx("shopx-hello").exit_code == 2  # a fresh workspace: enabled = []
    rows = {r["name"]: r for r in json.loads(asx("plugins -f json").stdout)}
    assert rows["shopx"]["state"] == "installed, not enabled" and rows["asx.plugins.core"]["state"] == "built-in"
    assert asx(["config", "set", "plugins.enabled", '["shopx"]']).exit_code == 0
    assert asx("shopx-hello").stdout.strip() == "hi"
    assert {r["name"]: r["state"] for r in json.loads(asx("plugins -f json").stdout)}["shopx"] == "enabled"
    outside = tmp_path / "nowhere"
    outside.mkdir()
    monkeypatch.chdir(outside)
    assert asx("shopx-hello").stdout.strip() == "hi"


def test_workspace_enabled_reads_the_project_file(tmp_path, monkeypatch):
    """Issue 16 item 12: the enabled list is read before plugins register (no settings needed)."""
    from asx.core.plugin_host import workspace_enabled

    assert workspace_enabled(tmp_path, environ={}) is None
    (tmp_path / "asx.toml").write_text('[store]\nname = "x"\n', encoding="utf-8")
    assert workspace_enabled(tmp_path, environ={}) == []
    (tmp_path / "asx.toml").write_text('[plugins]\nenabled = ["tmall"]\n', encoding="utf-8")
    (tmp_path / "sub").mkdir()
    assert workspace_enabled(tmp_path / "sub", environ={}) == ["tmall"]
    assert workspace_enabled(tmp_path, environ={"ASX_PLUGINS__ENABLED": "bakery, onsite"}) == ["bakery", "onsite"]
