"""SQL for people (R-PPL) and the access log (R-SEC-1/2)."""

from __future__ import annotations

from typing import Iterator

from asx.core.errors import UserError

FIELDS = ("display_name", "role", "store", "wangwang", "joined_on", "left_on", "active")


def get(store, name: str) -> dict | None:
    return store.one("SELECT * FROM agents WHERE name = ?", (name,))


def by_login(store, login: str) -> dict | None:
    """The agent whose PostgreSQL login is ``login`` (R-SEC-5)."""
    return store.one("SELECT * FROM agents WHERE login = ?", (login,))


def set_login(store, name: str, login: str) -> None:
    store.execute("UPDATE agents SET login = ? WHERE name = ?", (login, name))


def count(store, *, active_only: bool = True) -> int:
    sql = "SELECT count(*) FROM agents" + (" WHERE active = 1" if active_only else "")
    return store.scalar(sql)


def list_agents(store, *, role: str | None = None, store_name: str | None = None,
                include_retired: bool = False) -> Iterator[dict]:
    from asx.store import where

    clause, params = where(("active = 1", not include_retired), ("role = ?", role or None),
                           ("store = ?", store_name or None))
    return store.q("SELECT * FROM agents" + clause + " ORDER BY id", params)


def add(store, *, name: str, role: str, at: int, by: str | None, display_name: str | None = None,
        store_name: str | None = None, wangwang: str | None = None, joined_on: str | None = None) -> int:
    """Insert an agent (caller holds the transaction); the name is checked (issue 21)."""
    from asx.core.names import check_agent_name

    name = check_agent_name(name)
    if get(store, name) is not None:
        raise UserError(f"an agent named {name!r} exists already (names are unique: they sign refund notes)")
    agent_id = store.insert("agents", {
        "name": name, "display_name": display_name or name, "role": role, "store": store_name,
        "wangwang": wangwang, "joined_on": joined_on, "active": 1, "created_at": at,
    })
    store.insert("agent_events", {"agent_id": agent_id, "at": at, "by": by, "field": "created", "old": None,
                                  "new": role, "effective_on": joined_on, "note": None})
    return agent_id


def update(store, name: str, changes: dict, *, at: int, by: str | None, effective_on: str | None = None,
           note: str | None = None) -> dict:
    """Change fields of an agent; every changed field is an event (role changes keep their date, R-PPL-3)."""
    row = get(store, name)
    if row is None:
        raise UserError(f"no agent named {name!r}")
    changed = {k: v for k, v in changes.items() if k in FIELDS and v is not None and row[k] != v}
    if not changed:
        return row
    sets = ", ".join(f"{k} = ?" for k in changed)
    store.execute(f"UPDATE agents SET {sets} WHERE id = ?", [*changed.values(), row["id"]])
    for k, v in changed.items():
        store.insert("agent_events", {"agent_id": row["id"], "at": at, "by": by, "field": k,
                                      "old": None if row[k] is None else str(row[k]), "new": str(v),
                                      "effective_on": effective_on, "note": note})
    return get(store, name)


def history(store, name: str) -> Iterator[dict]:
    return store.q(
        "SELECT e.* FROM agent_events e JOIN agents a ON a.id = e.agent_id WHERE a.name = ? ORDER BY e.at, e.id",
        (name,),
    )


def log_access(store, at: int, by: str, action: str, subject: str, detail: str = "") -> None:
    store.insert("access_log", {"at": at, "by": by, "action": action, "subject": subject, "detail": detail})


def access_log(store, *, since: int | None = None) -> Iterator[dict]:
    if since is None:
        return store.q("SELECT * FROM access_log ORDER BY at, id")
    return store.q("SELECT * FROM access_log WHERE at >= ? ORDER BY at, id", (since,))
