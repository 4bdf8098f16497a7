"""The plugin manager: built-in plugins, then entry points of group ``asx``.

Built-in behaviour ships as ordinary plugins: every public module in this package
(``asx/plugins/*.py``, names not starting with ``_``) is registered exactly like a
third-party plugin, in name order. Then the entry points of group ``asx`` are loaded
(skipped under pytest unless ``ASX_LOAD_PLUGINS`` names them), then ``check_pending()``
turns a misspelt hook into an error.

Environment:
  ASX_LOAD_PLUGINS=a,b   load only these third-party plugins (empty: none)
  ASX_TRACE_PLUGINS=1    print every hook call to stderr
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys
from typing import Any

import pluggy

from asx import PROJECT
from asx.core import hookspecs

ENTRY_POINT_GROUP = "asx"

_pm: pluggy.PluginManager | None = None
#: third-party plugins that failed to load: name -> one-line reason
load_failures: dict[str, str] = {}


def builtin_modules() -> list[str]:
    """Module paths of the built-in plugins (``asx/plugins/*.py``), sorted."""
    import asx.plugins

    return sorted(
        f"asx.plugins.{m.name}"
        for m in pkgutil.iter_modules(asx.plugins.__path__)
        if not m.name.startswith("_")
    )


def _allowed() -> set[str] | None:
    raw = os.environ.get("ASX_LOAD_PLUGINS")
    if raw is None:
        return None
    return {p.strip() for p in raw.split(",") if p.strip()}


def _warn(msg: str) -> None:
    print(f"asx: warning: {msg}", file=sys.stderr)


def _load_entry_points(pm: pluggy.PluginManager) -> None:
    allowed = _allowed()
    if allowed is None and getattr(sys, "_called_from_test", False):
        return  # deterministic plugin set under pytest (style.md)
    if allowed is not None and not allowed:
        return
    from importlib.metadata import entry_points

    for ep in entry_points(group=ENTRY_POINT_GROUP):
        if allowed is not None and ep.name not in allowed:
            continue
        if pm.get_plugin(ep.name) is not None or pm.is_blocked(ep.name):
            continue
        try:
            plugin = ep.load()
            pm.register(plugin, name=ep.name)
        except Exception as exc:  # a broken plugin must not take asx down
            if pm.get_plugin(ep.name) is not None:
                pm.unregister(name=ep.name)
            load_failures[ep.name] = f"{type(exc).__name__}: {exc}"
            _warn(f"plugin {ep.name!r} failed to load and is skipped ({type(exc).__name__}: {exc})")
            continue
        # record the distribution for `asx plugins`
        dist = getattr(ep, "dist", None)
        if dist is not None:
            _dist_versions[ep.name] = (dist.metadata["Name"], dist.version)


_dist_versions: dict[str, tuple[str, str]] = {}


def get_plugin_manager() -> pluggy.PluginManager:
    """The process-wide plugin manager, loaded once (idempotent)."""
    global _pm
    if _pm is not None:
        return _pm
    pm = pluggy.PluginManager(PROJECT)
    pm.add_hookspecs(hookspecs)
    for modname in builtin_modules():
        pm.register(importlib.import_module(modname), name=modname)
    _load_entry_points(pm)
    pm.check_pending()
    if os.environ.get("ASX_TRACE_PLUGINS"):
        def before(hook_name, hook_impls, kwargs):
            names = ", ".join(pm.get_name(i.plugin) or "?" for i in hook_impls)
            print(f"asx: hook {hook_name} -> [{names}]", file=sys.stderr)

        def after(outcome, hook_name, hook_impls, kwargs):
            pass

        pm.add_hookcall_monitoring(before, after)
    _pm = pm
    return pm


def reset_plugin_manager() -> None:
    """Forget the loaded manager (tests, and after registering plugins at run time)."""
    global _pm
    _pm = None
    load_failures.clear()
    from asx.core import registries

    registries.reset()


def plugin_info() -> list[dict[str, Any]]:
    """Name, version and implemented hooks of every registered plugin."""
    pm = get_plugin_manager()
    rows = []
    from asx import __version__

    for name, plugin in sorted(pm.list_name_plugin(), key=lambda x: (not x[0].startswith("asx."), x[0])):
        hooks = sorted(h.name for h in pm.get_hookcallers(plugin) or [])
        if name in _dist_versions:
            dist, version = _dist_versions[name]
        elif name.startswith("asx."):
            dist, version = "asx (built-in)", __version__
        else:
            dist, version = "", getattr(plugin, "__version__", "")
        rows.append({"name": name, "package": dist, "version": version, "hooks": hooks})
    for name, reason in sorted(load_failures.items()):
        rows.append({"name": name, "package": "", "version": "", "hooks": [], "error": reason})
    return rows
