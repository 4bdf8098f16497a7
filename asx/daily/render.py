"""One screen for a person (text) or one JSON object for a script, for ``me``, ``today`` and the
forecast. Colour only when asked (the command passes ``color=stdout.isatty()``), lines cut to the
terminal width, Chinese text aligned by display width (wcwidth). Buyer data never appears here
(R-SEC-1): cases are shown by id, category, severity and order number only."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from asx.core.money import yuan
from asx.io.output import Column
from asx.core.timeutil import from_epoch

SEV_COLOUR = {"urgent": "red", "high": "yellow", 3: "red", 2: "yellow"}


# --- width-aware text --------------------------------------------------------------------------

def width(text: str) -> int:
    from wcwidth import wcswidth

    w = wcswidth(text)
    return w if w >= 0 else len(text)


def cut(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` display columns (with … when cut)."""
    if width(text) <= limit:
        return text
    from wcwidth import wcwidth

    out, w = [], 0
    for ch in text:
        cw = max(wcwidth(ch), 0)
        if w + cw > limit - 1:
            break
        out.append(ch)
        w += cw
    return "".join(out) + "…"


def pad(text: str, n: int) -> str:
    return text + " " * max(0, n - width(text))


def table(rows: list[list[str]], total: int, indent: int = 2) -> list[str]:
    """Columns aligned by display width; the last column is cut to fit ``total``."""
    if not rows:
        return []
    ncol = max(len(r) for r in rows)
    widths = [max(width(r[i]) if i < len(r) else 0 for r in rows) for i in range(ncol)]
    out = []
    for r in rows:
        parts = [pad(c, widths[i]) if i < len(r) - 1 else c for i, c in enumerate(r)]
        out.append(cut(" " * indent + "  ".join(parts).rstrip(), total))
    return out


class Screen:
    def __init__(self, color: bool, total: int):
        self.color, self.total, self.lines = color, max(40, total), []

    def style(self, text: str, **kw) -> str:
        if not self.color:
            return text
        from asx.io.term import style

        return style(text, **kw)

    def head(self, title: str, note: str = "") -> None:
        self.lines.append("")
        line = self.style(title, bold=True) + (f"  {note}" if note else "")
        self.lines.append(line if self.color else cut(line, self.total))

    def add(self, text: str) -> None:
        self.lines.append(cut(text, self.total) if not self.color else text)

    def rows(self, rows: list[list[str]], colours: list[str | None] | None = None) -> None:
        lines = table(rows, self.total)
        for i, ln in enumerate(lines):
            c = colours[i] if colours and i < len(colours) else None
            self.lines.append(self.style(ln, fg=c) if c else ln)

    def text(self) -> str:
        return "\n".join(self.lines).lstrip("\n") + "\n"


def _lab(app, kind: str, code, lang: str) -> str:
    if code is None:
        return ""
    try:
        return str(app.labels.label(kind, code, lang))
    except Exception:
        return str(code)


def hm(app, epoch_or_dt) -> str:
    if epoch_or_dt is None:
        return ""
    dt = epoch_or_dt if isinstance(epoch_or_dt, datetime) else from_epoch(epoch_or_dt, app.tz)
    return dt.strftime("%H:%M")


def dhm(app, epoch_or_dt, at: datetime) -> str:
    if epoch_or_dt is None:
        return ""
    dt = epoch_or_dt if isinstance(epoch_or_dt, datetime) else from_epoch(epoch_or_dt, app.tz)
    return dt.strftime("%H:%M") if dt.date() == at.date() else dt.strftime("%m-%d %H:%M")


def span(minutes: int | None) -> str:
    if minutes is None:
        return ""
    m = abs(int(minutes))
    s = f"{m // 1440}d{m % 1440 // 60}h" if m >= 1440 else (f"{m // 60}h{m % 60:02d}m" if m >= 60 else f"{m}m")
    return s


# --- JSON --------------------------------------------------------------------------------------

TIME_KEYS = {"at", "since", "next_start", "hour", "from", "to", "start", "end"}
SECRET_KEYS = {"buyer", "phone", "buyer_contact", "summary", "content", "contact"}  # R-SEC-1: never in this view
#: free texts shown in this view (the handover note, notes): masked as on the screen and in CSV (issue 21)
TEXT_KEYS = {"text", "note"}


