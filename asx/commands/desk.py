"""asx desk: the agent's live work screen in the terminal (issue 20)."""

from __future__ import annotations

import click


@click.command("desk")
@click.option("--agent", metavar="NAME", help="Supervisor: open this agent's desk.")
@click.option("--team", is_flag=True, help="Supervisor: the whole team's queue.")
@click.option("--lang", "lang", type=click.Choice(["en", "zh"]),
              help="Language of the screen [default: the global --lang / setting lang].")
@click.pass_obj
def cli(app, agent, team, lang):
    """A full-screen, live work screen: my shift now and next and the handover note, my cases by
    time to breach with a live countdown (amber inside desk.warn_minutes, red when breached, R-SLA),
    my reviews actionable now (call windows, R-REV-5), my cases waiting on the buyer past the
    promise (R-SLA-5), and for a supervisor the unsigned money (R-FIN-1) — the data of `asx me`
    and `asx today`.

    Keys on the selected row do what the CLI commands do (same checks, same history): r respond,
    n note, t tick a checklist step, w wait/resume, p promise, s resolve, e escalate, o or Enter
    the case detail (history, SLA per target), c record a review contact; v reveals buyer data
    (supervisor, confirmed, recorded, R-SEC-1); / filters, ? lists the keys, q quits.

    The screen follows the database live (another agent, an import, the nightly job) by polling a
    change counter every desk.poll_seconds. NO_COLOR is honoured."""
    import sys

    from asx.desk import data

    view = data.view_for(app, agent=agent, team=team, lang=lang)
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise click.UsageError("asx desk is a full-screen terminal app: run it in a terminal "
                               "(for scripts: asx me -f json, asx case due, asx review next)")
    import threading

    from asx.store.changes import watch

    # the first screen's panes are read in a thread while Textual is imported (the queries release
    # the GIL, the 2 overlap); the change watch is made first, so a change in between is not missed
    change_watch = watch(app.store)
    first: dict = {}

    def read_panes() -> None:
        try:
            first["data"] = data.load(app, view, app.now())
        except Exception:  # read again on the screen, where the error is shown inline
            pass

    reader = threading.Thread(target=read_panes, name="asx-desk-first-panes", daemon=True)
    reader.start()
    from asx.desk.app import DeskApp  # Textual: imported here only (start-up of every other command)

    reader.join()
    DeskApp(app, view, first=first.get("data"), change_watch=change_watch).run()
