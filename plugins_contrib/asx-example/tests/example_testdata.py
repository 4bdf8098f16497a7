"""Shared constants and helpers of the example plugin tests (a uniquely named module)."""

NOW = "2026-11-20T10:00:00+08:00"


def sla(invoke, case_id):
    import json

    rec = json.loads(invoke(["case", "show", str(case_id), "-f", "json"]).stdout)
    return {s["target"]: s for s in rec["sla"]}