def jsonable(app, value: Any, key: str = "") -> Any:
    from asx.roster.duty import Segment

    if isinstance(value, Segment):
        return value.as_dict(app.iso)
    if isinstance(value, datetime):
        return app.iso(value)
    if isinstance(value, dict):
        return {k: jsonable(app, v, k) for k, v in value.items()
                if k not in SECRET_KEYS and not k.endswith("_raw")}  # the text as written: reveal only
    if key in TEXT_KEYS and isinstance(value, str):
        from asx.io.masking import mask_text

        return mask_text(value)
    if isinstance(value, (list, tuple)):
        return [jsonable(app, v, key) for v in value]
    if isinstance(value, int) and not isinstance(value, bool) and (key.endswith("_at") or key in TIME_KEYS
                                                                    or key == "first_due" or key == "first_later"):
        return app.iso(value)
    return value


def forecast_json(app, fc) -> dict:
    return {"meta": fc.meta(app), "hours": jsonable(app, fc.rows), "agents": fc.agents,
            "moves": jsonable(app, fc.moves), "covers": jsonable(app, fc.covers),
            "promised_past_target": [_late_promise_json(app, r) for r in fc.late_promises]}


def _late_promise_json(app, r: dict) -> dict:
    """R-SLA-5: one case whose promise lies after its target (a breach to come)."""
    return {"case_id": r["id"], "agent": r["agent"], "target": r["target"], "due_at": _iso(app, r["due_at"]),
            "promised_at": _iso(app, r["promised_at"]), "reason": r["reason"]}


def late_promise_lines(app, sc, rows: list[dict], limit: int) -> None:
    """The section "Promised past the target (R-SLA-5)" of `asx today` and the forecast screen."""
    sc.head("Promised past the target: breaches to come", "(R-SLA-5)")
    if not rows:
        sc.add("  none")
        return
    sc.rows([[f"#{r['id']}", r["agent"] or "", f"{r['target']} due {_iso(app, r['due_at'])}",
              f"promised {_iso(app, r['promised_at'])}", r["reason"] or ""] for r in rows[:limit]],
            ["yellow"] * len(rows[:limit]))


# --- asx me -------------------------------------------------------------------------------------

STATUS_TEXT = {"on_shift": "on shift", "on_break": "on a break between segments", "resting": "resting today",
               "on_leave": "on leave today", "off_duty": "off duty", "no_roster": "no roster stored for today"}


def me_screen(app, d: dict, *, color: bool, total: int, limit: int) -> str:
    lang = app.lang
    at: datetime = d["at"]
    sc = Screen(color, total)
    sh = d["shift"]
    sc.lines.append(sc.style(f"{d['agent']}", bold=True) + f"  {at.strftime('%Y-%m-%d %a %H:%M')}  "
                    + STATUS_TEXT.get(sh["status"], sh["status"]))
    segs = ", ".join(f"{hm(app, s.start)}–{hm(app, s.end)}" for s in sh["today"])
    if sh["shift"]:
        sc.add(f"  today: shift {_lab(app, 'roster_mark', sh['shift'], lang)} {segs}")
    elif sh["mark"]:
        sc.add(f"  today: {_lab(app, 'roster_mark', sh['mark'], lang)}")
    if sh["now"] is not None:
        sc.add(f"  now: {hm(app, sh['now'].start)}–{hm(app, sh['now'].end)} (ends in "
               f"{span(int((sh['now'].end - at).total_seconds() // 60))})")
    if sh["next"] is not None:
        n = sh["next"]
        sc.add(f"  next: {dhm(app, n.start, at)}–{hm(app, n.end)} shift {_lab(app, 'roster_mark', n.shift, lang)}")
    for t in sh["handovers"]:
        sc.add(f"  handover at {hm(app, t)}" + (" (done)" if t <= at else ""))
    ho = d["handover"]
    sc.head("Handover note", "(R-CASE-10)")
    if ho:
        from asx.io import masking

        sc.add(f"  {dhm(app, ho['at'], at)} from {ho['by']}" + (f" ({ho['shift']})" if ho.get("shift") else "")
               + ": " + masking.mask_value("text", ho["text"]).replace("\n", " "))
    else:
        sc.add("  none left for you since your last shift")
    due = d["due"]
    sc.head("My due queue", "by time to breach (R-SLA)")
    if not due:
        sc.add("  nothing due")
    rows, colours = [], []
    for r in due[:limit]:
        left = ("overdue " + span(r["left_minutes"])) if r["overdue"] else ("in " + span(r["left_minutes"]))
        rows.append([f"#{r['id']}", dhm(app, r["next_due_at"], at), left, _lab(app, "sla_target", r["next_due_target"], lang),
                     _lab(app, "severity", r["severity"], lang), _lab(app, "category", r["category"], lang),
                     _lab(app, "case_status", r["status"], lang), r.get("order_no") or "",
                     # R-SLA-5: the queue stays on the target; the promise shows beside it
                     ("promised " + dhm(app, r["promised_at"], at)) if r.get("promised_at") else ""])
        colours.append("red" if r["overdue"] else SEV_COLOUR.get(r["severity"]))
    sc.rows(rows, colours)
    rv = d["reviews"]
    sc.head("My reviews to work now", f"(R-REV-5; calls {'allowed now' if rv['in_call_window'] else 'not now'})")
    if not rv["items"]:
        sc.add("  nothing actionable now" + (f" — {rv['availability']}" if rv["availability"] else ""))
    sc.rows([[f"r{r['id']}", r["next_step"], f"severity {r['severity']}", r.get("reason") or "", r.get("item") or ""]
             for r in rv["items"][:limit]], [SEV_COLOUR.get(r["severity"]) for r in rv["items"][:limit]])
    for later in rv["later"][:3]:
        sc.add(f"  later: {later['count']} {later['step']} from {dhm(app, later['from'], at)} ({later['why']})")
    wt = d["waiting"]
    sc.head("Waiting on the buyer past the promise", "(R-SLA-5)")
    if not wt:
        sc.add("  none")
    sc.rows([[f"#{r['id']}", ("promised " + dhm(app, r["promised_at"], at)) if r["promised_at"] else
              ("waiting since " + dhm(app, r["paused_since"], at)), _lab(app, "category", r["category"], lang),
              r.get("order_no") or ""] for r in wt[:limit]])
    rec = d["records"]
    sc.head("My daily records", "(R-KPI-1)")
    if not rec:
        sc.add("  all handed in")
    sc.rows([[r["day"], r["status"], f"due {r['due'][:16].replace('T', ' ')}"] for r in rec[:limit]],
            ["red" if r["overdue"] else "yellow" for r in rec[:limit]])
    return sc.text()


