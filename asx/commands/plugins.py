"""asx plugins: what is loaded, with versions and hooks."""

from __future__ import annotations

import click

from asx.io.output import Column, emit
from asx.io.options import output_options


@click.command(name="plugins")
@output_options
@click.pass_obj
def cli(app, out):
    """List plugins: built-in (always on), installed and enabled in this workspace (asx.toml
    `plugins.enabled`; `asx init --store X` enables X), installed but not enabled; with version and hooks."""
    info = app.plugins.info()
    rows = ({**r, "hooks": ", ".join(r["hooks"]) if (out.format or "table") in ("table", "csv", "tsv") else r["hooks"]}
            for r in info)
    emit(app, out, rows, [Column("name", "name", "名称"), Column("package", "package", "软件包"), Column("version", "version", "版本"), Column("state", "state", "状态"),
                          Column("hooks", "hooks", "钩子"), Column("error", "error", "错误")] if any("error" in r for r in info) else
         [Column("name", "name", "名称"), Column("package", "package", "软件包"), Column("version", "version", "版本"), Column("state", "state", "状态"), Column("hooks", "hooks", "钩子")])
