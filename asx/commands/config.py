"""asx config: show, get and set settings, each with where its value came from."""

from __future__ import annotations

import json

import click

from asx.commands import _complete as complete

from asx.io.output import Column, emit
from asx.io.options import output_options, say


@click.group(name="config")
def cli():
    """Settings and where each value comes from (flag > ASX_* > asx.toml > user file > default)."""


def _render(v):
    if isinstance(v, (dict, list)):
        return json.dumps(v, ensure_ascii=False)
    return v


@cli.command("show")
@output_options
@click.pass_obj
def show(app, out):
    """Every setting: value, origin and the variable that can set it."""
    from asx.core import config

    cfg = app.config
    known = config.settings(app.plugins)
    rows = [{"key": k, "value": _render(cfg.values[k]), "origin": cfg.origin(k), "variable": known[k].env_var}
            for k in sorted(known)]
    in_workspace = cfg.project_file is not None or cfg.origin("database") != "default"
    for r in rows:
        if config.is_guarded(r["key"]):
            r["variable"] = ""  # never set by a variable (issue 17 §3)
            if in_workspace:
                r["value"], r["origin"] = _guarded(app, r["key"])
    if in_workspace and app.store.backend == "sqlite":
        say(f"asx: this workspace trusts whoever can open {app.db_path}: on a single machine asx "
            "cannot know who sits at the keyboard (a team database can: docs/postgres.md) (R-SEC-5)")
    emit(app, out, rows, [Column("key", "key", "键"), Column("value", "value", "值"),
                          Column("origin", "origin", "来源"), Column("variable", "variable", "环境变量")])


@cli.command("get")
@click.argument("key", shell_complete=complete.config_keys)
@click.option("--origin", is_flag=True, help="Also print where the value came from.")
@click.pass_obj
def get(app, key, origin):
    """Print one setting's value (JSON for tables and lists)."""
    from asx.core import config

    if key not in config.settings(app.plugins):
        raise click.ClickException(f"unknown setting {key!r} (see `asx config show`)")
    v, where = app.config.get(key), app.config.origin(key)
    if config.is_guarded(key):
        v = app.guarded(key)  # refused, saying where, if a local place sets it
        where = "database"
    text = "" if v is None else (json.dumps(v, ensure_ascii=False) if isinstance(v, (dict, list, bool)) else str(v))
    click.echo(f"{text}\t{where}" if origin else text)


@cli.command("set")
@click.argument("key", shell_complete=complete.config_keys)
@click.argument("value")
@click.option("--user", "user_file", is_flag=True, help="Write the user config file instead of asx.toml.")
@click.pass_obj
def set_(app, key, value, user_file):
    """Set KEY to VALUE in asx.toml (or the user file), keeping every other key and comment.

    VALUE is a TOML literal for numbers, booleans, lists and tables (e.g. 5, true,
    ["supervisor"]); other types take the text as it is.
    """
    from asx.core import config

    known = config.settings(app.plugins)
    if key not in known:
        raise click.ClickException(f"unknown setting {key!r} (see `asx config show`)")
    if config.is_guarded(key):
        _set_guarded(app, known[key], key, value, user_file)
        return
    path = config.user_config_path() if user_file else app.config.project_file
    if path is None:
        raise click.ClickException("not an asx workspace (no asx.toml here or in a parent); run `asx init` or use --user")
    if user_file:
        path.parent.mkdir(parents=True, exist_ok=True)
    parsed = config.parse_cli_value(known[key], value)
    config.convert(known[key], parsed, f"command line ({key})")
    config.set_value(path, key, parsed)
    say("asx: " + app.labels.text("s_config_set", app.lang, key=key, value=_render(parsed), path=path))


def _guarded(app, key):
    """(value, origin) of a privacy setting for `config show`: the database's, or the refusal."""
    from asx.core.errors import AsxError

    origin = app.config.origin(key)
    if origin != "default":
        return _render(app.config.get(key)), f"{origin} (refused: kept in the database)"
    try:
        from asx.store import settings as settings_store

        found, value = settings_store.get(app.store, key)
    except AsxError:
        return _render(app.config.get(key)), "default"
    return (_render(value), "database") if found else (_render(app.config.get(key)), "default")


def _set_guarded(app, setting, key, value, user_file):
    """issue 17 §3: privacy settings are written to the database by a supervisor, recorded."""
    from asx.core import config
    from asx.core.timeutil import to_epoch
    from asx.store import settings as settings_store

    if user_file:
        raise click.ClickException(f"{key} guards privacy: it is kept in the database, not in a user file")
    parsed = config.parse_cli_value(setting, value)
    config.convert(setting, parsed, f"command line ({key})")
    with app.store.tx():
        who = app.require_role("supervisor", action=f"change {key} (a setting that guards privacy, R-SEC-5)")
        settings_store.put(app.store, key, parsed, at=to_epoch(app.now()), by=who["name"])
    app.log_access("setting", key, json.dumps(parsed, ensure_ascii=False))
    say(f"asx: {key} = {_render(parsed)} in the database (by {who['name']})")


@cli.command("example")
@click.pass_obj
def example(app):
    """Print asx.toml.example: every setting with its default and help."""
    from asx.core import config

    click.echo(config.example_toml(config.settings(app.plugins)), nl=False)
