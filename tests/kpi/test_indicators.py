"""One test per indicator on the hand-computed data set of conftest.py (R-KPI-2).

萌萌's November cohort: C1 C2 C3 C4 C5 C9 (C6 is merged into C1, C8 was opened in October).
Resolved before 1 December: C1 C2 C4 C9 (C5 was resolved on 1 December).
"""

from __future__ import annotations

import json

import pytest

from asx.kpi.compute import compute, make_query


def rows(app, by="agent", period="2026-11", names=None):
    _, rs = compute(make_query(app, period, by), names)
    return {r[by]: r for r in rs}


def test_cases_handled(kpi_data):
    r = rows(kpi_data, names=["cases_handled"])
    assert r["萌萌"]["cases_handled"] == 6      # merged C6 and October's C8 left out
    assert r["小雨"]["cases_handled"] == 1
    assert r["阿敏"]["cases_handled"] == 0      # staff without cases still get a row


def test_first_response_calendar_minutes(kpi_data):
    r = rows(kpi_data, names=["first_response_time"])["萌萌"]
    # calendar minutes: C1 2, C2 590 (22:50 → 08:40), C3 5, C4 1, C5 3, C9 2 → 1 2 2 3 5 590
    assert r["first_response_calendar_median"] == 2.5
    assert r["first_response_calendar_p90"] == 590


def test_first_response_service_minutes_skip_closed_hours(kpi_data):
    r = rows(kpi_data, names=["first_response_time"])["萌萌"]
    # service minutes: C2 counts 22:50–23:00 and 08:30–08:40 = 20 → 1 2 2 3 5 20
    assert r["first_response_service_median"] == 2.5
    assert r["first_response_service_p90"] == 20


def test_resolution_time_calendar_excludes_paused_span(kpi_data):
    r = rows(kpi_data, names=["resolution_time"])["萌萌"]
    # C1 120, C2 710 − 60 paused = 650, C4 30, C9 60 → 30 60 120 650
    assert r["resolution_calendar_median"] == 90
    assert r["resolution_calendar_p90"] == 650


def test_resolution_time_service_minutes_with_pause(kpi_data):
    r = rows(kpi_data, names=["resolution_time"])["萌萌"]
    # C2: 10 + 130 service minutes − 60 paused = 80; C1 120, C4 30, C9 60 → 30 60 80 120
    assert r["resolution_service_median"] == 70
    assert r["resolution_service_p90"] == 120


def test_resolution_rate(kpi_data):
    r = rows(kpi_data, names=["resolution_rate"])
    assert r["萌萌"]["resolution_rate"] == round(4 / 6, 4)   # C5 resolved after the period's end
    assert r["小雨"]["resolution_rate"] == 1.0
    assert r["阿敏"]["resolution_rate"] is None


def test_sla_attainment_per_target(kpi_data):
    r = rows(kpi_data, names=["sla_attainment"])["萌萌"]
    # first_response: met C1 C4 C5 C9, breached C2 C3 → 4/6
    assert r["sla_first_response"] == round(4 / 6, 4)
    # resolution: met C1 C2 C4 C9, breached C5 (C3 pending is left out) → 4/5
    assert r["sla_resolution"] == 0.8
    assert r["sla_feedback"] is None                 # only a cancelled target
    assert r["sla_all"] == round(8 / 11, 4)


def test_reopen_rate(kpi_data):
    assert rows(kpi_data, names=["reopen_rate"])["萌萌"]["reopen_rate"] == 0.25   # C2 of 4 resolved


def test_one_touch_rate(kpi_data):
    r = rows(kpi_data, names=["one_touch_rate"])
    assert r["萌萌"]["one_touch_rate"] == 0.75      # C1 C4 C9 with one response; C2 had three
    assert r["小雨"]["one_touch_rate"] == 0.0       # two responses


def test_csat_share_of_ratings_4_or_5(kpi_data):
    r = rows(kpi_data, names=["csat"])["萌萌"]
    assert r["csat"] == round(2 / 3, 4)              # 5, 3, 4
    assert r["csat_ratings"] == 3


def test_service_complaints(kpi_data):
    assert rows(kpi_data, names=["service_complaints"])["萌萌"]["service_complaints"] == 3   # C3 C4 C9


def test_review_revision_rate(kpi_data):
    r = rows(kpi_data, names=["review_revision_rate"])
    # 4 reviews; one revised in time, the other revised only on 2 December
    assert r["萌萌"]["review_revision_rate"] == 0.25
    assert r["萌萌"]["reviews"] == 4
    assert r["小雨"]["review_revision_rate"] == 1.0


