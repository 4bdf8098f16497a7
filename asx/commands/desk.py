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
    from asx.store.changes import watch

    # the change watch is made before the panes are read, so a change in between is not missed
    change_watch = watch(app.store)
    try:
        first = data.load(app, view, app.now())
    except Exception:  # read again on the live screen, where the error is shown inline
        first = None
    painted = False
    if first is not None and app.config.get("desk.first_paint"):
        # the queue as plain text on the alternate screen now; Textual (imported next, as long again as
        # all of the above) takes that screen over and gives the terminal back as it was on quitting
        import shutil

        from asx.core.timeutil import to_epoch
        from asx.desk.text import Words, first_paint

        cols, rows = shutil.get_terminal_size((80, 24))
        text = first_paint(Words(app, view), first, width=cols, height=rows, now=to_epoch(first["at"]))
        sys.stdout.write("\x1b[?1049h\x1b[H\x1b[2J" + text.replace("\n", "\r\n"))
        sys.stdout.flush()
        painted = True
    try:
        from asx.desk.app import DeskApp  # Textual: imported here only (start-up of every other command)

        desk = DeskApp(app, view, first=first, change_watch=change_watch)
    except BaseException:
        if painted:  # the live screen never started: give the terminal back
            sys.stdout.write("\x1b[?1049l")
            sys.stdout.flush()
        raise
    desk.run()  # Textual leaves the alternate screen itself
