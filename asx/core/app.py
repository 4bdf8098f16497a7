"""The application object every command receives: config, store, acting person, clock.

It knows nothing of click. ``App`` loads configuration and opens the database lazily, so
``asx --help`` and commands that need neither stay fast.
"""

from __future__ import annotations

import os
import sys
from datetime import datetime
from functools import cached_property
from pathlib import Path

from asx.core.errors import PermissionDenied, UserError

#: roles allowed to do what a role name stands for (R-PPL-1; a manager can do what a supervisor can)
ROLE_IMPLIES = {
    "agent": {"agent", "specialist", "supervisor", "manager"},
    "specialist": {"specialist", "supervisor", "manager"},
    "supervisor": {"supervisor", "manager"},
    "order_clerk": {"order_clerk", "supervisor", "manager"},
    "manager": {"manager"},
}


class App:
    def __init__(self, cwd: Path | None = None, *, config_path: Path | None = None, db: str | None = None,
                 acting: str | None = None, lang: str | None = None, color: str | None = None, environ: dict | None = None,
                 plugins=None):
        self.cwd = Path(cwd or Path.cwd())
        self._given_plugins = plugins
        self.config_path = config_path
        self._flags = {"database": ("--db", db), "me": ("--as", acting), "lang": ("--lang", lang),
                       "color": ("--color", color)}
        self.environ = os.environ if environ is None else environ
        self._warned: set[str] = set()
        self.reveal_requested = False

    # -- plugins ----------------------------------------------------------------------------------
    @cached_property
    def plugins(self):
        """The plugin host (:class:`asx.core.plugin_host.PluginHost`): built-in plugins, then the
        installed ones this workspace enables (asx.toml ``plugins.enabled``, issue 16 item 12). The CLI
        builds it once and passes it in; tests pass the plugins they want."""
        from asx.core.plugin_host import PluginHost, workspace_enabled

        enabled = workspace_enabled(self.cwd, self.config_path, self.environ)
        if self._given_plugins is not None:
            return self._given_plugins.for_workspace(enabled)
        return PluginHost.load(environ=self.environ, enabled=enabled)

    @property
    def labels(self):
        """English/Chinese labels of domain values (``app.labels.label(kind, code, lang)``, ``.parse``)."""
        from asx.core.labels import for_host

        return for_host(self.plugins)

    def flag(self, key: str):
        """The value a global flag (``--db``, ``--as``, ``--lang``, ``--color``) gave setting ``key``, or None."""
        return self._flags.get(key, (None, None))[1]

    # -- configuration ------------------------------------------------------------------------
    @cached_property
    def config(self):
        from asx.core import config

        overrides = {k: v for k, v in self._flags.items() if v[1] is not None}
        return config.load(self.cwd, config_path=self.config_path, overrides=overrides, environ=self.environ,
                           known=config.settings(self.plugins))

    @property
    def root(self) -> Path:
        return self.config.root

    @property
    def lang(self) -> str:
        return self.config.get("lang")

    @cached_property
    def tz(self):
        from asx.core.timeutil import get_tz

        return get_tz(self.config.get("store.timezone"))

    def now(self) -> datetime:
        from asx.core.timeutil import now

        return now(self.tz)

    def parse_time(self, text: str | None, *, default_now: bool = True) -> datetime | None:
        from asx.core.timeutil import parse_time

        if text is None:
            return self.now() if default_now else None
        return parse_time(text, self.tz, now=self.now())

    def iso(self, value) -> str:
        from asx.core.timeutil import iso

        return "" if value is None else iso(value, self.tz)

    @cached_property
    def calendar(self):
        from asx.core.calendar import ServiceCalendar
        from asx.core.timeutil import parse_clock_ranges

        cfg = self.config
        hours = parse_clock_ranges(cfg.get("service.hours"))
        holidays = {datetime.fromisoformat(k).date(): v for k, v in (cfg.get("calendar.holidays") or {}).items()}
        workdays = {datetime.fromisoformat(d).date() for d in (cfg.get("calendar.workdays") or [])}
        return ServiceCalendar(tz=cfg.get("store.timezone"), hours=list(hours), extra_holidays=holidays,
                               extra_workdays=workdays)

    def flush_warnings(self) -> None:
        """Print calendar and other warnings once per command (stderr)."""
        cal = self.__dict__.get("calendar")
        for w in getattr(cal, "warnings", []) if cal is not None else []:
            self.warn(w)

    def say(self, msg: str) -> None:
        """A status line on stderr (``asx: imported 3 cases …``); under ``--lang zh`` in Chinese, by the
        phrases of the labels' kind ``text`` (issue 18 item 5). English is printed as it is."""
        print(self.in_lang(msg), file=sys.stderr, flush=True)

    def in_lang(self, msg: str) -> str:
        """``msg`` (a message made in English, maybe ``asx: …``) in the language of the workspace."""
        try:
            zh = self.lang == "zh"
        except Exception:  # no readable configuration: English
            zh = False
        return self.labels.translate_line(msg, "zh") if zh else msg

    def warn(self, msg: str) -> None:
        if msg not in self._warned:
            self._warned.add(msg)
            try:
                zh = self.lang == "zh"
            except Exception:  # no readable configuration: English
                zh = False
            if zh:  # issue 18 item 5: the phrases the labels know, in Chinese
                print(f"asx：警告：{self.labels.translate(msg, 'zh')}", file=sys.stderr)
            else:
                print(f"asx: warning: {msg}", file=sys.stderr)

    # -- storage --------------------------------------------------------------------------------
    @property
    def db_path(self) -> Path | str:
        """The SQLite file, or the ``postgresql://`` URL of a team database (issue 10)."""
        from asx.store import is_url

        raw = self.config.get("database")
        if self.config.project_file is None and self.config.origin("database") == "default":
            raise UserError("not an asx workspace (no asx.toml here or in any parent directory); "
                            "run `asx init` or pass --db")
        if is_url(raw):
            return raw
        p = Path(os.path.expanduser(raw))
        return p if p.is_absolute() else (self.root / p)

    @cached_property
    def store(self):
        from asx.store import open_store

        st = open_store(self.db_path, **self.plugins.store_options())
        if st.app_login:  # R-SEC-5: a person's own login — who acts is known before anything runs
            self.__dict__["store"] = st
            try:
                self._login_actor()
            except BaseException:
                self.__dict__.pop("store", None)
                st.close()
                raise
        return st

    def close(self) -> None:
        st = self.__dict__.pop("store", None)
        if st is not None:
            st.close()

    # -- people (R-PPL-2) -------------------------------------------------------------------
    @property
    def acting_name(self) -> str | None:
        return self.config.get("me") or None

    def actor(self, *, required: bool = True) -> dict | None:
        """The acting agent's record (``--as`` / ASX_AGENT / config ``me``). On a team database where
        the person logs in as themselves it is the login's agent (R-SEC-5): a claimed other name is
        refused."""
        from asx.store import agents as agents_store

        if self.store.app_login:
            return self._login_actor()
        name = self.acting_name
        if not name:
            if required:
                raise UserError("who is acting? pass --as NAME, set ASX_AGENT, or set `me` in asx.toml (R-PPL-2)")
            return None
        row = agents_store.get(self.store, name)
        if row is None:
            raise UserError(f"--as {name}: no such agent (see `asx agent list`)")
        if not row["active"]:
            raise UserError(f"--as {name}: agent is retired")
        return row

    def _login_actor(self) -> dict:
        """R-SEC-5: the agent of the session's PostgreSQL login; ``--as``/ASX_AGENT/``me`` naming
        someone else is refused (the database, not a flag, says who acts)."""
        from asx.store import agents as agents_store

        login = self.store.session_user()
        row = agents_store.by_login(self.store, login)
        if row is None:
            raise PermissionDenied(f"login {login} is no asx agent (a supervisor runs "
                                   "`asx agent add NAME --role ROLE --login`) (R-SEC-5)")
        if not row["active"]:
            raise PermissionDenied(f"login {login}: agent {row['name']} is retired (R-SEC-5)")
        claimed = self.acting_name
        if claimed and claimed != row["name"] and self.config.origin("me") == "flag --as" \
                and row["role"] in ROLE_IMPLIES["supervisor"]:
            # a supervisor's login may act for someone: the server records it as "李主管 for 萌萌"
            other = agents_store.get(self.store, claimed)
            if other is None or not other["active"]:
                raise UserError(f"--as {claimed}: no such active agent (see `asx agent list`)")
            return other
        if claimed and claimed != row["name"]:
            src = self.config.origin("me")
            raise PermissionDenied(f"you are logged in as {login} ({row['name']}); acting as {claimed} "
                                   f"(from {src}) is refused on the team database (R-SEC-5)")
        return row

    def require_role(self, *roles: str, action: str = "do this") -> dict:
        """The actor, if their role may ``action``; else a clear refusal (R-PPL-1)."""
        who = self.actor()
        allowed = set().union(*(ROLE_IMPLIES.get(r, {r}) for r in roles))
        if who["role"] not in allowed:
            need = " or ".join(roles)
            raise PermissionDenied(f"{who['name']} is {who['role']}; only {need} may {action}")
        return who

    def may(self, who: dict, *roles: str) -> bool:
        allowed = set().union(*(ROLE_IMPLIES.get(r, {r}) for r in roles))
        return who["role"] in allowed

    def reveal_allowed(self, who: dict) -> bool:
        """R-SEC-1/2: supervisors (and roles listed in ``privacy.reveal_roles``, a setting kept in the
        database) may reveal."""
        return who["role"] in set(self.guarded("privacy.reveal_roles")) | {"manager"}

    def guarded(self, key: str):
        """A setting that guards privacy (``privacy.*``, issue 17 §3): read from the database (set by a
        supervisor with `asx config set`), else its default. A value from a local place — asx.toml,
        the user file, ``--config``, an ``ASX_*`` variable — is refused, naming where it comes from."""
        from asx.store import settings as settings_store

        origin = self.config.origin(key)
        if origin != "default":
            raise PermissionDenied(f"{key} is set in {origin}: settings that guard privacy are kept in the "
                                   f"database only; remove it there (a supervisor sets it with "
                                   f"`asx config set {key} …`) (R-SEC-5)")
        found, value = settings_store.get(self.store, key)
        return value if found else self.config.get(key)

    def log_access(self, action: str, subject: str, detail: str = "") -> None:
        from asx.store import agents as agents_store
        from asx.core.timeutil import to_epoch

        who = self.acting_name or "?"
        if self.store.app_login:
            who = self._login_actor()["name"]
        with self.store.tx():
            agents_store.log_access(self.store, to_epoch(self.now()), who, action, subject, detail)
