"""The ``asx`` root command: global options, lazily loaded subcommands, one-line errors.

Built-in commands are the modules of ``asx/commands/`` (module ``case.py`` → ``asx case``;
a module may set ``NAME`` to differ), each exposing ``cli``. They are imported only when
run or listed, and import nothing heavy at module level; plugins add commands through
``register_commands(cli)``, collected by the run's plugin host (the ``asx`` group itself is never
changed by a plugin, so a test can run ``main(args, plugins=host)`` with any set of plugins).
"""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path

import click

from asx import __version__
from asx.core.errors import AsxError

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _builtin_command_modules() -> dict[str, str]:
    """Command name -> module of ``asx/commands/`` (a listing of the folder: no pkgutil, no import)."""
    folder = Path(__file__).resolve().parent / "commands"
    out = {}
    for entry in os.listdir(folder):
        name, dot, ext = entry.partition(".")
        if entry.startswith("_") or not (ext == "py" or (not dot and (folder / entry / "__init__.py").exists())):
            continue
        out[name.rstrip("_").replace("_", "-")] = f"asx.commands.{name}"
    return out


def plugin_host(ctx: click.Context):
    """The run's plugin host: the one passed to :func:`main`, or the app's (built on first use)."""
    if ctx is None:  # a caller outside a run (docs, tests): built-ins and installed plugins
        from asx.core.plugin_host import PluginHost

        return PluginHost.load()
    root = ctx.find_root()
    obj = root.obj
    if hasattr(obj, "plugins"):  # the App, built by the root command: its workspace's plugins
        return obj.plugins
    from asx.core.plugin_host import PluginHost, workspace_enabled

    # a subcommand is looked up before the root command runs: narrow to the workspace's enabled
    # plugins here too (issue 16 item 12), from -C / --config as given
    params = root.params
    cwd = Path.cwd()
    if params.get("directory"):
        cwd = (cwd / params["directory"]).resolve()
    config_path = Path(params["config_path"]).resolve() if params.get("config_path") else None
    enabled = workspace_enabled(cwd, config_path)
    if obj is None:
        obj = root.obj = PluginHost.load(enabled=enabled)
        return obj
    return obj.for_workspace(enabled)


def _help_lang(ctx: click.Context) -> str:
    """The language of a help page: --lang (eager, so it is known before --help), ASX_LANG, or the
    workspace's setting ``lang`` when the root command already built the app."""
    root = ctx.find_root()
    lang = root.params.get("lang") or os.environ.get("ASX_LANG")
    if not lang and hasattr(root.obj, "config"):
        try:
            lang = root.obj.lang
        except Exception:
            lang = None
    return lang or "en"


def _command_path(ctx: click.Context, name: str) -> str:
    parts = []
    c = ctx
    while c is not None and c.parent is not None:
        parts.append(c.info_name)
        c = c.parent
    return " ".join([*reversed(parts), name])


def format_commands(group: click.Group, ctx: click.Context, formatter) -> None:
    """The "Commands" section of a help page; under ``--lang zh`` each command's Chinese one-line summary
    (asx/commands/_summaries.py, or a plugin command's ``summary_zh``), issue 18 item 5."""
    lang = _help_lang(ctx)
    commands = []
    for name in group.list_commands(ctx):
        cmd = group.get_command(ctx, name)
        if cmd is not None and not cmd.hidden:
            commands.append((name, cmd))
    if not commands:
        return
    limit = formatter.width - 6 - max(len(n) for n, _ in commands)
    zh = {}
    if lang == "zh":
        from asx.commands._summaries import ZH as zh
    rows = []
    for name, cmd in commands:
        text = getattr(cmd, "summary_zh", None) or zh.get(_command_path(ctx, name)) if lang == "zh" else None
        rows.append((name, text or cmd.get_short_help_str(limit)))
    with formatter.section("命令" if lang == "zh" else "Commands"):
        formatter.write_dl(rows)


def _bilingual(cmd: click.Command) -> click.Command:
    """A built-in group lists its commands with :func:`format_commands` (and so do its subgroups)."""
    if isinstance(cmd, click.Group) and not getattr(cmd, "_asx_bilingual", False):
        import types

        cmd.format_commands = types.MethodType(format_commands, cmd)
        cmd._asx_bilingual = True
        for sub in cmd.commands.values():
            _bilingual(sub)
    return cmd


