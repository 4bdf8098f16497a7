"""asx-onsite: equipment after-sales with on-site service (seed 003). Uses only asx's hooks and the
public plugin API :mod:`asx.api` (versions ``[tool.asx] api`` of its pyproject, checked at import).

Warranty cases get the targets respond 2 h / dispatch 8 h / on site 24 h / solved 48 h
(``register_sla_targets``; ``dispatch`` and ``on_site`` are met by this plugin's case actions);
engineer dispatch and visit records, repeat-fault flags, out-of-warranty repair at cost (quote and
a ledger entry of money in), the follow-up visit 回访 with its survey, the monthly quality report.
"""

from __future__ import annotations

from asx import api, hookimpl

__version__ = "0.1.0"

#: the asx API versions this plugin works with (= ``[tool.asx] api`` of pyproject.toml)
ASX_API = ">=1.2,<2"  # copy_case_buyer (1.2)
api.require_api(ASX_API, "asx-onsite")

COMPONENT = "onsite"

RECORD = ("record_fault", "record customer, unit model and serial, fault", "登记客户、产品型号、序列号及故障")
PHONE = ("phone_diagnosis", "answer by phone first; judge whether to send an engineer", "电话解答并判断是否派人")
CATEGORIES = [
    ("onsite_warranty", "on-site repair in warranty", "质保期内故障", [RECORD, PHONE], ("质保期内", "质保维修")),
    ("onsite_paid", "on-site repair at cost", "质保期外维修",
     [RECORD, PHONE,
      {"step": "quote_given", "en": "cost quote given (asx onsite quote)", "zh": "已报成本价", "required_for": ["repair"]},
      {"step": "quote_accepted", "en": "customer accepted the quote", "zh": "客户确认报价", "required_for": ["repair"]}],
     ("保外维修", "有偿维修")),
]
LIVE = ("new", "open", "waiting_buyer", "waiting_courier", "waiting_warehouse")


@hookimpl
def register_migrations(register):
    from asx_onsite.store import migration_1, migration_2, migration_3

    register(COMPONENT, 1, "units_visits", migration_1())
    register(COMPONENT, 2, "case_sla_on_time_index", migration_2())
    register(COMPONENT, 3, "depot_shipments", migration_3())


@hookimpl
def register_personal_data(register):
    # R-SEC-1/5: a unit's customer is the buyer id its cases carry — customer data, read masked by a
    # person's own PostgreSQL login. The plugin only shows it and never looks cases up by it (repeat
    # faults go by serial, warranty by date); the sample, which opens cases for it, runs as the owner.
    register("onsite_units", "buyer", "name")


@hookimpl
def register_settings(register):
    register("plugins.onsite.respond_minutes", "int", 120, "Warranty case: respond within (service minutes, seed 003).")
    register("plugins.onsite.dispatch_minutes", "int", 480, "Warranty case: engineer dispatched within (seed 003).")
    register("plugins.onsite.on_site_minutes", "int", 1440, "Warranty case: engineer on site within (seed 003).")
    register("plugins.onsite.solve_minutes", "int", 2880, "Warranty case: solved within (seed 003).")
    register("plugins.onsite.warranty_categories", "list", ["onsite_warranty"],
             "Categories with the on-site warranty targets.")
    register("plugins.onsite.paid_categories", "list", ["onsite_paid"],
             "Categories of out-of-warranty repairs at cost.")
    register("plugins.onsite.engineer_roles", "list", ["specialist"],
             "Roles of the registered people who may be dispatched as engineers (售后工程师, seed 003).")
    register("plugins.onsite.engineers", "list", [],
             "Only these engineers may be dispatched (empty: every registered person with an engineer role).")
    register("plugins.onsite.warranty_months", "int", 12, "Warranty of a unit from installation unless given.")


@hookimpl
def register_labels(register):
    register("sla_target", "dispatch", "engineer dispatched", "派出工程师")
    register("sla_target", "on_site", "engineer on site", "到达现场")


