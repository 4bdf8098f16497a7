"""The work queue ``asx review next`` (R-REV-4, R-REV-5, R-REV-6).

Every open review carries its next step and due time (kept by asx.reviews.service), so
the queue is one walk of a partial index in queue order (severe first, then oldest) that
stops at the limit, plus one grouped count for "what becomes actionable when". Work is
*actionable now* when it is due, the agent is on shift (asx.roster.duty, R-ROS-9; a day without a
roster counts as available and the answer says so) and, for a phone call, the clock is
inside a call window.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Iterator

from asx.reviews import ladder
from asx.core.timeutil import from_epoch, to_epoch


@dataclass
class Availability:
    agent: str | None
    available: bool
    known: bool = True           # a roster exists for the day
    next_shift: datetime | None = None
    note: str = ""


@dataclass
class Queue:
    at: datetime
    availability: Availability
    in_window: bool
    next_window: datetime
    windows: tuple
    items: Iterator[dict]
    later: list[dict] = field(default_factory=list)   # step, count, from (datetime), why
    due_now: int = 0                                   # actionable now (the list may be limited)
    open: int = 0                                      # every open review in scope


def availability(store, agent: str | None, when: datetime) -> Availability:
    if agent is None:
        return Availability(None, True, note="whole team (no --agent): shifts not checked")
    from asx.roster.duty import next_on_duty, on_duty

    duty = on_duty(store, when)
    if not duty.known:
        return Availability(agent, True, known=False,
                            note=f"no roster for {when.date().isoformat()}: {agent} is treated as available")
    if duty.is_on(agent):
        return Availability(agent, True, note=f"{agent} is on shift ({duty.on[agent]})")
    nxt = next_on_duty(store, agent, when)
    why = f"{agent} is not on shift now" + (f"; next on duty {nxt.isoformat()}" if nxt else
                                             "; no shift rostered in the next 14 days")
    return Availability(agent, False, next_shift=nxt, note=why)


def reason(row: dict, tz) -> str:
    step = row["next_step"]
    if row["progress"] == "promised":
        return "promise passed " + from_epoch(row["promised_until"], tz).strftime("%Y-%m-%d %H:%M")
    if step == "wangwang":
        return "first contact" if not row["contact_count"] else "new contact round"
    if step == "sms":
        return "旺旺 message not answered"
    if step == "phone":
        n = row.get("phone_attempts") or 0
        return "48 h without answer" if n == 0 else f"call again ({n} unanswered)"
    if step == "compensate":
        return "buyer revises after compensation"
    return ""


def build(store, policy: ladder.Policy, *, at: datetime, agent: str | None = None, limit: int | None = 50,
          everything: bool = False) -> Queue:
    from asx.store import reviews as review_store

    tz = at.tzinfo
    now = to_epoch(at)
    avail = availability(store, agent, at)
    windows = policy.call_windows
    in_win = ladder.in_window(at, windows)
    q = Queue(at=at, availability=avail, in_window=in_win, next_window=ladder.next_window_start(at, windows),
              windows=windows, items=iter(()))
    # when work that is due now but blocked becomes actionable
    resume = avail.next_shift if not avail.available else at

    def actionable_at(step: str, due: int) -> datetime | None:
        start = from_epoch(due, tz)
        if resume is None:
            return None
        start = max(start, resume)
        return ladder.actionable_from(step, start, windows)

    resume_epoch = to_epoch(resume) if resume is not None else None

    def decorate(rows):
        # integer arithmetic for the common case; a datetime only for calls (windows) and promises
        for r in rows:
            r["reason"] = reason(r, tz)
            if resume_epoch is None:
                act = None
            elif r["next_step"] == "phone":
                act = to_epoch(actionable_at("phone", r["due_at"]))
            else:
                act = max(r["due_at"], resume_epoch)
            r["actionable_at"] = act
            r["now"] = act is not None and act <= now
            yield r

    if everything:
        q.items = decorate(review_store.queue_all(store, agent=agent))
    elif avail.available:
        q.items = decorate(review_store.queue_due(store, at=now, agent=agent, calls_allowed=in_win, limit=limit))
    for s in review_store.queue_summary(store, at=now, agent=agent):
        step = s["step"]
        blocked_now = s["due_now"] if (not avail.available or (step == "phone" and not in_win)) else 0
        if blocked_now:
            when = actionable_at(step, now)
            why = ("off shift" if not avail.available else
                   f"calls only {ladder.window_text(windows)}")
            q.later.append({"step": step, "count": blocked_now, "from": when, "why": "due now; " + why})
        if s["later"]:
            when = actionable_at(step, s["first_later"])
            q.later.append({"step": step, "count": s["later"], "from": when, "why": "not due yet"})
        q.due_now += (s["due_now"] or 0) - blocked_now
        q.open += (s["due_now"] or 0) + (s["later"] or 0)
    q.later.sort(key=lambda d: (d["from"] is None, d["from"] or at))
    return q


# --- the nightly job (registered by asx/plugins/reviews.py) --------------------------------------

def nightly_review_queue(ctx) -> str:
    """The open neutral/negative reviews, most severe first, then oldest (R-REV-4)."""
    from asx.io.output import Column
    from asx.store import kpi as kpi_store

    end = int(ctx.end.timestamp())
    rows = [{**r, "created_at": ctx.app.iso(r["created_at"]),
             "promised_until": ctx.app.iso(r["promised_until"]) if r["promised_until"] else ""}
            for r in kpi_store.review_queue(ctx.app.store, end)]
    cols = [Column("review_id"), Column("created_at"), Column("severity"), Column("progress"), Column("owner"),
            Column("item"), Column("buyer", mask="name"), Column("last_contact_via"), Column("contact_count"),
            Column("promised_until")]
    ctx.write_rows("review-queue.csv", rows, cols, meta={"kind": "review_queue", "as_of": ctx.app.iso(end),
                                                         "timezone": ctx.app.config.get("store.timezone")})
    return f"{len(rows)} reviews to work"
