"""asx roster: the shift roster (R-ROS) — generate, check, publish, leave, overrides, queries."""

from __future__ import annotations

import sys

import click

from asx.commands._filters import known_agent
from asx.commands import _complete as complete

from asx.io.output import Column, emit, safe_slug
from asx.io.options import INT, output_options, say

WEEKDAY_ZH = "一二三四五六日"


def _day(value, what="date"):
    if value is None:
        return None
    from asx.roster.days import parse_day

    return parse_day(value, what)


def _fmt(app, out) -> str:
    if out.format:
        return out.format
    from asx.io import output

    if out.output:
        return output._format_from_suffix(out.output)
    return output._default_format(app, sys.stdout)


def _supervisor(app, action: str) -> str:
    return app.require_role("supervisor", action=action)["name"]


def _note(msg: str) -> None:
    say(f"asx: {msg}")


# --- the grid ------------------------------------------------------------------------------------

def _mark(cell: dict | None, shifts: dict, lang: str) -> str:
    if cell is None:
        return ""
    m = cell["mark"]
    if m == "work":
        s = shifts.get(cell["shift"])
        if lang == "zh" and s is not None and s.label_zh:
            return s.label_zh[0]
        return cell["shift"] or "?"
    if lang == "zh":
        return {"rest": "休", "leave": "假", "holiday": "节"}.get(m, m)
    return {"rest": "-", "leave": "L", "holiday": "H"}.get(m, m)


def _code(cell: dict | None) -> str:
    if cell is None:
        return ""
    return cell["shift"] if cell["mark"] == "work" else cell["mark"]


def emit_grid(app, out, g, *, title: str | None = None) -> None:
    """Agents × days. Tables show marks (D/N/-/L/H or 白/晚/休/假/节), a weekday row and coverage
    totals per shift (``!`` below the minimum); csv/json carry codes (D, N, rest, leave, holiday),
    the format ``asx roster import`` reads back."""
    lang = app.lang
    fmt = _fmt(app, out)
    shifts = {s.id: s for s in g.shifts}
    if fmt != "table":
        cols = [Column("agent", "agent", "客服")] + [Column(d.isoformat()) for d in g.dates]
        rows = [{"agent": a, **{d.isoformat(): _code(g.cells.get((a, d))) for d in g.dates}} for a in g.agents]
        emit(app, out, rows, cols, meta={"from": g.first.isoformat(), "to": g.last.isoformat(),
                                         "published": sorted(d.isoformat() for d in g.published)})
        return
    span_month = g.first.month != g.last.month or len(g.dates) <= 7
    heads = []
    for d in g.dates:
        h = d.strftime("%m-%d") if (span_month and len(g.dates) <= 14) else d.strftime("%d")
        heads.append(h + ("*" if d in g.published else ""))
    cols = [Column("agent", "agent", "客服")] + [Column(d.isoformat(), h, h) for d, h in zip(g.dates, heads)]
    wk = {"agent": ""}
    for d in g.dates:
        wk[d.isoformat()] = WEEKDAY_ZH[d.weekday()] if lang == "zh" else d.strftime("%a")[:2]
    rows = [wk]
    for a in g.agents:
        rows.append({"agent": a, **{d.isoformat(): _mark(g.cells.get((a, d)), shifts, lang) for d in g.dates}})
    for s in g.shifts:
        label = (s.label_zh if lang == "zh" and s.label_zh else s.id)
        row = {"agent": f"Σ {label}"}
        for d in g.dates:
            n = g.totals[s.id][d]
            low = n < g.minimum.get(s.id, {}).get(d, 0)
            row[d.isoformat()] = f"{n}!" if low else str(n)
        rows.append(row)
    if title:
        click.echo(title)
    emit(app, out, rows, cols)
    if lang == "zh":
        parts = [f"{s.label_zh[0] if s.label_zh else s.id}={s.label_zh or s.id} {','.join(map(str, s.segments))}"
                 for s in g.shifts]
        click.echo("  ".join(parts + ["休=休息", "假=请假", "节=节假日轮休", "*=已发布", "!=低于最低人数"]))
    else:
        parts = [f"{s.id}={s.label_en or s.id} {','.join(map(str, s.segments))}" for s in g.shifts]
        click.echo("  ".join(parts + ["-=rest", "L=leave", "H=holiday rest", "*=published", "!=below minimum"]))


# --- the group ---------------------------------------------------------------------------------

