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
    if target.exists():
        raise UserError(f"{target} exists already; asx init never overwrites a workspace")
    db_file = directory / (database or "asx.db")
    if "://" not in (database or "") and db_file.exists():
        raise UserError(f"{db_file} exists already; asx init never overwrites a database")
    text = TEMPLATE.format(name=json.dumps(store_name or "示例天猫旗舰店", ensure_ascii=False),
                           me=f'me = {json.dumps(me, ensure_ascii=False)}\n' if me else "",
                           lang=f'lang = {json.dumps(lang)}\n' if lang else "",
                           database=f'database = {json.dumps(database, ensure_ascii=False)}\n' if database else "",
                           enabled=json.dumps(list(plugins or []), ensure_ascii=False))
    target.write_text(text, encoding="utf-8")
    for key, value in (settings or {}).items():
        set_value(target, key, value)
    return target


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
