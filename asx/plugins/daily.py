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
