"""Opening cases and acting on them (R-CASE-1..10, R-SLA-5): the API commands and other domains call.

``open_case(app, data, at=None, by=None) -> int``
    One case. ``data`` keys: ``channel``, ``order`` (or ``order_no``), ``buyer``, ``phone`` (or
    ``contact``/``buyer_contact``), ``category``, ``severity``, ``summary``, ``store``, ``agent``,
    ``review_id``, ``ext_key``, ``complaint`` (yes/no: whether the case is a complaint, R-SLA-2; default
    as its category and severity say, :func:`asx.cases.sla.is_complaint`), ``about`` (the agent a
    complaint is about, R-KPI-4; default :func:`default_about`). Category, severity and channel are parsed through the labels
    (codes, English or Chinese labels, aliases). Without ``agent`` the ``assign_case`` hook picks
    one, else the case stays with the person who opened it. The caller may hold a transaction
    (nested calls become savepoints). Writes the ``open`` event and the SLA rows.

``act(app, case_id, action, *, at=None, by=None, **kw) -> dict``
    Every other action, one history event each, checked against the lifecycle table
    (:mod:`asx.cases.model`) for the status and the actor's role. Returns the updated case.
    ``at`` (aware datetime, default now) may not precede the case's previous event nor lie in
    the future. ``by`` is an agent name (default ``app.actor()``). Actions and their keywords:

    ==========  ==============================================================================
    respond     ``note``, ``solution=False`` (an initial solution was offered, R-SLA-2);
                after resolving it is the feedback to the buyer (R-SLA-4)
    note        ``note`` (required)
    check       ``step`` (a step of the category checklist, R-CASE-3)
    escalate    ``to`` (a specialist), ``note`` (R-CASE-7)
    handback    ``note``: the specialist hands the solution back to the agent (R-CASE-7)
    inspect     ``result`` (``pass``/``fail``), ``note``: returned goods inspected (R-CASE-8)
    assign      ``to``, ``reason`` (required): supervisor only (R-CASE-9)
    about       ``who``, ``reason`` (required): supervisor only, whom a complaint is about (R-KPI-4)
    wait        ``on`` = buyer | courier | warehouse, ``note``: pauses the clock
    resume      ``note``
    promise     ``until`` (aware datetime), ``note``, ``reason`` (required when the promise lies after
                a pending solution/resolution target: a breach to come, R-SLA-5)
    resolve     ``resolution``, ``party``, ``amount_fen=None``, ``note``, ``inspection=None``;
                a money resolution writes a ledger entry (R-CASE-4, R-FIN-1); refused while a
                required checklist step is unticked (:func:`asx.cases.model.missing_steps`)
                unless a supervisor passes ``override=True, reason=…`` (recorded, R-CASE-3)
    close       ``note``
    reopen      ``note``
    link        ``other``, ``note``
    merge       ``into``, ``note``: this case becomes a duplicate pointing at ``into``
    rate        ``score`` 1..5 (CSAT, R-KPI-2)
    ==========  ==============================================================================

Plugins add actions with ``register_case_transitions``; such an action takes ``note``, ``data``
(a dict recorded in the event) and ``meets`` (plugin SLA targets it meets). The
``check_case_action`` hook may refuse any action (a plugin's guard, e.g. acceptance before close).

Shortcuts: ``respond(app, id, **kw)``, ``resolve(app, id, **kw)`` … call ``act``.
"""

from __future__ import annotations

from datetime import datetime

from asx.cases import model
from asx.core.errors import UserError
from asx.core.timeutil import from_epoch, to_epoch

#: clock skew tolerated for ``--at`` in the future
FUTURE_TOLERANCE = 60


def _epoch(dt) -> int:
    return dt if isinstance(dt, int) else to_epoch(dt)


def _who(app, by: str | None) -> dict:
    if by is None:
        return app.actor()
    from asx.store import agents

    row = agents.get(app.store, by)
    if row is None:
        raise UserError(f"no agent named {by!r} (see `asx agent list`)")
    return row