def _complete_agents(ctx, param, incomplete):
    from asx.commands._complete import agents

    return agents(ctx, param, incomplete)


class LazyGroup(click.Group):
    """Imports a command module only when that command is run or listed."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._lazy: dict[str, str] | None = None

    def _modules(self) -> dict[str, str]:
        if self._lazy is None:
            self._lazy = _builtin_command_modules()
        return self._lazy

    def _plugin_commands(self, ctx: click.Context) -> dict[str, click.Command]:
        if ctx is not None and ctx.find_root().obj is None:
            from asx.core.plugin_host import entry_points_possible

            if not entry_points_possible():  # built-in plugins add no commands: no host needed
                return {}
        return plugin_host(ctx).commands(lambda: click.Group("asx"))

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(self._modules()) | set(self._plugin_commands(ctx)))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in self.commands:
            return self.commands[name]
        mod = self._modules().get(name)
        if mod is not None:
            cmd = _bilingual(importlib.import_module(mod).cli)
            self.commands[name] = cmd  # built-in commands are the same for every run
            return cmd
        return self._plugin_commands(ctx).get(name)

    def format_commands(self, ctx: click.Context, formatter) -> None:
        format_commands(self, ctx, formatter)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except AsxError as exc:
            _in_language(exc, ctx.obj)
            raise
        except click.ClickException as exc:
            if not isinstance(exc, click.UsageError):  # a command's own one-line error (not click's usage)
                _in_language(exc, ctx.obj)
            raise


def _in_language(exc: AsxError, app) -> None:
    """Under ``--lang zh`` an error's one line in Chinese: phrases of the labels' kind ``text`` (the
    common errors, "no case #12") are translated, and the ``Error:`` prefix becomes ``错误：``."""
    try:
        lang = app.lang
    except Exception:  # no workspace, a broken asx.toml …: the message as it is
        return
    if lang != "zh":
        return
    try:
        msg = app.labels.translate(str(exc), lang)
    except Exception:
        return
    exc.args = (msg,)
    if isinstance(exc, click.ClickException):
        exc.message = msg
    exc.lang = lang


@click.group(cls=LazyGroup, context_settings=CONTEXT_SETTINGS)
@click.option("-C", "directory", type=click.Path(file_okay=False), metavar="DIR",
              help="Run as if asx was started in DIR (like git -C).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), envvar="ASX_CONFIG", show_envvar=True,
              help="Use this asx.toml instead of searching the current directory and its parents.")
@click.option("--db", envvar="ASX_DB", show_envvar=True, metavar="PATH",
              help="The database [default: asx.db beside asx.toml].")
@click.option("--as", "acting", envvar="ASX_AGENT", show_envvar=True, metavar="NAME", shell_complete=_complete_agents,
              help="Who is acting (registered agent name, R-PPL-2) [default: setting `me`].")
@click.option("--lang", type=click.Choice(["en", "zh"]), envvar="ASX_LANG", show_envvar=True, is_eager=True,
              help="Language of labels and headers (English or 中文).")
@click.option("--color", type=click.Choice(["auto", "always", "never"]), envvar="ASX_COLOR", show_envvar=True,
              help="Colour: auto (on a terminal, unless NO_COLOR is set), always, never.")
@click.version_option(__version__, "--version", prog_name="asx")
@click.pass_context
def cli(ctx: click.Context, directory, config_path, db, acting, lang, color):
    """asx — after-sales toolkit: cases, roster, reviews, refund audit, KPI.

    Exit codes: 0 ok, 1 a check found problems, 2 usage or bad input, 3 internal error.
    Set ASX_DEBUG=1 to see the traceback of an internal error.
    """
    cwd = Path.cwd()
    if directory:
        cwd = (cwd / directory).resolve()
        if not cwd.is_dir():
            raise click.UsageError(f"-C {directory}: no such directory")
        os.chdir(cwd)
    from asx.core.app import App

    # values click read from ASX_* variables are left to the config loader, so their origin
    # shows as "env ASX_…" rather than as a flag
    env = click.core.ParameterSource.ENVIRONMENT
    db = None if ctx.get_parameter_source("db") == env else db
    acting = None if ctx.get_parameter_source("acting") == env else acting
    lang = None if ctx.get_parameter_source("lang") == env else lang
    color = None if ctx.get_parameter_source("color") == env else color
    app = App(cwd, config_path=Path(config_path).resolve() if config_path else None, db=db, acting=acting, lang=lang, color=color,
              plugins=ctx.obj)  # the host given to main(), or None: the app builds its own on first use
    ctx.obj = app
    ctx.call_on_close(app.flush_warnings)
    ctx.call_on_close(app.close)


def main(argv: list[str] | None = None, prog_name: str = "asx", *, plugins=None) -> None:
    """Console-script entry point: runs the CLI and turns errors into one line + exit code.
    ``plugins``: the :class:`~asx.core.plugin_host.PluginHost` to use (tests); default: built-ins
    and the installed plugins."""
    try:
        rv = cli.main(args=argv, prog_name=prog_name, standalone_mode=False, obj=plugins)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        if getattr(exc, "lang", None) == "zh":
            click.echo(f"错误：{exc.format_message()}", err=True)
        elif isinstance(exc, click.UsageError) and _usage_lang(exc, argv) == "zh":
            _show_usage_zh(exc)
        else:
            exc.show()
        sys.exit(2 if isinstance(exc, click.UsageError) or exc.exit_code == 1 else exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except AsxError as exc:
        click.echo(f"{'错误：' if getattr(exc, 'lang', None) == 'zh' else 'Error: '}{exc}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        sys.exit(130)
    except BrokenPipeError:
        # `asx case list | head`: the reader went away; not an error.
        _quiet_stdout()
        sys.exit(0)
    except SystemExit as exc:
        from click.utils import PacifyFlushWrapper

        # click answers a closed pipe (EPIPE) with exit 1 after wrapping stdout: `asx case list | head -1`
        # is not an error (issue 21)
        if exc.code == 1 and isinstance(sys.stdout, PacifyFlushWrapper):
            _quiet_stdout()
            sys.exit(0)
        raise
    except Exception as exc:
        if os.environ.get("ASX_DEBUG"):
            raise
        sys.exit(_internal_error(exc))
    sys.exit(rv if isinstance(rv, int) else 0)


#: click's own usage errors under ``--lang zh`` (issue 18 item 5): its English sentence → Chinese; names,
#: values and options are kept as click quoted them. Tried in order, each on the whole message.
_CLICK_ZH = [
    (r"Missing option (?P<p>.+)\.", "缺少选项 {p}。"), (r"Missing argument (?P<p>.+)\.", "缺少参数 {p}。"),
    (r"Missing parameter:? (?P<p>.+?)\.?", "缺少参数 {p}。"), (r"Missing command\.", "缺少子命令。"),
    (r"No such command (?P<p>[^ ]+?)\.(?: Did you mean (?P<q>.+?)\?| \(Did you mean one of: (?P<r>.+?)\?\))?",
     "没有命令 {p}。{hint}"),
    (r"No such option:? (?P<p>[^ ]+?)\.?(?: Did you mean (?P<q>.+?)\?| \(Did you mean one of: (?P<r>.+?)\?\))?",
     "没有选项 {p}。{hint}"),
    (r"Option (?P<p>.+) requires an argument\.", "选项 {p} 需要一个值。"),
    (r"Option (?P<p>.+) requires (?P<n>\d+) arguments\.", "选项 {p} 需要 {n} 个值。"),
    (r"Option (?P<p>.+) does not take a value\.", "选项 {p} 不接受值。"),
    (r"Argument (?P<p>.+) takes (?P<n>\d+) values\.", "参数 {p} 需要 {n} 个值。"),
    (r"Got unexpected extra arguments? \((?P<p>.+)\)", "多余的参数（{p}）"),
    (r"Invalid value for (?P<p>.+?): (?P<m>.+)", "{p} 的值无效：{m}"), (r"Invalid value: (?P<m>.+)", "值无效：{m}"),
]
#: the reasons inside "Invalid value for …: <reason>"
_CLICK_WHY_ZH = [
    (r"(?P<v>.+) is not one of (?P<c>.+)\.", "{v} 不是 {c} 之一。"), (r"(?P<v>.+) is not (?P<c>'.+')\.", "{v} 不是 {c}。"),
    (r"(?P<v>.+) is not a valid integer( range)?\.", "{v} 不是有效的整数。"),
    (r"(?P<v>.+) is not a valid float( range)?\.", "{v} 不是有效的数字。"),
    (r"(?P<v>.+) is not a valid boolean\.", "{v} 不是有效的是/否值。"),
    (r"(?P<v>.+) is not in the range (?P<c>.+)\.", "{v} 不在范围 {c} 内。"),
    (r"(?:File|Directory|Path) (?P<v>.+) does not exist\.", "{v} 不存在。"),
    (r"(?:File|Path) (?P<v>.+) is a directory\.", "{v} 是目录。"),
    (r"(?:Directory|Path) (?P<v>.+) is a file\.", "{v} 是文件。"),
    (r"(?:File|Directory|Path) (?P<v>.+) is not readable\.", "{v} 不可读。"),
    (r"(?:File|Directory|Path) (?P<v>.+) is not writable\.", "{v} 不可写。"),
    (r"(?P<v>.+) does not match the formats? (?P<c>.+)\.", "{v} 不符合格式 {c}。"),
]


def _click_zh(msg: str, app=None) -> str:
    """click's English usage message in Chinese (what it names kept as it is); unknown wording unchanged."""
    import re

    for rx, zh in _CLICK_ZH:
        m = re.fullmatch(rx, msg, re.S)
        if not m:
            continue
        g = {k: v or "" for k, v in m.groupdict().items()}
        if "m" in g:
            g["m"] = _click_why_zh(g["m"], app)
        hint = g.get("q") or g.get("r")
        return zh.format(hint=f"你是不是想用 {hint}？" if hint else "", **g)
    try:  # a command's own usage error ("--category is required …"): the phrases of the labels
        return str(app.labels.translate(msg, "zh")) if app is not None else msg
    except Exception:
        return msg


