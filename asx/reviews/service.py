"""Actions on reviews (R-REV-1..7). Each writes the review row and one event in
``review_events`` (append-only) in one transaction, then re-plans the ladder
(:func:`asx.reviews.ladder.plan`) so the queue stays a single indexed query.

Every action takes ``at`` (an aware datetime or epoch seconds): not in the future and not
before the review's previous event (the history must read in order).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from asx.core.errors import PermissionDenied, UserError
from asx.reviews import CONTACT_RESULTS, PROGRESS, TERMINAL, VIAS, ladder
from asx.core.timeutil import date_to_epoch, epoch_to_date, from_epoch, to_epoch


def _epoch(at) -> int:
    return to_epoch(at) if isinstance(at, datetime) else int(at)


def policy(app) -> ladder.Policy:
    return ladder.Policy.from_config(app.config)


def get(app, review_id: int) -> dict:
    from asx.store import reviews as review_store

    r = review_store.get(app.store, int(review_id))
    if r is None:
        raise UserError(f"no review {review_id} (see `asx review list`)")
    return r


def check_at(app, at: int, *, after: int | None, what: str = "this") -> None:
    """Times of actions: never in the future, never before the previous event."""
    now = to_epoch(app.now())
    if at > now:
        raise UserError(f"--at {app.iso(at)} is in the future (now is {app.iso(now)})")
    if after is not None and at < after:
        raise UserError(f"--at {app.iso(at)} is before {what} ({app.iso(after)}); history must read in order")


def _write(app, r: dict, changes: dict, *, at: int, by: str | None, action: str, via=None, result=None,
           note=None, data=None) -> dict:
    from asx.store import reviews as review_store

    new = {**r, **changes}
    step, due = ladder.plan(new, policy(app))
    changes = {**changes, "next_step": step, "due_at": due, "updated_at": at, "version": r["version"] + 1}
    review_store.update(app.store, r["id"], r["version"], changes)
    review_store.add_event(app.store, r["id"], at=at, by=by, action=action, via=via, result=result, note=note, data=data)
    return {**r, **changes}


def _new_round(at: int | None) -> dict:
    """A fresh contact round (the ladder starts over at the 旺旺 message, due at ``at``)."""
    return {"round_at": at, "first_msg_at": None, "wangwang_at": None, "sms_at": None, "phone_at": None,
            "phone_attempts": 0}


def _open_for_action(r: dict, action: str) -> None:
    if r.get("purged_at"):
        raise UserError(f"review {r['id']} was purged (R-SEC-4); it can no longer change")
    if r["progress"] in TERMINAL:
        raise UserError(f"review {r['id']} is {r['progress']}; re-open it first: asx review resolve {r['id']} open")


# -- add / import -------------------------------------------------------------------------------------

REQUIRED = ("tid", "created_at", "result")


def add(app, data: dict, *, at, by: str | None, source: str = "add", duplicate: str = "error") -> int | None:
    """Record a review (R-REV-1). ``data`` uses the columns of ``reviews`` (created_at in epoch
    seconds). The key is (tid, oid, created_at): a second add of the same review is refused
    (``duplicate="error"``) or skipped (``"skip"``, imports: returns None)."""
    from asx.reviews import severity as sev
    from asx.store import reviews as review_store

    at = _epoch(at)
    for k in REQUIRED:
        if data.get(k) in (None, ""):
            raise UserError(f"a review needs {k}")
    if data["result"] not in ("neutral", "negative"):
        raise UserError(f"result {data['result']!r}: review tracking keeps neutral and negative reviews only")
    oid = data.get("oid") or ""
    check_at(app, at, after=None)
    if data["created_at"] > at:
        raise UserError(f"the review time {app.iso(data['created_at'])} is after --at {app.iso(at)}")
    existing = review_store.find_key(app.store, data["tid"], oid, data["created_at"])
    if existing is not None:
        if duplicate == "skip":
            return None
        raise UserError(f"review of order {data['tid']}/{oid or '-'} at {app.iso(data['created_at'])} is already "
                        f"recorded as review {existing['id']}")
    manual = data.get("severity")
    if manual is not None:
        if int(manual) not in (1, 2, 3):
            raise UserError(f"severity {manual!r}: use 1, 2 or 3")
        severity, rule = int(manual), "manual"
    else:
        severity, rule = sev.assess(data, sev.settings_dict(app.config), rule_set=sev.rules(app.plugins))
    owner = data.get("owner")
    if owner:
        _check_agent(app, owner)
    row = {
        "platform": data.get("platform") or "tmall", "tid": data["tid"], "oid": oid,
        "created_at": data["created_at"], "buyer": data.get("buyer"), "phone": data.get("phone"),
        "item": data.get("item"), "item_id": data.get("item_id"), "item_price_fen": data.get("item_price_fen"),
        "content": data.get("content"), "reply": data.get("reply"), "result": data["result"],
        "severity": severity, "severity_rule": rule, "progress": "open", "owner": owner,
        "added_at": at, "updated_at": at, "version": 1, "round_at": data["created_at"],
    }
    row["next_step"], row["due_at"] = ladder.plan(row, policy(app))
    rid = review_store.insert(app.store, row)
    review_store.add_event(app.store, rid, at=at, by=by, action=source, data={"severity": severity, "rule": rule})
    return rid


def _check_agent(app, name: str) -> dict:
    from asx.store import agents

    row = agents.get(app.store, name)
    if row is None:
        raise UserError(f"no agent named {name!r} (see `asx agent list`)")
    if not row["active"]:
        raise UserError(f"agent {name} is retired")
    return row


# -- contact (R-REV-2, R-REV-5, R-REV-6) ---------------------------------------------------------------

def contact(app, review_id: int, *, via: str, result: str, at, by: str, note: str | None = None,
            promised_until=None) -> tuple[dict, list[str]]:
    """One contact attempt and its result. Returns the review and warnings."""
    if via not in VIAS:
        raise UserError(f"--via {via!r}: use one of {', '.join(VIAS)}")
    if result not in CONTACT_RESULTS:
        raise UserError(f"--result {result!r}: use one of {', '.join(CONTACT_RESULTS)}")
    at = _epoch(at)
    r = get(app, review_id)
    _open_for_action(r, "contact")
    check_at(app, at, after=_last(app, r), what="the review's previous event")
    pol = policy(app)
    warnings: list[str] = []
    changes: dict = {}
    state = dict(r)
    if r["progress"] == "promised" and r["promised_until"] is not None and at >= r["promised_until"]:
        # R-REV-6: the promise passed without revision: contact starts over
        changes.update(progress="open", promised_until=None, **_new_round(r["promised_until"]))
        state.update(changes)
    when = from_epoch(at, app.tz)
    if via == "phone" and not ladder.in_window(when, pol.call_windows):
        warnings.append(f"call at {when:%H:%M} is outside the call windows {ladder.window_text(pol.call_windows)} "
                        "(R-REV-5)")
    if result == "no_answer":
        changes[f"{via}_at"] = at
        if state.get("first_msg_at") is None:
            changes["first_msg_at"] = at
        if via == "phone":
            changes["phone_attempts"] = (state.get("phone_attempts") or 0) + 1
    elif result == "answered":
        # the buyer answered without deciding: follow up after followup_hours, ladder from the start
        changes.update(_new_round(at + int(pol.followup_hours * ladder.HOUR)))
    elif result == "promised":
        until = _epoch(promised_until) if promised_until is not None else _end_of_day(app, at, pol.promise_days)
        if until <= at:
            raise UserError("the promised date must be after the contact")
        changes.update(progress="promised", promised_until=until, **_new_round(None))
    elif result == "refused":
        changes.update(progress="refused", resolved_at=at)
    changes.update(last_contact_at=at, last_contact_via=via, contact_count=(r["contact_count"] or 0) + 1,
                   last_result=result)
    if not r["owner"]:
        changes["owner"] = by  # who contacts first owns the review
    data = {"promised_until": changes.get("promised_until")} if result == "promised" else None
    if "progress" in changes and changes["progress"] != r["progress"]:
        data = {**(data or {}), "progress": [r["progress"], changes["progress"]]}
    with app.store.tx():
        out = _write(app, r, changes, at=at, by=by, action="contact", via=via, result=result, note=note, data=data)
    return out, warnings


def _last(app, r: dict) -> int:
    from asx.store import reviews as review_store

    return max(review_store.last_event_at(app.store, r["id"]) or 0, r["created_at"])


def _end_of_day(app, at: int, days: int) -> int:
    d = epoch_to_date(at, app.tz) + timedelta(days=days + 1)
    return date_to_epoch(d, app.tz)


def promise_deadline(app, text: str) -> int:
    """``--by DATE``: a date means the end of that day; a time means that time."""
    from asx.core.timeutil import parse_time

    t = text.strip()
    dt = parse_time(t, app.tz, now=app.now())
    if len(t) <= 10 and ":" not in t and t.lower() not in ("now",) and not t.startswith(("+", "-")):
        dt = datetime.combine(dt.date() + timedelta(days=1), datetime.min.time(), app.tz)
    return to_epoch(dt)


def promise(app, review_id: int, *, until: int, at, by: str, note: str | None = None) -> dict:
    """The buyer promised to revise by ``until`` (R-REV-3 答应修改; R-REV-6 when it passes)."""
    at = _epoch(at)
    r = get(app, review_id)
    _open_for_action(r, "promise")
    check_at(app, at, after=_last(app, r), what="the review's previous event")
    if until <= at:
        raise UserError(f"--by {app.iso(until)} is not after {app.iso(at)}")
    changes = {"progress": "promised", "promised_until": until, **_new_round(None)}
    if not r["owner"]:
        changes["owner"] = by
    with app.store.tx():
        return _write(app, r, changes, at=at, by=by, action="promise", result="promised", note=note,
                      data={"promised_until": until, "progress": [r["progress"], "promised"]})


def resolve(app, review_id: int, progress: str, *, at, by: str, note: str | None = None) -> dict:
    """Set the progress (R-REV-3): revised, refused, awaiting_compensation, or open (re-open)."""
    if progress not in PROGRESS:
        raise UserError(f"progress {progress!r}: use one of {', '.join(PROGRESS)}")
    if progress == "promised":
        raise UserError("a promise needs its date: asx review promise ID --by DATE")
    at = _epoch(at)
    r = get(app, review_id)
    if r.get("purged_at"):
        raise UserError(f"review {r['id']} was purged (R-SEC-4); it can no longer change")
    check_at(app, at, after=_last(app, r), what="the review's previous event")
    if r["progress"] == progress:
        raise UserError(f"review {r['id']} is {progress} already")
    changes: dict = {"progress": progress}
    if progress in TERMINAL:
        changes.update(resolved_at=at, promised_until=None)
    elif progress == "awaiting_compensation":
        changes.update(resolved_at=None, promised_until=None, **_new_round(at))
        if r.get("compensated_at"):
            changes["compensated_at"] = None  # a new compensation is expected
    else:  # open: re-open
        changes.update(resolved_at=None, promised_until=None, **_new_round(at))
    if not r["owner"]:
        changes["owner"] = by
    with app.store.tx():
        return _write(app, r, changes, at=at, by=by, action="resolve", result=progress, note=note,
                      data={"progress": [r["progress"], progress]})


# -- money (R-REV-7, R-FIN-2) ----------------------------------------------------------------------------

def payment_note(content: str, agent: str) -> str:
    """R-FIN-2: ``<content>_<agent name>``, e.g. ``删除中评_萌萌`` (asx.money.notes, the house form)."""
    from asx.money.notes import format_note

    return format_note(content, agent)


def compensate(app, review_id: int, *, amount_fen: int, at, by: str, content: str | None = None,
               channel: str = "alipay", txn_id: str | None = None, note: str | None = None) -> tuple[dict, int, str]:
    """Pay compensation for a revision: a ledger entry linked to the review (R-REV-7, R-FIN-1/2)."""
    from asx.money.notes import find_personal_data
    from asx.store import ledger

    if not amount_fen or amount_fen <= 0:
        raise UserError("compensation amount: a positive number of yuan with at most 2 decimals (e.g. 10 or 10.50)")
    at = _epoch(at)
    r = get(app, review_id)
    if r.get("purged_at"):
        raise UserError(f"review {r['id']} was purged (R-SEC-4)")
    check_at(app, at, after=_last(app, r), what="the review's previous event")
    content = (content or ("删除差评" if r["result"] == "negative" else "删除中评")).strip()
    if (r["buyer"] and r["buyer"] in content) or (r["phone"] and r["phone"] in content) or \
            find_personal_data(content):
        raise UserError("the payment note must not carry the buyer's personal data (R-FIN-4)")
    pay_note = payment_note(content, by)
    changes: dict = {"compensated_at": at, "compensated_fen": (r["compensated_fen"] or 0) + amount_fen}
    if r["progress"] == "awaiting_compensation":
        # paid: the buyer is asked to revise; follow up later (ladder starts over)
        changes.update(_new_round(at + int(policy(app).followup_hours * ladder.HOUR)))
    with app.store.tx():
        entry = ledger.add_entry(app.store, at=at, amount_fen=amount_fen, reason="compensation", agent=by,
                                 review_id=r["id"], order_no=r["tid"], channel=channel, txn_id=txn_id,
                                 note=pay_note, created_by=by)
        out = _write(app, r, changes, at=at, by=by, action="compensate", note=note,
                     data={"ledger_id": entry, "amount_fen": amount_fen, "note": pay_note, "channel": channel})
    return out, entry, pay_note


# -- ownership and links ------------------------------------------------------------------------------------

def assign(app, review_id: int, *, to: str, at, by: str, note: str | None = None) -> dict:
    at = _epoch(at)
    r = get(app, review_id)
    _check_agent(app, to)
    check_at(app, at, after=_last(app, r), what="the review's previous event")
    if r["owner"] == to:
        raise UserError(f"review {r['id']} is {to}'s already")
    if r["owner"] and r["owner"] != by:
        who = app.actor()
        if not app.may(who, "supervisor"):
            raise PermissionDenied(f"review {r['id']} belongs to {r['owner']}; only a supervisor may reassign it")
    with app.store.tx():
        return _write(app, r, {"owner": to}, at=at, by=by, action="assign", note=note,
                      data={"owner": [r["owner"], to]})


def link_case(app, review_id: int, *, case_id: int, at, by: str, note: str | None = None) -> dict:
    from asx.store import reviews as review_store

    at = _epoch(at)
    r = get(app, review_id)
    check_at(app, at, after=_last(app, r), what="the review's previous event")
    if not review_store.case_exists(app.store, case_id):
        raise UserError(f"no case {case_id} (see `asx case list`)")
    if r["case_id"] == case_id:
        raise UserError(f"review {r['id']} is linked to case {case_id} already")
    with app.store.tx():
        return _write(app, r, {"case_id": case_id}, at=at, by=by, action="link", note=note,
                      data={"case_id": [r["case_id"], case_id]})


def set_severity(app, review_id: int, *, severity: int, at, by: str, note: str | None = None) -> dict:
    at = _epoch(at)
    r = get(app, review_id)
    if severity not in (1, 2, 3):
        raise UserError("severity: use 1, 2 or 3")
    check_at(app, at, after=_last(app, r), what="the review's previous event")
    with app.store.tx():
        return _write(app, r, {"severity": severity, "severity_rule": "manual"}, at=at, by=by, action="severity",
                      note=note, data={"severity": [r["severity"], severity]})


# -- import (R-REV-1; formats.md "Reviews") -----------------------------------------------------------------

def import_file(app, path, *, at, by: str | None, reader: str | None = None, skip_bad: bool = False,
                owner: str | None = None, progress=None) -> dict:
    """Read a review file; idempotent on (tid, oid, created). Bad rows are reported with their line and
    reason; unless ``skip_bad`` one bad row means nothing is imported (the summary says so).
    ``progress(fraction)``: told how far the import is (a bar on a terminal, issue 18 item 9)."""
    import hashlib
    from pathlib import Path

    from asx.reviews import importer
    from asx.store import reviews as review_store

    path = Path(path)
    if not path.is_file():
        raise UserError(f"{path}: no such file")
    at = _epoch(at)
    check_at(app, at, after=None)
    import csv

    rdr = importer.choose(app.plugins, path, reader)
    good, bad, skipped = [], [], []
    try:  # a reader's (a plugin's) csv/decoding errors are bad input, not internal errors (issue 21)
        res = rdr.read(path)
        records = list(res.rows)
    except csv.Error as exc:  # e.g. a field over 131,072 characters
        raise UserError(f"{path}: not a readable CSV ({exc})") from None
    except UnicodeDecodeError:
        raise UserError(f"{path}: not text in the file's encoding (a corrupted or binary file?)") from None
    if progress:
        progress(0.3)
    for line, rec in records:
        if isinstance(rec, str):
            bad.append((line, rec))
            continue
        try:
            good.append((line, importer.normalize(rec, app.tz)))
        except importer.Reject as exc:
            bad.append((line, str(exc)))
        except importer.Skip as exc:
            skipped.append((line, str(exc)))
    summary = {"file": str(path), "reader": rdr.name, "encoding": res.encoding, "read": len(good) + len(bad)
               + len(skipped), "added": 0, "duplicates": 0, "skipped": len(skipped), "bad": bad,
               "imported": False}
    future = [(line, d) for line, d in good if d["created_at"] > at]
    for line, d in future:
        bad.append((line, f"created {app.iso(d['created_at'])} is in the future"))
    good = [(line, d) for line, d in good if d["created_at"] <= at]
    bad.sort()
    if bad and not skip_bad:
        return summary
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    seen: set = set()
    with app.store.tx():
        import_id = review_store.start_import(app.store, source=path.name, sha256=sha, at=at, by=by)
        for i, (line, d) in enumerate(good):
            if progress and i % 200 == 0:
                progress(0.5 + 0.5 * i / len(good))
            key = (d["tid"], d["oid"], d["created_at"])
            if key in seen:
                summary["duplicates"] += 1
                continue
            seen.add(key)
            if owner:
                d["owner"] = owner
            rid = add(app, d, at=at, by=by, source="import", duplicate="skip")
            if rid is None:
                summary["duplicates"] += 1
            else:
                summary["added"] += 1
        review_store.finish_import(app.store, import_id, at=at, read=summary["read"], added=summary["added"],
                         skipped=summary["duplicates"] + summary["skipped"], bad=len(bad))
    summary["imported"] = True
    return summary


# -- a review opens a case (R-CASE-1: a case may come from a review 中差评) -------------------------------

CATEGORY_WORDS = [("transit_damage", ("破损", "压坏", "碎了")), ("missing_item", ("少发", "漏发", "缺货")),
                  ("late_delivery", ("物流", "太慢", "延迟", "没到")), ("quality", ("质量", "起球", "做工", "塌")),
                  ("service", ("客服", "态度", "不理")), ("not_as_described", ("不一样", "不符", "色差", "差别"))]
CASE_SEVERITY = {1: "low", 2: "normal", 3: "high"}


def guess_category(text: str | None) -> str:
    """R-CASE-2 category from the review text (the agent can change it on the case)."""
    for code, words in CATEGORY_WORDS:
        if text and any(w in text for w in words):
            return code
    return "other"


def open_case(app, review_id: int, *, at, by: str, category: str | None = None, note: str | None = None) -> int:
    """Open a case from a review and link it (needs the cases domain, asx.cases.service)."""
    try:
        from asx.cases import service as cases
    except ImportError:
        raise UserError("case tracking is not installed in this asx; link an existing case with "
                        "`asx review link ID --case N`")
    at_e = _epoch(at)
    r = get(app, review_id)
    check_at(app, at_e, after=_last(app, r), what="the review's previous event")
    if r["case_id"]:
        raise UserError(f"review {r['id']} is linked to case {r['case_id']} already")
    data = {"channel": "platform", "order_no": r["tid"], "buyer": r["buyer"], "buyer_contact": r["phone"],
            "category": category or guess_category(r["content"]), "severity": CASE_SEVERITY[r["severity"]],
            "summary": f"{'差评' if r['result'] == 'negative' else '中评'}: {r['content'] or ''}".strip(),
            "agent": r["owner"] or by}
    with app.store.tx():
        case_id = cases.open_case(app, data, at=from_epoch(at_e, app.tz), by=by)
        _write(app, get(app, review_id), {"case_id": case_id}, at=at_e, by=by, action="open_case", note=note,
               data={"case_id": case_id})
    return case_id