def rules(app):
    """SLA rules for this app (cached on the app)."""
    rs = app.__dict__.get("_sla_rules")
    if rs is None:
        from asx.cases.sla import load_rules

        rs = app.__dict__["_sla_rules"] = load_rules(app)
    return rs


def attributes(app, case: dict) -> dict:
    """Case attributes plugins give through the ``case_attributes`` hook (merged, later wins)."""
    return app.plugins.case_attributes(app, case)


def sla_view(app, case: dict) -> tuple[dict, dict]:
    """``(view, targets)``: the case with its plugin attributes and the met times of plugin targets
    (``{target}_at`` from history marks, else the resolution time), and the targets that apply."""
    from asx.cases import sla
    from asx.store import cases as case_store

    view = {**attributes(app, case), **case}
    targets = targets_for_case(app, view)
    own = [t for t in targets if t not in sla.MET_COLUMN and f"{t}_at" not in case]
    if own:
        marks = case_store.marks(app.store, case["id"])
        for t in own:
            view[f"{t}_at"] = marks.get(t, case.get("resolved_at"))
    return view, targets


def _recompute(app, case: dict, now: int) -> None:
    from asx.cases import sla

    view, targets = sla_view(app, case)
    sla.recompute(app.store, app.calendar, view, targets, now=now)



def recompute_sla(app, case_ids, *, now: int | None = None) -> int:
    """Recompute the SLA rows of the given cases as of ``now`` (epoch, default the app's clock) —
    after something their targets depend on changed outside a case action, e.g. a member's tier
    (a ``case_attributes`` value, R-SLA). Cases that do not exist are skipped; returns how many
    were recomputed. The caller may hold a transaction."""
    from asx.store import cases as case_store

    t = _epoch(app.now()) if now is None else int(now)
    n = 0
    with app.store.tx():
        for case_id in case_ids:
            case = case_store.get(app.store, case_id)
            if case is not None:
                _recompute(app, case, t)
                n += 1
    return n

def guard(app, case: dict, action: str, who: dict, detail: dict | None = None) -> None:
    """Let plugins refuse ``action`` (``check_case_action`` hook raises UserError); ``detail``: the
    action's keywords (the step of a check, the resolution of a resolve …)."""
    app.plugins.check_case_action(app, case, action, who, detail)


def targets_for_case(app, case: dict):
    """The SLA targets of ``case`` (with its agent's shift when a rule matches on it, R-SLA-1)."""
    from asx.cases.sla import targets_for

    return targets_for(rules(app), app.store, app.calendar.tz, case)


def normalise(app, data: dict) -> dict:
    """Parse what a person or a file gave into case columns (labels, trimmed text)."""

    def val(*keys):
        for k in keys:
            v = data.get(k)
            if v is not None and str(v).strip() != "":
                return str(v).strip()
        return None

    out = {
        "store": val("store"),
        "order_no": val("order", "order_no"),
        "buyer": val("buyer"),
        "buyer_contact": val("phone", "contact", "buyer_contact"),
        "summary": val("summary"),
        "agent": val("agent"),
    }
    cat = val("category")
    if cat is None:
        raise UserError("a case needs a category (--category); e.g. quality 质量问题")
    out["category"] = model.parse_category(app, cat)
    sev = val("severity")
    out["severity"] = app.labels.parse("severity", sev) if sev else "normal"
    ch = val("channel")
    out["channel"] = app.labels.parse("channel", ch) if ch else "wangwang"
    if out["order_no"]:
        check_order_no(out["order_no"])
    comp = data.get("complaint")
    if comp is None or str(comp).strip() == "":
        out["complaint"] = None
    elif isinstance(comp, bool):
        out["complaint"] = int(comp)
    elif str(comp).strip().lower() in ("1", "yes", "y", "true", "是", "投诉"):
        out["complaint"] = 1
    elif str(comp).strip().lower() in ("0", "no", "n", "false", "否"):
        out["complaint"] = 0
    else:
        raise UserError(f"complaint must be yes or no, not {str(comp)[:20]!r} (R-SLA-2)")
    out["about"] = val("about")
    return out


