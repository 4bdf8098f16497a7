"""The Monday meeting view of reviews (R-REV-7; R-KPI-2 "review revision rate")."""

from __future__ import annotations

import statistics

from asx.core.money import yuan
from asx.core.timeutil import to_epoch

DEFINITIONS = {
    "received": "v1: neutral and negative reviews posted in the period",
    "revision_rate": "v1: of the reviews posted in the period, the share revised (已删除/修改) by the time of the report",
    "median_hours_to_revision": "v1: median calendar hours from review time to revision, over reviews revised in "
                                "the period",
    "compensation_paid": "v1: ledger compensations linked to a review, paid in the period",
    "stuck": "v1: open reviews whose next step has been due for longer than reviews.stuck_hours at the end of the "
             "period (or now, if earlier)",
}


def weekly(app, period) -> list[dict]:
    from asx.store import reviews as review_store

    start, end = to_epoch(period.start), to_epoch(period.end)
    now = to_epoch(app.now())
    rows: list[dict] = []

    def add(section, key, value, detail=""):
        rows.append({"section": section, "key": key, "value": value, "detail": detail})

    lab = lambda kind, code: app.labels.label(kind, code, app.lang)  # noqa: E731
    counts = review_store.counts_received(app.store, start, end)
    total = sum(c["n"] for c in counts)
    add("received", "total", total, f"{period.label}: {period.start.date()} – {period.end.date()} (end excluded)")
    for res in ("neutral", "negative"):
        add("received", lab("review_result", res), sum(c["n"] for c in counts if c["result"] == res))
    for prog in ("open", "promised", "awaiting_compensation", "refused", "revised"):
        add("progress", lab("review_progress", prog), sum(c["n"] for c in counts if c["progress"] == prog),
            "reviews posted in the period, progress now")
    for sev in (3, 2, 1):
        open_n = sum(c["n"] for c in counts if c["severity"] == sev and c["progress"] not in ("revised", "refused"))
        add("severity", str(sev), sum(c["n"] for c in counts if c["severity"] == sev), f"{open_n} still open")
    revised = sum(c["n"] for c in counts if c["progress"] == "revised")
    add("revision", "revision rate", f"{100 * revised / total:.1f}%" if total else "–", f"{revised} of {total}")
    times = review_store.revision_times(app.store, start, end)
    hours = [(t["revised_at"] - t["created_at"]) / 3600 for t in times]
    add("revision", "revised in the period", len(times))
    add("revision", "median hours to revision", f"{statistics.median(hours):.1f}" if hours else "–",
        f"over {len(hours)} revisions" if hours else "no revision in the period")
    comp = review_store.compensations(app.store, start, end)
    add("compensation", "paid", yuan(comp["fen"] or 0), f"{comp['n']} payments (yuan)")
    cutoff = min(end, now) - int(app.config.get("reviews.stuck_hours")) * 3600
    stuck = review_store.stuck(app.store, older_than=cutoff)
    by_step: dict[str, list] = {}
    for s in stuck:
        key = "promise passed" if s["progress"] == "promised" else lab("review_step", s["step"])
        acc = by_step.setdefault(key, [0, None])
        acc[0] += s["n"]
        acc[1] = s["oldest_due"] if acc[1] is None else min(acc[1], s["oldest_due"])
    for step in [lab("review_step", "wangwang"), lab("review_step", "sms"), lab("review_step", "phone"),
                 lab("review_step", "compensate"), "promise passed"]:
        n, oldest = by_step.get(step, [0, None])
        add("stuck", step, n, f"due since {app.iso(oldest)}" if oldest else "")
    per_agent: dict[str, dict] = {}
    for c in review_store.contacts_by_agent(app.store, start, end):
        d = per_agent.setdefault(c["agent"] or "?", {"n": 0, "via": {}, "result": {}})
        d["n"] += c["n"]
        d["via"][c["via"]] = d["via"].get(c["via"], 0) + c["n"]
        d["result"][c["result"]] = d["result"].get(c["result"], 0) + c["n"]
    for agent, d in sorted(per_agent.items(), key=lambda kv: -kv[1]["n"]):
        detail = ", ".join(f"{lab('contact_via', v)} {n}" for v, n in sorted(d["via"].items())) + "; " + \
            ", ".join(f"{lab('contact_result', r)} {n}" for r, n in sorted(d["result"].items()))
        add("contacts", agent, d["n"], detail)
    return rows