@click.group(name="roster")
def cli():
    """The shift roster: 6 on 1 off, day and night shifts, publish, leave and cover (R-ROS)."""


def _solving(app, time_limit):
    """A progress bar against the solver's time limit on a terminal (issue 18 item 9); none when piped."""
    from asx.io.progress import timed
    from asx.roster.problem import run_setting

    label = "排班求解" if app.lang == "zh" else "solving the roster"
    return timed(label, float(run_setting(app, "time_limit", time_limit)))


@cli.command("generate")
@click.option("--start", "start", required=True, metavar="MONDAY", help="First day (a Monday, YYYY-MM-DD).")
@click.option("--weeks", type=click.IntRange(1, 52), default=None, help="Weeks to plan [default: setting roster.weeks, 3].")
@click.option("--seed", type=INT, default=None, help="Solver seed [default: setting roster.seed]; same input, "
                                                      "same seed, same roster.")
@click.option("--time-limit", type=float, default=None, metavar="SECONDS",
              help="Search limit [default: setting roster.time_limit, 10]; the best roster so far is kept.")
@click.option("--engine", "engine_name", default=None, help="Roster engine [default: setting roster.engine].")
@click.option("--dry-run", is_flag=True, help="Solve and show, store nothing.")
@click.pass_obj
def generate(app, start, weeks, seed, time_limit, engine_name, dry_run):
    """Solve the rotation and lay it over real dates (holidays, 调休, leave). Supervisor only.

    The rotation is a cycle of roster.cycle_weeks weeks whose end wraps to its start
    (R-ROS-5); published days are kept. Infeasible rules are explained, exit 2. Prints the
    roster as a table; `asx roster show -f csv|json` gives it in machine formats.
    """
    from asx.io.output import OutputSpec
    from asx.roster.generate import Infeasible, generate
    from asx.roster.grid import grid

    by = _supervisor(app, "generate the roster")
    try:
        with _solving(app, time_limit):
            res = generate(app, _day(start, "--start"), weeks, seed=seed, time_limit=time_limit,
                           engine_name=engine_name, by=by, kind="regenerate", dry_run=dry_run)
    except Infeasible as exc:
        for line in exc.lines:
            say(f"  - {line}")
        raise
    g = grid(app, res.first, res.last) if not dry_run else _dry_grid(app, res)
    emit_grid(app, OutputSpec(format="table"), g, title=_title(app, res.first, res.last))
    for n in res.notes:
        _note(n)
    _note(f"roster {res.first} – {res.last}: {res.status_line} (engine {res.engine}, seed {res.seed}"
          + (f", plan #{res.plan_id}" if res.plan_id else ", not stored: --dry-run") + ")"
          + (f"; {len(res.changes)} provisional day(s) changed" if res.changes else ""))
    if not dry_run:
        _after_write(app, "the roster was stored")


def _dry_grid(app, res):
    """A Grid of an unsaved result (for --dry-run)."""
    from asx.roster.cells import row_for
    from asx.roster.days import day_range
    from asx.roster.grid import Grid
    from asx.roster.problem import leave_days

    p, r = res.problem, res.result.roster
    dates = day_range(res.first, res.last)
    cells = {}
    for a in r.agents:
        for d in dates:
            if d in p.leave.get(a, ()) and r.get(a, d) == "LEAVE" and not leave_days(app, d, d).get(a):
                continue  # absent (not employed)
            cells[(a, d)] = row_for(p, a, d, r.get(a, d))
    totals = {s.id: {d: sum(1 for a in r.agents if r.get(a, d) == s.id) for d in dates} for s in p.shifts}
    minimum = {s.id: {d: (p.cover(p.index(d), s.id).min if p.cover(p.index(d), s.id) else 0) for d in dates}
               for s in p.shifts}
    return Grid(res.first, res.last, dates, list(r.agents), cells, set(), list(p.shifts), totals, minimum,
                set(p.holidays))


VIOLATION_COLUMNS = [
    Column("severity", "severity", "级别", text=True),
    Column("rule", "rule", "规则"),
    Column("family", "family", "规则族", kind="roster_family"),
    Column("agent", "agent", "客服"),
    Column("day", "day", "日期"),
    Column("weight", "weight", "罚分"),
    Column("message", "message", "说明", text=True),
]


