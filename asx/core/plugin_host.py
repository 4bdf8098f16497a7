"""The plugin host: one pluggy manager per :class:`~asx.core.app.App`, with a typed method per hook.

Built-in behaviour ships as ordinary plugins: every public module of :mod:`asx.plugins`
(``asx/plugins/*.py``, names not starting with ``_``) is registered exactly like a third-party
plugin, in name order. Then the entry points of group ``asx`` are loaded (not under pytest unless
``ASX_LOAD_PLUGINS`` names them), then ``check_pending()`` turns a misspelt hook into an error.

The CLI builds one host per run (:meth:`PluginHost.load`) and hands it to the ``App``; domain code
asks ``app.plugins`` (tox's style: one method per hook), never a module-level manager. Tests build
a host with exactly the plugins they want::

    host = PluginHost.load(plugins=[my_plugin_module])   # built-ins + my_plugin_module

Register-style hooks (``register_*``) are called once per host; their registrations are kept as
``(args, kwargs)`` tuples and domain modules build their own structures from them, cached on the
host with :meth:`PluginHost.memo` (the core knows no domain type).

Environment:
  ASX_LOAD_PLUGINS=a,b   load only these third-party plugins (empty: none)
  ASX_TRACE_PLUGINS=1    print every hook call to stderr
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import Any, Callable, Iterable

import pluggy

from asx import PROJECT
from asx.core import hookspecs

ENTRY_POINT_GROUP = "asx"

Registration = tuple[tuple, dict]


#: The built-in plugins, registered in this order like any store plugin (llm's and datasette's
#: ``DEFAULT_PLUGINS``); a test checks it names every module of ``asx/plugins/``.
DEFAULT_PLUGINS = (
    "asx.plugins.cases",
    "asx.plugins.core",
    "asx.plugins.daily",
    "asx.plugins.kpi",
    "asx.plugins.money",
    "asx.plugins.reports",
    "asx.plugins.reviews",
    "asx.plugins.roster",
)


def builtin_modules() -> list[str]:
    """Module paths of the built-in plugins (:data:`DEFAULT_PLUGINS`)."""
    return list(DEFAULT_PLUGINS)


def _allowed(environ) -> set[str] | None:
    raw = environ.get("ASX_LOAD_PLUGINS")
    if raw is None:
        return None
    return {p.strip() for p in raw.split(",") if p.strip()}


def _arg(a: tuple, kw: dict, i: int, name: str, default: Any = ...) -> Any:
    if len(a) > i:
        return a[i]
    if default is ...:
        return kw[name]
    return kw.get(name, default)


def entry_points_possible(environ=None) -> bool:
    """Whether a plugin of entry-point group ``asx`` could load (cheap: no import of pluggy or
    importlib.metadata). False under pytest unless ASX_LOAD_PLUGINS names plugins, or with an empty
    ASX_LOAD_PLUGINS; else True when an installed distribution declares an ``[asx]`` entry point.
    ``asx --help`` asks this before building a plugin host, since built-in plugins add no commands."""
    environ = os.environ if environ is None else environ
    allowed = _allowed(environ)
    if allowed is not None:
        return bool(allowed)
    if getattr(sys, "_called_from_test", False):
        return False
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for name in names:
            if name.endswith((".dist-info", ".egg-info")):
                try:
                    with open(os.path.join(entry or ".", name, "entry_points.txt"), encoding="utf-8") as f:
                        if any(line.strip() == "[asx]" for line in f):
                            return True
                except OSError:
                    continue
    return False


class PluginHost:
    """The plugins of one app: a pluggy manager and a typed facade over its hooks."""

    def __init__(self, pm: pluggy.PluginManager | None = None):
        if pm is None:
            pm = pluggy.PluginManager(PROJECT)
            pm.add_hookspecs(hookspecs)
        self.pm = pm
        self._memo: dict[str, Any] = {}
        #: third-party plugins that failed to load: name -> one-line reason
        self.load_failures: dict[str, str] = {}
        #: entry-point plugin name -> (distribution, version), for `asx plugins`
        self.distributions: dict[str, tuple[str, str]] = {}

    # -- building ---------------------------------------------------------------------------------
    @classmethod
    def load(cls, *, builtins: bool = True, entry_points: bool | None = None,
             plugins: Iterable[Any] = (), environ=None) -> "PluginHost":
        """The built-in plugins, then ``plugins`` (modules or objects), then the entry points of
        group ``asx`` (``entry_points=None``: not under pytest, unless ASX_LOAD_PLUGINS names them)."""
        environ = os.environ if environ is None else environ
        host = cls()
        if builtins:
            for modname in builtin_modules():
                host.pm.register(importlib.import_module(modname), name=modname)
        for plugin in plugins:
            host.register(plugin)
        host._load_entry_points(entry_points, environ)
        host.pm.check_pending()
        if environ.get("ASX_TRACE_PLUGINS"):
            pm = host.pm

            def before(hook_name, hook_impls, kwargs):
                names = ", ".join(pm.get_name(i.plugin) or "?" for i in hook_impls)
                print(f"asx: hook {hook_name} -> [{names}]", file=sys.stderr)

            pm.add_hookcall_monitoring(before, lambda *a: None)
        return host

    def register(self, plugin: Any, name: str | None = None) -> None:
        """Add a plugin (module or object) and forget what was collected so far."""
        name = name or getattr(plugin, "__name__", None)
        self.pm.register(plugin, name=name)
        self._memo.clear()

    def _load_entry_points(self, wanted: bool | None, environ) -> None:
        allowed = _allowed(environ)
        if wanted is False or (wanted is None and not entry_points_possible(environ)):
            return
        if wanted is None and allowed is None and getattr(sys, "_called_from_test", False):
            return  # deterministic plugin set under pytest (style.md)
        if allowed is not None and not allowed:
            return
        from importlib.metadata import entry_points

        for ep in entry_points(group=ENTRY_POINT_GROUP):
            if allowed is not None and ep.name not in allowed:
                continue
            if self.pm.get_plugin(ep.name) is not None or self.pm.is_blocked(ep.name):
                continue
            try:
                plugin = ep.load()
                self.pm.register(plugin, name=ep.name)
            except Exception as exc:  # a broken plugin must not take asx down
                if self.pm.get_plugin(ep.name) is not None:
                    self.pm.unregister(name=ep.name)
                self.load_failures[ep.name] = f"{type(exc).__name__}: {exc}"
                print(f"asx: warning: plugin {ep.name!r} failed to load and is skipped "
                      f"({type(exc).__name__}: {exc})", file=sys.stderr)
                continue
            dist = getattr(ep, "dist", None)
            if dist is not None:
                self.distributions[ep.name] = (dist.metadata["Name"], dist.version)

    # -- caching -------------------------------------------------------------------------------------
    def memo(self, key: str, build: Callable[[], Any]) -> Any:
        """``build()`` once per host under ``key`` (domain registries built from registrations)."""
        try:
            return self._memo[key]
        except KeyError:
            value = self._memo[key] = build()
            return value

    def _registrations(self, hook: str, **kwargs: Any) -> list[Registration]:
        key = f"hook:{hook}" if not kwargs else f"hook:{hook}:{sorted(kwargs.items(), key=str)!r}"

        def build() -> list[Registration]:
            acc: list[Registration] = []
            getattr(self.pm.hook, hook)(register=lambda *a, **kw: acc.append((a, kw)), **kwargs)
            return acc

        if kwargs:  # e.g. the settings object of register_sla_targets: not cached across settings
            return build()
        return self.memo(key, build)

    # -- one method per hook (docs/plugins.md) ----------------------------------------------------------
    def settings(self) -> list[Registration]:
        """``register_settings``: ``register(key, type, default, help, choices=None, env=None)``."""
        return self._registrations("register_settings")

    def labels(self) -> list[Registration]:
        """``register_labels``: ``register(kind, code, en, zh, aliases=())``."""

        def build() -> list[Registration]:
            acc: list[Registration] = []
            self.pm.hook.register_labels(register=lambda *a, **kw: acc.append((a, kw)), plugins=self)
            return acc

        return self.memo("hook:register_labels", build)

    def migrations(self) -> list:
        """``register_migrations``: every migration (:class:`asx.store.migrate.Migration`), ordered by
        number then component."""
        from asx.store.migrate import Migration

        def build() -> list[Migration]:
            out = [Migration(number=_arg(a, kw, 1, "number"), component=_arg(a, kw, 0, "component"),
                             name=_arg(a, kw, 2, "name"), sql=_arg(a, kw, 3, "sql"),
                             pg_sql=_arg(a, kw, 4, "pg_sql", None))
                   for a, kw in self._registrations("register_migrations")]
            seen: dict[tuple[str, int], str] = {}
            for m in out:
                if (m.component, m.number) in seen:
                    raise RuntimeError(f"migration {m.component}#{m.number} registered twice "
                                       f"({seen[(m.component, m.number)]}, {m.name})")
                seen[(m.component, m.number)] = m.name
            return sorted(out)

        return self.memo("migrations", build)

    def _ordered(self, hook: str) -> list[tuple[int, str, Callable]]:
        items = [(_arg(a, kw, 0, "order"), _arg(a, kw, 1, "name"), _arg(a, kw, 2, "fn"))
                 for a, kw in self._registrations(hook)]
        return sorted(items, key=lambda s: (s[0], s[1]))

    def sample_steps(self) -> list[tuple[int, str, Callable]]:
        """``register_sample``: ``(order, name, fn(app, sample))``, ordered."""
        return self._ordered("register_sample")

    def nightly_jobs(self) -> list[tuple[int, str, Callable]]:
        """``register_nightly_jobs``: ``(order, name, fn)``, ordered."""
        return self._ordered("register_nightly_jobs")

    def categories(self) -> list[Registration]:
        """``register_categories``: ``register(code, en, zh, checklist=[...], aliases=(), extend=False)``."""
        return self._registrations("register_categories")

    def case_transitions(self) -> list[Registration]:
        """``register_case_transitions``: ``register(from_status, to_status, action, roles)``."""
        return self._registrations("register_case_transitions")

    def sla_targets(self, settings: Any) -> list[Registration]:
        """``register_sla_targets``: the targets for these settings (not cached: settings differ)."""
        return self._registrations("register_sla_targets", settings=settings)

    def roster_engines(self) -> list[Registration]:
        """``register_roster_engines``: ``register(engine)``."""
        return self._registrations("register_roster_engines")

    def review_importers(self) -> list[Registration]:
        """``register_review_importers``: ``register(reader)``."""
        return self._registrations("register_review_importers")

    def review_severity_rules(self) -> list[Registration]:
        """``register_review_severity_rules``: ``register(name, fn)``."""
        return self._registrations("register_review_severity_rules")

    def statement_readers(self) -> list[Registration]:
        """``register_statement_readers``: ``register(reader)``."""
        return self._registrations("register_statement_readers")

    def audit_checks(self) -> list[Registration]:
        """``register_audit_checks``: ``register(rule_id, fn)``."""
        return self._registrations("register_audit_checks")

    def kpis(self) -> list[Registration]:
        """``register_kpis``: KPI definitions."""
        return self._registrations("register_kpis")

    def purgers(self) -> list[Registration]:
        """``register_purgers``: ``register(name, fn)``."""
        return self._registrations("register_purgers")

    def case_attributes(self, app: Any, case: dict) -> dict:
        """``case_attributes``: the plugins' extra attributes of a case, merged (first plugin wins)."""
        merged: dict = {}
        for d in reversed(self.pm.hook.case_attributes(app=app, case=case)):
            if d:
                merged.update(d)
        return merged

    def check_case_action(self, app: Any, case: dict, action: str, who: dict) -> None:
        """``check_case_action``: a plugin refuses an action by raising ``UserError``."""
        self.pm.hook.check_case_action(app=app, case=case, action=action, who=who)

    def assign_case(self, app: Any, case: dict, candidates: list) -> str | None:
        """``assign_case`` (first result): a plugin's pick for a new case, or None."""
        return self.pm.hook.assign_case(app=app, case=case, candidates=candidates)

    def commands(self, group_factory: Callable[[], Any]) -> dict[str, Any]:
        """``register_commands``: the plugins' commands, by name (collected on a scratch group, so
        the ``asx`` group itself is never changed)."""

        def build() -> dict[str, Any]:
            scratch = group_factory()
            self.pm.hook.register_commands(cli=scratch)
            return dict(scratch.commands)

        return self.memo("commands", build)

    # -- introspection -----------------------------------------------------------------------------
    def info(self) -> list[dict[str, Any]]:
        """Name, version and implemented hooks of every registered plugin (``asx plugins``)."""
        from asx import __version__

        rows = []
        for name, plugin in sorted(self.pm.list_name_plugin(), key=lambda x: (not x[0].startswith("asx."), x[0])):
            hooks = sorted(h.name for h in self.pm.get_hookcallers(plugin) or [])
            if name in self.distributions:
                dist, version = self.distributions[name]
            elif name.startswith("asx."):
                dist, version = "asx (built-in)", __version__
            else:
                dist, version = "", getattr(plugin, "__version__", "")
            rows.append({"name": name, "package": dist, "version": version, "hooks": hooks})
        for name, reason in sorted(self.load_failures.items()):
            rows.append({"name": name, "package": "", "version": "", "hooks": [], "error": reason})
        return rows

    def names(self) -> set[str]:
        return {name for name, _ in self.pm.list_name_plugin()}
