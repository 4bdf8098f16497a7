"""Built-in plugin: KPI definitions, evaluations and grades, daily records, the nightly job (R-KPI)."""

from __future__ import annotations

from asx import hookimpl

GRADES = [("excellent", "excellent", "优秀"), ("good", "good", "良好"), ("pass", "pass", "合格"),
          ("fail", "fail", "不合格")]
AWARDS = [("service_star", "service star", "服务之星"), ("problem_solving", "problem-solving award", "问题解决奖"),
          ("teamwork", "teamwork award", "团队协作奖")]
RECORD_STATUS = [("missing", "missing", "未交"), ("late", "late", "迟交")]


@hookimpl
def register_settings(register):
    register("kpi.weights", "dict", {"self": 0.2, "supervisor": 0.3, "customer": 0.2, "indicators": 0.3},
             "Weights of the composite score (R-KPI-3): self, supervisor, customer evaluation and measured "
             "indicators; normalised to sum 1.")
    register("kpi.grades", "dict", {"excellent": 90, "good": 80, "pass": 60},
             "Lowest composite score of each grade 优秀/良好/合格; below pass is 不合格 (R-KPI-3).")
    register("kpi.period", "str", "month", "Scoring period of evaluations (R-KPI-3).", choices=("month",))
    register("kpi.complaint_fines", "list", [50, 100],
             "Fine in yuan of the 1st, 2nd … service complaint of a calendar month; beyond the list: "
             "dismissal review (R-KPI-4).")
    register("kpi.records_deadline", "str", "fri 11:00",
             "When a week's daily records are due: weekday and time of the following week (R-KPI-1).")
    register("nightly.exports", "path", "exports",
             "Folder of the nightly exports (one sub-folder per day, written atomically).")
    register("nightly.inbox", "path", "inbox",
             "Folder where payment statements are dropped for the nightly refund audit (R-FIN-3).")
    register("nightly.csv_bom", "bool", True,
             "Start the nightly CSV files with a UTF-8 BOM, so Excel on Windows opens the Chinese text as UTF-8 "
             "(issue 18); false for tools that do not expect one.")
    register("nightly.jobs", "list", ["all"],
             "Nightly jobs to run, by name (`asx nightly --list`); \"all\" runs every registered job.")


@hookimpl
def register_labels(register):
    for code, en, zh in GRADES:
        register("grade", code, en, zh)
    for code, en, zh in AWARDS:
        register("award", code, en, zh)
    for code, en, zh in RECORD_STATUS:
        register("record_status", code, en, zh)


@hookimpl
def register_kpis(register):
    from asx.kpi.indicators import BUILTIN

    for spec in BUILTIN:
        register(plugin="asx", **spec)


@hookimpl
def register_nightly_jobs(register):
    from asx.kpi.export import nightly_kpi_export

    register(10, "kpi-export", nightly_kpi_export)


@hookimpl
def register_sample(register):
    from asx.kpi.sample import sample_records

    register(70, "daily records and evaluations", sample_records)