def is_complaint(app, case: dict) -> bool:
    """R-SLA-2: whether ``case`` is a complaint (:func:`asx.cases.sla.is_complaint` with this app's
    complaint categories)."""
    from asx.cases.sla import is_complaint as _is

    return _is(case, rules(app).complaint_categories)


def default_about(app, row: dict, at: int) -> str | None:
    """R-KPI-4: whom a complaint is about when nobody said — the agent who served that buyer's order
    (the earlier case of the same order), else the agent of the buyer's previous case, else None
    (unknown: ``asx eval complaints`` lists it for the supervisor to settle)."""
    from asx.store import cases as case_store

    return case_store.served_by(app.store, row.get("order_no"), row.get("buyer"), at)


def check_order_no(text: str) -> str:
    """Reject order numbers that a spreadsheet mangled (``1.23457E+17``) or that are not ids."""
    t = text.strip()
    low = t.lower()
    if "e+" in low or ("e" in low and t.replace(".", "").replace("e", "").replace("E", "").replace("+", "").isdigit()):
        raise UserError(f"order number {t!r} was mangled by a spreadsheet (scientific notation); "
                        "re-export the column as text (formats.md)")
    if not t or any(c.isspace() for c in t):
        raise UserError(f"bad order number {t!r}")
    return t


def open_case(app, data: dict, *, at: datetime | None = None, by: str | None = None) -> int:
    """Open one case; see the module docstring. Returns the new case id."""
    from asx.store import agents as agents_store, cases as case_store

    who = _who(app, by)
    if who["role"] not in ("agent", "specialist", "supervisor", "manager"):
        from asx.core.errors import PermissionDenied

        raise PermissionDenied(f"{who['name']} is {who['role']}; only agent, specialist or supervisor may open cases")
    row = normalise(app, data)
    now = _epoch(app.now())
    t = _epoch(at) if at is not None else now
    if t > now + FUTURE_TOLERANCE:
        raise UserError(f"--at {app.iso(t)} lies in the future")
    if row["agent"] is None:
        row["agent"] = _assign(app, row, t, who["name"])  # issue 11: the roster-aware rule (asx.daily.assign)
    elif agents_store.get(app.store, row["agent"]) is None:
        raise UserError(f"--agent {row['agent']}: no such agent")
    if row["about"] is not None and agents_store.get(app.store, row["about"]) is None:
        raise UserError(f"--about {row['about']}: no such agent (R-KPI-4)")
    if row["about"] is None and is_complaint(app, row):
        row["about"] = default_about(app, row, t)  # R-KPI-4
    row["store"] = row["store"] or app.config.get("store.name")
    row.update({"status": "new", "opened_at": t, "updated_at": t, "updated_by": who["name"],
                "review_id": data.get("review_id"), "ext_key": data.get("ext_key")})
    with app.store.tx():
        if row["ext_key"] and case_store.by_ext_key(app.store, row["ext_key"]):
            raise UserError(f"a case with key {row['ext_key']!r} exists already")
        case_id = case_store.insert_case(app.store, row)
        case_store.add_event(app.store, case_id, at=t, by=who["name"], action="open", to_status="new",
                     data={"category": row["category"], "severity": row["severity"], "channel": row["channel"],
                           **({"complaint": row["complaint"]} if row["complaint"] is not None else {}),
                           **({"about": row["about"]} if row["about"] else {})})
        _recompute(app, case_store.get(app.store, case_id), now)
    return case_id


def _assign(app, row: dict, at: int, opener: str) -> str | None:
    """The ``assign_case`` hook over the agents on shift at ``at``, then ``daily.assignment``
    (None: nobody on shift, left unassigned and said on stderr)."""
    from asx.daily.assign import choose

    return choose(app, row, at=from_epoch(at, app.tz), opener=opener)


# --- actions ----------------------------------------------------------------------------------

