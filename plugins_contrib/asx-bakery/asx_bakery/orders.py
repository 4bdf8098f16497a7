"""The bakery order pipeline (seed 004 三(二) 客戶訂單流程), customer classes (六(二)) and complaint
measures (三(三) 5: 處理措施、處理時間節點和責任人).

Pipeline (every step is one append-only event in ``bakery_order_events``; ``at`` may be given for
records made after the fact but never before the previous event nor in the future)::

    received ──check──▶ checked ──confirm──▶ confirmed ──produce──▶ in_production ──ship──▶ shipped
        │  (intake review: completeness,                                              │ track (in_transit,
        │   address, contact; a failed check                                          │ delayed, lost, damaged,
        │   keeps it received with the problems)                                      ▼ delivered)
        └──────── cancel (any status before shipped) ─▶ cancelled      completed ◀──complete── shipped/delivered
                                                                            │
                                                                            └──follow-up (satisfaction 1–5)──▶ followed_up

Customer classes (R-KPI and seed 004 六(二) 2 "普通客戶、重要客戶、長期合作客戶"), from the orders
received in the last ``plugins.bakery.class_window_days`` days (default 180), cancelled ones left out;
a customer is known by the phone number (a name only when no phone was given: two 王女士 are two
customers):

* ``long_term`` 長期合作: at least ``plugins.bakery.long_term_orders`` orders (default 5);
* ``important`` 重要: otherwise, orders worth at least ``plugins.bakery.important_amount_yuan`` in
  total (default 1000 yuan);
* ``regular`` 普通: everyone else.
"""

from __future__ import annotations

import json
import re
from datetime import datetime

from asx import api
from asx.api import UserError

STATUSES = ("received", "checked", "confirmed", "in_production", "shipped", "delivered", "completed",
            "followed_up", "cancelled")
#: action -> (statuses it may start from, status it leads to; None = unchanged)
STEPS = {
    "check": (("received",), "checked"),
    "confirm": (("checked",), "confirmed"),
    "produce": (("confirmed",), "in_production"),
    "ship": (("in_production",), "shipped"),
    "track": (("shipped", "delivered"), None),
    "complete": (("shipped", "delivered"), "completed"),
    "follow_up": (("completed",), "followed_up"),
    "cancel": (("received", "checked", "confirmed", "in_production"), "cancelled"),
    "note": (STATUSES, None),
}
TIME_COLUMN = {"check": "checked_at", "confirm": "confirmed_at", "produce": "produced_at", "ship": "shipped_at",
               "complete": "completed_at", "follow_up": "followed_up_at"}
TRACK_STATES = ("in_transit", "delayed", "lost", "damaged", "delivered")
CLASSES = ("regular", "important", "long_term")

MOBILE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}$")
#: an address must name a place down to a street/building: some of these markers and enough text
ADDRESS_MARKERS = ("省", "市", "区", "區", "县", "縣", "路", "街", "道", "号", "號", "村", "镇", "鎮", "巷", "弄", "栋", "棟",
                   "室", "楼", "樓")


def _epoch(dt) -> int:
    return dt if isinstance(dt, int) else int(dt.timestamp())


def parse_items(texts) -> list[dict]:
    """``"生日蛋糕:8寸:1"`` (product:spec:qty; spec and qty optional) → item dicts."""
    items = []
    for text in texts or ():
        parts = [p.strip() for p in re.split(r"[:：]", text)]
        product = parts[0] if parts else ""
        spec = parts[1] if len(parts) > 1 else ""
        qty_text = parts[2] if len(parts) > 2 else "1"
        try:
            qty = int(qty_text)
        except ValueError:
            raise UserError(f"item {text!r}: quantity {qty_text!r} is not a whole number (product:spec:qty)")
        items.append({"product": product, "spec": spec, "qty": qty})
    return items


