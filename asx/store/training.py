"""Training records 培训 (issue 16 item 11): the ``agent_training`` rows (SQL only; append-only)."""

from __future__ import annotations


def add(store, *, agent: str, course: str, held_on: str, result: str, score: float | None, note: str | None,
        at: int, by: str | None) -> int:
    return store.insert("agent_training", {"agent": agent, "course": course, "held_on": held_on, "result": result,
                                           "score": score, "note": note, "recorded_at": at, "recorded_by": by})


def list_records(store, *, agent: str | None = None, since: str | None = None,
                 until: str | None = None) -> list[dict]:
    """Records by date then id; ``since``/``until`` are YYYY-MM-DD (until exclusive)."""
    where, params = [], []
    for cond, val in (("agent = ?", agent), ("held_on >= ?", since), ("held_on < ?", until)):
        if val is not None:
            where.append(cond)
            params.append(val)
    sql = "SELECT * FROM agent_training" + (" WHERE " + " AND ".join(where) if where else "")
    return list(store.q(sql + " ORDER BY held_on, id", params))