def act(app, case_id: int, action: str, *, at: datetime | None = None, by: str | None = None, **kw) -> dict:
    """Do ``action`` on case ``case_id``; see the module docstring for the keywords."""
    from asx.store import cases as case_store

    handler = _HANDLERS.get(action)
    if handler is None and action in model.transitions(app.plugins).actions():
        handler = _plugin_action  # an action a plugin added through register_case_transitions
    if handler is None:
        raise UserError(f"unknown case action {action!r}; choose one of {', '.join(sorted(_HANDLERS))}")
    who = _who(app, by)
    now = _epoch(app.now())
    t = _epoch(at) if at is not None else now
    # row locks (issue 10): on PostgreSQL agents acting on different cases do not queue; the case's
    # row is locked for the transaction and its version checked (SQLite: one writer, same result)
    with app.store.tx(row_locks=True):
        case = case_store.require(app.store, case_id, lock=True)
        expected = kw.get("_version")
        if expected is not None and case["version"] != expected:
            raise UserError(case_store.changed_message(app, case))
        if t > now + FUTURE_TOLERANCE:
            raise UserError(f"--at {app.iso(t)} lies in the future")
        last = case_store.last_event_at(app.store, case_id)
        if last is not None and t < last:
            raise UserError(f"--at {app.iso(t)} precedes the case's previous event ({app.iso(last)})")
        to_hint = kw.get("_to") or ({"wait": f"waiting_{kw.get('on')}"}.get(action))
        new_status = model.check_allowed(app, who, case["status"], action, to_hint)
        guard(app, case, action, who, {k: v for k, v in kw.items() if not k.startswith("_")})
        ctx = _Ctx(app, case, who, t, new_status)
        handler(ctx, **{k: v for k, v in kw.items() if not k.startswith("_")})
        if ctx.changes or new_status != case["status"]:
            ctx.changes.setdefault("status", new_status)
            if not case_store.update(app.store, case_id, ctx.changes, at=t, by=who["name"], version=case["version"]):
                raise UserError(case_store.changed_message(app, case_store.require(app.store, case_id)))
        case_store.add_event(app.store, case_id, at=t, by=who["name"], action=action, from_status=case["status"],
                     to_status=new_status if new_status != case["status"] else None, note=ctx.note,
                     data=ctx.data or None)
        for fn in ctx.after:
            fn()
        _recompute(app, case_store.get(app.store, case_id), now)
    return case_store.get(app.store, case_id)


class _Ctx:
    def __init__(self, app, case, who, at, new_status):
        self.app, self.case, self.who, self.at, self.new_status = app, case, who, at, new_status
        self.changes: dict = {}
        self.data: dict = {}
        self.note: str | None = None
        self.after: list = []


def _respond(c: _Ctx, note=None, solution=False):
    c.note = note
    if c.case["status"] == "resolved":
        if c.case["feedback_at"] is None:
            c.changes["feedback_at"] = c.at  # R-SLA-4
        c.data["feedback"] = True
    else:
        if c.case["first_response_at"] is None:
            c.changes["first_response_at"] = c.at
        if solution and c.case["solution_at"] is None:
            c.changes["solution_at"] = c.at
            c.data["solution"] = True
    c.changes["response_count"] = (c.case["response_count"] or 0) + 1


def _plugin_action(c: _Ctx, note=None, meets=None, data=None):
    """A plugin's own action: recorded with its ``data``; ``meets`` (target names, or {target: aware
    datetime | epoch}) marks the plugin SLA targets it meets, at the event time unless given."""
    c.note = note
    c.data.update(data or {})
    if meets:
        if not isinstance(meets, dict):
            meets = {t: None for t in ([meets] if isinstance(meets, str) else meets)}
        c.data["meets"] = {t: c.at if at is None else _epoch(at) for t, at in meets.items()}


def _note(c: _Ctx, note=None):
    if not note:
        raise UserError("a note needs text")
    c.note = note


