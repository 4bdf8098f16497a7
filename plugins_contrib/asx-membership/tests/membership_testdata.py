"""Shared constants and helpers of the membership plugin tests (a uniquely named module)."""

NOW = "2026-11-20T10:00:00+08:00"


def open_case(invoke, buyer, category="usage", at="2026-11-20 09:00", severity="normal", channel="phone"):
    r = invoke(["--as", "萌萌", "case", "add", "--buyer", buyer, "--category", category, "--summary", "不会用",
                "--severity", severity, "--channel", channel, "--at", at, "--agent", "萌萌", "-q"])
    assert r.exit_code == 0, r
    return int(r.stdout.strip())


def sla(invoke, case_id):
    import json

    rec = json.loads(invoke(["case", "show", str(case_id), "-f", "json"]).stdout)
    return {s["target"]: s for s in rec["sla"]}