def _uncovered(uncovered) -> None:
    for d, s in uncovered:
        say(f"asx: UNCOVERED: {s} on {d} has nobody — the supervisor's responsibility (R-ROS-7); "
            f"arrange a cover with `asx roster set NAME {d} {s} --reason …`")


def _violation_line(app, v) -> str:
    """One checker finding as a note line; under --lang zh made from the phrases here (a message
    phrase such as "{id} has {n}, minimum {m}" would otherwise swallow the whole English line)."""
    if app.lang != "zh":
        sev = "HARD" if v.hard else f"soft +{v.weight}"
        return f"{sev} {v.rule_id} {v.family} {v.agent or '-'} {v.day or '-'}: {v.message}"
    labels = app.labels
    return labels.text("c_note_hard" if v.hard else "c_note_soft", "zh", n=v.weight, id=v.rule_id, opt=v.family,
                       agent=v.agent or "-", value=v.day or "-", why=labels.translate(v.message, "zh"))


def _title(app, first, last) -> str:
    """The title of a roster grid (排班表 under --lang zh)."""
    return f"排班表 {first} – {last}" if app.lang == "zh" else f"Roster {first} – {last}"


def _after_write(app, what: str) -> None:
    """No roster-writing command reports success while `asx roster check` would exit 1 (issue 19):
    check the stored roster as `roster check` does; hard violations are listed and exit 1."""
    from asx.core.errors import CheckFailed, UserError
    from asx.roster.check_stored import check

    try:
        chk = check(app)
    except UserError:  # nothing stored
        return
    if not chk.hard:
        return
    for v in chk.hard[:20]:
        _note(_violation_line(app, v))
    if len(chk.hard) > 20:
        _note(f"… and {len(chk.hard) - 20} more (asx roster check)")
    raise CheckFailed(f"{what}, but the roster has {len(chk.hard)} hard violation(s) (asx roster check)")


def _report_check(app, out, chk, *, fail: bool = True) -> None:
    from asx.core.errors import CheckFailed
    from asx.roster.check_stored import violation_rows

    emit(app, out, violation_rows(chk.violations), VIOLATION_COLUMNS,
         meta={"from": chk.first.isoformat(), "to": chk.last.isoformat(), "hard": len(chk.hard),
               "penalty": chk.penalty})
    _note(f"roster {chk.first} – {chk.last}: {len(chk.hard)} hard violation(s), soft penalty {chk.penalty} "
          f"({len(chk.violations) - len(chk.hard)} item(s))")
    if fail and chk.hard:
        raise CheckFailed(f"{len(chk.hard)} hard roster violation(s)")


@cli.command("check")
@click.option("--from", "first", metavar="DATE", help="First day [default: first stored day].")
@click.option("--to", "last", metavar="DATE", help="Last day [default: last stored day].")
@output_options
@click.pass_obj
def check(app, first, last, out):
    """Itemise every hard violation and soft penalty (rule, agent, day, weight); exit 1 on any
    hard violation."""
    from asx.roster.check_stored import check

    chk = check(app, _day(first, "--from"), _day(last, "--to"))
    _report_check(app, out, chk)


@cli.command("import")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--dry-run", is_flag=True, help="Check only, store nothing.")
@click.option("--force", is_flag=True, help="Store even with hard violations (they are still listed).")
@click.option("--reason", help="Why (recorded with every change).")
@output_options
@click.pass_obj
def import_(app, file, dry_run, force, reason, out):
    """Import a roster edited by hand: a grid CSV as `asx roster show -f csv` writes it
    (agent,YYYY-MM-DD,… with D/N/rest/leave or 白/晚/休/假) or columns day,agent,code.
    It is checked like `asx roster check`; published days cannot change. Supervisor only. FILE `-`
    reads standard input."""
    from asx.core.errors import CheckFailed, UserError
    from asx.io.tabular import input_file
    from asx.roster.csv_import import import_csv

    by = _supervisor(app, "import a roster")
    with input_file(file) as path:
        res = import_csv(app, str(path), by=by, dry_run=dry_run, force=force, reason=reason)
    if res.errors:
        for e in res.errors[:50]:
            say(e)
        raise UserError(f"{file}: {len(res.errors)} bad cell(s); nothing imported")
    _report_check(app, out, res.check, fail=False)
    if res.written:
        _note(f"imported {len(res.changes)} changed day(s) from {file}")
    elif res.check.hard and not force and not dry_run:
        raise CheckFailed(f"{len(res.check.hard)} hard roster violation(s); nothing imported (--force to store)")
    else:
        _note(f"--dry-run: {len(res.changes)} day(s) would change")
    if res.check.hard:
        raise CheckFailed(f"{len(res.check.hard)} hard roster violation(s)")