def _edit(c: _Ctx, order=None, buyer=None, contact=None, summary=None, category=None, note=None):
    """Correct what was recorded (issue 18): order number, buyer, contact, summary, category. The event
    keeps each change, old → new (buyer data masked, R-SEC-1); act() recomputes the SLA rows, so a new
    category brings its own targets and checklist (R-CASE-2/3, R-SLA)."""
    from asx.io.masking import mask_value

    wanted = {"order_no": order, "buyer": buyer, "buyer_contact": contact, "summary": summary,
              "category": category}
    if all(v is None for v in wanted.values()):
        raise UserError("nothing to change: give --order, --buyer, --phone, --summary or --category")
    if order is not None:
        wanted["order_no"] = check_order_no(order)
    if category is not None:
        wanted["category"] = model.parse_category(c.app, category)
    masks = {"buyer": "name", "buyer_contact": "contact", "summary": "text"}
    for field, new in wanted.items():
        if new is None:
            continue
        new = new.strip() if isinstance(new, str) else new
        old = c.case[field]
        if new == old or (new == "" and old is None):
            continue
        c.changes[field] = new or None
        if field in masks:
            c.data[field] = [mask_value(masks[field], old) if old else None,
                             mask_value(masks[field], new) if new else None]
        else:
            c.data[field] = [old, new]
    if not c.changes:
        raise UserError("nothing changes: the case already has these values")
    c.note = note


def _check(c: _Ctx, step=None):
    cat = model.categories(c.app.plugins).get(c.case["category"])
    steps = {s.step: s for s in (cat.checklist if cat else [])}
    if step not in steps:
        raise UserError(f"{step!r} is not a step of the {c.case['category']} checklist; steps: "
                        f"{', '.join(steps) or 'none'} (R-CASE-3)")
    from asx.store import cases as case_store

    if not case_store.add_check(c.app.store, c.case["id"], step, c.at, c.who["name"]):
        raise UserError(f"step {step!r} is ticked already")
    c.data["step"] = step


def _escalate(c: _Ctx, to=None, note=None):
    from asx.store import agents

    if to is None:
        raise UserError("escalate to whom? --to SPECIALIST (R-CASE-7)")
    sp = agents.get(c.app.store, to)
    if sp is None or not sp["active"] or sp["role"] not in ("specialist", "supervisor", "manager"):
        raise UserError(f"{to!r} is not an active specialist (R-CASE-7)")
    c.changes["specialist"] = to
    c.data["to"] = to
    c.note = note


def _handback(c: _Ctx, note=None):
    if not note:
        raise UserError("hand back the solution: --note says what the agent should tell the buyer (R-CASE-7)")
    c.note = note
    c.data["agent"] = c.case["agent"]


def _inspect(c: _Ctx, result=None, note=None):
    if result not in ("pass", "fail"):
        raise UserError("inspection result must be pass or fail (R-CASE-8)")
    c.changes["inspection"] = result
    c.data["result"] = result
    c.note = note


def _assign_(c: _Ctx, to=None, reason=None):
    from asx.store import agents

    if not reason:
        raise UserError("reassigning needs a reason (--reason, R-CASE-9)")
    a = agents.get(c.app.store, to) if to else None
    if a is None or not a["active"]:
        raise UserError(f"--to {to!r}: no such active agent")
    c.changes["agent"] = to
    c.data.update({"from": c.case["agent"], "to": to})
    c.note = reason


def _about(c: _Ctx, who=None, reason=None):
    """R-KPI-4: the supervisor settles whom a complaint is about (recorded with the previous value)."""
    from asx.store import agents

    if not reason:
        raise UserError("settling whom a complaint is about needs a reason (--reason, R-KPI-4)")
    if who is None or agents.get(c.app.store, who) is None:
        raise UserError(f"{who!r}: no such agent (R-KPI-4)")
    c.changes["about"] = who
    c.data.update({"from": c.case.get("about"), "about": who})
    c.note = reason


def _wait(c: _Ctx, on=None, note=None):
    if on not in ("buyer", "courier", "warehouse"):
        raise UserError("wait for whom? buyer, courier or warehouse")
    c.changes["paused_since"] = c.at
    c.note = note


