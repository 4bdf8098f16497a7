"""Built-in plugin: the spine's settings, role labels and the sample team."""

from __future__ import annotations

from asx import hookimpl

ROLES = [
    ("agent", "agent", "售后客服"),
    ("specialist", "specialist", "售后专员"),
    ("supervisor", "supervisor", "售后主管"),
    ("order_clerk", "order clerk", "制单客服"),
    ("manager", "manager", "经理"),
]


@hookimpl
def register_settings(register):
    register("database", "str", "asx.db",
             "The database: a SQLite file (relative to asx.toml's folder), or a team database on a "
             "PostgreSQL server as postgresql://user@host/dbname (pip install 'asx[postgres]'; the "
             "password from PGPASSWORD, ~/.pgpass or a {\"$env\" = ...} reference, never in this file).",
             env="ASX_DB")
    register("me", "str", None, "Who is acting when --as is not given (a registered agent name, R-PPL-2).",
             env="ASX_AGENT")
    register("lang", "str", "en", "Language of labels and table headers.", choices=("en", "zh"), env="ASX_LANG")
    register("color", "str", "auto",
             "Colour on the one-screen views: auto (on a terminal, unless NO_COLOR is set), always, never.",
             choices=("auto", "always", "never"), env="ASX_COLOR")
    register("plugins.enabled", "list", [],
             "Installed store plugins this workspace uses (e.g. [\"tmall\"]); `asx init --store X` sets it. "
             "Built-in plugins are always on; an installed plugin not listed here changes nothing here.")
    register("store.name", "str", "示例天猫旗舰店", "The store's name, shown in reports.")
    register("store.timezone", "timezone", "Asia/Shanghai", "The store's timezone: times are shown in it.")
    register("service.hours", "time_ranges", "08:30-23:00",
             "Service hours, every day (R-SLA); several ranges separated by commas.")
    register("calendar.holidays", "dict", {},
             "Extra public holidays {\"YYYY-MM-DD\" = \"name\"} for years the holiday package does not cover.")
    register("calendar.workdays", "list", [],
             "Extra make-up workdays 调休 [\"YYYY-MM-DD\", …] announced by the State Council.")
    register("output.format", "str", "auto", "Default output format (auto: table on a terminal, csv when piped).",
             choices=("auto", "table", "csv", "tsv", "json", "jsonl"))
    register("privacy.reveal_roles", "list", ["supervisor"],
             "Roles allowed to reveal personal data or export unmasked (R-SEC-1/2); every reveal is recorded.")
    register("privacy.retention_years", "int", 3,
             "Years after a case closes before its buyer data is pseudonymised by `asx db purge` (R-SEC-4).")


@hookimpl
def register_labels(register):
    from asx.plugins._texts import TEXTS

    for code, en, zh in ROLES:
        register("role", code, en, zh)
    for code, en, zh in TEXTS:  # the words of the screens and reports (issue 18 item 5)
        register("text", code, en, zh)


SAMPLE_TEAM = [
    # name, display, role, wangwang
    ("王经理", "王建国", "manager", None),
    ("李主管", "李秀英", "supervisor", "旗舰店:李主管"),
    ("萌萌", "张萌", "agent", "旗舰店:萌萌"),
    ("小雨", "陈雨", "agent", "旗舰店:小雨"),
    ("阿杰", "刘杰", "agent", "旗舰店:阿杰"),
    ("晓琳", "赵晓琳", "agent", "旗舰店:晓琳"),
    ("大伟", "孙伟", "agent", "旗舰店:大伟"),
    ("思思", "周思", "agent", "旗舰店:思思"),
    ("老周", "周强", "agent", "旗舰店:老周"),  # promoted to specialist below
    ("小芳", "吴芳", "specialist", "旗舰店:小芳"),
    ("阿敏", "郑敏", "order_clerk", None),
    ("小七", "钱七", "agent", "旗舰店:小七"),
]


def sample_team(app, sample) -> None:
    """Twelve people of every role, Chinese names (issue 2 §5)."""
    from asx.store import agents
    from asx.core.timeutil import to_epoch

    at = to_epoch(sample.start) - 86400 * 30
    store_name = app.config.get("store.name")
    with app.store.tx():
        for i, (name, display, role, ww) in enumerate(SAMPLE_TEAM):
            joined = (sample.start.date().replace(day=1)).isoformat() if i == 11 else "2024-03-01"
            agents.add(app.store, name=name, role=role, at=at, by="sample", display_name=display,
                       store_name=store_name, wangwang=ww, joined_on=joined)
        # a promotion kept as history (R-PPL-3)
        agents.update(app.store, "老周", {"role": "specialist"}, at=at + 86400, by="李主管",
                      effective_on=sample.start.date().replace(day=1).isoformat(), note="晋升为售后专员")
    sample.team = [n for n, *_ in SAMPLE_TEAM]
    return f"{len(SAMPLE_TEAM)} people"


@hookimpl
def register_sample(register):
    register(10, "team", sample_team)


@hookimpl
def register_nightly_jobs(register):
    from asx.privacy.names import nightly_mask_names

    register(5, "mask-names", nightly_mask_names)  # before the exports, so they read masked names


@hookimpl
def register_purgers(register):
    from asx.store import maintenance

    register("cases", maintenance.purge_cases)
    register("reviews", maintenance.purge_reviews)
    register("daily_records", maintenance.purge_daily_records)
