"""Shared checks of listing filters (issue 18 item 12)."""

from __future__ import annotations

from typing import Any

import click

#: values of an agent filter that are no name (`review list --owner none`: unowned; `review next --agent all`)
_NOBODY = ("none", "all")


def known_agent(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    """Click callback of ``--agent``/``--owner`` filters: a name that is no registered agent (retired ones
    count) is bad input, exit 2 — as ``--as nobody`` is — not an empty listing that looks like "all clear"."""
    if value in (None, "") or value in _NOBODY:
        return value
    from asx.core.errors import UserError
    from asx.store import agents

    app = ctx.obj
    if agents.get(app.store, value) is None:
        raise UserError(f"{param.opts[-1]} {value}: no agent of that name (see `asx agent list`)")
    return value