def _resume(c: _Ctx, note=None):
    since = c.case["paused_since"]
    if since is not None:
        c.changes["paused_seconds"] = (c.case["paused_seconds"] or 0) + max(0, c.at - since)
    c.changes["paused_since"] = None
    c.note = note


def _promise(c: _Ctx, until=None, note=None, reason=None):
    if until is None:
        raise UserError("promise needs --by TIME (R-SLA-5)")
    u = _epoch(until)
    if u <= c.at:
        raise UserError("a promised time must lie after the moment of the promise")
    # R-SLA-5: a promise never hides a breach — one later than a pending target needs a reason
    from asx.cases import sla

    late = sla.late_promise(c.case, sla_state(c.app, c.case, now=c.at), u)
    if late:
        first = min(late, key=lambda r: r["due_at"])
        if not reason:
            raise UserError(f"the promised time lies after the {first['target']} target (due "
                            f"{c.app.iso(first['due_at'])}): give --reason, it is shown to the supervisor (R-SLA-5)")
        c.data.update({"reason": reason, "past_target": {r["target"]: r["due_at"] for r in late}})
    elif reason:
        c.data["reason"] = reason
    c.changes["promised_at"] = u
    if c.case["first_response_at"] is None:
        c.changes["first_response_at"] = c.at
    c.data["until"] = u
    c.note = note


def _resolve(c: _Ctx, resolution=None, party=None, amount_fen=None, note=None, inspection=None, override=False,
             reason=None):

    if not resolution:
        raise UserError("--resolution is required (R-CASE-4)")
    if not party:
        raise UserError("--party is required: who was responsible (R-CASE-5)")
    res = c.app.labels.parse("resolution", resolution)
    par = c.app.labels.parse("party", party)
    if res == "rejected" and not note:
        raise UserError("a rejection needs the reason given to the buyer (--note, R-CASE-4)")
    if amount_fen is not None and amount_fen < 0:
        raise UserError("--amount cannot be negative")
    if res in ("cash_compensation", "refund_only", "return_refund") and not amount_fen:
        raise UserError(f"{res} moves money: give --amount (R-CASE-4, R-FIN-1)")
    from asx.store import cases as case_store

    # R-CASE-3: the required checklist steps first, unless a supervisor overrides with a reason
    missing = model.missing_steps(c.app.plugins, c.case["category"], case_store.checks(c.app.store, c.case["id"]), res, par)
    if override:
        from asx.core.app import ROLE_IMPLIES

        if c.who["role"] not in ROLE_IMPLIES.get("supervisor", {"supervisor"}):
            from asx.core.errors import PermissionDenied

            raise PermissionDenied(f"{c.who['name']} is {c.who['role']}; only a supervisor may override the "
                                   "checklist (R-CASE-3)")
        if not reason:
            raise UserError("--override needs --reason: why the required steps are skipped (R-CASE-3)")
        if missing:
            c.data.update({"override": [s.step for s in missing], "override_reason": reason})
    elif missing:
        raise UserError(f"{res} needs the required checklist steps first: {', '.join(s.step for s in missing)} "
                        f"(R-CASE-3); tick each with `asx case check {c.case['id']} STEP`, or a supervisor "
                        "passes --override --reason")
    insp = inspection or c.case["inspection"]
    if inspection is not None:
        if inspection not in ("pass", "fail"):
            raise UserError("inspection result must be pass or fail (R-CASE-8)")
        c.changes["inspection"] = inspection
    if res in ("return_refund", "exchange") and insp == "fail":
        raise UserError("the returned goods failed inspection: tell the buyer why and offer an alternative (R-CASE-8)")
    c.changes.update({"resolution": res, "party": par, "resolved_at": c.at, "amount_fen": amount_fen,
                      "paused_since": None, "feedback_at": None})
    if c.case["first_response_at"] is None:
        c.changes["first_response_at"] = c.at
    if c.case["solution_at"] is None:
        c.changes["solution_at"] = c.at
    c.data.update({"resolution": res, "party": par})
    if amount_fen:
        c.data["amount_fen"] = amount_fen
    c.note = note
    if amount_fen and res in model.MONEY_RESOLUTIONS + ("reship", "exchange", "repair"):
        c.after.append(lambda: _ledger(c, res, amount_fen, note))


