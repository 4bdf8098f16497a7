#!/usr/bin/env python3
"""Generate docs/cli.md from every command's --help (tests/test_docs.py keeps it current)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

HERE = Path(__file__).resolve().parent


def walk(group, ctx, path):
    yield path, group
    if isinstance(group, click.Group):
        for name in group.list_commands(ctx):
            cmd = group.get_command(ctx, name)
            sub = click.Context(cmd, parent=ctx, info_name=name)
            yield from walk(cmd, sub, path + [name])


def render() -> str:
    import os

    os.environ["ASX_LOAD_PLUGINS"] = ""  # the core commands only; store plugins document their own
    from asx.cli import cli

    ctx = click.Context(cli, info_name="asx", terminal_width=100, max_content_width=100,
                            help_option_names=["-h", "--help"])
    out = ["# asx command reference", "", "Generated from `--help` by `python docs/gen_cli.py`; do not edit.", ""]
    for path, cmd in walk(cli, ctx, ["asx"]):
        sub = click.Context(cmd, info_name=" ".join(path), terminal_width=100, max_content_width=100,
                            help_option_names=["-h", "--help"])
        out += [f"## {' '.join(path)}", "", "```", cmd.get_help(sub).rstrip(), "```", ""]
    return "\n".join(out)


if __name__ == "__main__":
    text = render()
    if "--check" in sys.argv:
        sys.exit(0 if (HERE / "cli.md").read_text(encoding="utf-8") == text else 1)
    (HERE / "cli.md").write_text(text, encoding="utf-8")
