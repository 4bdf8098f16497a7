"""One screen for a person (text) or one JSON object for a script, for ``me``, ``today`` and the
forecast. Colour only when asked (the command passes ``color=stdout.isatty()``), lines cut to the
terminal width, Chinese text aligned by display width (wcwidth). Buyer data never appears here
(R-SEC-1): cases are shown by id, category, severity and order number only."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from asx.core.money import yuan
from asx.io.output import Column
from asx.io.term import elide as cut, pad, width  # noqa: F401 (also used by asx.desk)
from asx.core.timeutil import from_epoch

SEV_COLOUR = {"urgent": "red", "high": "yellow", 3: "red", 2: "yellow"}




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


def _t(app, code: str, **kw) -> str:
    """Phrase ``code`` of the labels' kind ``text`` in the app's language (issue 18 item 5)."""
    return app.labels.text(code, app.lang, **kw)


def late_promise_lines(app, sc, rows: list[dict], limit: int) -> None:
    """The section "Promised past the target (R-SLA-5)" of `asx today` and the forecast screen."""
    T = lambda code, **kw: _t(app, code, **kw)  # noqa: E731
    sc.head(T("h_late_promises"), "(R-SLA-5)")
    if not rows:
        sc.add("  " + T("none"))
        return
    sc.rows([[f"#{r['id']}", r["agent"] or "",
              T("target_due", target=_lab(app, "sla_target", r["target"], app.lang), at=_iso(app, r["due_at"])),
              T("promised_at", at=_iso(app, r["promised_at"])), r["reason"] or ""] for r in rows[:limit]],
            ["yellow"] * len(rows[:limit]))


# --- asx me -------------------------------------------------------------------------------------

STATUS_TEXT = {"on_shift": "st_on_shift", "on_break": "st_on_break", "resting": "st_resting",
               "on_leave": "st_on_leave", "off_duty": "st_off_duty", "no_roster": "st_no_roster"}


def me_screen(app, d: dict, *, color: bool, total: int, limit: int) -> str:
    lang = app.lang
    T = lambda code, **kw: _t(app, code, **kw)  # noqa: E731
    at: datetime = d["at"]
    sc = Screen(color, total)
    sh = d["shift"]
    sc.lines.append(sc.style(f"{d['agent']}", bold=True) + f"  {at.strftime('%Y-%m-%d %a %H:%M')}  "
                    + (T(STATUS_TEXT[sh["status"]]) if sh["status"] in STATUS_TEXT else sh["status"]))
    segs = ", ".join(f"{hm(app, s.start)}–{hm(app, s.end)}" for s in sh["today"])
    if sh["shift"]:
        sc.add("  " + T("me_today_shift", shift=_lab(app, 'roster_mark', sh['shift'], lang), segs=segs))
    elif sh["mark"]:
        sc.add("  " + T("me_today_mark", mark=_lab(app, 'roster_mark', sh['mark'], lang)))
    if sh["now"] is not None:
        sc.add("  " + T("me_now", start=hm(app, sh['now'].start), end=hm(app, sh['now'].end),
                        left=span(int((sh['now'].end - at).total_seconds() // 60))))
    if sh["next"] is not None:
        n = sh["next"]
        sc.add("  " + T("me_next", start=dhm(app, n.start, at), end=hm(app, n.end),
                        shift=_lab(app, 'roster_mark', n.shift, lang)))
    for t in sh["handovers"]:
        sc.add("  " + T("me_handover_at", at=hm(app, t)) + (T("done_paren") if t <= at else ""))
    ho = d["handover"]
    sc.head(T("h_handover_note"), "(R-CASE-10)")
    if ho:
        from asx.io import masking

        sc.add("  " + T("me_handover_from", at=dhm(app, ho['at'], at), by=ho['by'])
               + (f" ({ho['shift']})" if ho.get("shift") else "")
               + ": " + masking.mask_value("text", ho["text"]).replace("\n", " "))
    else:
        sc.add("  " + T("me_no_handover"))
    due = d["due"]
    sc.head(T("h_my_due"), T("by_breach"))
    if not due:
        sc.add("  " + T("nothing_due"))
    rows, colours = [], []
    for r in due[:limit]:
        left = T("overdue_by", span=span(r["left_minutes"])) if r["overdue"] else T("due_in", span=span(r["left_minutes"]))
        rows.append([f"#{r['id']}", dhm(app, r["next_due_at"], at), left, _lab(app, "sla_target", r["next_due_target"], lang),
                     _lab(app, "severity", r["severity"], lang), _lab(app, "category", r["category"], lang),
                     _lab(app, "case_status", r["status"], lang), r.get("order_no") or "",
                     # R-SLA-5: the queue stays on the target; the promise shows beside it
                     T("promised_at", at=dhm(app, r["promised_at"], at)) if r.get("promised_at") else ""])
        colours.append("red" if r["overdue"] else SEV_COLOUR.get(r["severity"]))
    sc.rows(rows, colours)
    rv = d["reviews"]
    sc.head(T("h_my_reviews"), T("calls_allowed" if rv['in_call_window'] else "calls_not_now"))
    if not rv["items"]:
        sc.add("  " + T("nothing_actionable")
               + (f" — {app.labels.translate(rv['availability'], lang)}" if rv["availability"] else ""))
    sc.rows([[f"r{r['id']}", _lab(app, "review_step", r["next_step"], lang), T("severity_n", n=r['severity']),
              app.labels.translate(r.get("reason") or "", lang), r.get("item") or ""]
             for r in rv["items"][:limit]], [SEV_COLOUR.get(r["severity"]) for r in rv["items"][:limit]])
    for later in rv["later"][:3]:
        sc.add("  " + T("later_items", count=later['count'], step=_lab(app, "review_step", later['step'], lang),
                        at=dhm(app, later['from'], at), why=app.labels.translate(later['why'], lang)))
    wt = d["waiting"]
    sc.head(T("h_waiting"), "(R-SLA-5)")
    if not wt:
        sc.add("  " + T("none"))
    sc.rows([[f"#{r['id']}", T("promised_at", at=dhm(app, r["promised_at"], at)) if r["promised_at"] else
              T("waiting_since", at=dhm(app, r["paused_since"], at)), _lab(app, "category", r["category"], lang),
              r.get("order_no") or ""] for r in wt[:limit]])
    rec = d["records"]
    sc.head(T("h_my_records"), "(R-KPI-1)")
    if not rec:
        sc.add("  " + T("all_handed_in"))
    sc.rows([[r["day"], _lab(app, "record_status", r["status"], lang), T("due_at", at=r['due'][:16].replace('T', ' '))]
             for r in rec[:limit]],
            ["red" if r["overdue"] else "yellow" for r in rec[:limit]])
    return sc.text()


# --- asx today -----------------------------------------------------------------------------------

STATE_TEXT = {"on_shift": "state_on_shift", "on_break": "state_on_break", "later": "state_later",
              "done": "state_done", "rest": "state_rest", "holiday": "state_holiday", "leave": "state_leave"}


def today_screen(app, d: dict, *, color: bool, total: int, limit: int) -> str:
    lang = app.lang
    T = lambda code, **kw: _t(app, code, **kw)  # noqa: E731
    at: datetime = d["at"]
    sc = Screen(color, total)
    sc.lines.append(sc.style(T("today_title", at=at.strftime('%Y-%m-%d %a %H:%M')), bold=True)
                    + f"  {app.config.get('store.name')}")
    ro = d["roster"]
    sc.head(T("h_shifts"), "(R-ROS)" if ro["known"] else T("no_roster_today"))
    groups: dict[str, list] = {}
    for p in ro["people"]:
        groups.setdefault(p["state"], []).append(p)
    rows, colours = [], []
    for state, people in groups.items():
        names = ", ".join(f"{p['agent']}" + (f" {_lab(app, 'roster_mark', p['shift'], lang)}" if p["shift"] else "")
                          + (f" {p['segments']}" if p["segments"] and state in ("later", "on_break") else "")
                          for p in people)
        rows.append([T(STATE_TEXT[state]) if state in STATE_TEXT else state, names])
        colours.append("green" if state == "on_shift" else None)
    sc.rows(rows, colours)
    for lv in d["leave"]:
        sc.add("  " + T("leave_line", agent=lv['agent'], start=lv['from_day'], end=lv['to_day'])
               + (f" ({lv['reason']})" if lv["reason"] else ""))
    for u in d["uncovered"]:
        sc.lines.append(sc.style(cut("  " + T("uncovered", day=u['day'], shift=_lab(app, 'roster_mark', u['shift'], lang),
                                              have=u['have'], min=u['min']), sc.total), fg="red"))
    due = d["due"]
    sc.head(T("h_cases_due"), T("cases_due_note", h=f"{d['soon_hours']:g}"))
    if not due:
        sc.add("  " + T("nothing_overdue"))
    sc.rows([[r["agent"] or T("unassigned"), T("n_overdue", n=r['overdue']), T("n_soon", n=r['soon']),
              T("first_at", at=dhm(app, r['first_due'], at))] for r in due[:limit]],
            ["red" if r["overdue"] else None for r in due[:limit]])
    if len(due) > limit:
        sc.add("  " + T("more_agents", n=len(due) - limit))
    fc = d["forecast"]
    sc.head(T("h_sla_forecast"), T("forecast_note", h=fc.hours))
    short = fc.short_hours
    if not short:
        sc.add("  " + T("no_breaches", h=fc.hours))
    sc.rows([[f"{hm(app, r['from'])}–{hm(app, r['to'])}", T("n_breaches", n=r['expected_breaches']),
              T("n_due", n=r['due']), T("capacity_n", n=f"{r['capacity']:g}"),
              T("on_agents", agents=", ".join(r["agents_on"]) or T("nobody"))]
             for r in short[:limit]], ["red"] * len(short[:limit]))
    late_promise_lines(app, sc, fc.late_promises, limit)
    rv = d["reviews"]
    sc.head(T("h_review_queue"), T("review_queue_note", windows=rv['call_windows'],
                                   now=T("in_window_now" if rv['in_call_window'] else "not_now")))
    if not rv["steps"]:
        sc.add("  " + T("no_open_reviews"))
    sc.rows([[_lab(app, "review_step", s["step"], lang), T("n_due_now", n=s['due_now'] or 0),
              T("n_later", n=s['later'] or 0),
              T("next_at", at=dhm(app, s["first_later"], at)) if s["first_later"] else ""] for s in rv["steps"]])
    lg = d["ledger"]
    sc.head(T("h_money"), "(R-FIN-1/3)")
    sc.add("  " + T("unsigned_entries", n=lg['count'], amount=yuan(lg['amount_fen'] or 0))
           + (" (asx ledger)" if lg["count"] else ""))
    au = d["audit"]
    if au["counts"]:
        sc.add("  " + T("audit_findings_n", counts=", ".join(f"{n} {_lab(app, 'finding_severity', sev, lang)}"
                                                            for sev, n in sorted(au["counts"].items()))))
        sc.rows([[f.get("rule") or "", _lab(app, "finding_severity", f.get("severity"), lang), f.get("message") or ""]
                 for f in au["items"][:limit]],
                ["red" if f.get("severity") == "error" else None for f in au["items"][:limit]])
    else:
        sc.add("  " + T("no_audit_findings"))
    cp = d["complaints"]
    sc.head(T("h_complaint_ladder", month=cp['month']), T("ladder_note"))
    if not cp["agents"]:
        sc.add("  " + T("no_complaints"))
    sc.rows([[a["agent"], T("n_complaints", n=a['complaints']), app.labels.translate(a["action"], lang)]
             for a in cp["agents"]],
            ["red" if a["dismissal"] else "yellow" for a in cp["agents"]])
    rec = d["records"]
    sc.head(T("h_records_missing"), "(R-KPI-1)")
    if not rec:
        sc.add("  " + T("all_handed_in"))
    by: dict[str, list] = {}
    for r in rec:
        by.setdefault(r["agent"], []).append(r)
    sc.rows([[a, ", ".join(f"{r['day'][5:]}{'' if r['status'] == 'missing' else ' ' + T('late')}" for r in rs)]
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
    T = lambda code, **kw: _t(app, code, **kw)  # noqa: E731
    sc = Screen(color, total)
    sc.lines.append(sc.style(T("forecast_title", at=fc.at.strftime('%Y-%m-%d %H:%M'), h=fc.hours), bold=True)
                    + ("" if fc.known else "  " + T("forecast_partial")))
    rows = [[T(c) for c in ("col_hour", "col_on_shift", "col_capacity", "col_due", "col_queue", "col_breaches",
                            "col_after_moves")]]
    colours: list[str | None] = [None]
    for r in fc.rows:
        rows.append([f"{hm(app, r['from'])}–{hm(app, r['to'])}", ", ".join(r["agents_on"]) or T("nobody"),
                     f"{r['capacity']:g}", str(r["due"]), str(r["queue"]), str(r["expected_breaches"]),
                     str(r["after_moves"])])
        colours.append("red" if r["after_moves"] else ("yellow" if r["expected_breaches"] else None))
    sc.rows(rows, colours)
    sc.head(T("h_verdict"))
    sc.add("  " + app.labels.translate(fc.summary(app), app.lang))
    if fc.moves:
        sc.head(T("h_moves"))
        sc.rows([[f"#{m['case_id']}", f"{m['from'] or T('unassigned')} → {m['to']}", T("due_at", at=hm(app, m['due_at']))]
                 for m in fc.moves])
    if fc.covers:
        sc.head(T("h_covers"), T("covers_note"))
        for c in fc.covers:
            if c["shift"] is None:
                sc.add(f"  {hm(app, c['hour'])}: " + T("n_breaches", n=c['breaches']) + f": {c['note']}")
                continue
            names = "; ".join(f"{x['agent']} ({x['why']})" for x in c["candidates"]) or c["note"] or T("no_candidates")
            sc.add(f"  {hm(app, c['hour'])}: " + T("call_in", n=c['breaches'], extra=c['extra_agents'],
                                                    shift=_lab(app, "roster_mark", c['shift'], app.lang), day=c['day'])
                   + f": {names}")
    sc.head(T("h_rates"), T("rates_note"))
    sc.rows([[a["agent"] or T("unassigned"), f"{a['rate_per_hour']:g}/h", a["rate_source"],
              T("n_overdue", n=a['overdue_now']), T("n_due", n=a['due_in_horizon']),
              T("n_breaches", n=a['expected_breaches'])]
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

    from asx.io.term import use_color

    sys.stdout.write(fn(app, data, color=use_color(app, sys.stdout), total=screen_size(), limit=limit))


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