def _ledger(c: _Ctx, res: str, amount_fen: int, note: str | None) -> None:
    """R-CASE-4/R-FIN-1/R-FIN-2: every money resolution is a ledger entry with note <content>_<agent>."""
    from asx.store import ledger

    content = c.app.labels.label("resolution", res, "zh") or res
    reason = {"cash_compensation": "compensation", "refund_only": "refund", "return_refund": "refund",
              "coupon": "coupon"}.get(res, res)
    ledger.add_entry(c.app.store, at=c.at, amount_fen=amount_fen, reason=reason, agent=c.who["name"],
                     case_id=c.case["id"], order_no=c.case["order_no"],
                     note=f"{content}_{c.who['name']}")  # R-FIN-4: no buyer data in the note


def _close(c: _Ctx, note=None):
    c.changes["closed_at"] = c.at
    c.note = note
    from asx.cases import returns  # seed 000 退换货 5: a return's outcome goes to the customer's file

    c.after.append(lambda: returns.on_close(c.app, c.case, c.at, c.who["name"]))


def _reopen(c: _Ctx, note=None):
    if not note:
        raise UserError("reopening needs a reason (--note)")
    c.changes.update({"reopen_count": (c.case["reopen_count"] or 0) + 1, "resolved_at": None, "feedback_at": None,
                      "closed_at": None, "promised_at": None, "resolution": None, "party": None,
                      "amount_fen": None})
    c.data["previous_resolution"] = c.case["resolution"]
    c.note = note


def _link(c: _Ctx, other=None, note=None, kind="related"):
    from asx.store import cases as case_store

    o = case_store.require(c.app.store, int(other))
    if o["id"] == c.case["id"]:
        raise UserError("a case cannot be linked to itself")
    case_store.add_link(c.app.store, c.case["id"], o["id"], kind, c.at, c.who["name"])
    c.data.update({"other": o["id"], "kind": kind})
    c.note = note


def _merge(c: _Ctx, into=None, note=None):
    from asx.store import cases as case_store

    if into is None:
        raise UserError("merge into which case? --into ID")
    target = case_store.require(c.app.store, int(into))
    while target["merged_into"]:
        target = case_store.require(c.app.store, target["merged_into"])
    if target["id"] == c.case["id"]:
        raise UserError("a case cannot be merged into itself")
    if target["status"] in model.ENDED:
        raise UserError(f"case #{target['id']} is {target['status']}; merge into a live case")
    case_store.add_link(c.app.store, c.case["id"], target["id"], "duplicate", c.at, c.who["name"])
    c.changes.update({"merged_into": target["id"], "paused_since": None})
    c.data["into"] = target["id"]
    c.note = note
    # the live case records the merge too
    c.after.append(lambda: case_store.add_event(c.app.store, target["id"], at=max(c.at, case_store.last_event_at(
        c.app.store, target["id"]) or c.at), by=c.who["name"], action="link", note=f"#{c.case['id']} merged here",
        data={"merged": c.case["id"]}))


def _rate(c: _Ctx, score=None):
    try:
        s = int(score)
    except (TypeError, ValueError):
        s = 0
    if not 1 <= s <= 5:
        raise UserError("a satisfaction rating is 1 to 5")
    c.changes["csat"] = s
    c.data["score"] = s


_HANDLERS = {"respond": _respond, "note": _note, "edit": _edit, "check": _check, "escalate": _escalate, "handback": _handback,
             "inspect": _inspect, "assign": _assign_, "about": _about, "wait": _wait, "resume": _resume, "promise": _promise,
             "resolve": _resolve, "close": _close, "reopen": _reopen, "link": _link, "merge": _merge, "rate": _rate}