def intake_problems(order: dict, *, today: str | None = None) -> list[str]:
    """The intake review (seed 004 三(二) 2): completeness, address and contact. [] = passes."""
    import json

    problems = []
    items = order["items"] if isinstance(order["items"], list) else json.loads(order["items"] or "[]")
    if not items:
        problems.append("no items: product, spec and quantity are required")
    for i, it in enumerate(items, 1):
        if not it.get("product"):
            problems.append(f"item {i}: product name missing")
        if not it.get("spec"):
            problems.append(f"item {i} ({it.get('product') or '?'}): spec missing (size/flavour)")
        if not isinstance(it.get("qty"), int) or it["qty"] <= 0:
            problems.append(f"item {i} ({it.get('product') or '?'}): quantity must be at least 1")
    addr = (order.get("address") or "").strip()
    if not addr:
        problems.append("address missing")
    elif len(addr) < 8 or sum(m in addr for m in ADDRESS_MARKERS) < 2:
        problems.append("address unclear: give city, district, street and number")
    phone = re.sub(r"[\s()]", "", order.get("phone") or "")
    if not phone:
        problems.append("contact phone missing")
    elif not (MOBILE.match(phone) or LANDLINE.match(phone)):
        problems.append("contact phone is not a valid mobile (11 digits) or landline number")
    if order.get("deliver_on") and today and order["deliver_on"] < today:
        problems.append(f"delivery day {order['deliver_on']} has passed")
    return problems


def add_order(app, data: dict, *, at: datetime | None = None, by: str | None = None) -> int:
    from asx_bakery import store as bakery_store

    who = app.actor() if by is None else {"name": by}
    now = _epoch(app.now())
    t = _epoch(at) if at is not None else now
    if t > now + 60:
        raise UserError("--at lies in the future")
    if not data.get("order_no"):
        raise UserError("an order needs its number (--order)")
    if not data.get("customer"):
        raise UserError("an order needs the customer (--customer)")
    if bakery_store.get(app.store, data["order_no"]):
        raise UserError(f"order {data['order_no']} exists already")
    if data.get("deliver_on"):
        try:
            datetime.strptime(data["deliver_on"], "%Y-%m-%d")
        except ValueError:
            raise UserError(f"--deliver-on {data['deliver_on']!r}: use YYYY-MM-DD")
    row = {"order_no": data["order_no"], "customer": data["customer"], "phone": data.get("phone"),
           "address": data.get("address"), "items": data.get("items") or [], "amount_fen": data.get("amount_fen"),
           "payment": data.get("payment") or "online", "deliver_on": data.get("deliver_on"),
           "agent": data.get("agent") or who["name"], "status": "received", "received_at": t, "updated_at": t}
    with app.store.tx():
        oid = bakery_store.insert_order(app.store, row)
        bakery_store.add_event(app.store, oid, at=t, by=who["name"], action="receive", to_status="received")
    return oid


def act(app, order_no: str, action: str, *, at: datetime | None = None, by: str | None = None,
        note: str | None = None, **kw) -> dict:
    """One pipeline step on an order; returns ``{"order": row, "problems": [...]}`` (check only)."""
    from asx_bakery import store as bakery_store

    if action not in STEPS:
        raise UserError(f"unknown order step {action!r}")
    who = app.actor() if by is None else {"name": by}
    now = _epoch(app.now())
    t = _epoch(at) if at is not None else now
    problems: list[str] = []
    with app.store.tx():
        o = _order_at(app, order_no, t, now)
        allowed, to = STEPS[action]
        if o["status"] not in allowed:
            raise UserError(f"cannot {action.replace('_', '-')} an order that is {o['status']} "
                            f"(from: {', '.join(allowed)})")
        changes: dict = {}
        data: dict = {}
        if action == "check":
            problems = intake_problems(o, today=datetime.fromtimestamp(t, app.tz).date().isoformat())
            data["problems"] = problems
            if problems:
                to = None  # stays received: tell the customer and correct the order (seed 004)
        elif action == "ship":
            if not kw.get("waybill"):
                raise UserError("shipping needs the waybill number (--waybill): the customer is told it")
            changes.update({"waybill": kw["waybill"], "courier": kw.get("courier")})
            data.update({"waybill": kw["waybill"], "courier": kw.get("courier")})
        elif action == "track":
            state = kw.get("state")
            if state not in TRACK_STATES:
                raise UserError(f"tracking state: one of {', '.join(TRACK_STATES)}")
            data["state"] = state
            if state == "delivered":
                to = "delivered"
                changes["delivered_at"] = t
                changes["exception"] = None
            elif state in ("delayed", "lost", "damaged"):
                changes["exception"] = state  # contact the courier and tell the customer (seed 004 三(二) 5)
            else:
                changes["exception"] = None
        elif action == "follow_up":
            score = kw.get("satisfaction")
            if score is not None:
                if int(score) not in range(1, 6):
                    raise UserError("satisfaction is 1 to 5")
                changes["satisfaction"] = int(score)
                data["satisfaction"] = int(score)
        elif action in ("cancel", "note") and not note:
            raise UserError(f"{action} needs a note (--note)")
        if action in TIME_COLUMN and (action != "check" or not problems):
            changes[TIME_COLUMN[action]] = t
        if to:
            changes["status"] = to
        changes["updated_at"] = t
        bakery_store.update(app.store, o["id"], changes)
        bakery_store.add_event(app.store, o["id"], at=t, by=who["name"], action=action, from_status=o["status"],
                     to_status=to if to and to != o["status"] else None, note=note, data=data or None)
        fresh = bakery_store.get(app.store, order_no)
    return {"order": fresh, "problems": problems}


