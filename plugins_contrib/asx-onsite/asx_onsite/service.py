"""Equipment after-sales with on-site service (seed 003) as plain functions.

Seed 003 八、1: in warranty the company responds within 2 h, sends an engineer within 8 h, is on
site within 24 h and solves within 48 h, at its own cost; out of warranty (or third-party damage)
it repairs at cost. 四、(一)8: a fault is diagnosed right and fixed: the same problem is never
repaired twice. 三、(一)8/(二)5: follow-up visits 回访 with a satisfaction survey. (二)4: every
month a report of the quality problems.
"""

from __future__ import annotations

from datetime import date

from asx.api import UserError

FAULT_CODE_CHARS = set("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")


def _day(text, what):
    try:
        return date.fromisoformat(str(text).strip()).isoformat()
    except ValueError:
        raise UserError(f"{what} {text!r} is not a date (YYYY-MM-DD)") from None


def add_unit(app, serial: str, *, model: str, buyer: str | None, installed: str | None,
             warranty_until: str | None, warranty_months: int | None) -> dict:
    from asx.api import to_epoch
    from asx_onsite import store as onsite_store

    serial = serial.strip()
    if not serial or not model.strip():
        raise UserError("a unit needs a serial number and a model")
    inst = _day(installed, "--installed") if installed else None
    if warranty_until:
        until = _day(warranty_until, "--warranty-until")
    elif inst:
        months = warranty_months if warranty_months is not None else app.config.get("plugins.onsite.warranty_months")
        until = _add_months(date.fromisoformat(inst), int(months)).isoformat()
    else:
        until = None
    with app.store.tx():
        if onsite_store.unit(app.store, serial):
            raise UserError(f"unit {serial} is registered already")
        onsite_store.add_unit(app.store, {"serial": serial, "model": model.strip(), "buyer": buyer, "installed_on": inst,
                                 "warranty_until": until, "created_at": to_epoch(app.now())})
    return onsite_store.unit(app.store, serial)


def _add_months(d: date, months: int) -> date:
    import calendar
    from datetime import timedelta

    y, m = divmod(d.month - 1 + months, 12)
    y += d.year
    day = min(d.day, calendar.monthrange(y, m + 1)[1])
    return date(y, m + 1, day) - timedelta(days=1)


def onsite_case(app, case_id: int) -> dict:
    from asx.api import require_case

    case = require_case(app, case_id)
    cats = set(app.config.get("plugins.onsite.warranty_categories")) | set(
        app.config.get("plugins.onsite.paid_categories"))
    if case["category"] not in cats:
        raise UserError(f"case #{case_id} is {case['category']}, not an on-site repair ({', '.join(sorted(cats))})")
    return case


def _engineer(app, name: str) -> str:
    """An engineer is a registered, active person whose role is one of plugins.onsite.engineer_roles
    (default: specialist 售后专员/工程师), not free text (issue 16 item 10); plugins.onsite.engineers,
    when set, narrows them further."""
    from asx.api import get_agent

    name = (name or "").strip()
    if not name:
        raise UserError("which engineer? --engineer NAME")
    person = get_agent(app, name)
    if person is None:
        raise UserError(f"{name!r} is not a registered person: add the engineer first "
                        "(asx agent add NAME --role specialist)")
    if not person["active"]:
        raise UserError(f"{name} has left (retired); choose another engineer")
    roles = app.config.get("plugins.onsite.engineer_roles") or ["specialist"]
    if person["role"] not in roles:
        raise UserError(f"{name} is {person['role']}, not an engineer (plugins.onsite.engineer_roles: "
                        f"{', '.join(roles)})")
    known = app.config.get("plugins.onsite.engineers") or []
    if known and name not in known:
        raise UserError(f"{name!r} is not an engineer (plugins.onsite.engineers: {', '.join(known)})")
    return name


