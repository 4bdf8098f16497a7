"""Built-in plugin: the shift roster (R-ROS) — settings, the CP-SAT engine, labels, sample roster."""

from __future__ import annotations

from asx import hookimpl

SETTING_HELP = {
    "cycle_weeks": "Weeks of the rotation cycle; its end wraps to its start (R-ROS-5). 0 = no cycle.",
    "rest_days_per_week": "Rest days per Mon–Sun week: 6 on 1 off 做六休一 (R-ROS-1).",
    "holiday_rest_as_weekly_rest": "May a holiday rest count as the weekly rest (R-ROS-1 with R-ROS-6)? auto: only "
                                   "in holiday weeks the team cannot otherwise cover (the rest would fall inside "
                                   "one switch group, R-ROS-4, or the non-holiday days have no room for every "
                                   "weekly rest beside the shift minimums); always; never (a holiday rest is extra).",
    "max_consecutive_days": "Most working days in a row (0 = no limit).",
    "min_consecutive_days": "Fewest working days in a row (0 = no limit).",
    "min_consecutive_off": "Fewest days off in a row (0 = no limit).",
    "min_rest_hours": "Least rest between two shifts on consecutive days, hours (R-ROS-2; soft by default).",
    "switch_days": "Weekdays on which an agent's shift type may change (R-ROS-4).",
    "rostered_roles": "Roles that are rostered (R-PPL-1).",
    "monday_meeting": "Weekly meeting every Monday (R-ROS-8): rest days on Mondays are avoided; \"\" = none.",
    "shifts": "Shift types {ID = {segments = [\"HH:MM-HH:MM\", …], label_en, label_zh, kind}} (R-ROS-2).",
    "coverage": "Agents per shift every day {ID = {min, target, max}} (R-ROS-3).",
    "coverage_weekday": "Per-weekday coverage overrides {mon = {ID = {min …}}, …} (R-ROS-3).",
    "coverage_holiday": "Coverage on public holidays {ID = {min …}} (R-ROS-3, R-ROS-6).",
    "coverage_workday": "Coverage on 调休 make-up workdays {ID = {min …}}.",
    "coverage_dates": "Coverage on given dates {\"YYYY-MM-DD\" = {ID = {min …}}}.",
    "forbidden_transitions": "Shift pairs not allowed on consecutive days [[\"N\", \"D\"], …].",
    "limits": "Per-agent count limits [{what = \"kind:night\", period = \"week\", max = 7}, …].",
    "families": "How each rule family is enforced {family = {hard = true|false, weight = N}}.",
    "template_weight": "Penalty per cell that leaves the laid-over cycle (holidays, leave, pins).",
    "plan_nights": "Take runs of nights in night-queue order (R-ROS-10 by turns); false: hand out the cycle's lines.",
}


@hookimpl
def register_settings(register):
    # The rule defaults are plain data (asx/roster/defaults.py): no engine import for every command.
    from asx.roster.defaults import DEFAULT_SETTINGS
    from asx.roster.run_settings import RUN_SETTINGS

    for key, (typ, default, help_) in RUN_SETTINGS.items():
        register(f"roster.{key}", typ, default, help_)
    for key, default in DEFAULT_SETTINGS.items():
        typ = {bool: "bool", int: "int", float: "float", list: "list", dict: "dict", str: "str"}.get(type(default),
                                                                                                  "str")
        register(f"roster.{key}", typ, default, SETTING_HELP.get(key, f"Roster rule setting {key}."))
    register("roster.overtime_window_minutes", "int", 180,
             "Case or review events by an agent this long after their shift's end count as overtime (R-ROS-2); "
             "a shift plus this window with no event at all is a possible missed shift (R-ROS-9).")
    register("roster.overtime_all_shifts", "bool", False,
             "Count work after any shift's end as overtime, not only after the shift that ends with the "
             "service hours (the night shift past 23:00, R-ROS-2).")


@hookimpl
def register_roster_engines(register):
    from asx.roster.engines import get_engine

    register(get_engine("cpsat"))  # OR-Tools is imported only when it solves


@hookimpl
def register_labels(register):
    register("roster_mark", "D", "day", "白班", aliases=("白",))
    register("roster_mark", "N", "night", "晚班", aliases=("晚",))
    register("roster_mark", "rest", "rest", "休", aliases=("休息", "off"))
    register("roster_mark", "leave", "leave", "假", aliases=("请假",))
    register("roster_mark", "holiday", "holiday", "节", aliases=("节假日",))
    register("roster_mark", "work", "work", "班")
    for code, zh in zip(("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"), "一二三四五六日"):
        register("weekday", code, code, f"周{zh}")
    for code, zh in (("leave", "请假"), ("cover", "补班"), ("repair", "重排"), ("regenerate", "重新生成"),
                     ("set", "改班"), ("swap", "换班"), ("import", "导入")):  # what made a roster change
        register("roster_change", code, code, zh)
    for code, zh in FAMILY_LABELS:  # the rule families of a roster check (asx.roster.model.RULE_IDS)
        register("roster_family", code, code, zh)


