"""Disciplinary records (R-KPI-4, seed 000 惩罚): what a supervisor confirmed of the complaint ladder.

asx reports the ladder (:func:`asx.kpi.grades.complaint_ladder`); it does not decide. A warning, a
fine or a dismissal review becomes a record only when a supervisor confirms it
(``asx agent discipline add``). Records are append-only: a mistaken record is cancelled by a new
``revoked`` record that names it. :func:`summary` gives, per agent and month, what stands
(revoked records left out) — shown in ``asx eval show`` and the KPI export.
"""

from __future__ import annotations

from asx.core.errors import UserError
from asx.core.timeutil import to_epoch

KINDS = ("warning", "fine", "dismissal_review", "revoked")


def add(app, agent: str, kind: str, *, month: str | None = None, amount_fen: int | None = None,
        case_id: int | None = None, revokes: int | None = None, note: str | None = None) -> int:
    """Record one confirmed measure (supervisor only). Returns the record id."""
    from asx.kpi.grades import month_of, today_month
    from asx.store import agents, cases as case_store, discipline as discipline_store

    who = app.require_role("supervisor", action="record disciplinary measures (R-KPI-4)")
    if kind not in KINDS:
        raise UserError(f"kind must be one of {', '.join(KINDS)}")
    if agents.get(app.store, agent) is None:
        raise UserError(f"no agent named {agent!r} (see `asx agent list`)")
    p = month_of(app, month or today_month(app))
    if kind == "fine" and not amount_fen:
        raise UserError("a fine needs --amount (yuan, R-KPI-4)")
    if kind != "fine" and amount_fen:
        raise UserError("only a fine has an amount")
    if amount_fen is not None and amount_fen < 0:
        raise UserError("--amount cannot be negative")
    if kind == "revoked":
        if revokes is None:
            raise UserError("a revocation names the record it cancels (--revokes ID)")
        old = discipline_store.get(app.store, revokes)
        if old is None or old["agent"] != agent or old["kind"] == "revoked":
            raise UserError(f"no record #{revokes} of {agent} to revoke")
        if not note:
            raise UserError("a revocation needs a reason (--note)")
    elif revokes is not None:
        raise UserError("--revokes goes with kind revoked")
    if case_id is not None and case_store.get(app.store, case_id) is None:
        raise UserError(f"no case #{case_id}")
    with app.store.tx():
        return discipline_store.add(app.store, {"agent": agent, "kind": kind, "month": p.label, "amount_fen": amount_fen,
                                  "case_id": case_id, "revokes": revokes, "note": note,
                                  "at": to_epoch(app.now()), "by": who["name"]})


def records(app, *, agent: str | None = None, month: str | None = None) -> list[dict]:
    from asx.store import discipline as discipline_store

    return discipline_store.records(app.store, agent=agent, month=month)


def summary(app, month: str) -> dict[str, dict]:
    """Per agent, the standing records of ``month``: ``{"warnings", "fines_fen", "dismissal_reviews",
    "text"}`` (revoked ones left out)."""
    rows = records(app, month=month)
    revoked = {r["revokes"] for r in rows if r["kind"] == "revoked"}
    out: dict[str, dict] = {}
    for r in rows:
        if r["kind"] == "revoked" or r["id"] in revoked:
            continue
        s = out.setdefault(r["agent"], {"warnings": 0, "fines_fen": 0, "dismissal_reviews": 0})
        if r["kind"] == "warning":
            s["warnings"] += 1
        elif r["kind"] == "fine":
            s["fines_fen"] += r["amount_fen"] or 0
        else:
            s["dismissal_reviews"] += 1
    for s in out.values():
        parts = []
        if s["warnings"]:
            parts.append(f"{s['warnings']} warning(s)")
        if s["fines_fen"]:
            parts.append(f"fined {s['fines_fen'] // 100} yuan")
        if s["dismissal_reviews"]:
            parts.append("dismissal review")
        s["text"] = ", ".join(parts)
    return out