def dispatch(app, case_id: int, *, engineer: str, at=None, note: str | None = None) -> dict:
    """Send an engineer: meets the ``dispatch`` target (seed 003: within 8 h)."""
    from asx.api import act_on_case, to_epoch

    onsite_case(app, case_id)
    eng = _engineer(app, engineer)
    who = app.actor()
    t = at or app.now()
    from asx_onsite import store as onsite_store

    with app.store.tx():
        act_on_case(app, case_id, "dispatch", at=t, note=note or f"派工程师 {eng}", data={"engineer": eng},
                    meets=["dispatch"])
        onsite_store.add_dispatch(app.store, {"case_id": case_id, "engineer": eng, "at": to_epoch(t), "by": who["name"],
                                     "note": note})
    return onsite_store.last_dispatch(app.store, case_id)


def record_visit(app, case_id: int, *, arrived, done, fault: str, serial: str, parts=(), engineer: str | None = None,
                 fixed: bool = True, model: str | None = None, note: str | None = None) -> dict:
    """A visit on site: meets ``on_site`` at the arrival; flags a repeat fault (the same fault
    code already repaired on this unit, seed 003 四(一)8). A unit not registered yet is registered
    with the case's customer (asx.api.copy_case_buyer)."""
    from asx.api import act_on_case, copy_case_buyer, to_epoch
    from asx_onsite import store as onsite_store

    case = onsite_case(app, case_id)
    fault = (fault or "").strip().upper()
    if not fault or set(fault) - FAULT_CODE_CHARS:
        raise UserError(f"bad fault code {fault!r}: letters, digits and -_. (e.g. E02)")
    a, d = to_epoch(arrived), to_epoch(done)
    now = to_epoch(app.now())
    if not case["opened_at"] <= a <= d:
        raise UserError("the engineer arrives after the case was opened and is done after arriving "
                        f"(opened {app.iso(case['opened_at'])})")
    if d > now + 60:
        raise UserError("--done lies in the future")
    disp = onsite_store.last_dispatch(app.store, case_id)
    if disp is None:
        raise UserError(f"no engineer was dispatched for case #{case_id}: asx onsite dispatch {case_id} --engineer NAME")
    eng = _engineer(app, engineer) if engineer else disp["engineer"]
    who = app.actor()
    parts = [p.strip() for p in parts if p and p.strip()]
    with app.store.tx():
        u = onsite_store.unit(app.store, serial)
        if u is None:
            if not model:
                raise UserError(f"unknown unit {serial}: register it (asx onsite unit add {serial} --model …) "
                                "or give --model")
            onsite_store.add_unit(app.store, {"serial": serial, "model": model, "buyer": None, "installed_on": None,
                                     "warranty_until": None, "created_at": now})
            # the case's buyer, copied by asx on the server: a person's own PostgreSQL login reads
            # case["buyer"] masked (王**), which must never become the unit's customer (R-SEC-5)
            copy_case_buyer(app, case_id, "onsite_units", {"serial": serial})
        prev = onsite_store.earlier_repair(app.store, serial, fault, a)
        vid = onsite_store.add_visit(app.store, {"case_id": case_id, "engineer": eng, "serial": serial, "fault_code": fault,
                                        "arrived_at": a, "done_at": d, "parts": parts, "fixed": 1 if fixed else 0,
                                        "repeat_of": prev["id"] if prev else None, "note": note, "at": now,
                                        "by": who["name"]})
        data = {"visit": vid, "engineer": eng, "serial": serial, "fault": fault}
        if prev:
            data["repeat_of_case"] = prev["case_id"]
        act_on_case(app, case_id, "visit", note=note or f"{eng} 上门 {serial} {fault}", data=data,
                    meets={"on_site": a})
    return next(v for v in visits(app, case_id) if v["id"] == vid)


def in_warranty(unit: dict | None, on: date) -> bool | None:
    if unit is None or not unit["warranty_until"]:
        return None
    return on <= date.fromisoformat(unit["warranty_until"])


