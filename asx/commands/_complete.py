"""Shell completion that knows the data (issue 18 item 8): agent names, categories, statuses, case ids,
KPI names, nightly job names and config keys, for click's ``shell_complete`` on a parameter.

``asx completion bash|zsh|fish`` prints the script; the shell then calls ``asx`` with ``_ASX_COMPLETE``
set and click asks these functions. They read the workspace the command line names (``-C``,
``--config``, ``--db``), never write, and offer nothing rather than fail (no workspace, no database).
Imports nothing heavy until asked.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable


def _app(ctx):
    from asx.core.app import App
    from asx.core.plugin_host import PluginHost

    root = ctx.find_root()
    p = root.params or {}
    cwd = Path.cwd()
    if p.get("directory"):
        cwd = (cwd / p["directory"]).resolve()
    obj = root.obj
    host = obj if isinstance(obj, PluginHost) else getattr(obj, "plugins", None)
    return App(cwd, config_path=Path(p["config_path"]).resolve() if p.get("config_path") else None,
               db=p.get("db"), plugins=host)


def _items(values: Iterable[str], incomplete: str, *, many: bool = False):
    from click.shell_completion import CompletionItem

    head = ""
    if many and "," in incomplete:  # a comma-separated list: complete its last item
        head, incomplete = incomplete.rsplit(",", 1)
        head += ","
    low = incomplete.lower()
    seen: list[str] = []
    for v in values:
        v = str(v)
        if v.lower().startswith(low) and v not in seen:
            seen.append(v)
    return [CompletionItem(head + v) for v in seen]


def _completer(values: Callable, *, many: bool = False):
    def complete(ctx, param, incomplete: str):
        try:
            app = _app(ctx)
            if _needs_store(values) and not _workspace(app):
                return []
            return _items(values(app), incomplete, many=many)
        except Exception:  # completion never breaks the shell: offer nothing
            return []

    return complete


def _needs_store(fn) -> bool:
    return getattr(fn, "store", False)


def _workspace(app) -> bool:
    """A workspace with a database to read (completion never creates one)."""
    try:
        if app.config.project_file is None:
            return False
        path = app.db_path
        return "://" in str(path) or Path(path).is_file()
    except Exception:
        return False


def _store(fn):
    fn.store = True
    return fn


@_store
def _agent_names(app):
    from asx.store import agents as agents_store

    return [a["name"] for a in agents_store.list_agents(app.store)]


def _categories(app):
    return app.labels.codes("category")


def _statuses(app):
    return app.labels.codes("case_status")


def _kpis(app):
    from asx.kpi.registry import indicators

    return [i.name for i in indicators(app.plugins)]


def _jobs(app):
    from asx.jobs.nightly import jobs

    return [name for _, name, _ in jobs(app.plugins)]


def _config_keys(app):
    from asx.core import config

    return sorted(config.settings(app.plugins))


agents = _completer(_agent_names)
categories = _completer(_categories)
statuses = _completer(_statuses, many=True)
kpis = _completer(_kpis, many=True)
nightly_jobs = _completer(_jobs)
config_keys = _completer(_config_keys)


def case_ids(ctx, param, incomplete: str):
    """Live case ids starting with what was typed (the store narrows them: a million cases stay fast)."""
    try:
        app = _app(ctx)
        if not _workspace(app):
            return []
        from asx.store import cases as case_store

        return _items([str(i) for i in case_store.ids_starting(app.store, incomplete.lstrip("#"))], "")
    except Exception:
        return []
