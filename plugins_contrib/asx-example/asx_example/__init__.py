"""asx-example: a small flower shop 花店, the example store plugin of docs/plugins.md.

Written only against :mod:`asx.api` and asx's hooks (versions ``[tool.asx] api`` of its
pyproject, checked at import). What it adds:

* two case categories with their checklists (R-CASE-2/3): ``wilted`` 花材枯萎 and
  ``wrong_bouquet`` 花束不符, and one step added to the core ``late_delivery`` checklist;
* a tighter service level (R-SLA-2): a bouquet is for a day, so the initial solution of those two
  complaints is due within ``plugins.example.solution_minutes`` (default 60 service minutes);
* a label kind ``delivery_slot`` (上午/下午/晚上);
* its own append-only table ``example_deliveries``: the photo every bouquet gets before it is
  handed over, the evidence when a complaint comes (R-CASE-3 photo evidence);
* the commands ``asx flowers deliver|deliveries|complain`` and a sample shop
  (``asx init --sample --store example``).
"""

from __future__ import annotations

from asx import api, hookimpl

__version__ = "0.1.0"

#: the asx API versions this plugin works with (= ``[tool.asx] api`` of pyproject.toml)
ASX_API = ">=1.0,<2"
api.require_api(ASX_API, "asx-example")

COMPONENT = "example"

APOLOGISE = ("apologise", "apologise first", "先致歉")
CATEGORIES = [
    ("wilted", "flowers wilted or broken on arrival", "花材枯萎/损坏",
     [APOLOGISE,
      {"step": "photo_evidence", "en": "photos of the bouquet as received", "zh": "收到花束实拍照片",
       "required_for": ["reship", "refund_only", "return_refund"]},
      ("check_delivery", "compare with the delivery photo and time (asx flowers deliveries ORDER)",
       "核对配送前照片和送达时间"),
      ("remake", "remake and deliver a fresh bouquet the same day", "当天重新制作并配送")],
     ("枯萎", "花蔫了", "wilted_flowers")),
    ("wrong_bouquet", "bouquet not as ordered", "花束与订单不符",
     [APOLOGISE,
      ("compare_order", "compare the order (flowers, colours, card text) with the delivery photo",
       "核对订单花材、颜色、贺卡内容与配送照片"),
      ("remake", "remake and deliver the ordered bouquet", "按订单重新制作并配送")],
     ("花束不符", "发错花")),
]
#: flowers are for an occasion: when they are late, the recipient is called too
LATE_DELIVERY_STEP = {"step": "call_recipient", "en": "call the recipient with the new delivery time",
                      "zh": "致电收花人告知新的送达时间", "after": "apologise"}


@hookimpl
def register_migrations(register):
    from asx_example.store import migration_1

    register(COMPONENT, 1, "deliveries", migration_1())


@hookimpl
def register_settings(register):
    register("plugins.example.solution_minutes", "int", 60,
             "Initial solution of a wilted or wrong bouquet complaint within (service minutes; R-SLA-2).")
    register("plugins.example.fresh_days", "int", 3,
             "Freshness guarantee: days after delivery in which wilted flowers are remade free.")


@hookimpl
def register_labels(register):
    for code, en, zh in [("morning", "morning (09–12)", "上午"), ("afternoon", "afternoon (12–18)", "下午"),
                         ("evening", "evening (18–21)", "晚上")]:
        register("delivery_slot", code, en, zh)


@hookimpl
def register_categories(register):
    for code, en, zh, checklist, aliases in CATEGORIES:
        register(code, en, zh, checklist=checklist, aliases=aliases)
    register("late_delivery", checklist=[LATE_DELIVERY_STEP], extend=True)


@hookimpl
def register_sla_targets(register, settings):
    register("solution", minutes=settings.get("plugins.example.solution_minutes"),
             category=["wilted", "wrong_bouquet"])


@hookimpl
def register_commands(cli):
    from asx_example.commands import flowers

    cli.add_command(flowers)


@hookimpl
def register_sample(register):
    from asx_example.sample import sample_shop

    register(46, "flowers", sample_shop)
