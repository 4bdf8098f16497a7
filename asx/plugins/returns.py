"""Built-in plugin: the store's return policy 退换货政策 (seed 000 退换货处理, R-CASE-8; issue 16
item 7) and the sample returns. The domain code is :mod:`asx.cases.returns`."""

from __future__ import annotations

from asx import hookimpl


@hookimpl
def register_settings(register):
    register("returns.no_reason_days", "int", 7,
             "No-reason return window 无理由退货, in days from delivery (seed 000 退换货 1).")
    register("returns.never_returnable", "list", [],
             "Goods categories never returnable without a fault (e.g. [\"fresh_food\", \"custom\"]).")
    register("returns.no_reason_postage", "str", "buyer",
             "Who pays the postage of a no-reason return (a return for a fault: always the store).",
             choices=("buyer", "store"))


@hookimpl
def register_sample(register):
    from asx.cases.returns import sample_returns

    register(35, "returns", sample_returns)