@cli.command("publish")
@click.option("--to", "last", required=True, metavar="DATE", help="Publish every day up to DATE.")
@click.option("--from", "first", metavar="DATE", help="First day [default: the first unpublished day].")
@click.option("--force", is_flag=True, help="Publish even with hard violations.")
@click.option("--note", help="A note kept with the publication.")
@click.pass_obj
def publish(app, last, first, force, note):
    """Publish (pin) the roster up to DATE: later generation and repair keep those days. Supervisor only."""
    from asx.roster.publish import publish

    by = _supervisor(app, "publish the roster")
    res = publish(app, _day(last, "--to"), from_day=_day(first, "--from"), by=by, force=force, note=note)
    hard = len(res.check.hard) if res.check else 0
    _note(f"published {res.first} – {res.last} ({res.rows} day assignment(s) pinned"
          + (f"; {hard} hard violation(s) published with --force" if hard else "") + ")")


CHANGE_COLUMNS = [
    Column("day", "day", "日期"),
    Column("weekday", "weekday", "星期", kind="weekday"),
    Column("agent", "agent", "客服"),
    Column("from", "from", "原", kind="roster_mark"),
    Column("to", "to", "新", kind="roster_mark"),
    Column("published", "published", "已发布", fmt=lambda v: "yes" if v else "", text=True),
    Column("kind", "kind", "类型", kind="roster_change"),
]


@cli.command("leave")
@click.argument("name", shell_complete=complete.agents)
@click.option("--from", "first", required=True, metavar="DATE", help="First day of leave.")
@click.option("--to", "last", metavar="DATE", help="Last day of leave [default: --from].")
@click.option("--reason", help="Why (e.g. 病假).")
@click.option("--time-limit", type=float, default=None, metavar="SECONDS", help="Repair search limit.")
@click.option("--at", "at", metavar="TIME", help="When the leave was reported [default: now]; days before it "
                                              "are history and are not re-planned.")
@click.option("--dry-run", is_flag=True, help="Show the repair, store nothing.")
@output_options
@click.pass_obj
def leave(app, name, first, last, reason, time_limit, at, dry_run, out):
    """Record leave (R-ROS-7) and repair the roster with the fewest changes.

    Lists the changed days and, for each shift the leave empties, the ranked cover candidates.
    Published days keep everything except the leave day itself; a shift nobody can cover within
    the rules is reported as the supervisor's responsibility. Supervisor only.
    """
    from asx.roster.leave import add_leave

    by = _supervisor(app, "record leave")
    a = _day(first, "--from")
    b = _day(last, "--to") or a
    with _solving(app, time_limit):
        res = add_leave(app, name, a, b, reason=reason, by=by, dry_run=dry_run, time_limit=time_limit,
                        reported=app.parse_time(at))
    cand_rows = []
    for (d, sid), cands in sorted(res.candidates.items()):
        chosen = res.covers.get((d, sid))
        for rank, (who, why) in enumerate(cands, start=1):
            cand_rows.append({"day": d.isoformat(), "shift": sid, "rank": rank, "agent": who, "why": why,
                              "chosen": who == chosen})
        if chosen and all(c[0] != chosen for c in cands):
            cand_rows.append({"day": d.isoformat(), "shift": sid, "rank": "", "agent": chosen,
                              "why": "chosen by the repair", "chosen": True})
    uncovered = [{"day": d.isoformat(), "shift": s} for d, s in res.uncovered]
    meta = {"leave": res.leave_id, "agent": name, "from": a.isoformat(), "to": b.isoformat(), "status": res.status,
            "candidates": cand_rows, "uncovered": uncovered, "notes": res.notes}
    emit(app, out, [c.as_row() for c in res.changes], CHANGE_COLUMNS, meta=meta)
    if _fmt(app, out) == "table" and not out.output:
        if cand_rows:
            click.echo("")
            click.echo("Cover candidates (R-ROS-7):" if app.lang != "zh" else "补班人选（R-ROS-7）：")
            emit(app, out, cand_rows, [Column("day", "day", "日期"), Column("shift", "shift", "班次"),
                                       Column("rank", "rank", "排序"), Column("agent", "agent", "客服"),
                                       Column("why", "why", "说明"),
                                       Column("chosen", "chosen", "选定", fmt=lambda v: "✓" if v else "")])
    _uncovered(res.uncovered)
    for n in res.notes:
        _note(n)
    what = "would record" if dry_run else f"recorded leave #{res.leave_id}:"
    _note(f"{what} {name} {a} – {b}; {len(res.changes)} day(s) changed; repair {res.status}")
    if not dry_run:
        _after_write(app, "the leave was recorded")