@hookimpl
def register_categories(register):
    for code, en, zh, checklist, aliases in CATEGORIES:
        register(code, en, zh, checklist=checklist, aliases=aliases)


@hookimpl
def register_case_transitions(register):
    for s in LIVE:
        register(s, "=", "dispatch", "agent")
        register(s, "=", "visit", "agent")
        register(s, "=", "ship_back", "agent")
    for s in ("resolved", "closed"):
        register(s, "=", "followup", "agent")
        register(s, "=", "ship_back", "agent")


QUOTE_STEPS = ("quote_given", "quote_accepted")


@hookimpl
def check_case_action(app, case, action, detail):
    """A paid repair needs a recorded quote (asx onsite quote) before its quote steps can be ticked or
    it is resolved as a repair: the checklist cannot complete without one (seed 003 八、1; issue 16
    item 10)."""
    if case["category"] not in (app.config.get("plugins.onsite.paid_categories") or []):
        return
    wants_quote = ((action == "check" and detail.get("step") in QUOTE_STEPS)
                   or (action == "resolve" and detail.get("resolution") == "repair"))
    if not wants_quote:
        return
    from asx_onsite.store import last_quote

    if last_quote(app.store, case["id"]) is None:
        what = f"tick {detail['step']}" if action == "check" else "resolve it as a repair"
        raise api.UserError(f"case #{case['id']} is a repair at cost with no quote: record one first "
                            f"(asx onsite quote {case['id']} --parts … --labour …), then {what}")


@hookimpl
def register_sla_targets(register, settings):
    """Seed 003 八、1: 2 h respond, 8 h dispatch, 24 h on site, 48 h solved (warranty cases)."""
    g = settings.get
    cats = g("plugins.onsite.warranty_categories")
    register("first_response", minutes=g("plugins.onsite.respond_minutes"), category=cats)
    # R-SLA preamble: "N 小时" to dispatch, arrive and solve run on the calendar clock (day and night)
    register("dispatch", minutes=g("plugins.onsite.dispatch_minutes"), category=cats, clock="calendar")
    register("on_site", minutes=g("plugins.onsite.on_site_minutes"), category=cats, clock="calendar")
    register("resolution", minutes=g("plugins.onsite.solve_minutes"), category=cats, clock="calendar")


def _on_time(q):
    from asx_onsite.store import on_time

    out: dict = {}
    for r in on_time(q.store, q.start_epoch, q.end_epoch, q.by, q.team):
        g = out.setdefault(r["grp"], {"dispatch_on_time": None, "on_site_on_time": None, "onsite_cases": 0})
        g[f"{r['target']}_on_time"] = round(r["met"] / r["n"], 4)
        g["onsite_cases"] = max(g["onsite_cases"], r["n"])
    return out


@hookimpl
def register_kpis(register):
    register("onsite_on_time", title="On-site service on time", title_zh="上门服务及时率", unit="ratio", version=1,
             compute=_on_time, order=310, sources=("cases",), groups=("agent", "team", "store", "category"),
             columns=("dispatch_on_time", "on_site_on_time", "onsite_cases"), units={"onsite_cases": "count"},
             definition="Of the warranty cases opened in the period whose target is decided (met or breached), "
                        "the share whose engineer was dispatched within plugins.onsite.dispatch_minutes and the "
                        "share on site within plugins.onsite.on_site_minutes (seed 003 八、1).")


@hookimpl
def register_commands(cli):
    from asx_onsite.commands import onsite

    cli.add_command(onsite)


@hookimpl
def register_workspace_settings(register, store_kind):
    # An onsite service keeps a 7x24 hotline: its hour targets (respond 2 h, dispatch 8 h, on site
    # 24 h, solved 48 h) and service-minute targets run round the clock (R-SLA preamble, issue 16).
    if store_kind == "onsite":
        register("service.hours", "00:00-24:00")


@hookimpl
def register_sample(register):
    from asx_onsite.sample import sample_onsite

    register(47, "onsite", sample_onsite)
