"""The contact ladder (R-REV-5, R-REV-6): which step a review needs next and from when.

Pure functions over a review's stored state (a dict with the columns of ``reviews``);
times are epoch seconds. The result is written back to ``reviews.next_step``/``due_at`` on
every change, so the queue is a single indexed query (asx.reviews.queue).

The ladder inside one *contact round*:

1. 旺旺 message (with the revision link), due when the round starts;
2. SMS, due ``sms_after_hours`` after the 旺旺 message;
3. phone call, due ``no_answer_hours`` (48) after the round's first unanswered message and
   only after the SMS; repeated every ``phone_retry_hours`` while nobody answers. Calls are
   made only inside the call windows (default 09:30–11:00 and 16:00–20:00): a due call
   becomes *actionable* at the next window start (:func:`actionable_from`).

A round starts when the review is added, when the buyer answered without a decision (the
next round starts ``followup_hours`` later), when compensation was paid, when a promised
date passes (R-REV-6: the promise re-opens contact) or when a review is re-opened.
Reviews ``revised`` or ``refused`` need nothing (next step ``None``); ``awaiting_compensation``
needs the compensation paid first (step ``compensate``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from asx.reviews import TERMINAL
from asx.core.timeutil import from_epoch

HOUR = 3600


@dataclass(frozen=True)
class Policy:
    """The ladder's settings (``reviews.*``)."""

    call_windows: tuple[tuple[int, int], ...] = ((570, 660), (960, 1200))  # minutes of the day
    no_answer_hours: float = 48
    sms_after_hours: float = 4
    phone_retry_hours: float = 24
    followup_hours: float = 24
    promise_days: int = 3

    @classmethod
    def from_config(cls, config) -> "Policy":
        from asx.core.timeutil import parse_clock_ranges

        return cls(call_windows=tuple(parse_clock_ranges(config.get("reviews.call_windows"))),
                   no_answer_hours=float(config.get("reviews.no_answer_hours")),
                   sms_after_hours=float(config.get("reviews.sms_after_hours")),
                   phone_retry_hours=float(config.get("reviews.phone_retry_hours")),
                   followup_hours=float(config.get("reviews.followup_hours")),
                   promise_days=int(config.get("reviews.promise_days")))


def plan(r: dict, policy: Policy) -> tuple[str | None, int | None]:
    """``(next_step, due_at)`` of a review in its current state."""
    progress = r["progress"]
    if progress in TERMINAL or r.get("purged_at"):
        return None, None
    if progress == "promised":
        # R-REV-6: when the promised date passes without revision, contact re-opens with a 旺旺 reminder
        return "wangwang", r["promised_until"]
    round_at = r.get("round_at") or r.get("added_at") or r["created_at"]
    if progress == "awaiting_compensation" and not r.get("compensated_at"):
        return "compensate", round_at
    ww, sms, phone = r.get("wangwang_at"), r.get("sms_at"), r.get("phone_at")
    if ww is None:
        return "wangwang", round_at
    if sms is None:
        return "sms", ww + int(policy.sms_after_hours * HOUR)
    first = r.get("first_msg_at") or min(ww, sms)
    due = max(first + int(policy.no_answer_hours * HOUR), sms)  # R-REV-5: 48 h without answer
    if phone is not None:
        due = max(due, phone + int(policy.phone_retry_hours * HOUR))
    return "phone", due


# -- call windows (R-REV-5: "around 10:00, or after 16:00") -------------------------------------

def in_window(when: datetime, windows) -> bool:
    minute = when.hour * 60 + when.minute
    return any(a <= minute < b or a <= minute + 1440 < b for a, b in windows)


def next_window_start(when: datetime, windows) -> datetime:
    """``when`` itself if inside a window, else the start of the next window."""
    if in_window(when, windows):
        return when
    best = None
    for day in range(0, 3):
        midnight = datetime.combine(when.date() + timedelta(days=day), datetime.min.time(), when.tzinfo)
        for a, _b in windows:
            start = midnight + timedelta(minutes=a)
            if start > when and (best is None or start < best):
                best = start
        if best is not None:
            return best
    return when


def actionable_from(step: str, due: datetime, windows) -> datetime:
    """When a step due at ``due`` may be done: calls only inside a window."""
    return next_window_start(due, windows) if step == "phone" else due


def window_text(windows) -> str:
    def hm(m: int) -> str:
        return f"{(m // 60) % 24:02d}:{m % 60:02d}" if m != 1440 else "24:00"

    return ", ".join(f"{hm(a)}–{hm(b)}" for a, b in windows)


def epoch_to(tz: tzinfo, epoch: int) -> datetime:
    return from_epoch(epoch, tz)