LEAVE_COLUMNS = [
    Column("id", "id", "编号"),
    Column("agent", "agent", "客服"),
    Column("from_day", "from", "开始"),
    Column("to_day", "to", "结束"),
    Column("reason", "reason", "原因"),
    Column("by", "by", "登记人"),
]


@cli.command("leaves")
@click.option("--from", "first", metavar="DATE")
@click.option("--to", "last", metavar="DATE")
@click.option("--agent", shell_complete=complete.agents, callback=known_agent)
@output_options
@click.pass_obj
def leaves(app, first, last, agent, out):
    """Recorded leave (R-ROS-7)."""
    from asx.store import roster as roster_store

    emit(app, out, roster_store.leaves(app.store, first, last, agent=agent), LEAVE_COLUMNS)


def _overriding(app, fn, *args, **kw):
    """Run a set/swap; a change that would break a hard rule is refused with its violations (exit 1)."""
    from asx.roster.overrides import NeedsOverride

    try:
        return fn(app, *args, **kw)
    except NeedsOverride as exc:
        for v in exc.violations:
            _note(_violation_line(app, v))
        raise


def _report_override(app, res) -> None:
    for c in res.changes:
        _note(f"{c.agent} {c.day}: {c.old} → {c.new}" + (" (published day)" if c.published else ""))
    for v in res.warnings:
        _note(f"warning: {_violation_line(app, v)}")
    if not res.warnings:
        _note("the change keeps every rule")


@cli.command("swap")
@click.argument("a")
@click.argument("b")
@click.argument("day", metavar="DATE")
@click.option("--reason", help="Why (recorded; required with --override).")
@click.option("--override", is_flag=True, help="Make the change even if it breaks a hard rule (R-ROS-7; needs "
                                                "--reason).")
@click.pass_obj
def swap(app, a, b, day, reason, override):
    """Swap A's and B's assignments on DATE (recorded, checked, warned). Supervisor only.

    Both must be rostered agents (role in roster.rostered_roles) on a stored day. A swap that
    breaks a hard rule is refused (exit 1) unless --override --reason."""
    from asx.roster.overrides import swap

    by = _supervisor(app, "change the roster")
    _report_override(app, _overriding(app, swap, a, b, _day(day), reason=reason, by=by, override=override))
    _after_write(app, "the swap was recorded")


@cli.command("set")
@click.argument("name", shell_complete=complete.agents)
@click.argument("day", metavar="DATE")
@click.argument("shift")
@click.option("--reason", required=True, help="Why (an override needs one, R-ROS-7).")
@click.option("--override", is_flag=True, help="Make the change even if it breaks a hard rule (R-ROS-7).")
@click.pass_obj
def set_(app, name, day, shift, reason, override):
    """Set NAME's assignment on DATE to SHIFT (D, N, 白班, rest/休, leave/假). Supervisor only.

    NAME must be a rostered agent (role in roster.rostered_roles) and DATE a stored roster day.
    A change that breaks a hard rule (e.g. a cover that breaks 6-on-1-off) is refused (exit 1)
    unless --override: then it is recorded with its reason, checked, and warned about."""
    from asx.roster.overrides import set_cell

    by = _supervisor(app, "change the roster")
    _report_override(app, _overriding(app, set_cell, name, _day(day), shift, reason=reason, by=by,
                                      override=override))
    _after_write(app, "the change was recorded")


@cli.command("regenerate")
@click.option("--after", metavar="DATE", help="Re-plan from the first switch day after DATE [default: today, "
                                              "or the last published day].")
