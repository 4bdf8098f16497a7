"""Evaluations, composite score and grade (R-KPI-3), the complaint ladder (R-KPI-4), awards (R-KPI-5).

Composite score (version 1), every part on a 0–100 scale::

    composite = w_self·self + w_supervisor·supervisor + w_customer·customer + w_indicators·indicators

- self and supervisor: the scores entered with ``asx eval add``;
- customer: the customer score entered with ``asx eval add --customer``; when none was entered,
  the mean satisfaction rating (1–5) of the agent's cases of the period × 20;
- indicators: the mean of the agent's measured indicators available for the period, each as
  a percentage: CSAT (share of ratings ≥ 4), resolution rate, SLA attainment (all targets) and
  review revision rate.

Weights (``kpi.weights``) are normalised to sum 1. When an evaluation (self, supervisor,
customer) is missing the composite is left empty and the row says what is missing (a bonus is
never computed from half the data). When nothing was measured for the person in the period
(no cases, reviews or SLA targets — e.g. the order clerk), the indicators' weight is spread
over the three evaluations in proportion, and the row says so.
Grade: composite ≥ ``kpi.grades.excellent`` → excellent 优秀, ≥ good → good 良好, ≥ pass → pass
合格, else fail 不合格.

Service complaints (R-KPI-4) are the cases with category ``service`` and responsible party
``us``, counted against the agent each is *about* (``cases.about``: the one who served the buyer,
``case add --about`` or its default, :func:`asx.cases.service.default_about`) — never against the
colleague who handled it — by the calendar month they were opened: the n-th complaint of a
month is fined ``kpi.complaint_fines[n-1]`` yuan (default 50, 100); beyond the list it means a
dismissal review. A complaint whose person is not known is listed as ``(unknown)`` with the action
"settle: whom is it about?" and no fine, until a supervisor settles it (``asx case about``).
asx reports the ladder; it does not decide: what a supervisor confirms becomes a disciplinary
record (:mod:`asx.kpi.discipline`).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from asx.core.errors import UserError
from asx.core.timeutil import to_epoch

COMPOSITE_VERSION = 1
GRADES = ("excellent", "good", "pass", "fail")
INDICATOR_PARTS = ("csat", "resolution_rate", "sla_all", "review_revision_rate")
PARTS = ("self", "supervisor", "customer", "indicators")


def month_of(app, period: str):
    """The calendar month period for ``period`` (``2026-11``, ``last-month`` …)."""
    from asx.core.timeutil import parse_period

    p = parse_period(period, app.tz, now=app.now())
    if p.start.day != 1 or (p.end.date() - p.start.date()).days not in (28, 29, 30, 31) or p.end.day != 1:
        raise UserError(f"{period!r} is not a calendar month: evaluations are monthly (e.g. 2026-11)")
    return p


def weights(app) -> dict[str, float]:
    raw = app.config.get("kpi.weights") or {}
    w = {k: float(raw.get(k, 0) or 0) for k in PARTS}
    total = sum(w.values())
    if total <= 0:
        raise UserError("kpi.weights must have a positive weight (self, supervisor, customer, indicators)")
    return {k: v / total for k, v in w.items()}


def grade_of(app, score: float | None) -> str | None:
    if score is None:
        return None
    t = app.config.get("kpi.grades") or {}
    if score >= float(t.get("excellent", 90)):
        return "excellent"
    if score >= float(t.get("good", 80)):
        return "good"
    if score >= float(t.get("pass", 60)):
        return "pass"
    return "fail"


def complaint_ladder(app, period: str) -> list[dict]:
    """One row per service complaint of the month, with its step on the ladder (R-KPI-4)."""
    from asx.store import kpi as kpi_store

    p = month_of(app, period)
    fines = [int(x) for x in (app.config.get("kpi.complaint_fines") or [])]
    out, seen = [], {}
    for r in kpi_store.service_complaints(app.store, to_epoch(p.start), to_epoch(p.end)):
        if r["about"] is None:  # R-KPI-4: nobody known: the supervisor settles it, no step on anyone's ladder
            out.append({"month": p.label, "agent": UNKNOWN, "n": None, "case_id": r["id"],
                        "opened_at": r["opened_at"], "fine_fen": None, "action": SETTLE, "handled_by": r["agent"]})
            continue
        agent = r["about"]
        n = seen[agent] = seen.get(agent, 0) + 1
        fine = fines[n - 1] if n <= len(fines) else None
        out.append({"month": p.label, "agent": agent, "n": n, "case_id": r["id"], "opened_at": r["opened_at"],
                    "fine_fen": None if fine is None else fine * 100,
                    "action": f"fine {fine} yuan" if fine is not None else "dismissal review",
                    "handled_by": r["agent"]})
    return out


#: the ladder row of a complaint whose person is not known yet (R-KPI-4)
UNKNOWN = "(unknown)"
SETTLE = "settle: whom is it about? (asx case about)"


def ladder_summary(rows: list[dict]) -> dict[str, dict]:
    """Per agent: complaints, fines in fen, and the ladder's verdict (unsettled complaints left out)."""
    out: dict[str, dict] = {}
    for r in rows:
        if r["agent"] == UNKNOWN:
            continue
        s = out.setdefault(r["agent"], {"complaints": 0, "fines_fen": 0, "dismissal": False})
        s["complaints"] += 1
        s["fines_fen"] += r["fine_fen"] or 0
        s["dismissal"] = s["dismissal"] or r["fine_fen"] is None
    for s in out.values():
        s["action"] = "dismissal review" if s["dismissal"] else f"fines {s['fines_fen'] // 100} yuan"
    return out