def quote(app, case_id: int, *, serial: str | None, parts_fen: int, labour_fen: int, note: str | None) -> dict:
    """Out-of-warranty repair at cost (seed 003 八、1): a quote of parts and labour. Refused for a
    unit in warranty (everything is on us)."""
    from asx.api import act_on_case, case_checks, categories, from_epoch, to_epoch, yuan
    from asx_onsite import store as onsite_store

    case = onsite_case(app, case_id)
    if serial is None:
        v = next(iter(reversed(list(onsite_store.visits(app.store, case_id)))), None)
        serial = v["serial"] if v else None
    if serial is None:
        raise UserError("which unit? --unit SERIAL (or record the visit first)")
    u = onsite_store.unit(app.store, serial)
    if u is None:
        raise UserError(f"unknown unit {serial}")
    if in_warranty(u, from_epoch(case["opened_at"], app.tz).date()):
        raise UserError(f"unit {serial} is in warranty until {u['warranty_until']}: every repair cost is ours "
                        "(seed 003 八、1)")
    if parts_fen < 0 or labour_fen < 0 or parts_fen + labour_fen == 0:
        raise UserError("a quote needs a positive --parts and/or --labour amount")
    who = app.actor()
    with app.store.tx():
        qid = onsite_store.add_quote(app.store, {"case_id": case_id, "serial": serial, "parts_fen": parts_fen,
                                        "labour_fen": labour_fen, "note": note, "at": to_epoch(app.now()),
                                        "by": who["name"]})
        steps = {s.step for s in categories(app)[case["category"]].checklist}
        if "quote_given" in steps and "quote_given" not in case_checks(app, case_id):
            act_on_case(app, case_id, "check", step="quote_given")
        else:
            act_on_case(app, case_id, "note", note=f"报价 {yuan(parts_fen + labour_fen)} 元")
    return app.store.one("SELECT * FROM onsite_quotes WHERE id = ?", (qid,))


def charge(app, case_id: int, *, channel: str | None = None, txn_id: str | None = None) -> dict:
    """Charge the latest quote: a ledger entry of money *in* (R-FIN-1), note ``维修费_<agent>`` (R-FIN-2)."""
    from asx.api import add_ledger_entry, get_ledger_entry, to_epoch
    from asx_onsite import store as onsite_store

    case = onsite_case(app, case_id)
    q = onsite_store.last_quote(app.store, case_id)
    if q is None:
        raise UserError(f"no quote for case #{case_id}: asx onsite quote {case_id} --parts … --labour …")
    if q["ledger_id"] is not None:
        raise UserError(f"the quote of case #{case_id} is charged already (ledger #{q['ledger_id']})")
    who = app.actor()
    with app.store.tx():
        lid = add_ledger_entry(app, at=to_epoch(app.now()), amount_fen=q["parts_fen"] + q["labour_fen"],
                               direction="in", reason="repair_charge", agent=who["name"], case_id=case_id,
                               order_no=case["order_no"], channel=channel, txn_id=txn_id,
                               note=f"维修费_{who['name']}", created_by=who["name"])
        onsite_store.set_quote_ledger(app.store, q["id"], lid)
    return get_ledger_entry(app, lid)


def followup(app, case_id: int, *, score: int, note: str | None = None) -> dict:
    """回访: the follow-up call with the satisfaction survey (1–5), also the case's rating (R-KPI-2)."""
    from asx.api import act_on_case, to_epoch
    from asx_onsite import store as onsite_store

    case = onsite_case(app, case_id)
    if not 1 <= int(score) <= 5:
        raise UserError("a satisfaction score is 1 to 5")
    if case["status"] not in ("resolved", "closed"):
        raise UserError(f"case #{case_id} is {case['status']}: the follow-up visit comes after the repair")
    who = app.actor()
    with app.store.tx():
        act_on_case(app, case_id, "followup", note=note, data={"score": int(score)})
        act_on_case(app, case_id, "rate", score=int(score))
        fid = onsite_store.add_followup(app.store, {"case_id": case_id, "at": to_epoch(app.now()), "by": who["name"],
                                           "score": int(score), "note": note})
    return app.store.one("SELECT * FROM onsite_followups WHERE id = ?", (fid,))