def _shortcut(name):
    def f(app, case_id, *, at=None, by=None, **kw):
        return act(app, case_id, name, at=at, by=by, **kw)

    f.__name__ = name
    f.__doc__ = f"``act(app, case_id, {name!r}, …)``."
    return f


respond = _shortcut("respond")
resolve = _shortcut("resolve")
close = _shortcut("close")
reopen = _shortcut("reopen")


# --- reading ----------------------------------------------------------------------------------

def reveal(app, case_id: int) -> dict:
    """R-SEC-1: check the actor may reveal, record it in the history and the access log."""
    from asx.core.errors import PermissionDenied
    from asx.store import cases as case_store

    who = app.actor()
    if not app.reveal_allowed(who):
        raise PermissionDenied(f"{who['name']} is {who['role']}; revealing buyer data needs the supervisor role "
                               "(or a role in privacy.reveal_roles) (R-SEC-1)")
    now = _epoch(app.now())
    with app.store.tx():
        case = case_store.require(app.store, case_id)
        last = case_store.last_event_at(app.store, case_id) or now
        case_store.add_event(app.store, case_id, at=max(now, last), by=who["name"], action="reveal",
                     note="buyer data shown unmasked")
        if app.store.app_login:
            # R-SEC-5: the server checks the login's group and writes the access-log row itself,
            # in this transaction; the tables give this login masked values only
            case.update(app.store.reveal_case(case_id) or {})
            return case
    app.log_access("reveal", f"case:{case_id}")
    return case


def sla_state(app, case: dict, *, now: int | None = None) -> list[dict]:
    """Every target of the case as of now (or ``now``, epoch): due, remaining/overdue in service and
    calendar minutes."""
    from asx.cases import sla
    from asx.store import cases as case_store

    now = _epoch(app.now()) if now is None else now
    view, targets = sla_view(app, case)
    rows = sla.evaluate(app.calendar, view, targets, case_store.pause_spans(app.store, case["id"]), now)
    out = []
    for r in rows:
        rem_s = rem_c = None
        if r["due_at"] is not None and r["met_at"] is None:
            rem_s = app.calendar.service_minutes_between(now, r["due_at"])
            rem_c = app.calendar.calendar_minutes_between(now, r["due_at"])
        out.append({**r, "remaining_service_minutes": rem_s, "remaining_calendar_minutes": rem_c,
                    "target_rule": targets[r["target"]].describe(), "clock": targets[r["target"]].clock})
    return out


def autoclose(app, *, as_of=None) -> str:
    """Nightly: close cases resolved more than ``cases.autoclose_days`` before ``as_of`` (default now)
    (R-CASE-6), recorded as ``asx``."""
    from asx.store import cases as case_store

    now = _epoch(min(as_of, app.now()) if as_of is not None else app.now())
    limit = now - 86400 * int(app.config.get("cases.autoclose_days"))
    n = 0
    with app.store.tx():
        for case in list(case_store.list_cases(app.store, status=["resolved"])):
            if case["resolved_at"] is None or case["resolved_at"] > limit:
                continue
            try:
                guard(app, case, "close", {"name": "asx", "role": "system"})
            except UserError:
                continue  # a plugin requires a step first (e.g. the member's acceptance)
            at = max(case["resolved_at"] + 86400 * int(app.config.get("cases.autoclose_days")),
                     case_store.last_event_at(app.store, case["id"]) or 0)
            at = min(at, now)
            case_store.update(app.store, case["id"], {"status": "closed", "closed_at": at}, at=at, by="asx")
            case_store.add_event(app.store, case["id"], at=at, by="asx", action="close", from_status="resolved",
                         to_status="closed", note="closed automatically after the buyer's confirmation period")
            from asx.cases import returns  # seed 000 退换货 5

            returns.on_close(app, case, at, "asx")
            _recompute(app, case_store.get(app.store, case["id"]), now)
            n += 1
    return f"closed {n} resolved case(s)"
