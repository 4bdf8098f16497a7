"""Typed facade over ``pm.hook`` for the register-style hooks (tox's plugin manager style).

Domain modules ask this module for what plugins registered, never call ``pm.hook`` themselves::

    cats = registries.collect("register_categories", lambda: {}, lambda acc: acc.__setitem__)

``collect(hook, make, adder)`` calls the hook once per process with a ``register``
callback, caches the result and returns it; :func:`reset` forgets every cache (tests that
register a plugin inside the test call ``asx.core.plugin_host.reset_plugin_manager()``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

_cache: dict[str, Any] = {}


def reset() -> None:
    _cache.clear()


def collect(hook: str, make: Callable[[], Any], adder: Callable[[Any], Callable[..., None]], **kwargs: Any) -> Any:
    """Call ``hook(register=…, **kwargs)`` on every plugin once and cache the accumulated result."""
    key = hook if not kwargs else f"{hook}:{sorted(kwargs)}"
    if key in _cache:
        return _cache[key]
    from asx.core.plugin_host import get_plugin_manager

    acc = make()
    getattr(get_plugin_manager().hook, hook)(register=adder(acc), **kwargs)
    _cache[key] = acc
    return acc


def collect_list(hook: str, **kwargs: Any) -> list:
    """Collect ``register(*args, **kw)`` calls as a list of ``(args, kw)`` tuples."""

    def adder(acc: list) -> Callable[..., None]:
        return lambda *a, **kw: acc.append((a, kw))

    return collect(hook, list, adder, **kwargs)


# --- migrations -------------------------------------------------------------------------------

@dataclass(frozen=True, order=True)
class Migration:
    number: int
    component: str
    name: str = field(compare=False)
    sql: str = field(compare=False, repr=False)
    pg_sql: str | None = field(default=None, compare=False, repr=False)  # PostgreSQL twin (issue 10)


def migrations() -> list[Migration]:
    """Every registered migration, ordered by number then component."""
    items = collect_list("register_migrations")
    out = [Migration(number=a[1] if len(a) > 1 else kw["number"], component=a[0] if a else kw["component"],
                     name=(a[2] if len(a) > 2 else kw["name"]), sql=(a[3] if len(a) > 3 else kw["sql"]),
                     pg_sql=(a[4] if len(a) > 4 else kw.get("pg_sql")))
           for a, kw in items]
    seen: dict[tuple[str, int], str] = {}
    for m in out:
        if (m.component, m.number) in seen:
            raise RuntimeError(f"migration {m.component}#{m.number} registered twice ({seen[(m.component, m.number)]}, {m.name})")
        seen[(m.component, m.number)] = m.name
    return sorted(out)


# --- sample data ------------------------------------------------------------------------------

def sample_steps() -> list[tuple[int, str, Callable]]:
    items = collect_list("register_sample")
    steps = [(a[0], a[1], a[2]) if len(a) == 3 else (kw["order"], kw["name"], kw["fn"]) for a, kw in items]
    return sorted(steps, key=lambda s: (s[0], s[1]))


# --- nightly jobs -----------------------------------------------------------------------------

def nightly_jobs() -> list[tuple[int, str, Callable]]:
    items = collect_list("register_nightly_jobs")
    jobs = [(a[0], a[1], a[2]) if len(a) == 3 else (kw["order"], kw["name"], kw["fn"]) for a, kw in items]
    return sorted(jobs, key=lambda s: (s[0], s[1]))