# --- asx today -----------------------------------------------------------------------------------

STATE_TEXT = {"on_shift": "on shift now", "on_break": "on a break", "later": "later today", "done": "done for today",
              "rest": "resting", "holiday": "holiday rest", "leave": "on leave"}


def today_screen(app, d: dict, *, color: bool, total: int, limit: int) -> str:
    lang = app.lang
    at: datetime = d["at"]
    sc = Screen(color, total)
    sc.lines.append(sc.style(f"Today {at.strftime('%Y-%m-%d %a %H:%M')}", bold=True)
                    + f"  {app.config.get('store.name')}")
    ro = d["roster"]
    sc.head("Shifts", "(R-ROS)" if ro["known"] else "no roster stored for today (R-ROS-9)")
    groups: dict[str, list] = {}
    for p in ro["people"]:
        groups.setdefault(p["state"], []).append(p)
    rows, colours = [], []
    for state, people in groups.items():
        names = ", ".join(f"{p['agent']}" + (f" {_lab(app, 'roster_mark', p['shift'], lang)}" if p["shift"] else "")
                          + (f" {p['segments']}" if p["segments"] and state in ("later", "on_break") else "")
                          for p in people)
        rows.append([STATE_TEXT.get(state, state), names])
        colours.append("green" if state == "on_shift" else None)
    sc.rows(rows, colours)
    for lv in d["leave"]:
        sc.add(f"  leave: {lv['agent']} {lv['from_day']}…{lv['to_day']}" + (f" ({lv['reason']})" if lv["reason"] else ""))
    for u in d["uncovered"]:
        sc.lines.append(sc.style(cut(f"  UNCOVERED {u['day']} shift {_lab(app, 'roster_mark', u['shift'], lang)}: "
                                     f"{u['have']} of at least {u['min']} (R-ROS-3/7: arrange a cover)", sc.total),
                                 fg="red"))
    due = d["due"]
    sc.head("Cases due", f"overdue now / due within {d['soon_hours']:g} h, per agent (R-SLA)")
    if not due:
        sc.add("  nothing overdue or due soon")
    sc.rows([[r["agent"] or "(unassigned)", f"{r['overdue']} overdue", f"{r['soon']} soon",
              f"first {dhm(app, r['first_due'], at)}"] for r in due[:limit]],
            ["red" if r["overdue"] else None for r in due[:limit]])
    if len(due) > limit:
        sc.add(f"  … {len(due) - limit} more agents (asx case due --team)")
    fc = d["forecast"]
    sc.head("SLA forecast", f"next {fc.hours} h with the roster (asx sla forecast for fixes)")
    short = fc.short_hours
    if not short:
        sc.add(f"  no breaches expected in the next {fc.hours} h")
    sc.rows([[f"{hm(app, r['from'])}–{hm(app, r['to'])}", f"{r['expected_breaches']} breach(es)",
              f"{r['due']} due", f"capacity {r['capacity']:g}", "on: " + (", ".join(r["agents_on"]) or "nobody")]
             for r in short[:limit]], ["red"] * len(short[:limit]))
    late_promise_lines(app, sc, fc.late_promises, limit)
    rv = d["reviews"]
    sc.head("Review queue by step", f"(R-REV-4/5; calls {rv['call_windows']}, "
                                    f"{'in a window now' if rv['in_call_window'] else 'not now'})")
    if not rv["steps"]:
        sc.add("  no open reviews")
    sc.rows([[s["step"], f"{s['due_now'] or 0} due now", f"{s['later'] or 0} later",
              ("next " + dhm(app, s["first_later"], at)) if s["first_later"] else ""] for s in rv["steps"]])
    lg = d["ledger"]
    sc.head("Money since yesterday", "(R-FIN-1/3)")
    sc.add(f"  {lg['count']} ledger entr{'y' if lg['count'] == 1 else 'ies'} without sign-off, "
           f"{yuan(lg['amount_fen'] or 0)} yuan" + (" (asx ledger)" if lg["count"] else ""))
    au = d["audit"]
    if au["counts"]:
        sc.add("  audit findings: " + ", ".join(f"{n} {sev}" for sev, n in sorted(au["counts"].items())))
        sc.rows([[f.get("rule") or "", f.get("severity") or "", f.get("message") or ""] for f in au["items"][:limit]],
                ["red" if f.get("severity") == "error" else None for f in au["items"][:limit]])
    else:
        sc.add("  no audit findings")
    cp = d["complaints"]
    sc.head(f"Complaint ladder {cp['month']}", "(R-KPI-4: 1st 50, 2nd 100 yuan, 3rd dismissal review)")
    if not cp["agents"]:
        sc.add("  no service complaints this month")
    sc.rows([[a["agent"], f"{a['complaints']} complaint(s)", a["action"]] for a in cp["agents"]],
            ["red" if a["dismissal"] else "yellow" for a in cp["agents"]])
    rec = d["records"]
    sc.head("Daily records missing", "(R-KPI-1)")
    if not rec:
        sc.add("  all handed in")
    by: dict[str, list] = {}
    for r in rec:
        by.setdefault(r["agent"], []).append(r)
    sc.rows([[a, ", ".join(f"{r['day'][5:]}{'' if r['status'] == 'missing' else ' late'}" for r in rs)]
             for a, rs in list(by.items())[:limit]],
            ["red" if any(r["overdue"] for r in rs) else None for rs in list(by.values())[:limit]])
    return sc.text()


