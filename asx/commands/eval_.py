"""asx eval: evaluations, composite scores and grades, the complaint ladder, awards (R-KPI-3..5)."""

from __future__ import annotations

import click

from asx.io.output import emit
from asx.io.options import output_options, say

MONTH_HELP = "Scoring month, e.g. 2026-11 or last-month [default: this month]."


@click.group(name="eval")
def cli():
    """Monthly evaluations: scores, grades 优秀/良好/合格/不合格, fines ladder, awards."""


@cli.command("add")
@click.argument("agent")
@click.option("--period", "-p", default=None, help=MONTH_HELP)
@click.option("--self", "self_score", type=click.FloatRange(0, 100), help="Self-evaluation score 0–100.")
@click.option("--supervisor", "supervisor_score", type=click.FloatRange(0, 100),
              help="Supervisor's score 0–100 (supervisor only).")
@click.option("--customer", "customer_score", type=click.FloatRange(0, 100),
              help="Customer evaluation score 0–100 [default: mean CSAT × 20] (supervisor only).")
@click.option("--note", help="Why.")
@click.pass_obj
def add(app, agent, period, self_score, supervisor_score, customer_score, note):
    """Record AGENT's scores for a month; an agent may enter only their own self-evaluation.

    Every change is kept as history.
    """
    from asx.core.errors import UserError
    from asx.kpi import grades
    from asx.store import agents
    from asx.store import kpi as kpi_store
    from asx.core.timeutil import to_epoch

    if self_score is None and supervisor_score is None and customer_score is None and note is None:
        raise click.UsageError("give at least one of --self, --supervisor, --customer, --note")
    p = grades.month_of(app, period or grades.today_month(app))
    with app.store.tx():
        who = app.actor()
        if agents.get(app.store, agent) is None:
            raise UserError(f"no agent named {agent!r}")
        if supervisor_score is not None or customer_score is not None or who["name"] != agent:
            app.require_role("supervisor", action="enter supervisor or customer scores, or score others")
        kpi_store.set_evaluation(app.store, agent, p.label,
                                 {"self_score": self_score, "supervisor_score": supervisor_score,
                                  "customer_score": customer_score, "note": note},
                                 at=to_epoch(app.now()), by=who["name"])
    say(f"asx: evaluation of {agent} for {p.label} saved")


@cli.command("show")
@click.option("--period", "-p", default=None, help=MONTH_HELP)
@output_options
@click.pass_obj
def show(app, period, out):
    """Composite score and grade of everyone for the month (weights kpi.weights, thresholds kpi.grades),
    with the month's training records (a failed course not yet retaken: retake due)."""
    from asx.kpi import export as kpi_export
    from asx.kpi import grades

    p = grades.month_of(app, period or grades.today_month(app))
    ev, _, _ = kpi_export.evaluation_tables(app, p.label)
    from asx.io.output import Column
    from asx.kpi import training  # the month's training records (issue 16 item 11)

    ev = training.annotate(app, ev, p.label)
    emit(app, out, ev, [*kpi_export.GRADE_COLUMNS, Column("training", "training", "培训")], meta={"kind": "evaluation", "period": p.label,
                                               "weights": grades.weights(app),
                                               "grades": app.config.get("kpi.grades"),
                                               "composite_version": kpi_export.COMPOSITE} if out.output else None)


@cli.command("complaints")
@click.option("--period", "-p", default=None, help=MONTH_HELP)
@output_options
@click.pass_obj
def complaints(app, period, out):
    """The service-complaint ladder of the month: 1st 50 yuan, 2nd 100 yuan, 3rd dismissal review (R-KPI-4).

    A service complaint is a case with category service and responsible party us, counted against
    the agent it is about (case add --about; default the agent who served the buyer), never the
    colleague who handled it, in the month it was opened. A complaint about nobody known is listed
    as (unknown) for the supervisor to settle (asx case about). asx reports the ladder; it does not
    decide: what a supervisor confirms goes into `asx agent discipline add`.
    """
    from asx.kpi import export as kpi_export
    from asx.kpi import grades

    p = grades.month_of(app, period or grades.today_month(app))
    _, lad, _ = kpi_export.evaluation_tables(app, p.label)
    emit(app, out, lad, kpi_export.LADDER_COLUMNS)


@cli.command("awards")
@click.option("--period", "-p", default=None, help=MONTH_HELP)
@output_options
@click.pass_obj
def awards(app, period, out):
    """Award candidates of the month: service star, problem-solving, teamwork (R-KPI-5)."""
    from asx.kpi import export as kpi_export
    from asx.kpi import grades

    p = grades.month_of(app, period or grades.today_month(app))
    _, _, aw = kpi_export.evaluation_tables(app, p.label)
    emit(app, out, aw, kpi_export.AWARD_COLUMNS)
