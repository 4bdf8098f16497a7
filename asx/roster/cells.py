"""One roster cell in its three forms: the stored ``roster_days`` row, the engine's value in a
:class:`~asx.roster.model.Roster` (a shift id, None for rest/holiday, ``LEAVE``) and what a
supervisor types (``D``, ``白班``, ``休``, ``假`` …).

Stored cells: ``roster_days.mark`` is ``work`` (with ``shift`` and the shift's ``segments``
copied, so R-ROS-9 answers stay right after shift definitions change), ``rest``, ``holiday``
(a rest day on a public holiday, R-ROS-6) or ``leave``. Days an agent was not employed (before
joining, after leaving) have no row; in a Problem they are "absent" (unavailable, like leave).
"""

from __future__ import annotations

from datetime import date

from asx.core.errors import UserError

def cell_value(row: dict):
    """A stored row as a Roster cell: shift id, None (rest/holiday) or LEAVE."""
    from asx.roster.model import LEAVE

    if row["mark"] == "work":
        return row["shift"]
    if row["mark"] == "leave":
        return LEAVE
    return None


def segments_text(shift) -> str | None:
    """A shift's segments as stored with a working day (``10:00-14:00,17:30-23:00``)."""
    return ",".join(str(s) for s in shift.segments) or None


def row_for(problem, agent: str, d: date, value) -> dict:
    """The stored form (shift, mark, segments) of an engine value on day ``d``."""
    from asx.roster.model import LEAVE

    if value == LEAVE:
        return {"shift": None, "mark": "leave", "segments": None}
    if value is None:
        return {"shift": None, "mark": "holiday" if d in problem.holidays else "rest", "segments": None}
    return {"shift": value, "mark": "work", "segments": segments_text(problem.shift(value))}


def parse_cell(text: str, rules):
    """What a user typed for a cell: a shift id or label (D, 白班, night), rest/休, leave/假, holiday/节."""
    from asx.roster.model import LEAVE

    t = text.strip()
    for s in rules.shifts:
        if t.lower() in {s.id.lower(), (s.label_en or "").lower()} or (s.label_zh and t in (s.label_zh, s.label_zh[0])):
            return s.id
    low = t.lower()
    if low in ("rest", "off", "-", "休", "休息", ".", ""):
        return None
    if low in ("holiday", "h", "节", "节假日"):
        return None
    if low in ("leave", "l", "假", "请假"):
        return LEAVE
    raise UserError(f"unknown shift {text!r}; choose one of: "
                    + ", ".join([f"{s.id} ({s.label_zh})" if s.label_zh else s.id for s in rules.shifts])
                    + ", rest (休), leave (假)")
