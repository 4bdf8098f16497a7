"""Built-in plugin: the daily view (issue 11) — settings, the default case assignment rule
(``assign_case``, R-ROS-9) and the nightly ``sla-forecast`` job."""

from __future__ import annotations

from asx import hookimpl


@hookimpl
def register_settings(register):
    register("daily.assignment", "str", "least_loaded",
             "Who gets a case opened without --agent: least_loaded (the agent on shift with the fewest open "
             "cases, ties by same-category experience) or none (the person who opened it). Plugins override "
             "it through the assign_case hook.", choices=("least_loaded", "none"))
    register("daily.experience_days", "int", 30,
             "Days of history counted as same-category experience (tie-break of least_loaded).")
    register("daily.forecast_hours", "int", 8, "Hours ahead `asx sla forecast` and `asx today` look.")
    register("daily.rate_lookback_days", "int", 14,
             "Days of case history the handling rate (cases handled per on-shift hour) is measured over.")
    register("daily.min_rate_hours", "float", 4.0,
             "On-shift hours of history an agent needs before their own handling rate is used (else the team's).")
    register("daily.default_rate", "float", 2.0,
             "Cases an agent handles per on-shift hour when there is no history to measure it.")
    register("daily.soon_hours", "float", 2.0, "`asx me`/`asx today`: cases due within this many hours are soon due.")
    register("daily.waiting_buyer_hours", "float", 48.0,
             "`asx me`: a case waiting on the buyer without a promised time is flagged after this many hours.")
    register("daily.handover_times", "list", ["17:30"], "Shift handover times shown by `asx me` (R-ROS-2).")
    register("daily.morning", "time_range", "08:30-12:00",
             "The morning the nightly sla-forecast checks for tomorrow (a warning line when it is short).")
    register("daily.list_limit", "int", 10, "Rows per section on the `asx me`/`asx today` screen (JSON: all).")
    register("desk.poll_seconds", "float", 0.5,
             "`asx desk`: how often the screen asks the database whether anything changed (a change counter: "
             "SQLite data_version, PostgreSQL LISTEN/NOTIFY), in seconds.")
    register("desk.warn_minutes", "int", 30, "`asx desk`: a case due within this many minutes turns amber (R-SLA).")
    register("desk.first_paint", "bool", True,
             "`asx desk`: draw the queue as plain text the moment it is read, while the live screen starts.")
    register("desk.list_limit", "int", 100, "`asx desk`: rows loaded per pane (cases by time to breach, reviews, ...).")


