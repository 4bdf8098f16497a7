"""Recorded activity of people (issue 16 item 8, R-ROS-2 overtime, R-ROS-9 missed shifts): who
acted when, from the append-only histories of cases and reviews (SQL only)."""

from __future__ import annotations


def events_between(store, since: int, until: int, agents=None) -> list[dict]:
    """``{by, at, source, ref, action}`` of every case and review event in [since, until), by time."""
    params: list = [since, until, since, until]
    sql = ("SELECT by, at, 'case' AS source, case_id AS ref, action FROM case_events WHERE at >= ? AND at < ? "
           "UNION ALL SELECT by, at, 'review' AS source, review_id AS ref, action FROM review_events "
           "WHERE at >= ? AND at < ?")
    rows = [r for r in store.q(sql, params) if r["by"]]
    if agents is not None:
        agents = set(agents)
        rows = [r for r in rows if r["by"] in agents]
    return sorted(rows, key=lambda r: (r["at"], r["source"], r["ref"]))


def last_before(store, agent: str, before: int) -> int | None:
    return store.scalar("SELECT max(at) FROM (SELECT at FROM case_events WHERE by = ? AND at < ? "
                        "UNION ALL SELECT at FROM review_events WHERE by = ? AND at < ?) x",
                        [agent, before, agent, before])


def first_after(store, agent: str, after: int) -> int | None:
    return store.scalar("SELECT min(at) FROM (SELECT at FROM case_events WHERE by = ? AND at >= ? "
                        "UNION ALL SELECT at FROM review_events WHERE by = ? AND at >= ?) x",
                        [agent, after, agent, after])