#: what `asx bakery order edit` may correct, before production (seed 004 三(二) 2)
EDITABLE = ("customer", "phone", "address", "items", "amount_fen", "payment", "deliver_on")
EDIT_FROM = ("received", "checked", "confirmed")
PII = ("customer", "phone", "address")


def edit(app, order_no: str, changes: dict, *, at: datetime | None = None, by: str | None = None,
         note: str | None = None) -> dict:
    """Correct an order before production (issue 16 item 9): the old and new values are kept in an
    ``edit`` event, then the intake check is re-run as a ``check`` event: passing moves a received
    order on to checked, failing sends it back to received with the problems (seed 004 三(二) 2).
    Returns ``{"order", "problems", "changed"}``."""
    import json

    from asx_bakery import store as bakery_store

    who = app.actor() if by is None else {"name": by}
    now = _epoch(app.now())
    t = _epoch(at) if at is not None else now
    changes = {k: v for k, v in changes.items() if k in EDITABLE and v is not None}
    if not changes:
        raise UserError("nothing to change: give --customer, --phone, --address, --item, --amount, --payment "
                        "or --deliver-on")
    if changes.get("deliver_on"):
        try:
            datetime.strptime(changes["deliver_on"], "%Y-%m-%d")
        except ValueError:
            raise UserError(f"--deliver-on {changes['deliver_on']!r}: use YYYY-MM-DD")
    with app.store.tx():
        o = _order_at(app, order_no, t, now)
        if o["status"] not in EDIT_FROM:
            raise UserError(f"an order that is {o['status']} cannot be edited any more (only before production: "
                            f"{', '.join(EDIT_FROM)}); record what happened with a note")
        current = {**o, "items": json.loads(o["items"] or "[]")}
        diff = {k: v for k, v in changes.items() if current.get(k) != v}
        if not diff:
            raise UserError("the order already says that: nothing changed")
        old = {k: current.get(k) for k in diff}
        stored = {**diff, **({"items": json.dumps(diff["items"], ensure_ascii=False)} if "items" in diff else {})}
        bakery_store.update(app.store, o["id"], {**stored, "updated_at": t})
        bakery_store.add_event(app.store, o["id"], at=t, by=who["name"], action="edit", note=note,
                     data={"changed": sorted(diff), "old": old, "new": diff})
        fresh = {**bakery_store.get(app.store, order_no)}
        problems = intake_problems(fresh, today=datetime.fromtimestamp(t, app.tz).date().isoformat())
        to = None
        ch: dict = {"updated_at": t}
        if problems and o["status"] != "received":
            to = "received"  # a confirmed order that no longer passes goes back for correction
            ch.update(status="received", checked_at=None, confirmed_at=None)
        elif not problems and o["status"] == "received":
            to = "checked"
            ch.update(status="checked", checked_at=t)
        bakery_store.update(app.store, o["id"], ch)
        bakery_store.add_event(app.store, o["id"], at=t, by=who["name"], action="check", from_status=o["status"],
                     to_status=to, note="re-checked after the edit", data={"problems": problems})
        fresh = bakery_store.get(app.store, order_no)
    return {"order": fresh, "problems": problems, "changed": sorted(diff)}


def customer_key(phone: str | None, customer: str | None) -> str:
    """Who a customer is for the classes: the phone (digits only), else the name (issue 16 item 9:
    a new 王女士 is not the long-term 王女士)."""
    digits = re.sub(r"\D", "", phone or "")
    return f"tel:{digits}" if digits else f"name:{customer or ''}"


