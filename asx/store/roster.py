"""SQL of the roster (R-ROS): plans, day assignments, leave, changes, publications.

``days_on`` and ``agent_days`` answer "who is on duty" (asx.roster.duty, R-ROS-9); the rest serve
the roster use cases (``asx.roster``). Callers hold the transaction for writes.
"""

from __future__ import annotations

import json
from typing import Iterable

DAY_FIELDS = ("day", "agent", "shift", "mark", "segments", "published", "plan_id", "source", "updated_at")


def days_on(store, day: str) -> list[dict]:
    return list(store.q("SELECT * FROM roster_days WHERE day = ? ORDER BY agent", (day,)))


def agent_days(store, agent: str, from_day: str, to_day: str) -> list[dict]:
    return list(store.q("SELECT * FROM roster_days WHERE agent = ? AND day BETWEEN ? AND ? ORDER BY day",
                        (agent, from_day, to_day)))


# --- reading ----------------------------------------------------------------------------------

def days_between(store, from_day: str, to_day: str, agents: Iterable[str] | None = None) -> list[dict]:
    """Every stored (day, agent) row in [from_day, to_day], ordered by day then agent."""
    rows = store.q("SELECT * FROM roster_days WHERE day BETWEEN ? AND ? ORDER BY day, agent", (from_day, to_day))
    if agents is None:
        return list(rows)
    keep = set(agents)
    return [r for r in rows if r["agent"] in keep]


def extent(store) -> tuple[str | None, str | None]:
    """First and last stored day (None, None when no roster is stored)."""
    row = store.one("SELECT min(day) AS a, max(day) AS b FROM roster_days")
    return (row["a"], row["b"]) if row else (None, None)


def last_published(store) -> str | None:
    return store.scalar("SELECT max(day) FROM roster_days WHERE published = 1")


def first_unpublished(store) -> str | None:
    return store.scalar("SELECT min(day) FROM roster_days WHERE published = 0")


def stored_days(store, from_day: str, to_day: str) -> set[str]:
    """Days in [from_day, to_day] that have at least one row."""
    have = {r["day"] for r in store.q("SELECT DISTINCT day FROM roster_days WHERE day BETWEEN ? AND ?",
                                      (from_day, to_day))}
    return have


def counts_before(store, before_day: str, since_day: str) -> list[dict]:
    """Per agent, rows in [since_day, before_day): used for fairness history (R-ROS-10, R-ROS-6)."""
    return list(store.q("SELECT * FROM roster_days WHERE day >= ? AND day < ? ORDER BY day, agent",
                        (since_day, before_day)))


# --- writing ----------------------------------------------------------------------------------

def upsert_day(store, row: dict) -> None:
    """Insert or replace one (day, agent) assignment."""
    cols = [k for k in DAY_FIELDS if k in row]
    store.execute(
        f"INSERT INTO roster_days ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)}) "
        f"ON CONFLICT(day, agent) DO UPDATE SET "
        + ", ".join(f"{c} = excluded.{c}" for c in cols if c not in ("day", "agent")),
        [row[c] for c in cols],
    )


def delete_day(store, day: str, agent: str) -> None:
    store.execute("DELETE FROM roster_days WHERE day = ? AND agent = ?", (day, agent))


def insert_plan(store, *, at: int, by: str | None, engine: str, start_day: str, days: int, cycle_weeks: int | None,
                seed: int | None, time_limit: float | None, status: str, objective: float | None,
                bound: float | None, params: dict) -> int:
    return store.insert("roster_plans", {
        "created_at": at, "by": by, "engine": engine, "start_day": start_day, "days": days,
        "cycle_weeks": cycle_weeks, "seed": seed, "time_limit": time_limit, "status": status,
        "objective": objective, "bound": bound,
        "params": json.dumps(params, ensure_ascii=False, sort_keys=True, default=str),
    })


def get_plan(store, plan_id: int) -> dict | None:
    return store.one("SELECT * FROM roster_plans WHERE id = ?", (plan_id,))


def publish(store, from_day: str, to_day: str) -> int:
    """Pin every stored day in [from_day, to_day] (R-ROS-5); returns the rows newly pinned."""
    cur = store.execute("UPDATE roster_days SET published = 1 WHERE day BETWEEN ? AND ? AND published = 0",
                        (from_day, to_day))
    return cur.rowcount


def add_publication(store, *, at: int, by: str | None, from_day: str, to_day: str, rows: int,
                    note: str | None = None) -> int:
    return store.insert("roster_publications", {"at": at, "by": by, "from_day": from_day, "to_day": to_day,
                                                "rows": rows, "note": note})


def publications(store) -> list[dict]:
    return list(store.q("SELECT * FROM roster_publications ORDER BY id"))


def add_change(store, *, at: int, by: str | None, day: str, agent: str, old_shift, old_mark, new_shift, new_mark,
               reason: str | None, kind: str, batch: str | None = None, leave_id: int | None = None,
               published: bool = False) -> int:
    return store.insert("roster_changes", {
        "at": at, "by": by, "day": day, "agent": agent, "old_shift": old_shift, "old_mark": old_mark,
        "new_shift": new_shift, "new_mark": new_mark, "reason": reason, "kind": kind, "batch": batch,
        "leave_id": leave_id, "published": 1 if published else 0,
    })


def changes(store, from_day: str | None = None, to_day: str | None = None, *, agent: str | None = None,
            kind: str | None = None) -> list[dict]:
    from asx.store import where

    clause, params = where(("day >= ?", from_day or None), ("day <= ?", to_day or None), ("agent = ?", agent or None),
                           ("kind = ?", kind or None))
    return list(store.q("SELECT * FROM roster_changes" + clause + " ORDER BY id", params))


# --- leave (R-ROS-7) ----------------------------------------------------------------------------

def add_leave(store, *, agent: str, from_day: str, to_day: str, reason: str | None, at: int,
              by: str | None) -> int:
    return store.insert("roster_leave", {"agent": agent, "from_day": from_day, "to_day": to_day, "reason": reason,
                                         "at": at, "by": by})


def leaves(store, from_day: str | None = None, to_day: str | None = None, *, agent: str | None = None,
           include_cancelled: bool = False) -> list[dict]:
    """Leave overlapping [from_day, to_day]."""
    from asx.store import where

    clause, params = where(("cancelled_at IS NULL", not include_cancelled), ("to_day >= ?", from_day or None),
                           ("from_day <= ?", to_day or None), ("agent = ?", agent or None))
    return list(store.q("SELECT * FROM roster_leave" + clause + " ORDER BY from_day, agent, id", params))
