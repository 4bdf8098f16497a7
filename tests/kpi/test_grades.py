"""Evaluations, composite score and grades (R-KPI-3), complaint ladder (R-KPI-4), awards (R-KPI-5)."""

from __future__ import annotations

import json

from asx.kpi import grades


def test_ladder_50_100_then_dismissal_review(kpi_data):
    lad = grades.complaint_ladder(kpi_data, "2026-11")
    mm = [r for r in lad if r["agent"] == "萌萌"]
    # C3, C4, C9 in opening order; October's C8 is another month
    assert [r["case_id"] for r in mm] == [kpi_data.ids["C3"], kpi_data.ids["C4"], kpi_data.ids["C9"]]
    assert [r["fine_fen"] for r in mm] == [5000, 10000, None]
    assert mm[2]["action"] == "dismissal review"
    october = grades.complaint_ladder(kpi_data, "2026-10")
    assert [(r["agent"], r["fine_fen"]) for r in october] == [("萌萌", 5000)]   # a new month starts again


def test_ladder_lists_unsettled_complaints_first_on_every_backend(kpi_data, h):
    # PostgreSQL sorts NULL last, SQLite first: the query says which. R-KPI-4: a complaint whose person
    # is unknown is listed for the supervisor to settle, with no fine on anyone's ladder
    none = h.add_case(kpi_data, agent=None, opened="2026-11-15T10:00:00+08:00", category="service", party="us")
    lad = grades.complaint_ladder(kpi_data, "2026-11")
    assert [r["agent"] for r in lad] == ["(unknown)", "萌萌", "萌萌", "萌萌"]
    assert lad[0]["case_id"] == none and lad[0]["fine_fen"] is None and lad[0]["action"].startswith("settle")
    assert grades.ladder_summary(lad)["萌萌"]["complaints"] == 3 and "(unknown)" not in grades.ladder_summary(lad)


def test_ladder_counts_against_whom_the_complaint_is_about_not_the_handler(kpi_data, h):
    # R-KPI-4: a complaint about 萌萌 handled by 小雨 is 萌萌's fourth step (not 小雨's first)
    cid = h.add_case(kpi_data, agent="小雨", about="萌萌", opened="2026-11-25T10:00:00+08:00",
                     category="service", party="us")
    lad = grades.complaint_ladder(kpi_data, "2026-11")
    row = next(r for r in lad if r["case_id"] == cid)
    assert (row["agent"], row["n"], row["handled_by"]) == ("萌萌", 4, "小雨")
    assert "小雨" not in grades.ladder_summary(lad)


def test_ladder_fines_are_settings(kpi_data, asx):
    assert asx("config set kpi.complaint_fines [80,150,300]").exit_code == 0
    from asx.core.app import App

    app = App(kpi_data.cwd)
    try:
        assert [r["fine_fen"] for r in grades.complaint_ladder(app, "2026-11")] == [8000, 15000, 30000]
    finally:
        app.close()


def test_composite_and_grade(kpi_data, asx):
    r = asx("--as 李主管 eval add 小雨 -p 2026-11 --self 90 --supervisor 80 --customer 70")
    assert r.exit_code == 0, r
    ev = {e["agent"]: e for e in grades.evaluate(kpi_data, "2026-11")}
    x = ev["小雨"]
    # indicators: csat 100, resolution rate 100, sla_all 100, review revision 100 → 100
    assert x["indicators"] == 100.0
    # 0.2·90 + 0.3·80 + 0.2·70 + 0.3·100 = 18 + 24 + 14 + 30 = 86 → good 良好
    assert x["composite"] == 86.0 and x["grade"] == "good"


def test_customer_score_defaults_to_csat_and_missing_parts_block_the_grade(kpi_data, asx):
    asx("--as 李主管 eval add 萌萌 -p 2026-11 --supervisor 70")
    ev = {e["agent"]: e for e in grades.evaluate(kpi_data, "2026-11")}
    m = ev["萌萌"]
    assert m["customer"] == 80.0 and m["customer_source"] == "csat"     # mean rating (5+3+4)/3 = 4 → ×20
    assert m["composite"] is None and m["grade"] is None and m["missing"] == "self"
    assert m["complaints"] == 3 and m["fines_fen"] == 15000 and m["ladder"] == "dismissal review"


