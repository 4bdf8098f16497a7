"""asx agent: the people of the after-sales team (R-PPL)."""

from __future__ import annotations

import click

from asx.commands import _complete as complete

from asx.io.output import Column, emit
from asx.io.options import output_options, say

ROLE = click.Choice(["agent", "specialist", "supervisor", "order_clerk", "manager", "售后客服", "售后专员",
                     "售后主管", "制单客服", "经理"])

COLUMNS = [
    Column("name", "name", "姓名"),
    Column("display_name", "display name", "显示名"),
    Column("role", "role", "角色", kind="role"),
    Column("store", "store", "店铺"),
    Column("wangwang", "wangwang", "旺旺子账号"),
    Column("joined_on", "joined", "入职"),
    Column("active", "active", "在职", fmt=lambda v: "yes" if v else "no", text=True),
]


def _role(app, value: str) -> str:
    return app.labels.parse("role", value)


@click.group(name="agent")
def cli():
    """The team: add, list, show, update, retire, training records (R-PPL)."""


@cli.command("add")
@click.argument("name", shell_complete=complete.agents)
@click.option("--role", type=ROLE, required=True, help="agent, specialist, supervisor, order_clerk, manager.")
@click.option("--display-name", help="Full name shown in reports.")
@click.option("--store", "store_name", help="Store the agent works for.")
@click.option("--wangwang", help="旺旺 sub-account.")
@click.option("--joined", help="Joining date (YYYY-MM-DD).")
@click.option("--login", "login", is_flag=False, flag_value="", default=None, metavar="[LOGIN]",
              help="Team database: also create NAME's own PostgreSQL login (LOGIN, default NAME) in the group "
                   "role of the role; the password is asked for, or read from standard input (R-SEC-5).")
@click.pass_obj
def add(app, name, role, display_name, store_name, wangwang, joined, login):
    """Register NAME (the name that signs refund notes, e.g. 萌萌). Supervisor only,
    except for the very first person of a new workspace."""
    from asx.store import agents
    from asx.core.timeutil import to_epoch

    role = _role(app, role)
    password = None
    if login is not None:
        if app.store.backend != "postgresql":
            raise click.ClickException("--login: logins exist on a team database (PostgreSQL) only; this "
                                       "workspace trusts whoever can open its file (R-SEC-5)")
        login = login or name
        password = _read_password(login)
    with app.store.tx():
        by = None
        if agents.count(app.store, active_only=False) > 0:
            by = app.require_role("supervisor", action="add agents")["name"]
        agents.add(app.store, name=name, role=role, at=to_epoch(app.now()), by=by, display_name=display_name,
                   store_name=store_name, wangwang=wangwang, joined_on=_date(joined))
        if login is not None:
            from asx.store import roles

            agents.set_login(app.store, name, login)
            roles.create_login(app.store, login, password, role)
    say(f"asx: added {name} ({role})" + (f", login {login}" if login is not None else ""))


def _read_password(login: str) -> str:
    """The new login's password: asked for twice on a terminal, else the first line of standard input —
    never a command-line argument (it would show in the process list and the shell history)."""
    import sys

    if sys.stdin is not None and sys.stdin.isatty():
        pw = click.prompt(f"password for {login}", hide_input=True, confirmation_prompt=True)
    else:
        pw = (sys.stdin.readline() if sys.stdin is not None else "").rstrip("\r\n")
    if len(pw) < 8:
        raise click.ClickException(f"the password of {login} needs at least 8 characters")
    return pw


def _date(text):
    if text is None:
        return None
    from datetime import date

    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise click.BadParameter(f"{text!r} is not a date (YYYY-MM-DD)")


@cli.command("list")
@click.option("--role", type=ROLE, help="Only this role.")
@click.option("--store", "store_name", help="Only this store.")
@click.option("--all", "include_retired", is_flag=True, help="Include retired agents.")
@output_options
@click.pass_obj
def list_(app, role, store_name, include_retired, out):
    """List the team."""
    from asx.store import agents

    rows = agents.list_agents(app.store, role=_role(app, role) if role else None, store_name=store_name,
                              include_retired=include_retired)
    emit(app, out, rows, COLUMNS)


@cli.command("show")
@click.argument("name", shell_complete=complete.agents)
@output_options
@click.pass_obj
def show(app, name, out):
    """One agent and the history of their record (role changes with dates)."""
    from asx.store import agents

    row = agents.get(app.store, name)
    if row is None:
        raise click.ClickException(f"no agent named {name!r}")
    hist = [{**h, "at": app.iso(h["at"])} for h in agents.history(app.store, name)]
    if (out.format or "table") == "table" and out.output is None:
        from asx.io.output import emit_record

        emit_record(app, out, row, COLUMNS)
        click.echo("")
        emit(app, out, hist, [Column("at", "when", "时间"), Column("by", "by", "操作人"), Column("field", "field", "字段"),
                              Column("old", "from", "原值"), Column("new", "to", "新值"),
                              Column("effective_on", "effective", "生效日")])
    else:
        emit(app, out, [{**row, "history": hist}], COLUMNS + [Column("history", "history", "记录")])