def quality_report(app, month: str) -> tuple[list[dict], dict]:
    """Faults by model in a month (seed 003 三(二)4) and the month's totals."""
    from asx.api import parse_period, to_epoch
    from asx_onsite import store as onsite_store

    p = parse_period(month, app.tz, now=app.now())
    a, b = to_epoch(p.start), to_epoch(p.end)
    rows = onsite_store.quality(app.store, a, b)
    scores = [r["score"] for r in app.store.q("SELECT score FROM onsite_followups WHERE at >= ? AND at < ?", (a, b))]
    totals = {"period": p.label, "visits": sum(r["visits"] for r in rows),
              "repeats": sum(r["repeats"] for r in rows),
              "followups": len(scores),
              "satisfaction": round(sum(s >= 4 for s in scores) / len(scores), 3) if scores else None}
    return rows, totals


def visits(app, case_id: int | None = None, *, repeats: bool = False, since: int | None = None,
           until: int | None = None) -> list[dict]:
    """Visit records (of one case, only repeat faults, arrived in ``[since, until)``) with the unit's
    model, the case's category and buyer, and the earlier repair a repeat fault points to."""
    from asx.api import get_cases
    from asx_onsite import store as onsite_store

    rows = list(onsite_store.visits(app.store, case_id, repeats=repeats, since=since, until=until))
    cases = get_cases(app, {v["case_id"] for v in rows})
    out = []
    for v in rows:
        c = cases.get(v["case_id"])
        if c is None:
            continue
        prev = {k: v.pop(k) for k in ("previous_case", "previous_at", "previous_engineer")}
        out.append({**v, "category": c["category"], "buyer": c["buyer"], **prev})
    return out


TOLD_VIA = ("phone", "sms", "wechat", "email")


def ship_back(app, case_id: int, *, waybill: str, courier: str | None, told_via: str, serial: str | None = None,
              at=None, note: str | None = None) -> dict:
    """A depot repair 返厂维修 goes back to the customer by courier and the customer is told the waybill
    (seed 003 三(一)7: 测试好的产品包装好以快递形式寄回客户…告知客户快递单号以备查询)."""
    from asx.api import act_on_case, to_epoch
    from asx_onsite import store as onsite_store

    onsite_case(app, case_id)
    waybill = (waybill or "").strip()
    if not waybill:
        raise UserError("shipping back needs the waybill number (--waybill): the customer is told it")
    if told_via not in TOLD_VIA:
        raise UserError(f"--told must be one of {', '.join(TOLD_VIA)}")
    if serial is None:
        v = next(iter(reversed(list(onsite_store.visits(app.store, case_id)))), None)
        serial = v["serial"] if v else None
    who = app.actor()
    t = at or app.now()
    with app.store.tx():
        via = {"phone": "电话", "sms": "短信", "wechat": "微信", "email": "邮件"}[told_via]
        act_on_case(app, case_id, "ship_back", at=t, note=note or f"已寄回 {courier or '快递'} {waybill}，已{via}告知客户单号",
                    data={"waybill": waybill, "courier": courier, "told_via": told_via, "serial": serial})
        sid = onsite_store.add_shipment(app.store, {"case_id": case_id, "serial": serial, "waybill": waybill,
                                           "courier": courier, "shipped_at": to_epoch(t), "told_via": told_via,
                                           "told_at": to_epoch(t), "by": who["name"], "note": note})
    return app.store.one("SELECT * FROM onsite_shipments WHERE id = ?", (sid,))
