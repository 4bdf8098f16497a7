"""Case auto-assignment that uses the roster (issue 11 §4).

``asx case add`` without ``--agent`` (``asx.cases.service.open_case``) calls :func:`choose`.

1. The candidates are the active agents *on a shift segment at the moment the case is opened*
   (``asx.roster.duty.on_duty``, R-ROS-9): nobody resting, on leave, on the night shift's break
   (14:00–17:30) or off duty is ever a candidate.
2. Plugins pick first through the ``assign_case(app, case, candidates)`` hook (first result
   wins); the built-in implementation (``asx.plugins.daily``, ``trylast``) applies the setting
   ``daily.assignment``:

   ``least_loaded`` (default)
       the candidate with the **fewest open cases** (new, open, waiting_*); ties go to the one
       with the **most cases of the same category** in the last ``daily.experience_days`` days
       (30), then to the name in code-point order. Load first keeps the queue even; experience
       only breaks ties.
   ``none``
       no automatic choice: the case stays with the person who opened it (asx before issue 11).
3. With ``least_loaded``, if nobody is on shift or no roster is stored for the day, the case is
   left **unassigned** and the reason is printed on stderr (``asx case list --status new`` finds
   it; a supervisor assigns it with ``asx case assign``).
"""

from __future__ import annotations

from datetime import datetime
from asx.core.timeutil import to_epoch

RULES = ("least_loaded", "none")


def candidates(app, at: datetime) -> tuple[list[str], bool]:
    """Active agents on shift at ``at`` (sorted) and whether a roster is stored for that day."""
    from asx.roster.duty import on_duty
    from asx.store import daily as daily_store

    duty = on_duty(app.store, at)
    people = daily_store.agents_by_name(app.store)
    names = sorted(n for n in duty.on if n in people and people[n]["active"])
    return names, duty.known


def least_loaded(app, case: dict, names: list[str]) -> str | None:
    """The documented default rule: fewest open cases, then same-category experience, then name."""
    from asx.store import daily as daily_store

    if not names:
        return None
    load = daily_store.open_load_of(app.store, names)
    since = int(case.get("opened_at") or to_epoch(app.now())) - 86400 * int(app.config.get("daily.experience_days"))
    exp = daily_store.category_experience(app.store, names, case.get("category") or "", since) if case.get("category") else {}
    return min(names, key=lambda n: (load.get(n, 0), -exp.get(n, 0), n))


def choose(app, case: dict, *, at: datetime, opener: str) -> str | None:
    """The agent a new case goes to (None: unassigned, reason on stderr). See the module docstring."""
    rule = app.config.get("daily.assignment")
    names, known = candidates(app, at)
    row = {**case, "opened_at": to_epoch(at)}
    try:
        picked = app.plugins.assign_case(app, row, list(names))
    except Exception as exc:  # a plugin's assignment must not block opening a case
        app.warn(f"assign_case hook failed ({exc}); using the default rule")
        picked = least_loaded(app, row, names) if rule == "least_loaded" else None
    if picked:
        return picked
    if rule == "none":
        return opener
    when = at.strftime("%Y-%m-%d %H:%M")
    if not known:
        app.warn(f"no roster for {at.date().isoformat()}: case left unassigned (assign it with `asx case assign`)")
    elif not names:
        app.warn(f"nobody is on shift at {when}: case left unassigned (assign it with `asx case assign`)")
    else:
        app.warn("no agent was picked: case left unassigned (assign it with `asx case assign`)")
    return None
