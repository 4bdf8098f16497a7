"""Roster engine registry.

An engine turns a Problem into a Result and repairs a published roster after
leave.  The built-in "cpsat" engine wraps :mod:`asx.roster.solver`; plugins add
others through the ``register_roster_engines(register)`` hook by calling
:func:`register`.  Whatever engine produced a roster, :func:`asx.roster.checker.check`
scores it.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from asx.core.errors import UserError

if TYPE_CHECKING:  # pragma: no cover
    from asx.roster.model import Problem, Roster
    from asx.roster.solver import RepairResult, Result


@runtime_checkable
class Engine(Protocol):
    name: str

    def solve(self, problem: "Problem", *, time_limit: float = 10.0, seed: int = 0,
              workers: int = 2) -> "Result": ...

    def repair(self, problem: "Problem", previous: "Roster", *, changed_from: date,
               time_limit: float = 10.0, seed: int = 0, workers: int = 2) -> "RepairResult": ...


class CpSatEngine:
    """Google OR-Tools CP-SAT (imported on first use)."""

    name = "cpsat"

    def solve(self, problem, *, time_limit=10.0, seed=0, workers=2):
        from asx.roster.solver import solve

        return solve(problem, time_limit=time_limit, seed=seed, workers=workers)

    def repair(self, problem, previous, *, changed_from, time_limit=10.0, seed=0, workers=2, changed_to=None):
        from asx.roster.solver import repair

        return repair(problem, previous, changed_from=changed_from, changed_to=changed_to,
                      time_limit=time_limit, seed=seed, workers=workers)


_ENGINES: dict[str, Engine] = {}


def register(engine: Engine) -> None:
    """Add (or replace) an engine under ``engine.name``."""
    if not isinstance(getattr(engine, "name", None), str) or not engine.name:
        raise UserError("a roster engine needs a non-empty name")
    if not callable(getattr(engine, "solve", None)) or not callable(getattr(engine, "repair", None)):
        raise UserError(f"roster engine {engine.name!r} must have solve() and repair()")
    _ENGINES[engine.name] = engine


def unregister(name: str) -> None:
    if name != "cpsat":
        _ENGINES.pop(name, None)


def get_engine(name: str = "cpsat") -> Engine:
    try:
        return _ENGINES[name]
    except KeyError:
        raise UserError(f"unknown roster engine {name!r} (known: {', '.join(sorted(_ENGINES))})") from None


def engine_names() -> list[str]:
    return sorted(_ENGINES)


register(CpSatEngine())
