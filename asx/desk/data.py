"""What the panes of ``asx desk`` show (issue 20 §2), read through the functions of ``asx me`` and
``asx today`` — nothing here orders a queue, computes an SLA or walks the review ladder:

* shift now/next and handover times: :func:`asx.daily.me.shift_section` (a supervisor's ``--team``
  view: :func:`asx.daily.today.roster_section`, who is on shift);
* the handover note left for me: :func:`asx.daily.me.handover_section` (R-CASE-10);
* my cases by time to breach: :func:`asx.daily.me.due_section` (``--team``:
  :func:`asx.daily.me.team_due_section`, the rows of ``asx case due --team``) (R-SLA);
* reviews actionable now: :func:`asx.daily.me.reviews_section` (call windows, R-REV-5);
* cases waiting on the buyer past the promise: :func:`asx.daily.me.waiting_section` (R-SLA-5), first
  and marked, then my other waiting cases (buyer, courier, warehouse: the clock paused, R-CASE-6), so
  that every case put on wait can be resumed from the desk;
* unsigned money for a supervisor: :func:`asx.daily.today.ledger_section` (R-FIN-1).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass
class View:
    """Whose desk: ``agent`` (None with ``team``), who acts, the language, rows per pane."""

    agent: str | None
    actor: dict
    lang: str
    limit: int = 100
    team: bool = False
    supervisor: bool = False


def view_for(app, *, agent: str | None = None, team: bool = False, lang: str | None = None) -> View:
    """The :class:`View` of ``asx desk [--agent NAME | --team]``: another agent's desk or the team's is
    a supervisor's (R-PPL-1)."""
    from asx.core.errors import UserError
    from asx.store import agents as agents_store

    who = app.actor()
    if team and agent:
        raise UserError("give --agent NAME or --team, not both")
    if team or (agent and agent != who["name"]):
        app.require_role("supervisor", action="open another agent's desk or the team's (asx desk --agent/--team)")
    if agent and not team:
        row = agents_store.get(app.store, agent)
        if row is None or not row["active"]:
            raise UserError(f"--agent {agent}: no such active agent (see `asx agent list`)")
    return View(agent=None if team else (agent or who["name"]), actor=who, lang=lang or app.lang,
                limit=int(app.config.get("desk.list_limit")), team=team, supervisor=app.may(who, "supervisor"))


def load(app, view: View, at: datetime) -> dict:
    """Every pane as of ``at`` (plain dicts and lists, as the ``asx me`` sections give them)."""
    from asx.daily import me, today

    n = view.limit
    if view.team:
        d = {"shift": None, "roster": today.roster_section(app, at),
             "handover": me.handover_section(app, view.actor["name"], at),
             "due": me.team_due_section(app, at, n)}
    else:
        d = {"shift": me.shift_section(app, view.agent, at), "roster": None,
             "handover": me.handover_section(app, view.agent, at),
             "due": me.due_section(app, view.agent, at, n)}
    d["at"] = at
    d["reviews"] = me.reviews_section(app, view.agent, at, n)
    lapsed = me.waiting_section(app, view.agent, at, n)
    ids = {r["id"] for r in lapsed}
    from asx.store import daily as daily_store

    d["waiting"] = [{**r, "lapsed": True} for r in lapsed] + [
        {**r, "lapsed": False} for r in daily_store.waiting_cases(app.store, view.agent, n) if r["id"] not in ids][
        : max(n, len(lapsed))]
    d["money"] = today.ledger_section(app, at, n) if view.supervisor else None
    return d
