"""Writing a roster into ``roster_days`` and recording every change (R-ROS-5, R-ROS-7).

:func:`plan_changes` says what laying an engine result over the stored days would do (rows to
upsert or delete, and the :class:`Change` of each stored day that moves) without writing;
:func:`apply_writes` writes them and appends each change to the history, in the caller's
transaction. Published days are never touched unless the caller names them (R-ROS-5).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date

from asx.roster.cells import row_for
from asx.roster.days import parse_day


def new_batch(kind: str) -> str:
    """An id grouping the changes one command records (``leave-3f9a0c1e``)."""
    return f"{kind}-{secrets.token_hex(4)}"


def now_epoch(app) -> int:
    from asx.core.timeutil import to_epoch

    return to_epoch(app.now())


@dataclass
class Change:
    day: date
    agent: str
    old_shift: str | None
    old_mark: str | None
    new_shift: str | None
    new_mark: str | None
    published: bool = False
    kind: str = "repair"

    @property
    def old(self) -> str:
        return self.old_shift or self.old_mark or "none"

    @property
    def new(self) -> str:
        return self.new_shift or self.new_mark or "none"

    def as_row(self) -> dict:
        return {"day": self.day.isoformat(), "weekday": self.day.strftime("%a"), "agent": self.agent,
                "from": self.old, "to": self.new, "published": self.published, "kind": self.kind}


def plan_changes(app, problem, roster, *, absent: dict[str, set[date]] | None = None,
                 only: set[tuple[str, date]] | None = None, touch_published: set[tuple[str, date]] = frozenset(),
                 drop_others: bool = False, kind: str = "regenerate",
                 from_day: date | None = None, always: set[tuple[str, date]] = frozenset()
                 ) -> tuple[list[dict], list[Change]]:
    """What writing ``roster`` would do: the rows to upsert/delete and the changes to record.

    Published rows are never touched unless listed in ``touch_published`` (R-ROS-5)."""
    from asx.store import roster as roster_store

    absent = absent or {}
    existing = {(r["agent"], r["day"]): r
                for r in roster_store.days_between(app.store, problem.start.isoformat(), problem.end.isoformat())}
    writes: list[dict] = []
    changes: list[Change] = []
    names = set(roster.agents)
    for n in roster.agents:
        for d in roster.dates:
            if only is not None and (n, d) not in only:
                continue
            if from_day is not None and d < from_day and (n, d) not in always:
                continue
            old = existing.get((n, d.isoformat()))
            if old and old["published"] and (n, d) not in touch_published:
                continue
            if d in absent.get(n, ()):
                if old:
                    writes.append({"delete": True, "day": d.isoformat(), "agent": n})
                    changes.append(Change(d, n, old["shift"], old["mark"], None, None, bool(old["published"]), kind))
                continue
            new = row_for(problem, n, d, roster.get(n, d))
            if old and old["shift"] == new["shift"] and old["mark"] == new["mark"] and \
                    old["segments"] == new["segments"]:
                continue
            writes.append({"day": d.isoformat(), "agent": n, **new,
                           "published": old["published"] if old else 0})
            if old:
                changes.append(Change(d, n, old["shift"], old["mark"], new["shift"], new["mark"],
                                      bool(old["published"]), kind))
    if drop_others:
        for (n, day), old in existing.items():
            if from_day is not None and day < from_day.isoformat():
                continue
            if n not in names and not old["published"]:
                writes.append({"delete": True, "day": day, "agent": n})
                changes.append(Change(parse_day(day), n, old["shift"], old["mark"], None, None, False, kind))
    changes.sort(key=lambda c: (c.day, c.agent))
    return writes, changes


def apply_writes(app, writes: list[dict], changes: list[Change], *, plan_id: int | None, source: str, by: str | None,
                 at: int, reason: str | None, batch: str, leave_id: int | None = None) -> None:
    """Write rows and record every change (caller holds the transaction)."""
    from asx.store import roster as roster_store

    for w in writes:
        if w.get("delete"):
            roster_store.delete_day(app.store, w["day"], w["agent"])
            continue
        roster_store.upsert_day(app.store, {**w, "plan_id": plan_id, "source": source, "updated_at": at})
    for c in changes:
        roster_store.add_change(app.store, at=at, by=by, day=c.day.isoformat(), agent=c.agent,
                                old_shift=c.old_shift, old_mark=c.old_mark, new_shift=c.new_shift,
                                new_mark=c.new_mark, reason=reason, kind=c.kind, batch=batch, leave_id=leave_id,
                                published=c.published)
