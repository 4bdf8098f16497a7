"""Shaping KPI tables, grades, the fines ladder and awards for output (commands and nightly)."""

from __future__ import annotations

import json

from asx.core.money import yuan
from asx.io.output import Column

COMPOSITE = 1


def kpi_table(app, period: str, by: str, names: list[str] | None = None, *, generated_at: str | None = None):
    from asx.kpi.compute import table

    tbl = table(app, period, by, names)
    if generated_at:
        tbl.meta["generated_at"] = generated_at
    return tbl


def output_columns(tbl) -> list[Column]:
    cols = [Column(tbl.by, tbl.by, {"agent": "客服", "team": "团队", "store": "店铺", "category": "类别",
                                    "day": "日期"}[tbl.by], kind="category" if tbl.by == "category" else None)]
    for key, ind in tbl.columns[1:]:
        zh = ind.title_zh if ind and key == ind.name else None
        # a yuan indicator is a money number in an XLSX workbook (issue 18 item 2)
        cols.append(Column(key, key, zh, unit="yuan" if ind and key == ind.name and ind.unit == "yuan" else None))
    return cols


def record_run(app, tbl, target: str) -> None:
    from asx.store import kpi as kpi_store
    from asx.core.timeutil import parse_time, to_epoch

    who = app.acting_name
    with app.store.tx():
        kpi_store.record_run(app.store, {
            "at": to_epoch(app.now()), "by": who, "period": tbl.meta["period"],
            "period_from": to_epoch(parse_time(tbl.meta["from"], app.tz)),
            "period_to": to_epoch(parse_time(tbl.meta["to"], app.tz)),
            "group_by": tbl.by, "versions": json.dumps(tbl.meta["indicators"], ensure_ascii=False),
            "rows": len(tbl.rows), "sha256": tbl.meta["figures_sha256"], "target": target})


GRADE_COLUMNS = [
    Column("period", "period", "考核期"), Column("agent", "agent", "客服"),
    Column("self", "self", "自评"), Column("supervisor", "supervisor", "主管评"),
    Column("customer", "customer", "客户评"), Column("customer_source", "customer from", "客户评来源"),
    Column("indicators", "indicators", "指标分"), Column("composite", "composite", "综合分"),
    Column("grade", "grade", "等级", kind="grade"), Column("missing", "missing", "缺项"),
    Column("complaints", "service complaints", "服务投诉"), Column("fines_fen", "fines", "罚款"),
    Column("ladder", "ladder", "处理"), Column("discipline", "confirmed (discipline)", "已确认处分"),
]
LADDER_COLUMNS = [
    Column("month", "month", "月份"), Column("agent", "agent", "客服"), Column("n", "n", "第几次"),
    Column("case_id", "case", "案件"), Column("opened_at", "opened", "时间"),
    Column("fine_fen", "fine", "罚款"), Column("action", "action", "处理"),
    Column("handled_by", "handled by", "处理人"),
]
AWARD_COLUMNS = [
    Column("period", "period", "考核期"), Column("award", "award", "奖项", kind="award"),
    Column("candidates", "candidates", "候选人"), Column("basis", "basis", "依据"), Column("value", "value", "数值"),
]


def evaluation_tables(app, month: str) -> tuple[list[dict], list[dict], list[dict]]:
    """(grades, complaint ladder, award candidates) of the month, ready for output."""
    from asx.kpi import grades

    ev = grades.evaluate(app, month)
    lad = grades.complaint_ladder(app, month)
    aw = grades.awards(app, month, ev)
    ev_rows = [{**{k: v for k, v in r.items() if not k.startswith("_")}, "fines": yuan(r["fines_fen"]) or None}
               for r in ev]
    lad_rows = [{**r, "opened_at": app.iso(r["opened_at"]), "fine": yuan(r["fine_fen"]) or None} for r in lad]
    return ev_rows, lad_rows, aw


# --- the nightly job (registered by asx/plugins/kpi.py) ------------------------------------------

def nightly_kpi_export(ctx) -> str:
    """The day's and the month-to-date KPI tables, the month's grades, fines ladder and award candidates."""
    app, day = ctx.app, ctx.day
    month_start = day.replace(day=1)
    mtd = f"{month_start.isoformat()}..{day.isoformat()}"
    n = 0
    for period, tag, by in ((day.isoformat(), "day", "agent"), (mtd, "month", "agent"),
                            (mtd, "month", "category"), (mtd, "month", "team")):
        tbl = kpi_table(app, period, by, generated_at=ctx.generated_at)
        n += ctx.write_rows(f"kpi-{tag}-by-{by}.csv", tbl.rows, output_columns(tbl), meta=tbl.meta)
    month = f"{day.year}-{day.month:02d}"
    ev, lad, aw = evaluation_tables(app, month)
    base = {"kind": "evaluation", "period": month, "timezone": app.config.get("store.timezone"),
            "up_to": day.isoformat()}
    ctx.write_rows(f"grades-{month}.csv", ev, GRADE_COLUMNS, meta={**base, "composite_version": COMPOSITE})
    ctx.write_rows(f"complaints-{month}.csv", lad, LADDER_COLUMNS, meta={**base, "kind": "complaint_ladder"})
    ctx.write_rows(f"awards-{month}.csv", aw, AWARD_COLUMNS, meta={**base, "kind": "award_candidates"})
    return f"{n} KPI rows, {len(ev)} grades, {len(lad)} complaints"