#: Chinese names of the rule families (the ``family`` column of ``asx roster check``)
FAMILY_LABELS = (
    ("coverage_min", "每班最少人数"), ("coverage_target", "每班目标人数"), ("coverage_max", "每班最多人数"),
    ("rest_days", "每周休息"), ("max_consecutive", "最多连续上班"), ("min_consecutive", "最少连续上班"),
    ("min_consecutive_off", "最少连续休息"), ("min_rest", "班次间休息"), ("forbidden_succession", "禁止的班次衔接"),
    ("switch_days", "换班日"), ("limits", "次数限制"), ("events", "例会"), ("requests", "排班请求"),
    ("holiday_rest", "节假日轮休"), ("fair_nights", "晚班公平"), ("fair_weekend_rests", "周末休息公平"),
    ("fair_holiday_rests", "节假日休息公平"), ("leave", "请假"), ("pinned", "已固定的日子"),
    ("shift_allowed", "可上的班次"), ("one_shift", "每天一个班"),
)


def sample_roster(app, sample) -> None:
    """A generated, published roster of the sample team (role agent) for the sample month, with
    one leave and its cover (issue 4 §7). Short deterministic limits keep this ~1 s."""
    from datetime import timedelta

    from asx.roster.days import monday, sunday
    from asx.roster.generate import generate
    from asx.roster.leave import add_leave
    from asx.roster.publish import publish

    start = monday(sample.start.date())
    today = sample.now.date()
    weeks = ((sunday(today) - start).days + 1) // 7 + 1  # the month, plus next week provisional
    by = "李主管" if "李主管" in (sample.team or []) else None
    out = generate(app, start, weeks, seed=sample.seed, time_limit=1.0, workers=2, by=by, kind="generate")
    # one leave on a night in the sample month, before publishing, so the repair finds a cover
    roster = out.result.roster
    night_ids = [s.id for s in out.problem.shifts if s.kind == "night"]
    mid = start + timedelta(days=16)
    pick = None
    names = list(roster.agents)
    sample.rng.shuffle(names)
    for n in names:
        if roster.get(n, mid) in night_ids:
            pick = n
            break
    if pick is not None:
        # reported two days ahead, at 09:00
        reported = sample.start.replace(hour=9) + (mid - timedelta(days=2) - sample.start.date())
        lv = add_leave(app, pick, mid, mid, reason="病假（发烧）", by=by, time_limit=0.5, seed=sample.seed,
                       reported=reported)
        sample.notes["roster_leave"] = {"agent": pick, "day": mid.isoformat(),
                                        "covers": {f"{d} {s}": a for (d, s), a in lv.covers.items()}}
    publish(app, sunday(today), by=by, force=True, note="示例：本月排班发布")
    sample.notes.setdefault("summary", {})["roster"] = out.status_line


def sample_overtime(app, sample) -> str | None:
    """The sample shows overtime after 23:00 (R-ROS-2, issue 16 item 8): yesterday's night agent
    answers a buyer who wrote at 22:50 and stays on until 23:25."""
    from datetime import datetime, time, timedelta

    from asx.cases import service
    from asx.roster.duty import work_segments
    from asx.store import roster as roster_store

    day = (sample.now - timedelta(days=1)).date()
    rows = [r for r in roster_store.days_on(app.store, day.isoformat()) if work_segments(r)]
    late = [r for r in rows if max(b for _, b in work_segments(r)) == 23 * 60]
    if not late:
        return None
    agent = late[0]["agent"]
    base = datetime.combine(day, time(0), tzinfo=app.tz)
    cid = service.open_case(app, {"category": "late_delivery", "channel": "wangwang", "agent": agent,
                                  "order": "3900000000000000801", "buyer": "夜猫子买家",
                                  "summary": "快递三天没动了"}, at=base + timedelta(hours=22, minutes=50), by=agent)
    service.act(app, cid, "respond", at=base + timedelta(hours=22, minutes=52), by=agent, note="已致歉，正在查物流")
    service.act(app, cid, "note", at=base + timedelta(hours=23, minutes=25), by=agent,
                note="买家仍在咨询，已催快递，明早跟进")
    return f"{agent} worked until 23:25 on {day} (overtime)"


@hookimpl
def register_sample(register):
    register(20, "roster", sample_roster)
    register(36, "overtime", sample_overtime)
