"""asx db: integrity check, online backup, migrations."""

from __future__ import annotations

import click

from asx.io.output import Column, emit
from asx.io.options import output_options, say


@click.group(name="db")
def cli():
    """The database: check, backup, migrate."""


@cli.command("check")
@click.pass_obj
def check(app):
    """Integrity, foreign keys and schema version. Exit 1 if anything is wrong. Writes nothing: pending
    migrations and killed imports are reported, `asx db migrate` applies and marks them."""
    import sqlite3

    from asx.core.errors import CheckFailed, UserError
    from asx.store import maintenance, open_store

    try:
        store = open_store(app.db_path, migrate=False, **app.plugins.store_options())
    except UserError as exc:
        if not _sqlite_header(app.db_path):
            raise
        # a SQLite file asx cannot open (truncated, damaged): that is what the check is for (exit 1)
        click.echo(f"database: {app.db_path}")
        click.echo(f"PROBLEM: damaged: {exc}")
        raise CheckFailed(f"the database {app.db_path} is damaged; restore a backup") from None
    try:
        problems, info = maintenance.check(store)
    except sqlite3.DatabaseError as exc:
        problems, info = [f"damaged: {exc}"], [f"database: {app.db_path}"]
    finally:
        store.close()
    for line in info:
        click.echo(line)
    for p in problems:
        click.echo(f"PROBLEM: {p}")
    if problems:
        raise CheckFailed(f"{len(problems)} problem(s) in {app.db_path}")
    click.echo("ok")


def _sqlite_header(path) -> bool:
    """Whether ``path`` is a file that starts as a SQLite database does."""
    try:
        with open(path, "rb") as f:
            return f.read(16) == b"SQLite format 3\x00"
    except (OSError, TypeError):
        return False


@cli.command("backup")
@click.argument("path", type=click.Path(dir_okay=False))
@click.pass_obj
def backup(app, path):
    """Copy the database to PATH with SQLite's online backup (safe while others write). A full
    unmasked copy: supervisor only, recorded in the access log (R-SEC-2/5); the copy is owner-only (0600)."""
    if app.store.backend != "sqlite":
        app.store.backup_to(path)  # explains pg_dump / db copy
    app.require_role("supervisor", action="back the database up (a full unmasked copy, R-SEC-2)")
    app.log_access("backup", "database", str(path))
    dest = app.store.backup_to(path)
    say(f"asx: backup written to {dest}")


@cli.command("roles")
@click.option("--check", "check_only", is_flag=True,
              help="Only report grants that drifted from what the migrations set; exit 1 if any.")
@output_options
@click.pass_obj
def roles_cmd(app, check_only, out):
    """Team database: the grants of the group roles asx_agent, asx_specialist, asx_supervisor and
    asx_clerk, and which group each person's login is in (R-SEC-5). Without --check, grant them afresh
    (the owner only); with --check, list every grant or membership that is missing or extra."""
    from asx.core.errors import CheckFailed, UserError
    from asx.store import roles

    if app.store.backend != "postgresql":
        say("asx: a SQLite workspace has no database roles: it trusts whoever can open "
            f"{app.db_path} (R-SEC-5)")
        emit(app, out, [], [Column("state"), Column("role"), Column("object"), Column("column"),
                            Column("privilege")])
        return
    if app.store.app_login:
        # granting was an internal error (exit 3), and a person's login sees only part of the grants, so
        # its --check listed hundreds of grants as missing that are there
        raise UserError("the grants are the schema owner's to set and check: run `asx db roles` with the owner's "
                        "connection (the one that runs `asx db migrate`)")
    if not check_only:
        with app.store.tx():
            roles.apply(app.store)
            roles.apply_memberships(app.store)
    rows = roles.drift(app.store)
    emit(app, out, rows, [Column("state"), Column("role"), Column("object"), Column("column"),
                          Column("privilege")])
    if rows:
        raise CheckFailed(f"{len(rows)} grant(s) drifted from the migrations' (run `asx db roles` as the owner)")
    say("asx: the grants of the asx group roles are as the migrations set them")


@cli.command("migrate")
@output_options
@click.pass_obj
def migrate(app, out):
    """Apply pending schema migrations (also done automatically) and list their state; fill the
    stored SLA summaries of cases written before migration 0056 (the KPI export is faster with them);
    mark imports a killed process left 'running' as 'interrupted'."""
    from asx.store import cases as case_store
    from asx.store import migrate as m

    from asx.store import maintenance

    app.store  # opening applies pending migrations
    filled = case_store.fill_sla_summaries(app.store)
    if filled:
        say(f"asx: stored the SLA summary of {filled} case(s)")
    stale = maintenance.mark_interrupted(app.store)  # moved here from `db check`, which writes nothing
    if stale:
        say(f"asx: {stale} import(s) left 'running' by a killed process marked 'interrupted' (nothing of "
            "them was written; run them again)")
    elif stale is None:
        say("asx: the database is being written (an import may be running); stale 'running' imports "
            "not checked")
    rows = ({**r, "applied_at": app.iso(r["applied_at"]) if r["applied_at"] else "pending"} for r in m.status(app.store))
    emit(app, out, rows, [Column("component"), Column("number"), Column("name"), Column("applied_at", "applied")])


@cli.command("purge")
@click.option("--before", "before_text", metavar="DATE",
              help="Purge matters closed before DATE [default: today minus privacy.retention_years].")
