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


#: Chinese headers of the built-in indicators' extra columns (issue 18 item 5); a plugin's extra column
#: is headed "<indicator's Chinese title>·<column>"
COLUMN_ZH = {
    "first_response_service_median": "首次响应中位数(服务分钟)", "first_response_service_p90": "首次响应P90(服务分钟)",
    "first_response_calendar_median": "首次响应中位数(自然分钟)", "first_response_calendar_p90": "首次响应P90(自然分钟)",
    "resolution_service_median": "解决时长中位数(服务分钟)", "resolution_service_p90": "解决时长P90(服务分钟)",
    "resolution_calendar_median": "解决时长中位数(自然分钟)", "resolution_calendar_p90": "解决时长P90(自然分钟)",
    "sla_first_response": "首次响应达成率", "sla_solution": "初步方案达成率", "sla_resolution": "解决达成率",
    "sla_feedback": "回访达成率", "sla_all": "时效达成率(全部)", "csat_ratings": "评分数", "promises": "承诺数",
    "reviews": "中差评数", "buyers_ordered": "下单人数", "returns": "退货数",
}


def output_columns(tbl) -> list[Column]:
    cols = [Column(tbl.by, tbl.by, {"agent": "客服", "team": "团队", "store": "店铺", "category": "类别",
                                    "day": "日期"}[tbl.by], kind="category" if tbl.by == "category" else None)]
    for key, ind in tbl.columns[1:]:
        zh = ind.title_zh if ind and key == ind.name else COLUMN_ZH.get(key)
        if zh is None and ind is not None and ind.title_zh:
            zh = f"{ind.title_zh}·{key}"
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
    Column("customer", "customer", "客户评"), Column("customer_source", "customer from", "客户评来源", text=True),
    Column("indicators", "indicators", "指标分"), Column("composite", "composite", "综合分"),
    Column("grade", "grade", "等级", kind="grade"), Column("missing", "missing", "缺项", text=True),
    Column("complaints", "service complaints", "服务投诉"), Column("fines_fen", "fines", "罚款"),
    Column("ladder", "ladder", "处理", text=True), Column("discipline", "confirmed (discipline)", "已确认处分", text=True),
]
LADDER_COLUMNS = [
    Column("month", "month", "月份"), Column("agent", "agent", "客服"), Column("n", "n", "第几次"),
    Column("case_id", "case", "案件"), Column("opened_at", "opened", "时间"),
    Column("fine_fen", "fine", "罚款"), Column("action", "action", "处理", text=True),
    Column("handled_by", "handled by", "处理人"),
]
AWARD_COLUMNS = [
    Column("period", "period", "考核期"), Column("award", "award", "奖项", kind="award"),
    Column("candidates", "candidates", "候选人"), Column("basis", "basis", "依据", text=True), Column("value", "value", "数值"),
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
