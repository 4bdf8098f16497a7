"""asx init: create a workspace (asx.toml + database), optionally with a sample store."""

from __future__ import annotations


from pathlib import Path

import click

from asx.io.options import INT, say


@click.command(name="init")
@click.argument("directory", required=False, type=click.Path(file_okay=False))
@click.option("--sample", is_flag=True, help="Fill the new workspace with a realistic sample store.")
@click.option("--store", "store_kind", default=None, metavar="KIND",
              help="Enable this installed store plugin in the new workspace (tmall, membership, onsite, "
                   "bakery; asx.toml `plugins.enabled`); with --sample, also the sample's flavour.")
@click.option("--name", "store_name", default=None, help="The store's name.")
@click.option("--me", default=None, metavar="NAME", help="Who acts by default in this workspace (setting `me`).")
@click.option("--lang", "lang", type=click.Choice(["en", "zh"]), default=None,
              help="The workspace's language (setting `lang`): zh = Chinese labels, headers and screens.")
@click.option("--seed", type=INT, default=7, show_default=True, help="Seed of the sample data (same seed, same data).")
@click.option("--database", "database", default=None, metavar="FILE|URL", envvar="ASX_INIT_DATABASE",
              help="The new workspace's database: a SQLite file [default: asx.db] or a postgresql:// URL "
                   "(created on the server if missing; it must be empty). A '{unique}' in it becomes a fresh "
                   "token, for scripts that make many workspaces. [env: ASX_INIT_DATABASE]")
@click.pass_obj
def cli(app, directory, sample, store_kind, store_name, me, lang, seed, database):
    """Create asx.toml and the database in DIRECTORY (default: here). Never overwrites.

    With --sample, a month of a Tmall shop: a team of twelve, cases, roster, reviews,
    ledger and statements, so every command has something to show.
    """
    from asx.core import workspace
    from asx.core.app import App
    from asx.store import open_store

    target = (app.cwd / directory) if directory else app.cwd
    if store_kind:
        names = {n.split(".")[-1].replace("asx_", "").replace("asx-", "")
                 for n in app.plugins.names() | set(app.plugins.installed)}
        if store_kind not in names:
            raise click.ClickException(
                f"store plugin {store_kind!r} is not installed (pip install plugins_contrib/asx-{store_kind})")
    if sample and me is None:
        me = "李主管"
    if database and "{unique}" in database:
        import secrets

        database = database.replace("{unique}", secrets.token_hex(6))
    workspace.check_new(target, database)
    lang = lang or app.flag("lang")  # `asx --lang zh init`: the new workspace speaks Chinese too
    # all-or-nothing (issue 21): built in a temporary folder beside the target, moved into place at the end
    staging = workspace.Staging(target)
    with staging as stage:
        if database and "://" not in database and Path(database).expanduser().is_absolute():
            staging.also_remove(Path(database).expanduser())  # a database outside the folder goes too on failure
        # the store plugin of the sample is the one this workspace enables (issue 16 item 12); its
        # own starting settings (the onsite 7x24 service hours) are written before any sample data
        host = app.plugins
        if store_kind and store_kind not in host.names() and store_kind in host.installed:
            from asx.core.plugin_host import PluginHost  # run inside a workspace that does not enable it

            host = PluginHost.load(environ=app.environ, enabled=[store_kind])
        workspace.init(stage, store_name=store_name, me=me, database=database,
                       plugins=[store_kind] if store_kind else [],
                       settings=host.workspace_settings(store_kind) if store_kind else {}, lang=lang)
        new = App(stage, environ={k: v for k, v in app.environ.items() if k not in ("ASX_DB", "ASX_CONFIG")},
                  plugins=host)  # narrowed to the new asx.toml's plugins.enabled
        store = open_store(new.db_path, create=True, **new.plugins.store_options())
        new.__dict__["store"] = store
        created_pg = getattr(store, "created", False)
        try:
            if store.backend != "sqlite" and store.scalar("SELECT count(*) FROM agents"):
                raise click.ClickException(f"the database {store.path} holds a workspace already; "
                                           "asx init never writes into one (choose an empty database)")
            if sample:
                s = workspace.fill_sample(new, store_kind=store_kind or "generic", seed=seed)
                parts = [f"{k} {v}".strip() for k, v in s.notes.get("summary", {}).items()]
            db_label = new.config.get("database")
        except BaseException:
            new.close()
            if created_pg:  # the database init created on the server goes too: nothing is left behind
                from asx.store.pg import PgStore

                PgStore.drop_database(store.url)
            raise
        new.close()
    if sample:
        say(f"asx: sample store written: {'; '.join(parts)}")
    say(f"asx: initialised {target} (asx.toml, {db_label})")