def evaluate(app, period: str) -> list[dict]:
    """Composite score and grade of every staff member for the month (R-KPI-3)."""
    from asx.kpi.compute import compute, make_query
    from asx.store import kpi as kpi_store

    p = month_of(app, period)
    q = make_query(app, p.label, "agent")
    _, rows = compute(q, ["csat", "resolution_rate", "sla_attainment", "review_revision_rate", "cases_handled"])
    figures = {r["agent"]: r for r in rows}
    evals = {e["agent"]: e for e in kpi_store.evaluations(app.store, p.label)}
    csat_avg = kpi_store.csat_avg(app.store, to_epoch(p.start), to_epoch(p.end))
    ladder = ladder_summary(complaint_ladder(app, p.label))
    from asx.kpi.discipline import summary as discipline_summary

    confirmed = discipline_summary(app, p.label)  # R-KPI-4: what a supervisor confirmed
    w = weights(app)
    staff = sorted(set(figures) | set(evals))
    out = []
    for agent in staff:
        if agent == "(none)":
            continue
        e = evals.get(agent, {})
        f = figures.get(agent, {})
        parts: dict[str, Any] = {"self": e.get("self_score"), "supervisor": e.get("supervisor_score")}
        customer_source = "evaluation"
        if e.get("customer_score") is not None:
            parts["customer"] = e["customer_score"]
        elif csat_avg.get(agent) is not None:
            parts["customer"] = round(csat_avg[agent] * 20, 1)
            customer_source = "csat"
        else:
            parts["customer"] = None
            customer_source = ""
        ind = [f.get(k) * 100 for k in INDICATOR_PARTS if f.get(k) is not None]
        parts["indicators"] = round(sum(ind) / len(ind), 1) if ind else None
        missing = [k for k in PARTS if parts[k] is None and w[k] > 0]
        ww = dict(w)
        if missing == ["indicators"]:
            # nothing measured for this person in the period (e.g. the order clerk): the
            # indicators' weight is spread over the evaluations instead of blocking the grade
            rest = sum(v for k, v in w.items() if k != "indicators")
            ww = {k: (0.0 if k == "indicators" else v / rest) for k, v in w.items()}
            missing = []
            note = "no indicators: weight spread"
        else:
            note = ",".join(missing)
        composite = None if missing else round(sum(ww[k] * (parts[k] or 0) for k in PARTS), 1)
        lad = ladder.get(agent, {"complaints": 0, "fines_fen": 0, "action": ""})
        out.append({
            "period": p.label, "agent": agent,
            "self": parts["self"], "supervisor": parts["supervisor"], "customer": parts["customer"],
            "customer_source": customer_source, "indicators": parts["indicators"],
            "composite": composite, "grade": grade_of(app, composite),
            "missing": note,
            "complaints": lad["complaints"], "fines_fen": lad["fines_fen"], "ladder": lad["action"],
            "discipline": confirmed.get(agent, {}).get("text", ""),
            "cases": f.get("cases_handled") or 0, "_resolution_rate": f.get("resolution_rate"),
        })
    return out


def awards(app, period: str, evaluated: list[dict] | None = None) -> list[dict]:
    """Award candidates of the month (R-KPI-5), only among people who served customers in it (at
    least one case handled: a specialist or clerk with 0 cases is no candidate); ties name every tied agent.

    - service star 服务之星: the highest composite score;
    - problem-solving award 问题解决奖: the most cases resolved (cases × resolution rate) among
      agents with a resolution rate of at least 90 %;
    - teamwork award 团队协作奖: the highest supervisor score among agents without a service
      complaint in the month.
    """
    rows = evaluated if evaluated is not None else evaluate(app, period)

    def best(items: list[tuple[str, float]]) -> tuple[list[str], float | None]:
        if not items:
            return [], None
        top = max(v for _, v in items)
        return sorted(a for a, v in items if v == top), top

    # R-KPI-5: candidates only among people who served customers in the period (cases handled)
    served = [r for r in rows if r["cases"]]
    star, s_v = best([(r["agent"], r["composite"]) for r in served if r["composite"] is not None])
    solved = [(r["agent"], round(r["cases"] * r["_resolution_rate"]))
              for r in rows if r["_resolution_rate"] is not None and r["_resolution_rate"] >= 0.9 and r["cases"]]
    solver, p_v = best(solved)
    team, t_v = best([(r["agent"], r["supervisor"]) for r in served
                      if r["supervisor"] is not None and not r["complaints"]])
    label = rows[0]["period"] if rows else period
    return [
        {"period": label, "award": "service_star", "candidates": "、".join(star), "basis": "composite score",
         "value": s_v},
        {"period": label, "award": "problem_solving", "candidates": "、".join(solver),
         "basis": "cases resolved (resolution rate ≥ 90 %)", "value": p_v},
        {"period": label, "award": "teamwork", "candidates": "、".join(team),
         "basis": "supervisor score, no service complaint", "value": t_v},
    ]


def today_month(app) -> str:
    d: date = app.now().date()
    return f"{d.year}-{d.month:02d}"
