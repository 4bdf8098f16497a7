"""The pytest plugin of asx, for its own tests and any store plugin's (entry point ``pytest11``).

Installed with asx, it gives every test suite in the environment, with no conftest to copy:

* fixtures ``asx`` (run ``asx ARGS`` in-process: ``asx("case list -f json")``), ``workspace`` (an
  empty workspace, supervisor 李主管 acting), ``sample`` (a copy of the sample store, clock fixed at
  2026-11-20 10:00 +08:00), and an autouse fixture that points ``HOME``, the user config and every
  ``ASX_*`` variable away from the developer's;
* ``--backend sqlite|postgresql`` (issue 10) and the markers ``sqlite_only``, ``postgres_only``,
  ``heavy``;
* helpers in :mod:`asx.testing`: ``invoke``, ``plugin_registered`` / ``plugin_host`` (the plugins a
  test runs with), ``ws_store``/``ws_db`` (the workspace's database on either backend).

A store plugin's test runs its plugin with ``plugin_registered(my_plugin, "name")`` (docs/plugins.md).
"""

from __future__ import annotations

import sys

from asx.testing import _isolated_env, asx, sample, sample_template, workspace  # noqa: F401  (fixtures)
from asx.testing.backend import (  # noqa: F401  (hooks)
    pytest_addoption,
    pytest_collection_modifyitems,
    pytest_unconfigure,
)
from asx.testing.backend import pytest_configure as _backend_configure

MARKERS = (
    "heavy: long-running variants (solver at full limits, large data); run with -m heavy",
    "sqlite_only(reason): the test needs the SQLite backend (skipped under --backend postgresql)",
    "postgres_only(reason): the test needs the PostgreSQL backend (skipped on SQLite)",
)


def pytest_configure(config) -> None:
    # entry-point autoloading of asx plugins is off under pytest: a deterministic plugin set (style.md)
    sys._called_from_test = True
    for line in MARKERS:
        config.addinivalue_line("markers", line)
    _backend_configure(config)
