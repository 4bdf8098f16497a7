"""R-SEC-4: keep personal data only as long as needed.

``purge(store, before)`` pseudonymises the buyers of cases closed before ``before`` (and of the
reviews and orders that belong to them): the buyer id becomes a pseudonymous key (the same
buyer gets the same key within one run, so counts of distinct buyers do not change),
contacts and phones are removed, complaint texts and history notes are masked. Statistics
(KPIs) use none of these fields, so they do not change. The history tables are append-only;
a purge is the one sanctioned exception: their triggers are lifted inside the purge
transaction and restored before it commits, and the purge itself is recorded in the access log.
Each domain contributes its part through the ``register_purgers`` hook.
"""

from __future__ import annotations

import secrets
from typing import Callable



class Pseudonyms:
    """Random pseudonymous keys, stable within one purge run."""

    def __init__(self) -> None:
        self._keys: dict[str, str] = {}

    def __call__(self, value: str | None) -> str | None:
        if value is None or value == "":
            return value
        if value.startswith("anon-"):
            return value
        if value not in self._keys:
            self._keys[value] = "anon-" + secrets.token_hex(6)
        return self._keys[value]


def purgers(plugins) -> list[tuple[str, Callable]]:
    """The purgers registered with ``plugins`` (``app.plugins``), R-SEC-4."""
    items = plugins.purgers()
    return [(a[0], a[1]) if len(a) == 2 else (kw["name"], kw["fn"]) for a, kw in items]


class _DryRun(Exception):
    """Ends a dry run's transaction: everything it did is rolled back."""


def purge(store, before: int, purger_list: list[tuple[str, Callable]], *, tz=None,
          dry_run: bool = False) -> dict[str, int]:
    """Run every purger of ``purger_list`` (:func:`purgers` of ``app.plugins``) in one transaction;
    returns rows changed per domain. A purger that takes a ``tz`` keyword gets the store's time zone
    (``tz``): records kept by day compare the cut-off as a store-timezone date, not a UTC one (issue 21).
    ``dry_run``: the same purgers in the same transaction, rolled back at the end, so the counts are
    exactly what the purge would change — the plugins' records included — and nothing is kept."""
    import inspect

    pseudonym = Pseudonyms()
    counts: dict[str, int] = {}
    try:
        with store.tx():
            with history_unlocked(store):
                for name, fn in purger_list:
                    try:
                        takes_tz = "tz" in inspect.signature(fn).parameters
                    except (TypeError, ValueError):
                        takes_tz = False
                    counts[name] = fn(store, before, pseudonym, tz=tz) if takes_tz else fn(store, before, pseudonym)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return counts


def retention_start(now, years: int):
    """The retention cut-off (R-SEC-4): midnight, store time, ``years`` calendar years before ``now``'s
    date (29 February becomes 28 February)."""
    day = now.replace(hour=0, minute=0, second=0, microsecond=0)
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


class history_unlocked:
    """Lift the append-only triggers inside the current transaction; restore them on exit."""

    def __init__(self, store):
        self.store = store
        self.saved: list[tuple[str, str]] = []

    def __enter__(self):
        self.saved = self.store.lift_triggers(history_only=True)
        return self

    def __exit__(self, *exc):
        self.store.restore_triggers(self.saved)
        return False