@click.option("--weeks", type=click.IntRange(1, 52), default=None, help="Weeks to plan at least [default: setting roster.weeks].")
@click.option("--seed", type=INT, default=None)
@click.option("--time-limit", type=float, default=None, metavar="SECONDS")
@click.option("--dry-run", is_flag=True, help="Solve and show, store nothing.")
@click.pass_obj
def regenerate(app, after, weeks, seed, time_limit, dry_run):
    """Re-plan for the current team (agents joined or left) from the next switch day, keeping
    published days and the days before it (R-ROS-4/5). Supervisor only."""
    from asx.io.output import OutputSpec
    from asx.roster.generate import Infeasible
    from asx.roster.grid import grid
    from asx.roster.regenerate import regenerate

    by = _supervisor(app, "regenerate the roster")
    try:
        with _solving(app, time_limit):
            res = regenerate(app, after=_day(after, "--after"), weeks=weeks, seed=seed, time_limit=time_limit,
                             by=by, dry_run=dry_run)
    except Infeasible as exc:
        for line in exc.lines:
            say(f"  - {line}")
        raise
    g = grid(app, res.first, res.last) if not dry_run else _dry_grid(app, res)
    emit_grid(app, OutputSpec(format="table"), g, title=_title(app, res.first, res.last))
    for n in res.notes:
        _note(n)
    _uncovered(res.uncovered)
    covers = sum(1 for c in res.changes if c.kind == "cover")
    _note(f"roster {res.first} – {res.last}: {res.status_line}; {len(res.changes)} day(s) changed"
          + (f", {covers} of them covers (R-ROS-7)" if covers else "")
          + (f" (plan #{res.plan_id})" if res.plan_id else " (not stored: --dry-run)"))
    if res.uncovered:
        from asx.core.errors import CheckFailed

        raise CheckFailed(f"{len(res.uncovered)} shift(s) left uncovered: the supervisor's to settle (R-ROS-7)")
    if not dry_run:
        _after_write(app, "the roster was regenerated")


@cli.command("show")
@click.option("--week", "week", is_flag=False, flag_value="today", default=None, metavar="[DATE]",
              help="The Mon–Sun week of DATE (default: this week).")
@click.option("--from", "first", metavar="DATE")
@click.option("--to", "last", metavar="DATE")
@click.option("--all", "all_days", is_flag=True, help="Every stored day.")
@click.option("--agent", shell_complete=complete.agents, help="Only this agent.", callback=known_agent)
@click.option("--long", "long_", is_flag=True, help="One row per day and agent (with segments, published, source).")
@output_options
@click.pass_obj
def show(app, week, first, last, all_days, agent, long_, out):
    """The roster as a grid of agents × days with coverage totals (--lang zh: 白/晚/休/假/节)."""
    from asx.roster.days import resolve_range
    from asx.roster.grid import grid, long_rows

    wk = None
    if week is not None:
        wk = app.now().date() if week == "today" else _day(week, "--week")
    a, b = resolve_range(app, _day(first, "--from"), _day(last, "--to"), week=wk,
                         default="all" if all_days else "week")
    if long_:
        emit(app, out, long_rows(app, a, b, agent=agent), [
            Column("day", "day", "日期"), Column("weekday", "weekday", "星期"), Column("agent", "agent", "客服"),
            Column("code", "code", "班次", kind="roster_mark"), Column("segments", "segments", "时段"),
            Column("published", "published", "已发布", fmt=lambda v: "yes" if v else "", text=True),
            Column("source", "source", "来源")])
        return
    g = grid(app, a, b, agent=agent)
    if not g.agents:
        _note(f"no roster stored for {a} – {b}")
    emit_grid(app, out, g, title=_title(app, a, b))


@cli.command("who")
@click.option("--at", "at", metavar="TIME", help="The minute [default: now].")
@output_options
@click.pass_obj
def who(app, at, out):
    """Who is on duty at a minute, and on which shift (R-ROS-9); an agent still working past their
    shift's end (case or review events since, R-ROS-2) is listed as on overtime."""
    from asx.core.errors import UserError
    from asx.roster.duty import who
    from asx.roster.overtime import in_overtime_at

    when = app.parse_time(at)
    try:
        rows = [{**r, "overtime": ""} for r in who(app, when)]
    except UserError:
        rows = None  # no roster stored that day; overtime from yesterday's shift may still answer
    over = in_overtime_at(app, when)
    if rows is None and not over:
        raise UserError(f"no roster stored for {when.date()}: cannot say who was on duty (R-ROS-9)")
    rows = rows or []
    on = {r["agent"] for r in rows}
    for o in over:
        if o["agent"] not in on:
            rows.append({"agent": o["agent"], "shift": o["shift"], "segment": "",
                         "segments": "", "on_duty": True,
                         "overtime": f"since {app.iso(o['shift_end'])[11:16]}, last activity "
                                     f"{app.iso(o['last_activity'])[11:16]} ({o['minutes']} min)"})
    emit(app, out, rows, [Column("agent", "agent", "客服"), Column("shift", "shift", "班次", kind="roster_mark"),
                          Column("segment", "segment", "当前时段"), Column("segments", "segments", "全天时段"),
                          Column("overtime", "overtime", "加班")],
         meta={"at": app.iso(when)})
    _note(f"{len(rows)} on duty at {app.iso(when)}" if rows else f"nobody is on duty at {app.iso(when)}")