def test_refunds_paid_and_count(kpi_data):
    r = rows(kpi_data, names=["refunds_paid", "refunds_count"])
    assert r["萌萌"]["refunds_paid"] == "45.50"      # 30 + 15.50; money coming in is not paid
    assert r["萌萌"]["refunds_count"] == 2
    assert r["小雨"]["refunds_paid"] == "100.00"     # October's 999 left out


def test_buyers_served_and_conversion(kpi_data):
    r = rows(kpi_data, names=["buyers_served", "conversion_rate", "order_amount", "daily_records"])
    assert r["萌萌"]["buyers_served"] == 50 and r["萌萌"]["buyers_ordered"] == 10
    assert r["萌萌"]["conversion_rate"] == 0.2
    assert r["萌萌"]["order_amount"] == "2000.00"
    assert r["萌萌"]["daily_records"] == 2
    assert r["小雨"]["conversion_rate"] == 0.5


def test_shipments_and_returns(kpi_data):
    r = rows(kpi_data, names=["shipments"])
    assert r["阿敏"]["shipments"] == 15 and r["阿敏"]["returns"] == 1


def test_by_category(kpi_data):
    r = rows(kpi_data, by="category", names=["cases_handled", "first_response_time", "refunds_paid"])
    assert r["quality"]["cases_handled"] == 3          # C1 C7 and C5 (default category)
    assert r["service"]["cases_handled"] == 3
    assert r["quality"]["refunds_paid"] == "130.00"    # C1 30 + C7 100
    assert r["review"]["refunds_paid"] == "15.50"      # paid for a review without a case


def test_by_team_and_store(kpi_data):
    team = rows(kpi_data, by="team", names=["cases_handled"])
    assert list(team.values())[0]["cases_handled"] == 7
    store = rows(kpi_data, by="store", names=["cases_handled", "buyers_served"])
    assert store["旗舰店"]["cases_handled"] == 7        # case store empty: the agent's store
    assert store["旗舰店"]["buyers_served"] == 60


def test_by_day_uses_store_timezone(kpi_data, h):
    h.add_case(kpi_data, agent="小雨", opened="2026-11-15T00:30:00+08:00", fr="2026-11-15T08:31:00+08:00",
               sla={"first_response": ("met", None)})
    r = rows(kpi_data, by="day", names=["cases_handled", "first_response_time"])
    assert r["2026-11-15"]["cases_handled"] == 1      # 16:30 UTC the day before
    assert "2026-11-14" not in r
    assert r["2026-11-15"]["first_response_service_median"] == 1   # the store opened at 08:30


def test_recompute_closed_period_same_numbers(kpi_data, h):
    from asx.kpi.compute import table

    a = table(kpi_data, "2026-11", "agent")
    # December work on a November case must not change November: C3 resolved on 2 December
    with kpi_data.store.tx():
        kpi_data.store.execute("UPDATE cases SET resolved_at = ?, status = 'resolved' WHERE id = ?",
                               (h.ts("2026-12-02T10:00:00+08:00"), kpi_data.ids["C3"]))
    b = table(kpi_data, "2026-11", "agent")
    assert a.rows == b.rows
    assert a.meta["figures_sha256"] == b.meta["figures_sha256"]
    dec = rows(kpi_data, period="2026-11..2026-12", names=["resolution_rate"])
    assert dec["萌萌"]["resolution_rate"] == round(6 / 6, 4)     # seen from December both are resolved


def test_range_period(kpi_data):
    r = rows(kpi_data, period="2026-11-01..2026-11-05", names=["cases_handled"])
    assert r["萌萌"]["cases_handled"] == 3             # C1 C2 C3


def test_export_json_carries_metadata(kpi_data, asx):
    res = asx("kpi export -p 2026-11 -f json")
    assert res.exit_code == 0, res
    doc = json.loads(res.stdout)
    m = doc["meta"]
    assert m["period"] == "2026-11" and m["timezone"] == "Asia/Shanghai" and m["group_by"] == "agent"
    assert m["indicators"]["first_response_time"] == 1
    assert m["from"] == "2026-11-01T00:00:00+08:00" and m["to"] == "2026-12-01T00:00:00+08:00"
    assert "generated_at" in m
    by = {r["agent"]: r for r in doc["rows"]}
    assert by["萌萌"]["cases_handled"] == 6
    again = json.loads(asx("kpi export -p 2026-11 -f json").stdout)
    assert again["rows"] == doc["rows"] and again["meta"]["figures_sha256"] == m["figures_sha256"]
    runs = asx("kpi runs -f json")
    assert len(json.loads(runs.stdout)) == 2


