"""SQL of the roster (R-ROS). The roster helper extends this module."""

from __future__ import annotations


def days_on(store, day: str) -> list[dict]:
    return list(store.q("SELECT * FROM roster_days WHERE day = ? ORDER BY agent", (day,)))


def agent_days(store, agent: str, from_day: str, to_day: str) -> list[dict]:
    return list(store.q("SELECT * FROM roster_days WHERE agent = ? AND day BETWEEN ? AND ? ORDER BY day",
                        (agent, from_day, to_day)))