@click.option("--dry-run", is_flag=True, help="Count what would be purged; change nothing.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation (needed when not on a terminal).")
@click.pass_obj
def purge(app, before_text, dry_run, yes):
    """Pseudonymise buyers of cases closed before DATE (R-SEC-4); statistics stay the same.

    Buyer ids become pseudonymous keys, contacts and phones are removed, complaint texts and
    notes are masked. Supervisor only; the purge is recorded in the access log.
    """

    import sys

    from asx.core.errors import UserError
    from asx.core.timeutil import to_epoch
    from asx.privacy import purge as purge_mod

    who = app.require_role("supervisor", action="purge personal data")
    if app.store.app_login:
        # R-SEC-4/5: the purge rewrites append-only history, and only the schema's owner may lift those
        # guards; a person's own login failed with "internal error: must be owner of table …" (exit 3)
        raise UserError("on a team PostgreSQL database the purge rewrites append-only history, which only the "
                        "schema's owner may do: run `asx db purge` with the owner's connection (the one that "
                        "runs `asx db migrate`)")
    now = app.now()
    years = app.guarded("privacy.retention_years")
    retention = purge_mod.retention_start(now, years)
    before = app.parse_time(before_text) if before_text else retention
    cutoff = to_epoch(before)
    # issue 21: a cut-off after the retention setting purges data still kept on purpose; both compared as
    # store-timezone dates (a cut-off given in UTC or at noon of the retention day is not "later")
    if before.astimezone(app.tz).date() > retention.astimezone(app.tz).date():
        app.warn(f"the cut-off {app.iso(before)} is later than the retention setting (privacy.retention_years = "
                 f"{years}: {app.iso(retention)}); data still within retention will be purged")
    if not dry_run and not yes:
        if not sys.stdin.isatty():
            raise UserError("db purge changes personal data for good: pass --yes (or run it on a terminal to be "
                            "asked), or --dry-run to count")
        click.confirm(f"Purge the personal data of matters closed before {app.iso(before)}? This cannot be undone",
                      abort=True, err=True)
    counts = purge_mod.purge(app.store, cutoff, purge_mod.purgers(app.plugins), tz=app.tz, dry_run=dry_run)
    if dry_run:  # every purger ran and was rolled back: the counts of the real purge, plugins' included
        say(f"asx: would purge personal data closed before {app.iso(before)}: "
            + ", ".join(f"{v} {k}" for k, v in counts.items()) + " (dry run: nothing changed)")
        return
    app.log_access("purge", f"before:{app.iso(before)}", ", ".join(f"{k}={v}" for k, v in counts.items()))
    say(f"asx: purged personal data closed before {app.iso(before)}: "
        + ", ".join(f"{v} {k}" for k, v in counts.items()) + f" (by {who['name']})")


@cli.command("copy")
@click.argument("source", metavar="SRC")
@click.argument("dest", metavar="DST")
@output_options
@click.pass_obj
def copy_cmd(app, out, source, dest):
    """Copy a whole workspace database from SRC to the empty DST, counts verified.

    SRC and DST are SQLite files or postgresql:// URLs, so a growing shop moves its history to a
    team server (and back) without losing a row: `asx db copy asx.db postgresql://asx@db/shop`,
    then set `database = "postgresql://asx@db/shop"` in asx.toml. DST is created if missing and
    must hold no data; both get the same migrations (install the same store plugins). One
    transaction on DST: on any difference nothing is written. Lists each table's rows.
    """
    import sys
    import time
    from pathlib import Path

    from asx.store import copy as copy_mod
    from asx.store import open_store
    from asx.store import is_url
    from asx.store.pg import display_url

    def resolve(p):
        return p if is_url(p) else str((app.cwd / Path(p).expanduser()) if not Path(p).is_absolute() else p)

    if not is_url(source) and not Path(resolve(source)).exists():
        raise click.ClickException(f"{source} does not exist")
    t0 = time.perf_counter()
    options = app.plugins.store_options()
    src = open_store(resolve(source), **options)
    try:
        log = _copy_allowed(app, src, dest)
    except BaseException:
        src.close()
        raise
    dst = open_store(resolve(dest), create=True, **options)
    try:
        report = copy_mod.copy(src, dst, progress=(lambda t, n: say(f"asx: {t}: {n:,} rows"))
                               if sys.stderr.isatty() else None, before=log)
    finally:
        src.close()
        dst.close()
    total = sum(r["source"] for r in report)
    emit(app, out, report, [Column("table"), Column("source", "rows in SRC"), Column("copied", "rows in DST")])
    say(f"asx: copied {total:,} rows in {len(report)} tables to {display_url(dest)} "
        f"({time.perf_counter() - t0:.1f} s); counts verified")


def _copy_allowed(app, src, dest: str):
    """`asx db copy` gives a full unmasked copy: the actor must be a supervisor *of the source* (on a
    team database: the login's agent), and the copy is recorded in the source's access log (R-SEC-2/5):
    returns the function that writes that entry once the destination is found fit."""
    from asx.core.errors import PermissionDenied
    from asx.core.timeutil import to_epoch
    from asx.store import agents as agents_store
    from asx.store.pg import display_url

    if src.app_login:
        who = agents_store.by_login(src, src.session_user())
    else:
        who = agents_store.get(src, app.acting_name) if app.acting_name else None
    if who is None or not who["active"] or not app.may(who, "supervisor"):
        name = who["name"] if who else app.acting_name
        raise PermissionDenied((f"{name} may not copy the database" if name else "who is acting? pass --as NAME")
                               + ": a full unmasked copy needs a supervisor of the source database (R-SEC-2)")

    def log():
        with src.tx():
            agents_store.log_access(src, to_epoch(app.now()), who["name"], "copy", "database", display_url(dest))
    return log