# --- the forecast as rows (nightly CSV, asx sla forecast tables) ------------------------------------

def forecast_columns() -> list[Column]:
    return [Column("day", "day", "日期"), Column("from", "from", "开始"), Column("to", "to", "结束"),
            Column("agents_on", "on shift", "在班"),
            Column("capacity", "capacity", "处理能力"), Column("due", "due", "到期"),
            Column("queue", "queue", "队列"), Column("expected_breaches", "breaches", "预计超时"),
            Column("after_moves", "after moves", "调配后超时"), Column("fix", "fix", "建议")]


def forecast_rows(app, fc) -> list[dict]:
    fixes: dict[int, list[str]] = {}
    for m in fc.moves:
        k = next(i for i, (a, b) in enumerate(fc.buckets) if a == m["hour"])
        fixes.setdefault(k, []).append(f"move #{m['case_id']} {m['from'] or '(unassigned)'}→{m['to']}")
    for c in fc.covers:
        k = next(i for i, (a, b) in enumerate(fc.buckets) if a == c["hour"])
        if c["shift"] is None:
            fixes.setdefault(k, []).append(c["note"])
            continue
        names = ", ".join(x["agent"] for x in c["candidates"])
        fixes.setdefault(k, []).append(f"call in {c['extra_agents']} on {c['shift']}"
                                       + (f" ({names})" if names else (f" ({c['note']})" if c["note"] else "")))
    out = []
    for k, r in enumerate(fc.rows):
        # day + HH:MM (the store timezone, stated in the metadata): an ISO instant here could equal the
        # nightly generation time, which the nightly run strips when it compares two runs
        out.append({"day": r["from"].date().isoformat(), "from": hm(app, r["from"]), "to": hm(app, r["to"]),
                    "agents_on": " ".join(r["agents_on"]),
                    "capacity": r["capacity"], "due": r["due"], "queue": r["queue"],
                    "expected_breaches": r["expected_breaches"], "after_moves": r["after_moves"],
                    "fix": "; ".join(fixes.get(k, []))})
    return out