def purge(store, before: int, pseudonym) -> int:
    """R-SEC-4 for the bakery's orders (hook ``register_purgers``, run by ``asx db purge``): each order
    finished before ``before`` gets a pseudonymous customer (the same key for the same customer —
    :func:`customer_key` — within one purge, so the classes and every count stay as they were); its
    phone and address are removed, and so are the customer data an ``edit`` event kept (old and new
    values). Free-text notes of its events are masked. KPIs read none of these. Returns the orders changed."""
    from asx_bakery import store as bakery_store

    n = 0
    for o in bakery_store.finished_before(store, before):
        bakery_store.update(store, o["id"], {"customer": pseudonym(customer_key(o["phone"], o["customer"])),
                                             "phone": None, "address": None})
        events = [(e, json.loads(e["data"]) if e["data"] else None) for e in bakery_store.events(store, o["id"])]
        edits = [vals for _e, data in events if isinstance(data, dict)
                 for vals in (data.get("old"), data.get("new")) if isinstance(vals, dict)]
        # the customer's names, to mask where a note repeats one (longest first)
        names = sorted({x for x in [o["customer"], *(v.get("customer") for v in edits)]
                        if isinstance(x, str) and len(x) > 1}, key=len, reverse=True)
        for vals in edits:
            for k in PII:
                if k in vals:
                    vals[k] = pseudonym(f"name:{vals[k]}") if k == "customer" and vals[k] else None
        for e, data in events:
            note = e["note"]
            if note:
                for name in names:
                    note = note.replace(name, api.mask_value("name", name))
                note = api.mask_value("text", note)
            if note != e["note"] or (e["data"] and data != json.loads(e["data"])):
                bakery_store.rewrite_event(store, e["id"], note, data)
        n += 1
    return n


# --- customer classes -------------------------------------------------------------------------

def classes(app, *, at: datetime | None = None) -> dict[str, dict]:
    """customer key (:func:`customer_key`: phone, else name) -> {class, customer, phone, orders,
    amount_fen, last_at} (rule in the module docstring)."""
    from asx_bakery import store as bakery_store

    now = _epoch(at) if at is not None else _epoch(app.now())
    g = app.config.get
    since = now - int(g("plugins.bakery.class_window_days")) * 86400
    n_long = int(g("plugins.bakery.long_term_orders"))
    big = int(round(float(g("plugins.bakery.important_amount_yuan")) * 100))
    acc: dict[str, dict] = {}
    for r in bakery_store.customer_orders(app.store, since, now + 1):
        key = customer_key(r["phone"], r["customer"])
        a = acc.setdefault(key, {"customer": r["customer"], "phone": r["phone"], "orders": 0, "amount_fen": 0,
                                 "last_at": r["received_at"]})
        a["orders"] += 1
        a["amount_fen"] += r["amount_fen"] or 0
        if r["received_at"] >= a["last_at"]:
            a.update(last_at=r["received_at"], customer=r["customer"])
    for a in acc.values():
        a["class"] = "long_term" if a["orders"] >= n_long else "important" if a["amount_fen"] >= big else "regular"
    return acc


def class_of(app, customer: str, phone: str | None = None) -> str:
    return classes(app).get(customer_key(phone, customer), {}).get("class", "regular")


# --- complaint measures -----------------------------------------------------------------------

def add_measure(app, case_id: int, *, measure: str, owner: str, due: datetime, at: datetime | None = None,
                by: str | None = None) -> int:
    """A measure of a complaint's solution with its deadline and owner (seed 004 三(三) 5); the case
    history records it as a note."""
    from asx.api import act_on_case, require_case
    from asx_bakery import store as bakery_store

    who = app.actor() if by is None else {"name": by}
    t = _epoch(at) if at is not None else _epoch(app.now())
    if not measure:
        raise UserError("what is the measure? (--measure)")
    if not owner:
        raise UserError("who owns the measure? (--owner)")
    if _epoch(due) <= t:
        raise UserError("a measure's deadline must lie after now")
    with app.store.tx():
        require_case(app, case_id)
        mid = bakery_store.add_measure(app.store, {"case_id": case_id, "measure": measure, "owner": owner,
                                         "due_at": _epoch(due), "created_at": t, "created_by": who["name"]})
        act_on_case(app, case_id, "note", at=datetime.fromtimestamp(t, app.tz), by=who["name"],
                    note=f"措施#{mid}: {measure}（责任人 {owner}，期限 {app.iso(_epoch(due))}）")
    return mid