def _click_why_zh(why: str, app) -> str:
    import re

    for rx, zh in _CLICK_WHY_ZH:
        m = re.fullmatch(rx, why, re.S)
        if m:
            return zh.format(**m.groupdict())
    try:  # a reason one of asx's own parameter types gave: the phrases of the labels
        return str(app.labels.translate(why, "zh")) if app is not None else why
    except Exception:
        return why


def _usage_lang(exc: click.UsageError, argv) -> str:
    """The language of a usage error: --lang, ASX_LANG, or the workspace's ``lang`` when it can be read
    (click may fail before --lang was read, or without a context: the arguments are looked at)."""
    args = list(sys.argv[1:] if argv is None else argv)
    for i, a in enumerate(args):
        if a == "--lang" and i + 1 < len(args) and args[i + 1] in ("en", "zh"):
            return args[i + 1]
        if a in ("--lang=en", "--lang=zh"):
            return a.split("=", 1)[1]
    if os.environ.get("ASX_LANG") in ("en", "zh"):
        return os.environ["ASX_LANG"]
    app = exc.ctx.find_root().obj if exc.ctx is not None else None
    try:  # the workspace's setting (an error before the app was made: "No such command")
        if not hasattr(app, "config"):
            from asx.core.app import App

            app = App(Path.cwd())
        return app.lang or "en"
    except Exception:
        return "en"


