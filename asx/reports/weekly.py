"""The Monday meeting pack (seed 001 "每周一例会"): one week's figures as Markdown or HTML.

``collect(app, monday)`` gathers the data once; ``markdown(data, app.labels)`` and ``html(data, app.labels)`` render it.
The HTML page is self-contained (inline CSS and SVG, no script, nothing from the network) and
holds no personal data: agents are staff, buyers never appear.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from html import escape

from asx.core.money import yuan
from asx.core.timeutil import to_epoch

TREND_WEEKS = 6


def _epoch(app, d: date) -> int:
    return to_epoch(datetime(d.year, d.month, d.day, tzinfo=app.tz))


def _label(labels, kind: str, code, lang: str = "zh") -> str:
    return labels.label(kind, code, lang) if code is not None else ""


def _series(labels, key: str) -> str:
    """An SLA series by its label, not its key: ``sla_first_response`` → 首次响应 (issue 18 item 5)."""
    if key == "sla_all":
        return "全部 all"
    return _label(labels, "sla_target", key[4:]) if key.startswith("sla_") else key


def collect(app, monday: date) -> dict:
    from asx.kpi import records
    from asx.kpi import export as kpi_export
    from asx.kpi.compute import compute, make_query
    from asx.store import kpi as kpi_store

    end = monday + timedelta(days=7)
    a, b = _epoch(app, monday), _epoch(app, end)
    week = f"{monday.isocalendar()[0]}-W{monday.isocalendar()[1]:02d}"
    cases = kpi_store.cases_by(app.store, a, b)
    by_cat: dict[str, int] = {}
    by_party: dict[str, int] = {}
    for r in cases:
        by_cat[r["category"]] = by_cat.get(r["category"], 0) + r["n"]
        by_party[r["party"]] = by_party.get(r["party"], 0) + r["n"]
    trend = []
    for k in range(TREND_WEEKS - 1, -1, -1):
        m = monday - timedelta(days=7 * k)
        lab = f"{m.isocalendar()[0]}-W{m.isocalendar()[1]:02d}"
        q = make_query(app, lab, "team")
        _, rows = compute(q, ["sla_attainment"], staff=False)
        vals = rows[0] if rows else {}
        trend.append({"week": lab, **{k2: v for k2, v in vals.items() if k2.startswith("sla_")}})
    q = make_query(app, week, "agent")
    _, agent_rows = compute(q, ["cases_handled", "first_response_time", "resolution_rate", "csat",
                                "service_complaints"])
    sunday = end - timedelta(days=1)
    month = f"{sunday.year}-{sunday.month:02d}"
    _, ladder, _ = kpi_export.evaluation_tables(app, month)
    prev = monday - timedelta(days=7)
    nxt = end
    roster = kpi_store.roster_span(app.store, nxt.isoformat(), (nxt + timedelta(days=7)).isoformat())
    return {
        "week": week, "from": monday.isoformat(), "to": sunday.isoformat(),
        "store": app.config.get("store.name"), "timezone": app.config.get("store.timezone"),
        "generated_at": app.iso(app.now()),
        "cases": cases, "by_category": by_cat, "by_party": by_party,
        "trend": trend, "agents": agent_rows,
        "reviews": kpi_store.reviews_by_progress(app.store, a, b),
        "refunds": kpi_store.refunds_by_reason(app.store, a, b),
        "ladder_month": month, "ladder": ladder,
        "roster_from": nxt.isoformat(), "roster": roster,
        "missing_week": f"{prev.isocalendar()[0]}-W{prev.isocalendar()[1]:02d}",
        "missing_due": app.iso(to_epoch(records.deadline(app, prev))),
        "missing": records.missing(app, prev),
    }


def _pct(v) -> str:
    return "—" if v is None else f"{v:.1%}"


def _table(headers: list[str], rows: list[list]) -> list[str]:
    out = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    for r in rows:
        out.append("| " + " | ".join("" if c is None else str(c).replace("|", "\\|") for c in r) + " |")
    return out


def _sections(d: dict, labels) -> list[tuple[str, list[str], list[list], str | None]]:
    """(title, headers, rows, chart kind) — shared by Markdown and HTML."""
    cats = sorted(d["by_category"])
    parties = sorted(d["by_party"])
    grid = {(r["category"], r["party"]): r["n"] for r in d["cases"]}
    case_rows = [[_label(labels, "category", c)] + [grid.get((c, p), 0) for p in parties] + [d["by_category"][c]]
                 for c in cats]
    if cats:
        case_rows.append(["合计 total"] + [d["by_party"][p] for p in parties] + [sum(d["by_category"].values())])
    targets = sorted({k for t in d["trend"] for k in t if k.startswith("sla_")})
    trend_rows = [[t["week"]] + [_pct(t.get(k)) for k in targets] for t in d["trend"]]
    agents = [[r["agent"], r["cases_handled"], r.get("first_response_service_median") or "—",
               r.get("first_response_calendar_median") or "—", _pct(r.get("resolution_rate")), _pct(r.get("csat")),
               r.get("service_complaints") or 0] for r in d["agents"]]
    reviews = [[_label(labels, "review_progress", r["progress"]) or r["progress"], r["n"], r["negative"]]
               for r in d["reviews"]]
    refunds = [[_label(labels, "ledger_reason", r["reason"]) or r["reason"], r["n"], yuan(r["fen"] or 0)]
               for r in d["refunds"]]
    if refunds:
        refunds.append(["合计 total", sum(r["n"] for r in d["refunds"]), yuan(sum(r["fen"] or 0 for r in d["refunds"]))])
    ladder = [[r["agent"], r["n"], r["case_id"], r["opened_at"][:16], r["fine"] or "—",
               labels.translate(r["action"], "zh")]
              for r in d["ladder"]]
    days = [(date.fromisoformat(d["roster_from"]) + timedelta(days=i)) for i in range(7)]
    ros: dict[str, dict[str, str]] = {}
    for r in d["roster"]:
        ros.setdefault(r["agent"], {})[r["day"]] = r["shift"] if r["mark"] == "work" else \
            {"rest": "休", "leave": "假", "holiday": "节"}.get(r["mark"], r["mark"])
    roster_rows = [[a] + [ros[a].get(x.isoformat(), "") for x in days] for a in sorted(ros)]
    missing = [[m["agent"], m["day"], _label(labels, "record_status", m["status"]), m["submitted_at"][:16]]
               for m in d["missing"]]
    wd = "一二三四五六日"
    return [
        (f"案件：类别 × 责任方 Cases by category and responsible party", ["类别 category"] +
         [_label(labels, "party", p) or p for p in parties] + ["合计"], case_rows, "cases"),
        ("时效达成趋势 SLA attainment trend", ["周 week"] + [_series(labels, k) for k in targets], trend_rows, "trend"),
        ("客服指标 Agents this week", ["客服 agent", "案件 cases", "首响中位(服务分钟)", "首响中位(日历分钟)",
                                       "解决率", "满意度 CSAT", "服务投诉"], agents, None),
        ("中差评进度 Reviews by progress", ["进度 progress", "条数", "差评"], reviews, "reviews"),
        ("退款与补偿 Refunds and compensation", ["原因 reason", "笔数", "金额(元)"], refunds, "refunds"),
        (f"服务投诉罚款 Fines ladder {d['ladder_month']}", ["客服", "第几次", "案件", "时间", "罚款(元)", "处理"],
         ladder, None),
        (f"下周排班 Next week's roster (from {d['roster_from']})",
         ["客服"] + [f"{x.month}/{x.day} 周{wd[x.weekday()]}" for x in days], roster_rows, None),
        (f"未交日报 Missing daily records {d['missing_week']} (due {d['missing_due'][:16]})",
         ["客服", "日期", "状态", "提交时间"], missing, None),
    ]


def markdown(d: dict, labels) -> str:
    out = [f"# 周例会 Weekly meeting pack {d['week']}", "",
           f"{d['store']} · {d['from']} – {d['to']} · {d['timezone']}", "",
           f"generated_at: {d['generated_at']}", ""]
    for title, headers, rows, _ in _sections(d, labels):
        out += [f"## {title}", ""]
        out += _table(headers, rows) if rows else ["(none)"]
        out.append("")
    return "\n".join(out)


CSS = """body{font-family:sans-serif;margin:2em;color:#222;max-width:1000px}
table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}
th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}h2{margin-top:1.6em;font-size:1.15em}
.meta{color:#666}svg{max-width:100%;height:auto}.wide{overflow-x:auto}
@media (max-width:600px){body{margin:.6em}td,th{padding:2px 4px}}
@media print{body{margin:0;max-width:none;font-size:10pt}h2{break-after:avoid}table,svg{break-inside:avoid}
.wide{overflow:visible}th{background:#eee;-webkit-print-color-adjust:exact;print-color-adjust:exact}}"""


def _chart(kind: str | None, d: dict, labels) -> str:
    from asx.reports import svg

    if kind == "cases":
        return svg.hbar([(_label(labels, "category", c), n) for c, n in sorted(d["by_category"].items())],
                        title="类别 by category") + \
            svg.hbar([(_label(labels, "party", p) or p, n) for p, n in sorted(d["by_party"].items())],
                     title="责任方 by responsible party")
    if kind == "trend":
        targets = sorted({k for t in d["trend"] for k in t if k.startswith("sla_")})
        return svg.line({_series(labels, k): [t.get(k) for t in d["trend"]] for k in targets},
                        [t["week"][5:] for t in d["trend"]],
                        title="SLA attainment")
    if kind == "reviews":
        return svg.hbar([(_label(labels, "review_progress", r["progress"]) or r["progress"], r["n"]) for r in d["reviews"]],
                        title="进度 by progress")
    if kind == "refunds":
        return svg.hbar([(_label(labels, "ledger_reason", r["reason"]) or r["reason"], (r["fen"] or 0) / 100)
                         for r in d["refunds"]], title="金额 yuan",
                        fmt=lambda v: f"{v:.2f}")
    return ""


def html(d: dict, labels) -> str:
    out = ["<!DOCTYPE html>", '<html lang="zh"><head><meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f'<meta name="generated_at" content="{escape(d["generated_at"])}">',
           f"<title>周例会 {escape(d['week'])}</title><style>{CSS}</style></head><body>",
           f"<h1>周例会 Weekly meeting pack {escape(d['week'])}</h1>",
           f'<p class="meta">{escape(str(d["store"]))} · {d["from"]} – {d["to"]} · {escape(d["timezone"])}</p>']
    for title, headers, rows, kind in _sections(d, labels):
        out.append(f"<h2>{escape(title)}</h2>")
        chart = _chart(kind, d, labels)
        if chart:
            out.append(f"<div>{chart}</div>")
        if rows:
            out.append('<div class="wide"><table><tr>' + "".join(f"<th>{escape(str(h))}</th>" for h in headers)
                       + "</tr>")
            for r in rows:
                out.append("<tr>" + "".join(f"<td>{escape('' if c is None else str(c))}</td>" for c in r) + "</tr>")
            out.append("</table></div>")
        else:
            out.append("<p>(none)</p>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


# --- the nightly job (registered by asx/plugins/reports.py) --------------------------------------

def nightly_weekly_pack(ctx) -> str:
    """On Mondays (a run for a Sunday): the Monday meeting pack of the week that ended."""
    from asx.core.job import JobSkipped

    if ctx.day.weekday() != 6:
        raise JobSkipped("the weekly pack is made on Mondays (for the week ending Sunday)")
    monday = ctx.day - timedelta(days=6)
    data = collect(ctx.app, monday)
    data["generated_at"] = ctx.generated_at
    label = data["week"]
    ctx.write_text(f"weekly-{label}.md", markdown(data, ctx.app.labels))
    ctx.write_text(f"weekly-{label}.html", html(data, ctx.app.labels))
    return f"weekly pack {label}"
