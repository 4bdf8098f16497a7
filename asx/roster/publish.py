"""Publish the roster (R-ROS-5): pin every stored day up to a date, so later solves, repairs
and regenerations keep them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from asx.core.errors import UserError
from asx.roster.changes import now_epoch
from asx.roster.check_stored import CheckOutcome, check
from asx.roster.days import day_range, parse_day


@dataclass
class PublishOutcome:
    first: date
    last: date
    rows: int
    check: CheckOutcome | None


def publish(app, to_day: date, *, from_day: date | None = None, by: str | None = None, force: bool = False,
            note: str | None = None) -> PublishOutcome:
    """Pin every stored day up to ``to_day``: later solves, repairs and regenerations keep them."""
    from asx.core.errors import CheckFailed
    from asx.store import roster as roster_store

    first_unpub = parse_day(roster_store.first_unpublished(app.store))
    if from_day is None:
        if first_unpub is None or first_unpub > to_day:
            raise UserError(f"nothing to publish up to {to_day}: every stored day is published already")
        from_day = first_unpub
    if to_day < from_day:
        raise UserError(f"--to {to_day} is before {from_day}")
    have = roster_store.stored_days(app.store, from_day.isoformat(), to_day.isoformat())
    missing = [d for d in day_range(from_day, to_day) if d.isoformat() not in have]
    if missing:
        raise UserError(f"no roster for {missing[0]}" + (f" and {len(missing) - 1} more day(s)" if len(missing) > 1
                                                         else "") + "; generate it before publishing")
    chk = check(app, from_day, to_day)
    if chk.hard and not force:
        raise CheckFailed(f"{len(chk.hard)} hard violation(s) between {from_day} and {to_day}; fix them or "
                          "publish with --force")
    with app.store.tx():
        n = roster_store.publish(app.store, from_day.isoformat(), to_day.isoformat())
        roster_store.add_publication(app.store, at=now_epoch(app), by=by, from_day=from_day.isoformat(),
                                     to_day=to_day.isoformat(), rows=n, note=note)
    return PublishOutcome(from_day, to_day, n, chk)