def _month_range(app, month):
    from datetime import date, timedelta

    if month is None:
        today = app.now().date()
        y, m = today.year, today.month
    else:
        try:
            y, m = (int(x) for x in month.split("-"))
            date(y, m, 1)
        except ValueError:
            raise click.BadParameter(f"{month!r} is not a month (YYYY-MM)", param_hint="--month")
    first = date(y, m, 1)
    last = (date(y + 1, 1, 1) if m == 12 else date(y, m + 1, 1)) - timedelta(days=1)
    return first, last


@cli.command("overtime")
@click.option("--month", metavar="YYYY-MM", help="The month [default: this month].")
@click.option("--totals", is_flag=True, help="The month's figures per agent (days, minutes, hours) instead of the days.")
@output_options
@click.pass_obj
def overtime(app, month, totals, out):
    """Overtime after the shift's end (R-ROS-2: the night agent stays past 23:00 while buyers chat),
    derived from each agent's case and review events after their shift ended (within setting
    roster.overtime_window_minutes)."""
    from asx.roster import overtime as ot

    first, last = _month_range(app, month)
    rows = ot.overtime_days(app, first, min(last, app.now().date()))
    if totals:
        emit(app, out, ot.totals(rows), [Column("agent", "agent", "客服"), Column("days", "days", "天数"),
                                         Column("minutes", "minutes", "分钟"), Column("hours", "hours", "小时")])
        return
    emit(app, out, rows, [Column("day", "day", "日期"), Column("agent", "agent", "客服"),
                          Column("shift", "shift", "班次", kind="roster_mark"), Column("shift_end", "shift end", "下班"),
                          Column("last_activity", "last activity", "最后操作"), Column("minutes", "minutes", "加班分钟"),
                          Column("events", "events", "操作数"), Column("evidence", "evidence", "依据")])


@cli.command("missed")
@click.option("--month", metavar="YYYY-MM", help="The month [default: this month].")
@output_options
@click.pass_obj
def missed(app, month, out):
    """Possible missed shifts for the supervisor (R-ROS-9): working days on which the agent recorded
    no activity at all, with the evidence. A flag to check against the chat log, not a verdict.
    Exit 1 when any is flagged."""
    from asx.core.errors import CheckFailed
    from asx.roster import overtime as ot

    first, last = _month_range(app, month)
    rows = ot.missed_shifts(app, first, min(last, app.now().date()))
    emit(app, out, rows, [Column("day", "day", "日期"), Column("agent", "agent", "客服"),
                          Column("shift", "shift", "班次", kind="roster_mark"), Column("segments", "segments", "时段"),
                          Column("last_before", "last activity before", "此前最后操作"),
                          Column("first_after", "first activity after", "此后首次操作"),
                          Column("evidence", "evidence", "依据")])
    if rows:
        raise CheckFailed(f"{len(rows)} possible missed shift(s): check them against the chat log (R-ROS-9)")


@cli.command("export")
@click.option("--ics", "ics", is_flag=True, required=True, help="iCalendar files (the only export format).")
@click.option("--agent", shell_complete=complete.agents, help="Only this agent.")
@click.option("--from", "first", metavar="DATE", help="First day [default: first stored day].")
@click.option("--to", "last", metavar="DATE", help="Last day [default: last stored day].")
@click.option("-o", "--output", "dest", metavar="DIR|FILE",
              help="A .ics file, or a directory for one file per agent [default: stdout].")