def forecast_screen(app, fc, *, color: bool, total: int) -> str:
    sc = Screen(color, total)
    sc.lines.append(sc.style(f"SLA forecast from {fc.at.strftime('%Y-%m-%d %H:%M')}, {fc.hours} h", bold=True)
                    + ("" if fc.known else "  (no roster stored for part of the horizon)"))
    rows = [["hour", "on shift", "capacity", "due", "queue", "breaches", "after moves"]]
    colours: list[str | None] = [None]
    for r in fc.rows:
        rows.append([f"{hm(app, r['from'])}–{hm(app, r['to'])}", ", ".join(r["agents_on"]) or "nobody",
                     f"{r['capacity']:g}", str(r["due"]), str(r["queue"]), str(r["expected_breaches"]),
                     str(r["after_moves"])])
        colours.append("red" if r["after_moves"] else ("yellow" if r["expected_breaches"] else None))
    sc.rows(rows, colours)
    sc.head("Verdict")
    sc.add("  " + fc.summary(app))
    if fc.moves:
        sc.head("Move cases to agents with capacity")
        sc.rows([[f"#{m['case_id']}", f"{m['from'] or '(unassigned)'} → {m['to']}", f"due {hm(app, m['due_at'])}"]
                 for m in fc.moves])
    if fc.covers:
        sc.head("Call in covers", "(ranked by the roster, R-ROS-7)")
        for c in fc.covers:
            if c["shift"] is None:
                sc.add(f"  {hm(app, c['hour'])}: {c['breaches']} breach(es): {c['note']}")
                continue
            names = "; ".join(f"{x['agent']} ({x['why']})" for x in c["candidates"]) or c["note"] or "no candidates"
            sc.add(f"  {hm(app, c['hour'])}: {c['breaches']} breach(es) left: call in {c['extra_agents']} on shift "
                   f"{c['shift']} {c['day']}: {names}")
    sc.head("Rates", "(cases handled per on-shift hour)")
    sc.rows([[a["agent"] or "(unassigned)", f"{a['rate_per_hour']:g}/h", a["rate_source"],
              f"{a['overdue_now']} overdue", f"{a['due_in_horizon']} due", f"{a['expected_breaches']} breach(es)"]
             for a in fc.agents])
    late_promise_lines(app, sc, fc.late_promises, 20)
    return sc.text()


def screen_size() -> int:
    import shutil

    return shutil.get_terminal_size((100, 40)).columns




# --- flat item lists (csv/tsv/jsonl): one row per thing on the screen ------------------------------

def items_columns() -> list[Column]:
    return [Column("section", "section", "栏目"), Column("ref", "ref", "编号"), Column("agent", "agent", "客服"),
            Column("when", "when", "时间"), Column("detail", "detail", "内容")]


def _iso(app, v):
    if v is None:
        return ""
    return app.iso(v) if isinstance(v, (int, datetime)) else str(v)


def me_items(app, d: dict) -> list[dict]:
    from asx.io import masking

    who = d["agent"]
    sh = d["shift"]
    out = [{"section": "shift", "ref": sh["shift"] or sh["mark"] or "", "agent": who,
            "when": _iso(app, sh["now"].end if sh["now"] else None), "detail": sh["status"]}]
    if sh["next"] is not None:
        out.append({"section": "next_shift", "ref": sh["next"].shift or "", "agent": who,
                    "when": _iso(app, sh["next"].start), "detail": f"until {_iso(app, sh['next'].end)}"})
    if d["handover"]:
        h = d["handover"]
        out.append({"section": "handover", "ref": h["id"], "agent": h["by"], "when": _iso(app, h["at"]),
                    "detail": masking.mask_value("text", h["text"])})
    for r in d["due"]:
        out.append({"section": "due", "ref": r["id"], "agent": who, "when": _iso(app, r["next_due_at"]),
                    "detail": f"{r['next_due_target']} {r['severity']} {r['category']}"
                              + (" overdue" if r["overdue"] else "")})
    for r in d["reviews"]["items"]:
        out.append({"section": "review", "ref": r["id"], "agent": who, "when": _iso(app, r.get("actionable_at")),
                    "detail": f"{r['next_step']} severity {r['severity']}"})
    for r in d["waiting"]:
        out.append({"section": "waiting_buyer", "ref": r["id"], "agent": who,
                    "when": _iso(app, r["promised_at"] or r["paused_since"]), "detail": r["category"]})
    for r in d["records"]:
        out.append({"section": "daily_record", "ref": r["day"], "agent": who, "when": r["due"], "detail": r["status"]})
    return out


