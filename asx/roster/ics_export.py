"""Export the stored roster as iCalendar files (one event per shift segment, stable UIDs), over
the pure writer :mod:`asx.roster.ics`."""

from __future__ import annotations

from datetime import date

from asx.core.errors import UserError
from asx.roster.cells import cell_value
from asx.roster.days import parse_day
from asx.roster.problem import rostered_team, ruleset


def export_ics(app, first: date, last: date, *, agent: str | None = None, per_agent: bool = False) -> dict[str, str]:
    """Calendar text by file stem: one file per agent with ``per_agent``, else one ``roster`` file.

    Events come from :func:`asx.roster.ics.to_ics` (one per shift segment, stable UIDs) over the
    stored days; DTSTAMP is the command's clock so the same roster exports byte for byte."""
    from asx.roster.ics import to_ics
    from asx.roster.model import Roster
    from asx.store import roster as roster_store

    rules = ruleset(app)
    rows = roster_store.days_between(app.store, first.isoformat(), last.isoformat(), [agent] if agent else None)
    if not rows:
        raise UserError(f"no roster stored for {first} – {last}" + (f" for {agent}" if agent else ""))
    order = {n: i for i, n in enumerate(rostered_team(app, rules, first, last).names)}
    names = sorted({r["agent"] for r in rows}, key=lambda n: (order.get(n, 10**6), n))
    tz = app.config.get("store.timezone")
    store_name = app.config.get("store.name") or "asx"

    def build(who: list[str]) -> str:
        r = Roster(first, (last - first).days + 1, tuple(who))
        for row in rows:
            if row["agent"] in who:
                r.cells[(row["agent"], parse_day(row["day"]))] = cell_value(row)
        title = f"{store_name} 排班" + (f" · {who[0]}" if len(who) == 1 else "")
        return to_ics(r, rules.shifts, tz=tz, dtstamp=app.now(), calname=title)

    if per_agent:
        return {n: build([n]) for n in names}
    return {agent or "roster": build(names)}