#: what the `asx desk` screen says (issue 20): kind ``desk`` of app.labels, (code, English, Chinese)
DESK_LABELS = (
    ("cases", "My cases", "我的工单"), ("team_cases", "Team cases", "团队工单"), ("reviews", "Reviews", "评价"),
    ("waiting", "Waiting", "等待中"), ("lapsed", "promise passed", "承诺已过"), ("money", "Unsigned money", "未签核款项"),
    ("id", "#", "#"), ("left", "left", "剩余"), ("due", "due", "到期"), ("target", "target", "目标"),
    ("sev", "sev", "级别"), ("category", "category", "类别"), ("status", "status", "状态"),
    ("order", "order", "订单"), ("promised", "promised", "承诺"), ("agent", "agent", "客服"),
    ("step", "do", "下一步"), ("why", "why", "原因"), ("item", "item", "商品"), ("owner", "owner", "负责人"),
    ("when", "when", "时间"), ("yuan", "yuan", "金额(元)"), ("reason", "reason", "事由"), ("case", "case", "工单"),
    ("review", "review", "评价"), ("since", "waiting since", "等待自"),
    ("on_shift", "on shift", "在班"), ("on_break", "on a break", "班间休息"), ("resting", "resting today", "今日休息"),
    ("on_leave", "on leave today", "今日请假"), ("off_duty", "off duty", "不在班"),
    ("no_roster", "no roster stored for today", "今日无排班"), ("now", "now", "当前"), ("next", "next", "下一班"),
    ("ends_in", "ends in", "还剩"), ("handover", "handover", "交接"), ("handover_note", "Handover note", "交接留言"),
    ("no_handover", "no handover note left for you since your last shift", "上次下班后没有给你的交接留言"),
    ("from", "from", "留言人"), ("team", "team", "团队"), ("calls_now", "calls allowed now", "现在可打电话"),
    ("calls_not_now", "no calls now", "现在不可打电话"), ("later", "later", "稍后"),
    ("nothing", "nothing here", "暂无"), ("unsigned_total", "unsigned since yesterday", "昨日以来未签核"),
    ("k_respond", "respond", "回复"), ("k_note", "note", "备注"), ("k_tick", "tick step", "勾选步骤"),
    ("k_wait", "wait/resume", "等待/恢复"), ("k_promise", "promise", "承诺"), ("k_resolve", "resolve", "解决"),
    ("k_escalate", "escalate", "升级"), ("k_detail", "detail", "详情"), ("k_contact", "contact", "联系买家"),
    ("k_reveal", "reveal", "显示原文"), ("k_filter", "filter", "筛选"), ("k_keys", "keys", "按键"),
    ("k_quit", "quit", "退出"), ("k_tabs", "switch pane", "切换"), ("k_back", "back", "返回"),
    ("f_note", "note", "备注"), ("f_solution", "an initial solution was offered (R-SLA-2)", "已给出初步方案 (R-SLA-2)"),
    ("f_step", "checklist step (R-CASE-3)", "检查步骤 (R-CASE-3)"), ("f_on", "wait for", "等待"),
    ("f_by", "by (time)", "承诺时间"), ("f_reason", "reason (a promise after the target)", "原因 (晚于目标时限)"),
    ("f_resolution", "resolution (R-CASE-4)", "处理方式 (R-CASE-4)"),
    ("f_party", "responsible party (R-CASE-5)", "责任方 (R-CASE-5)"), ("f_amount", "amount (yuan)", "金额(元)"),
    ("f_to", "specialist (R-CASE-7)", "专员 (R-CASE-7)"), ("f_via", "via (R-REV-2)", "方式 (R-REV-2)"),
    ("f_result", "result", "结果"), ("f_promised_by", "promised by (date)", "答应修改日期"),
    ("ok", "OK", "确定"), ("cancel", "Cancel", "取消"), ("select_case", "select a case first", "请先选择工单"),
    ("select_review", "select a review first", "请先选择评价"),
    ("reveal_q", "Show the buyer data of case #{id} unmasked? This is recorded (R-SEC-1).",
     "显示工单 #{id} 的买家原始信息？此操作会被记录 (R-SEC-1)。"),
    ("checklist", "Checklist (R-CASE-3)", "检查清单 (R-CASE-3)"), ("sla", "Service levels (R-SLA)", "服务时限 (R-SLA)"),
    ("history", "History", "处理记录"), ("keys_title", "Keys", "按键"), ("updated", "updated", "已更新"),
    ("overdue", "overdue", "超时"),
    ("wd0", "Mon", "周一"), ("wd1", "Tue", "周二"), ("wd2", "Wed", "周三"), ("wd3", "Thu", "周四"),
    ("wd4", "Fri", "周五"), ("wd5", "Sat", "周六"), ("wd6", "Sun", "周日"),
)


@hookimpl
def register_labels(register):
    for code, en, zh in DESK_LABELS:
        register("desk", code, en, zh)


@hookimpl(trylast=True)
def assign_case(app, case, candidates):
    """The built-in rule (asx.daily.assign): least loaded among the agents on shift."""
    if app.config.get("daily.assignment") != "least_loaded":
        return None
    from asx.daily.assign import least_loaded

    return least_loaded(app, case, list(candidates))


@hookimpl
def register_nightly_jobs(register):
    from asx.daily.forecast import nightly_sla_forecast

    register(40, "sla-forecast", nightly_sla_forecast)


@hookimpl
def register_sample(register):
    from asx.daily.sample import sample_handovers

    register(80, "handover notes", sample_handovers)