def today_items(app, d: dict) -> list[dict]:
    out = []
    for p in d["roster"]["people"]:
        out.append({"section": "shift", "ref": p["shift"] or p["mark"], "agent": p["agent"],
                    "when": _iso(app, p["next_start"]), "detail": p["state"]})
    for lv in d["leave"]:
        out.append({"section": "leave", "ref": lv["id"], "agent": lv["agent"], "when": lv["from_day"],
                    "detail": f"to {lv['to_day']}"})
    for u in d["uncovered"]:
        out.append({"section": "uncovered", "ref": u["shift"], "agent": "", "when": u["day"],
                    "detail": f"{u['have']} of at least {u['min']}"})
    for r in d["due"]:
        out.append({"section": "due", "ref": "", "agent": r["agent"] or "", "when": _iso(app, r["first_due"]),
                    "detail": f"{r['overdue']} overdue, {r['soon']} soon"})
    fc = d["forecast"]
    for r in fc.short_hours:
        out.append({"section": "forecast", "ref": "", "agent": " ".join(r["agents_on"]), "when": _iso(app, r["from"]),
                    "detail": f"{r['expected_breaches']} breaches, {r['after_moves']} after moves"})
    for r in fc.late_promises:  # R-SLA-5
        out.append({"section": "promised_past_target", "ref": r["id"], "agent": r["agent"] or "",
                    "when": _iso(app, r["due_at"]),
                    "detail": f"{r['target']} due, promised {_iso(app, r['promised_at'])}: {r['reason'] or ''}"})
    for s in d["reviews"]["steps"]:
        out.append({"section": "reviews", "ref": s["step"], "agent": "", "when": _iso(app, s["first_later"]),
                    "detail": f"{s['due_now'] or 0} due now, {s['later'] or 0} later"})
    for e in d["ledger"]["items"]:
        out.append({"section": "unsigned_ledger", "ref": e["id"], "agent": e["agent"] or "", "when": _iso(app, e["at"]),
                    "detail": f"{yuan(e['amount_fen'])} {e['reason']}"})
    for f in d["audit"]["items"]:
        out.append({"section": "audit", "ref": f["rule"], "agent": "", "when": _iso(app, f["at"]),
                    "detail": f"{f['severity']}: {f['message']}"})
    for a in d["complaints"]["agents"]:
        out.append({"section": "complaints", "ref": d["complaints"]["month"], "agent": a["agent"], "when": "",
                    "detail": f"{a['complaints']}: {a['action']}"})
    for r in d["records"]:
        out.append({"section": "daily_record", "ref": r["day"], "agent": r["agent"], "when": r["due"],
                    "detail": r["status"]})
    return out


# --- the command edge ------------------------------------------------------------------------------

def wants_screen(out) -> bool:
    """The one-screen view: ``-f table``, or no format on a terminal (piped: the items as CSV)."""
    import sys

    if out.format == "table":
        return True
    return out.format is None and out.output is None and sys.stdout.isatty()


def print_screen(fn, app, data, limit: int) -> None:
    import sys

    sys.stdout.write(fn(app, data, color=sys.stdout.isatty(), total=screen_size(), limit=limit))


def write_json(out, obj) -> None:
    import json
    import sys

    text = json.dumps(obj, ensure_ascii=False, indent=2, default=str) + "\n"
    if out.output and out.output != "-":  # `-o -`: standard output
        from asx.io.output import atomic_write

        with atomic_write(out.output) as f:
            f.write(text)
    else:
        sys.stdout.write(text)


def emit_items(app, out, rows) -> None:
    from asx.io.output import emit

    emit(app, out, rows, items_columns())