def finish_measure(app, measure_id: int, *, result: str | None = None, at: datetime | None = None,
                   by: str | None = None) -> dict:
    from asx.api import act_on_case
    from asx_bakery import store as bakery_store

    who = app.actor() if by is None else {"name": by}
    t = _epoch(at) if at is not None else _epoch(app.now())
    with app.store.tx():
        m = bakery_store.measure(app.store, measure_id)
        if m is None:
            raise UserError(f"no measure #{measure_id}")
        if m["done_at"] is not None:
            raise UserError(f"measure #{measure_id} is done already")
        app.store.execute("UPDATE bakery_measures SET done_at = ?, done_by = ?, result = ? WHERE id = ?",
                          (t, who["name"], result, measure_id))
        late = "（逾期）" if t > m["due_at"] else ""
        act_on_case(app, m["case_id"], "note", at=datetime.fromtimestamp(t, app.tz), by=who["name"],
                    note=f"措施#{measure_id} 完成{late}: {result or m['measure']}")
        return bakery_store.measure(app.store, measure_id)


def measure_rows(app, *, overdue_only: bool = False, open_only: bool = False) -> list[dict]:
    from asx_bakery import store as bakery_store

    now = _epoch(app.now())
    rows = []
    for m in bakery_store.measures(app.store, open_only=open_only or overdue_only):
        overdue = m["done_at"] is None and m["due_at"] < now or (m["done_at"] or 0) > m["due_at"]
        if overdue_only and not (m["done_at"] is None and m["due_at"] < now):
            continue
        rows.append({**m, "overdue": "yes" if overdue else "no"})
    return rows




# --- complaint summary (seed 004 三(三) 8) --------------------------------------------------------

def complaint_summary(app, since: int, until: int) -> list[dict]:
    """One row per complaint resolved in [since, until) (consultations 咨询 left out): its cause
    (responsible party), the process (checklist steps done of all, events), the result (resolution,
    amount, satisfaction), the improvement measures with owner and state, and whether the summary
    step was done — the report seed 004 三(三) 8 hands to the departments and management."""
    from asx import api
    from asx_bakery import store as bakery_store

    cats = api.categories(app)
    rows = []
    for c in api.cases_resolved_between(app, since, until):
        if c["category"] == "inquiry":
            continue
        steps = [s.step for s in cats[c["category"]].checklist] if c["category"] in cats else []
        done = api.case_checks(app, c["id"])
        ms = list(bakery_store.measures(app.store, case_id=c["id"]))
        rows.append({
            "case": c["id"], "category": c["category"], "opened_at": c["opened_at"], "resolved_at": c["resolved_at"],
            "hours": round((c["resolved_at"] - c["opened_at"]) / 3600, 1),
            "cause": c["party"] or "unknown", "result": c["resolution"] or "",
            "amount": api.yuan(c["amount_fen"]) if c["amount_fen"] else "",
            "csat": c["csat"], "steps": f"{sum(1 for s in steps if s in done)}/{len(steps)}",
            "measures": "; ".join(f"{m['measure']} ({m['owner']}, " + ("done" if m["done_at"] else "open") + ")"
                                  for m in ms),
            "summary_done": "yes" if "summary" in done else ("no" if "summary" in steps else ""),
        })
    return rows


def _order_at(app, order_no: str, t: int, now: int) -> dict:
    """The order, for a step or an edit at epoch ``t``: it exists, ``t`` is not in the future and does
    not precede the order's previous step (call inside the write transaction)."""
    from asx_bakery import store as bakery_store

    o = bakery_store.get(app.store, order_no)
    if o is None:
        raise UserError(f"no bakery order {order_no!r} (asx bakery order list)")
    if t > now + 60:
        raise UserError("--at lies in the future")
    last = bakery_store.last_event_at(app.store, o["id"])
    if last is not None and t < last:
        raise UserError(f"--at {app.iso(t)} precedes the order's previous step ({app.iso(last)})")
    return o