def test_export_csv_with_sidecar_and_excel(kpi_data, asx, tmp_path):
    out = tmp_path / "k.csv"
    res = asx(f"kpi export -p 2026-11 --by category -o {out}")
    assert res.exit_code == 0, res
    meta = json.loads((tmp_path / "k.csv.meta.json").read_text(encoding="utf-8"))
    assert meta["group_by"] == "category" and meta["indicators"]["csat"] == 1
    assert out.read_text(encoding="utf-8").startswith("category,cases_handled")
    res = asx(f"kpi export -p 2026-11 --excel -o {tmp_path / 'x.csv'}")
    assert (tmp_path / "x.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_export_xlsx(kpi_data, asx, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    out = tmp_path / "k.xlsx"
    res = asx(f"kpi export -p 2026-11 --xlsx -o {out}")
    assert res.exit_code == 0, res
    wb = openpyxl.load_workbook(out)
    assert wb["KPI"].cell(1, 1).value == "agent"
    meta = {r[0].value: r[1].value for r in wb["meta"].iter_rows()}
    assert meta["period"] == "2026-11"


def test_xlsx_missing_openpyxl_is_one_clear_line(kpi_data, asx, tmp_path, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "openpyxl", None)
    res = asx(f"kpi export -p 2026-11 --xlsx -o {tmp_path / 'k.xlsx'}")
    assert res.exit_code == 2 and "asx[xlsx]" in res.stderr


def test_exports_mask_nothing_personal(kpi_data, asx):
    from asx.io.masking import find_unmasked

    res = asx("kpi export -p 2026-11 --by category -f csv")
    assert not find_unmasked(res.stdout)
    assert "13812345678" not in res.stdout and "tb_buyer" not in res.stdout


def test_kpi_list_has_definitions_and_versions(kpi_data, asx):
    res = asx("kpi list -f json")
    items = {i["name"]: i for i in json.loads(res.stdout)}
    for name in ("cases_handled", "first_response_time", "resolution_time", "resolution_rate", "sla_attainment",
                 "reopen_rate", "one_touch_rate", "csat", "review_revision_rate", "refunds_paid", "buyers_served",
                 "conversion_rate"):
        assert items[name]["definition"] and items[name]["version"] >= 1
    assert "at most one agent response" in items["one_touch_rate"]["definition"]


def test_bad_period_and_group(kpi_data, asx):
    assert asx("kpi show -p 2026-13").exit_code == 2
    assert asx("kpi show --by nobody").exit_code == 2
    assert asx("kpi show --kpi nosuch").exit_code == 2


def test_plugin_can_add_an_indicator(kpi_data):
    from asx import hookimpl

    class Bakery:
        @hookimpl
        def register_kpis(self, register):
            register("orders_on_time", title="Orders on time", definition="test", version=3, unit="ratio",
                     compute=lambda q: {"萌萌": 0.5}, order=300)

    kpi_data.plugins.register(Bakery(), name="bakery-test")   # this app's plugins only
    r = rows(kpi_data, names=["orders_on_time"])
    assert r["萌萌"]["orders_on_time"] == 0.5


@pytest.mark.parametrize("minutes", [[5, 5, 5, 7], [1, 2, 3], [4], [9, 1, 9, 1, 3, 3, 3, 8, 2, 6, 6]])
def test_percentiles_with_ties_match_the_definition(workspace, app_factory, h, minutes):
    import math
    import statistics

    app = app_factory()
    h.add_agent(app, "甲")
    for i, m in enumerate(minutes):
        h.add_case(app, agent="甲", opened=f"2026-11-{i + 2:02d}T10:00:00+08:00",
                   fr=f"2026-11-{i + 2:02d}T10:{m:02d}:00+08:00")
    r = rows(app, names=["first_response_time"])["甲"]
    s = sorted(minutes)
    assert r["first_response_calendar_median"] == statistics.median(s)
    assert r["first_response_calendar_p90"] == s[math.ceil(0.9 * len(s)) - 1]     # nearest rank


def test_promise_kept(kpi_data):
    # R-SLA-5: "promise kept" — answered (solution_at) by the promised time — is an indicator of its own
    app = kpi_data

    def promised(cid, promise, solution=None):
        with app.store.tx():
            app.store.execute("UPDATE cases SET promised_at = ?, solution_at = ? WHERE id = ?",
                              (app_ts(promise), app_ts(solution) if solution else None, cid))

    from datetime import datetime

    def app_ts(s):
        return int(datetime.fromisoformat(s).timestamp())

    promised(app.ids["C1"], "2026-11-02T11:00:00+08:00", "2026-11-02T10:30:00+08:00")   # kept
    promised(app.ids["C2"], "2026-11-04T09:00:00+08:00", "2026-11-04T10:40:00+08:00")   # broken
    promised(app.ids["C3"], "2026-12-10T09:00:00+08:00")                                 # not due yet: left out
    r = rows(app, names=["promise_kept"])
    assert r["萌萌"]["promises"] == 2 and r["萌萌"]["promise_kept"] == 0.5
    assert r["小雨"]["promises"] is None or r["小雨"]["promises"] == 0
