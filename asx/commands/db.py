"""asx db: integrity check, online backup, migrations."""

from __future__ import annotations

import click

from asx.output import Column, emit, output_options


@click.group(name="db")
def cli():
    """The database: check, backup, migrate."""


@cli.command("check")
@click.pass_obj
def check(app):
    """Integrity, foreign keys and schema version. Exit 1 if anything is wrong."""
    from asx.errors import CheckFailed
    from asx.store import maintenance

    problems, info = maintenance.check(app.store)
    for line in info:
        click.echo(line)
    for p in problems:
        click.echo(f"PROBLEM: {p}")
    if problems:
        raise CheckFailed(f"{len(problems)} problem(s) in {app.db_path}")
    click.echo("ok")


@cli.command("backup")
@click.argument("path", type=click.Path(dir_okay=False))
@click.pass_obj
def backup(app, path):
    """Copy the database to PATH with SQLite's online backup (safe while others write)."""
    dest = app.store.backup_to(path)
    click.echo(f"asx: backup written to {dest}", err=True)


@cli.command("migrate")
@output_options
@click.pass_obj
def migrate(app, out):
    """Apply pending schema migrations (also done automatically) and list their state."""
    from asx.store import migrate as m

    app.store  # opening applies pending migrations
    rows = ({**r, "applied_at": app.iso(r["applied_at"]) if r["applied_at"] else "pending"} for r in m.status(app.store))
    emit(app, out, rows, [Column("component"), Column("number"), Column("name"), Column("applied_at", "applied")])