@click.pass_obj
def export(app, ics, agent, first, last, dest):
    """Export shifts as iCalendar: one event per shift segment with stable UIDs, so importing a
    re-export into a phone calendar updates events instead of duplicating them."""
    from pathlib import Path

    from asx.roster.days import resolve_range
    from asx.roster.ics_export import export_ics

    a, b = resolve_range(app, _day(first, "--from"), _day(last, "--to"), default="all")
    if dest == "-":  # `-o -`: standard output
        dest = None
    files = export_ics(app, a, b, agent=agent, per_agent=bool(dest) and not str(dest).endswith(".ics"))
    if not dest:
        for _name, text in files.items():
            sys.stdout.write(text)
        return
    from asx.io.output import atomic_write

    target = Path(dest)
    if str(dest).endswith(".ics"):
        with atomic_write(target, newline="") as f:
            f.write(next(iter(files.values())))
        _note(f"wrote {target}")
        return
    if not target.is_dir():
        if not target.parent.is_dir():  # never create a chain of folders silently (issue 21)
            from asx.core.errors import UserError

            raise UserError(f"cannot write to {target}: folder {target.parent} does not exist")
        target.mkdir()
        _note(f"created folder {target}")
    for name, text in files.items():
        with atomic_write(target / f"{safe_slug(name)}.ics", newline="") as f:
            f.write(text)
    _note(f"wrote {len(files)} calendar file(s) to {target}")


FAIR_COLUMNS = [
    Column("agent", "agent", "客服"),
    Column("worked", "worked", "上班"),
    Column("day_shifts", "day", "白班"),
    Column("nights", "nights", "晚班"),
    Column("night_turns", "night turns", "晚班轮次"),
    Column("last_night", "last night", "最近晚班"),
    Column("next_night_turn", "next turn", "轮到顺序"),
    Column("rests", "rests", "休息"),
    Column("weekend_rests", "weekend rests", "周末休"),
    Column("holiday_rests", "holiday rests", "节假日休"),
    Column("holidays_worked", "holidays worked", "节假日上班"),
    Column("leave", "leave", "请假"),
    Column("hours", "hours", "工时"),
]


@cli.command("fairness")
@click.option("--from", "first", metavar="DATE", help="First day [default: first stored day].")
@click.option("--to", "last", metavar="DATE", help="Last day [default: last stored day].")
@output_options
@click.pass_obj
def fairness(app, first, last, out):
    """Per agent: nights, runs of nights (turns), weekend rests, holiday rests and hours, and whose
    night turn is next (R-ROS-10, R-ROS-6, R-ROS-4).

    A turn is a run of nights (R-ROS-4 keeps one shift type between switch days); "next turn"
    ranks the current team by turns, nights and the day of their last night (1 = next)."""
    from asx.roster.days import resolve_range
    from asx.roster.fairness import fairness, next_turns, spread

    a, b = resolve_range(app, _day(first, "--from"), _day(last, "--to"), default="all")
    rows = fairness(app, a, b)
    spreads = spread(rows)
    nxt = next_turns(rows)
    emit(app, out, rows, FAIR_COLUMNS, meta={"from": a.isoformat(), "to": b.isoformat(), "spread": spreads,
                                             "next_night_turn": nxt})
    _note(f"{a} – {b}: spread (max − min) nights {spreads['nights']}, night turns {spreads['night_turns']}, "
          f"weekend rests {spreads['weekend_rests']}, holiday rests {spreads['holiday_rests']}, "
          f"hours {spreads['hours']}")
    if nxt:
        _note(f"next night turn: {', '.join(nxt)}")


@cli.command("changes")
@click.option("--from", "first", metavar="DATE")
@click.option("--to", "last", metavar="DATE")
@click.option("--agent", shell_complete=complete.agents, callback=known_agent)
@click.option("--kind", help="leave, cover, repair, swap, set, regenerate, import.")
@output_options
@click.pass_obj
def changes(app, first, last, agent, kind, out):
    """The recorded changes of the roster (append-only history)."""
    from asx.store import roster as roster_store

    rows = roster_store.changes(app.store, first, last, agent=agent, kind=kind)
    emit(app, out, rows, [
        Column("at", "when", "时间", fmt=app.iso), Column("by", "by", "操作人"),
        Column("kind", "kind", "类型", kind="roster_change"), Column("day", "day", "日期"),
        Column("agent", "agent", "客服"), Column("old_shift", "old shift", "原班次", kind="roster_mark"),
        Column("old_mark", "old mark", "原状态", kind="roster_mark"),
        Column("new_shift", "new shift", "新班次", kind="roster_mark"),
        Column("new_mark", "new mark", "新状态", kind="roster_mark"),
        Column("published", "published", "已发布", fmt=lambda v: "yes" if v else "", text=True),
        Column("reason", "reason", "原因", text=True)])