def test_grade_thresholds_are_settings(kpi_data):
    class Cfg:
        def get(self, key):
            return {"kpi.grades": {"excellent": 95, "good": 85, "pass": 70}}[key]

    class A:
        config = Cfg()

    assert [grades.grade_of(A(), s) for s in (96, 90, 85, 70, 69.9)] == ["excellent", "good", "good", "pass", "fail"]


def test_order_clerk_without_indicators_is_graded_on_evaluations(kpi_data, asx):
    asx("--as 李主管 eval add 阿敏 -p 2026-11 --self 80 --supervisor 90 --customer 100")
    ev = {e["agent"]: e for e in grades.evaluate(kpi_data, "2026-11")}
    # weights 0.2/0.3/0.2 spread to 2/7, 3/7, 2/7: (160 + 270 + 200) / 7 = 90.0
    assert ev["阿敏"]["composite"] == 90.0 and ev["阿敏"]["grade"] == "excellent"
    assert "spread" in ev["阿敏"]["missing"]


def test_awards_name_candidates(kpi_data, asx):
    asx("--as 李主管 eval add 小雨 -p 2026-11 --self 90 --supervisor 80 --customer 70")
    asx("--as 李主管 eval add 萌萌 -p 2026-11 --self 99 --supervisor 99 --customer 99")
    aw = {a["award"]: a for a in grades.awards(kpi_data, "2026-11")}
    assert aw["service_star"]["candidates"] == "萌萌"
    assert aw["problem_solving"]["candidates"] == "小雨"          # 萌萌's resolution rate is below 90 %
    assert aw["teamwork"]["candidates"] == "小雨"                 # 萌萌 has service complaints
    res = asx("eval awards -p 2026-11 -f json")
    assert {a["award"] for a in json.loads(res.stdout)} == {"service_star", "problem_solving", "teamwork"}


def test_agent_enters_only_own_self_score(kpi_data, asx):
    assert asx("--as 萌萌 eval add 萌萌 -p 2026-11 --self 88").exit_code == 0
    r = asx("--as 萌萌 eval add 萌萌 -p 2026-11 --supervisor 99")
    assert r.exit_code == 2 and "supervisor" in r.stderr
    assert asx("--as 萌萌 eval add 小雨 -p 2026-11 --self 50").exit_code == 2
    assert asx("--as 李主管 eval add 萌萌 -p 2026-W47 --self 50").exit_code == 2     # monthly only


def test_eval_show_in_chinese(kpi_data, asx):
    asx("--as 李主管 eval add 小雨 -p 2026-11 --self 90 --supervisor 80 --customer 70")
    r = asx("--lang zh eval show -p 2026-11 -f table")
    assert r.exit_code == 0 and "良好" in r.stdout and "综合分" in r.stdout
    r = asx("--lang zh eval complaints -p 2026-11 -f table")
    # issue 18 item 5: the ladder in Chinese words under --lang zh (R-KPI-4: 3rd complaint → dismissal review)
    assert "辞退审查" in r.stdout and "罚款 50 元" in r.stdout and "50.00" in r.stdout


def test_award_candidates_only_among_people_who_served_customers(kpi_data, asx, h):
    # R-KPI-5: 老周, a specialist with top scores and 0 cases in the month, is no candidate
    h.add_agent(kpi_data, "老周", "specialist")
    asx("--as 李主管 eval add 老周 -p 2026-11 --self 100 --supervisor 100 --customer 100")
    asx("--as 李主管 eval add 小雨 -p 2026-11 --self 90 --supervisor 80 --customer 70")
    ev = {e["agent"]: e for e in grades.evaluate(kpi_data, "2026-11")}
    assert ev["老周"]["cases"] == 0 and ev["老周"]["composite"] == 100.0
    aw = {a["award"]: a for a in grades.awards(kpi_data, "2026-11")}
    assert aw["service_star"]["candidates"] == "小雨"
    assert aw["teamwork"]["candidates"] == "小雨"
