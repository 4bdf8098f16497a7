"""Order builders for the bakery tests."""

GOOD = {"phone": "13812345678", "address": "上海市浦东新区世纪大道100号", "item": "生日蛋糕:8寸:1"}


def add_args(no, customer="王女士", at="2026-11-20T08:00", amount="268", deliver_on="2026-11-21", **kw):
    d = {**GOOD, **kw}
    args = ["--as", "小美", "bakery", "order", "add", "--order", no, "--customer", customer, "--at", at,
            "--amount", amount, "--deliver-on", deliver_on]
    for k in ("phone", "address", "item"):
        if d.get(k) is not None:
            args += [f"--{k}", d[k]]
    return args
