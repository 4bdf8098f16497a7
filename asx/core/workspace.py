"""Creating a workspace: ``asx.toml`` + database, optionally a sample store (issue 2 §5)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from asx.core.config import PROJECT_FILE
from asx.core.errors import UserError

TEMPLATE = """\
# asx workspace settings. Every setting, with its default: asx.toml.example (or `asx config example`).
# Precedence: flag > ASX_* variable > this file > user config > default. See `asx config show`.
{me}{lang}{database}
[plugins]
enabled = {enabled}

[store]
name = {name}
timezone = "Asia/Shanghai"
"""


@dataclass
class Sample:
    """What sample steps share: the clock, a seeded random generator, and notes between steps."""

    now: datetime
    start: datetime
    rng: random.Random
    store_kind: str
    seed: int
    team: list[str] = field(default_factory=list)
    notes: dict[str, Any] = field(default_factory=dict)


def check_new(directory: Path, database: str | None = None) -> None:
    """Refuse (UserError) if ``directory`` holds a workspace or its database file exists."""
    target = directory / PROJECT_FILE
    if target.exists():
        raise UserError(f"{target} exists already; asx init never overwrites a workspace")
    db_file = directory / (database or "asx.db")
    if "://" not in (database or "") and db_file.exists():
        raise UserError(f"{db_file} exists already; asx init never overwrites a database")


def init(directory: Path, *, store_name: str | None = None, me: str | None = None,
         database: str | None = None, plugins: list[str] | None = None,
         settings: dict[str, Any] | None = None, lang: str | None = None) -> Path:
    """Write ``asx.toml`` in ``directory``; refuse to overwrite an existing workspace. ``settings``
    are the store plugin's own starting values (``register_workspace_settings``). ``lang``: the
    workspace's language of labels, headers and screens (``zh``: Chinese all the way, issue 18 item 5)."""
    import json

    from asx.core.config import set_value

    directory.mkdir(parents=True, exist_ok=True)
    target = directory / PROJECT_FILE
    check_new(directory, database)
    text = TEMPLATE.format(name=json.dumps(store_name or "示例天猫旗舰店", ensure_ascii=False),
                           me=f'me = {json.dumps(me, ensure_ascii=False)}\n' if me else "",
                           lang=f'lang = {json.dumps(lang)}\n' if lang else "",
                           database=f'database = {json.dumps(database, ensure_ascii=False)}\n' if database else "",
                           enabled=json.dumps(list(plugins or []), ensure_ascii=False))
    target.write_text(text, encoding="utf-8")
    for key, value in (settings or {}).items():
        set_value(target, key, value)
    return target


class Staging:
    """Build a workspace in a temporary folder beside ``target`` and move it into place only when
    everything was written (issue 21: ``asx init --sample`` is all-or-nothing).

    ``target`` missing: the folder ``.<name>.asx-init-<pid>`` in its parent is renamed to it.
    ``target`` an existing folder (``asx init`` here): the folder ``.asx-init-<pid>`` inside it is
    built, then its entries are moved in one by one, ``asx.toml`` last — the folder is a workspace
    only once everything else is there. Any failure or Ctrl-C (``BaseException``) removes the
    temporary folder, folders made for it, and files registered with :meth:`also_remove` (a
    database outside the folder); a rerun then works. Temporary folders of a run killed outright
    (``kill -9``) are removed by the next run once their process is gone.
    """

    def __init__(self, target: Path):
        self.target = target
        self.made: list[Path] = []      # missing ancestors created for the temporary folder
        self.extra: list[Path] = []
        self.stage: Path | None = None

    def __enter__(self) -> Path:
        import os

        target = self.target
        if target.exists() and not target.is_dir():
            raise UserError(f"{target} exists and is not a folder")
        existing = target.is_dir()
        parent = target if existing else target.parent
        missing = []
        p = parent
        while not p.exists():
            missing.append(p)
            p = p.parent
        parent.mkdir(parents=True, exist_ok=True)
        self.made = missing  # deepest first
        prefix = ".asx-init-" if existing else f".{target.name}.asx-init-"
        _remove_stale(parent, prefix)
        self.stage = parent / f"{prefix}{os.getpid()}"
        if self.stage.exists():
            _rmtree(self.stage)
        self.stage.mkdir()
        return self.stage

    def also_remove(self, path: Path) -> None:
        """Remove ``path`` (and its SQLite side files) too if the build fails."""
        self.extra.append(path)

    def __exit__(self, exc_type, exc, tb) -> bool:
        if exc_type is None:
            try:
                self._commit()
                return False
            except BaseException:
                self._abort()
                raise
        self._abort()
        return False

    def _commit(self) -> None:
        import os

        stage, target = self.stage, self.target
        if not target.exists():
            os.rename(stage, target)
            return
        names = sorted(p.name for p in stage.iterdir())
        clash = [n for n in names if (target / n).exists() or (target / n).is_symlink()]
        if clash:
            raise UserError(f"{target / clash[0]} exists already; asx init never overwrites a workspace")
        for n in sorted(names, key=lambda n: n == PROJECT_FILE):   # asx.toml last
            os.rename(stage / n, target / n)
        stage.rmdir()

    def _abort(self) -> None:
        if self.stage is not None:
            _rmtree(self.stage)
        for f in self.extra:
            for side in ("", "-wal", "-shm", "-journal"):
                Path(str(f) + side).unlink(missing_ok=True)
        for d in self.made:  # deepest first; only if still empty
            try:
                d.rmdir()
            except OSError:
                break


def _rmtree(path: Path) -> None:
    import shutil

    shutil.rmtree(path, ignore_errors=True)


def _remove_stale(parent: Path, prefix: str) -> None:
    """Temporary folders of an ``asx init`` that was killed (its process is gone)."""
    import os

    for p in parent.glob(f"{prefix}*"):
        pid = p.name[len(prefix):]
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            _rmtree(p)
        except OSError:
            pass


def fill_sample(app, *, store_kind: str = "generic", seed: int = 7) -> Sample:
    """Run every registered sample step in order (team, cases, roster, reviews, ledger …)."""
    now = app.now()
    start = (now - timedelta(days=30)).replace(hour=0, minute=0, second=0, microsecond=0)
    sample = Sample(now=now, start=start, rng=random.Random(seed), store_kind=store_kind, seed=seed)
    done = sample.notes.setdefault("summary", {})
    for order, name, fn in app.plugins.sample_steps():
        sample.rng = random.Random(f"{seed}:{name}")
        before = _row_counts(app.store)
        result = fn(app, sample)
        if result or _row_counts(app.store) != before:  # steps of other store kinds add nothing: not listed
            done[name] = result or ""
    return sample


def _row_counts(store) -> dict[str, int]:
    return {t: store.scalar(f'SELECT count(*) FROM "{t}"') for t in store.tables()}
