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

Plugins per workspace (issue 16 item 12): an installed store plugin is active only in the workspaces
that enable it in their ``asx.toml`` (``[plugins] enabled = ["tmall"]``; ``asx init --store X``
writes it). The list is read from the project file before any plugin is registered
(:func:`workspace_enabled`: a cheap TOML read, since ``plugins.*`` settings are declared by plugins);
outside a workspace every installed plugin is loaded (``asx init --store X`` and ``asx plugins``
need them). Built-ins, and plugins given explicitly (``plugins=``, :meth:`PluginHost.register`:
tests), are always on. :meth:`PluginHost.for_workspace` narrows a host to a workspace's list.

Environment:
  ASX_LOAD_PLUGINS=a,b   load only these third-party plugins (empty: none)
  ASX_TRACE_PLUGINS=1    print every hook call to stderr
"""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path
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
    "asx.plugins.returns",
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


def workspace_enabled(cwd: Path, config_path: Path | None = None, environ=None) -> list[str] | None:
    """The ``plugins.enabled`` list of the workspace at ``cwd`` (or of ``config_path``), read before
    any plugin is registered: ``ASX_PLUGINS__ENABLED`` (comma-separated) wins, else the project
    ``asx.toml`` (missing key: ``[]``, built-ins only). None outside a workspace (every installed
    plugin). An unreadable file is left to the config loader to report."""
    from asx.core.config import find_project_file, read_toml
    from asx.core.errors import UserError

    environ = os.environ if environ is None else environ
    raw = environ.get("ASX_PLUGINS__ENABLED")
    if raw is not None:
        raw = raw.strip().strip("[]")
        return [p.strip().strip("'\"") for p in raw.split(",") if p.strip()]
    project = config_path if config_path is not None else find_project_file(Path(cwd))
    if project is None or not Path(project).is_file():
        return None
    try:
        data = read_toml(Path(project))  # the one reader of asx.toml (UTF-8, a BOM skipped)
    except UserError:
        return None
    value = (data.get("plugins") or {}).get("enabled", [])
    return [str(v) for v in value] if isinstance(value, list) else []


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
        #: every installed entry-point plugin, loaded or not: name -> (distribution, version)
        self.installed: dict[str, tuple[str, str]] = {}
        #: the workspace's enabled list this host was built for (None: every installed plugin)
        self.enabled: frozenset[str] | None = None
        self._builtins = True
        self._explicit: list[tuple[Any, str | None]] = []
        self._from_entry_points: dict[str, Any] = {}
        self._environ = os.environ
        self._narrowed: dict[frozenset[str], "PluginHost"] = {}

    # -- building ---------------------------------------------------------------------------------
    @classmethod
    def load(cls, *, builtins: bool = True, entry_points: bool | None = None,
             plugins: Iterable[Any] = (), environ=None, enabled: Iterable[str] | None = None) -> "PluginHost":
        """The built-in plugins, then ``plugins`` (modules or objects), then the entry points of
        group ``asx`` (``entry_points=None``: not under pytest, unless ASX_LOAD_PLUGINS names them).
        ``enabled``: the workspace's ``plugins.enabled`` (only those entry points are loaded; None:
        all of them)."""
        environ = os.environ if environ is None else environ
        host = cls()
        host._environ = environ
        host._builtins = builtins
        host.enabled = None if enabled is None else frozenset(enabled)
        if builtins:
            for modname in builtin_modules():
                host.pm.register(importlib.import_module(modname), name=modname)
        for plugin in plugins:
            host.register(plugin)
        host._load_entry_points(entry_points, environ)
        host._finish()
        return host

    def for_workspace(self, enabled: Iterable[str] | None) -> "PluginHost":
        """This host narrowed to a workspace's enabled plugins (issue 16 item 12): itself when built
        for that list, else a host without the others (built once, kept; no plugin is imported again).
        Built-ins and explicitly registered plugins stay."""
        if enabled is None:
            return self
        want = frozenset(enabled)
        if self.enabled == want:
            return self
        if want not in self._narrowed:
            host = type(self)()
            host._environ, host._builtins, host.enabled = self._environ, self._builtins, want
            host.installed = dict(self.installed)
            if self._builtins:
                for modname in builtin_modules():
                    host.pm.register(importlib.import_module(modname), name=modname)
            for plugin, name in self._explicit:
                host.register(plugin, name=name)
            for name, plugin in self._from_entry_points.items():
                if name in want:
                    host.pm.register(plugin, name=name)
                    host._from_entry_points[name] = plugin
                    if name in self.distributions:
                        host.distributions[name] = self.distributions[name]
            host.load_failures = {k: v for k, v in self.load_failures.items() if k in want}
            host._finish()
            self._narrowed[want] = host
        return self._narrowed[want]

    def _finish(self) -> None:
        host, environ = self, self._environ
        host.pm.check_pending()
        if environ.get("ASX_TRACE_PLUGINS"):
            pm = host.pm

            def before(hook_name, hook_impls, kwargs):
                names = ", ".join(pm.get_name(i.plugin) or "?" for i in hook_impls)
                print(f"asx: hook {hook_name} -> [{names}]", file=sys.stderr)

            pm.add_hookcall_monitoring(before, lambda *a: None)

    def register(self, plugin: Any, name: str | None = None) -> None:
        """Add a plugin (module or object) and forget what was collected so far. A plugin added
        this way is on in every workspace (tests choose their plugins so)."""
        name = name or getattr(plugin, "__name__", None)
        self.pm.register(plugin, name=name)
        self._explicit.append((plugin, name))
        self._memo.clear()
        self._narrowed.clear()

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
            dist = getattr(ep, "dist", None)
            self.installed[ep.name] = ((dist.metadata["Name"], dist.version) if dist is not None
                                       else ("", ""))
            if self.enabled is not None and ep.name not in self.enabled:
                continue  # installed, not enabled in this workspace (issue 16 item 12)
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
            self._from_entry_points[ep.name] = plugin
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

    def workspace_settings(self, store_kind: str) -> dict[str, Any]:
        """``register_workspace_settings``: the settings a new ``store_kind`` workspace starts with."""
        return {_arg(a, kw, 0, "key"): _arg(a, kw, 1, "value")
                for a, kw in self._registrations("register_workspace_settings", store_kind=store_kind)}

    def personal_data(self) -> dict[str, dict[str, str]]:
        """``register_personal_data``: ``{table: {column: kind}}`` (kind name, contact or text)."""
        def build() -> dict[str, dict[str, str]]:
            out: dict[str, dict[str, str]] = {}
            for a, kw in self._registrations("register_personal_data"):
                kind = _arg(a, kw, 2, "kind")
                if kind not in ("name", "contact", "text"):
                    raise RuntimeError(f"register_personal_data: kind must be name, contact or text, not {kind!r}")
                out.setdefault(_arg(a, kw, 0, "table"), {})[_arg(a, kw, 1, "column")] = kind
            return out

        return self.memo("personal_data", build)

    def store_options(self) -> dict[str, Any]:
        """What :func:`asx.store.open_store` takes from the plugins: their ``migrations`` and their
        ``personal_data`` (masked views on PostgreSQL) — ``open_store(path, **host.store_options())``."""
        return {"migrations": self.migrations(), "personal_data": self.personal_data()}

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

    def check_case_action(self, app: Any, case: dict, action: str, who: dict, detail: dict | None = None) -> None:
        """``check_case_action``: a plugin refuses an action by raising ``UserError``; ``detail`` are the
        action's keywords (step, resolution …)."""
        self.pm.hook.check_case_action(app=app, case=case, action=action, who=who, detail=dict(detail or {}))

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
            if name.startswith("asx."):
                state = "built-in"
            elif name in self._from_entry_points:
                state = "enabled" if self.enabled is not None else "installed"  # outside a workspace
            else:
                state = "registered"  # given explicitly (a test's plugin): on everywhere
            rows.append({"name": name, "package": dist, "version": version, "state": state, "hooks": hooks})
        loaded = self.names()
        for name, (dist, version) in sorted(self.installed.items()):
            if name not in loaded and name not in self.load_failures:
                rows.append({"name": name, "package": dist, "version": version,
                             "state": "installed, not enabled", "hooks": []})
        for name, reason in sorted(self.load_failures.items()):
            rows.append({"name": name, "package": "", "version": "", "state": "failed", "hooks": [],
                         "error": reason})
        return rows

    def names(self) -> set[str]:
        return {name for name, _ in self.pm.list_name_plugin()}