def _show_usage_zh(exc: click.UsageError) -> None:
    """click's usage error in Chinese: the usage line, where to find help, and the error (exit 2)."""
    ctx = exc.ctx
    app = getattr(ctx.find_root(), "obj", None) if ctx is not None else None
    if ctx is not None:
        click.echo(ctx.get_usage().replace("Usage: ", "用法：", 1), err=True)
        if ctx.command.get_help_option(ctx) is not None:
            opt = ctx.help_option_names[0]
            click.echo(f"运行 '{ctx.command_path} {opt}' 查看帮助。", err=True)
        click.echo("", err=True)
    click.echo(f"错误：{_click_zh(exc.format_message(), app if hasattr(app, 'labels') else None)}", err=True)


def _quiet_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.__stdout__.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def _internal_error(exc: Exception) -> int:
    """Print the one line of an unexpected exception; return the exit code."""
    import sqlite3

    if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
        click.echo("Error: the database stayed locked by another asx process; nothing was written, try again",
                   err=True)
        return 3
    if isinstance(exc, sqlite3.OperationalError) and "readonly" in str(exc):  # a write outside Store.tx (issue 21)
        click.echo("Error: the database is read-only (file or folder permissions); nothing was written", err=True)
        return 2
    click.echo(f"asx: internal error: {type(exc).__name__}: {exc} (rerun with ASX_DEBUG=1 for the traceback)",
               err=True)
    return 3