@cli.command("update")
@click.argument("name", shell_complete=complete.agents)
@click.option("--role", type=ROLE, help="New role (a promotion keeps its date, R-PPL-3).")
@click.option("--display-name")
@click.option("--store", "store_name")
@click.option("--wangwang")
@click.option("--effective", help="Date the change takes effect (YYYY-MM-DD) [default: today].")
@click.option("--note", help="Why.")
@click.pass_obj
def update(app, name, role, display_name, store_name, wangwang, effective, note):
    """Change an agent's record; every change is kept as history. Supervisor only. On a team database
    a new role also moves the person's login to that role's group (the owner's login: CREATEROLE),
    in the same transaction (R-SEC-5)."""
    from asx.store import agents
    from asx.core.timeutil import to_epoch

    with app.store.tx():
        by = app.require_role("supervisor", action="change agents")["name"]
        agents.update(app.store, name, {"role": _role(app, role) if role else None, "display_name": display_name,
                                        "store": store_name, "wangwang": wangwang},
                      at=to_epoch(app.now()), by=by, effective_on=_date(effective) or app.now().date().isoformat(),
                      note=note)
        row = agents.get(app.store, name) if role else None
        if row and row.get("login") and app.store.backend == "postgresql":
            from asx.store import roles

            roles.move_login(app.store, row["login"], row["role"])  # GRANT the new group, REVOKE the old
    say(f"asx: updated {name}")


@cli.command("retire")
@click.argument("name", shell_complete=complete.agents)
@click.option("--on", "on_date", help="Last day (YYYY-MM-DD) [default: today].")
@click.option("--note", help="Why.")
@click.pass_obj
def retire(app, name, on_date, note):
    """Mark an agent as having left (kept for history; their notes stay valid evidence). Supervisor only."""
    from asx.store import agents
    from asx.core.timeutil import to_epoch

    day = _date(on_date) or app.now().date().isoformat()
    with app.store.tx():
        by = app.require_role("supervisor", action="retire agents")["name"]
        if agents.get(app.store, name) is None:
            raise click.ClickException(f"no agent named {name!r}")
        agents.update(app.store, name, {"active": 0, "left_on": day}, at=to_epoch(app.now()), by=by,
                      effective_on=day, note=note)
        login = agents.get(app.store, name).get("login")
        if login and app.store.backend == "postgresql":
            from asx.store import roles

            roles.disable_login(app.store, login)  # R-SEC-5: a retired person's login cannot connect
    say(f"asx: retired {name} as of {day}")


TRAINING_COLUMNS = [
    Column("id", "id", "编号"), Column("agent", "agent", "客服"), Column("course", "course", "课程"),
    Column("held_on", "date", "日期"), Column("result", "result", "结果"), Column("score", "score", "成绩"),
    Column("note", "note", "备注"), Column("recorded_by", "recorded by", "记录人"),
]


@cli.command("train")
@click.argument("name", shell_complete=complete.agents)
@click.option("--course", required=True, help="The course (e.g. 产品知识, 售后流程, 沟通技巧).")
@click.option("--date", "held_on", required=True, metavar="YYYY-MM-DD", help="When it was held.")
@click.option("--result", required=True, type=click.Choice(["pass", "fail", "attended"]),
              help="Assessment result 考核结果 (attended: no assessment).")
@click.option("--score", type=float, help="Assessment score, if any.")
@click.option("--note", help="Trainer, format (internal, external, online), remarks.")
@click.pass_obj
def train(app, name, course, held_on, result, score, note):
    """Supervisor: record a training of NAME (seed 000 培训, 003 六, 004 四(一)). Records are
    append-only: a correction is a new record. Shown in `asx agent training` and `asx eval show`."""
    from asx.kpi import training

    rid = training.record(app, name, course=course, held_on=held_on, result=result, score=score, note=note)
    say(f"asx: training #{rid} of {name} recorded")


@cli.command("training")
@click.argument("name", required=False, shell_complete=complete.agents)
@click.option("--since", metavar="YYYY-MM-DD", help="Held on or after this date.")
@click.option("--until", metavar="YYYY-MM-DD", help="Held before this date.")
@output_options
@click.pass_obj
def training_(app, name, since, until, out):
    """Training records, by date: everyone's or NAME's."""
    from asx.kpi import training

    emit(app, out, training.records(app, agent=name, since=_date(since), until=_date(until)), TRAINING_COLUMNS)


def _add_discipline() -> None:
    # R-KPI-4: `asx agent discipline add/list` (asx/commands/_discipline.py)
    from asx.commands._discipline import cli as discipline

    cli.add_command(discipline)


_add_discipline()
