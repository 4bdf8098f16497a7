"""asx completion: print the shell completion script (issue 18 item 8)."""

from __future__ import annotations

import click


@click.command("completion")
@click.argument("shell", type=click.Choice(["bash", "zsh", "fish"]))
@click.pass_context
def cli(ctx, shell):
    """Print the shell completion script for bash, zsh or fish.

    Completion knows the workspace: agent names, categories, statuses, case ids, KPI names, nightly
    job names and config keys. Install it once, e.g.:

    \b
      bash:  echo 'eval "$(asx completion bash)"' >> ~/.bashrc
      zsh:   echo 'eval "$(asx completion zsh)"' >> ~/.zshrc
      fish:  asx completion fish > ~/.config/fish/completions/asx.fish
    """
    from click.shell_completion import get_completion_class

    root = ctx.find_root()
    prog = root.info_name or "asx"
    var = "_{}_COMPLETE".format(prog.replace("-", "_").replace(".", "_").upper())
    comp = get_completion_class(shell)(root.command, {}, prog, var)
    click.echo(comp.source(), nl=False)
