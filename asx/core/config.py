"""Configuration: ``asx.toml`` (found like git), a user file, ``ASX_*`` variables, flags.

Precedence: flag > ``ASX_*`` variable > project ``asx.toml`` > user config > default.
Every value remembers where it came from (``asx config show``).

Settings are declared by plugins through ``register_settings(register)`` with
``register(key, type, default, help, choices=None, env=None)``. Keys are dotted paths
into the TOML tables (``store.timezone`` is ``[store] timezone``); a key of type ``dict``
holds a whole table. Each key can be set by a variable: its ``env`` name if declared,
else ``ASX_`` + the key upper-cased with ``.`` → ``__`` (``ASX_STORE__TIMEZONE``).
Secrets are never written to the file: a value ``{"$env" = "NAME"}`` is read from the
environment (datasette's convention).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

from asx.core.errors import UserError

PROJECT_FILE = "asx.toml"
#: settings that guard privacy live in the database, never in a file or variable (issue 17 §3)
GUARDED_PREFIXES = ("privacy.",)


def is_guarded(key: str) -> bool:
    return key.startswith(GUARDED_PREFIXES)
TYPES = ("str", "int", "float", "bool", "list", "dict", "time_range", "time_ranges", "timezone", "path")


@dataclass
class Setting:
    key: str
    type: str = "str"
    default: Any = None
    help: str = ""
    choices: tuple | None = None
    env: str | None = None

    @property
    def env_var(self) -> str:
        return self.env or "ASX_" + self.key.upper().replace(".", "__")


def _adder(acc: dict[str, Setting]) -> Callable[..., None]:
    def register(key: str, type: str = "str", default: Any = None, help: str = "", choices=None, env=None) -> None:
        if type not in TYPES:
            raise ValueError(f"setting {key}: unknown type {type!r}")
        acc[key] = Setting(key, type, default, help, tuple(choices) if choices else None, env)

    return register


def settings(host) -> dict[str, Setting]:
    """Every setting the plugins of ``host`` declared, by key (``app.plugins``)."""

    def build() -> dict[str, Setting]:
        acc: dict[str, Setting] = {}
        register = _adder(acc)
        for a, kw in host.settings():
            register(*a, **kw)
        return acc

    return host.memo("settings", build)


# --- conversion -------------------------------------------------------------------------------

def convert(setting: Setting, value: Any, origin: str) -> Any:
    """Check/convert a value to the setting's type; a one-line error names the key and its origin."""
    t = setting.type

    def bad(why: str) -> UserError:
        return UserError(f"{origin}: setting {setting.key!r} {why}")

    if isinstance(value, dict) and set(value) == {"$env"} and t != "dict":
        name = value["$env"]
        if name not in os.environ:
            raise bad(f"refers to variable ${name}, which is not set")
        value = os.environ[name]
    if isinstance(value, str) and t in ("int", "float", "bool", "list") and origin.startswith(("env", "flag", "command")):
        value = _from_string(t, value, bad)
    try:
        if t in ("str", "path"):
            if not isinstance(value, str):
                raise bad(f"must be a string, not {type(value).__name__}")
        elif t == "timezone":
            from zoneinfo import ZoneInfo

            try:
                ZoneInfo(value)
            except Exception:
                raise bad(f"is not a known time zone: {value!r} (e.g. Asia/Shanghai)")
        elif t == "int":
            if isinstance(value, bool) or not isinstance(value, int):
                raise bad(f"must be a whole number, not {value!r}")
            # every int setting is a count, a limit or a duration (minutes, hours, days …): negative or
            # 20-digit values broke due-time arithmetic and storage (issue 21)
            if not 0 <= value <= MAX_INT_SETTING:
                raise bad(f"must be a whole number from 0 to {MAX_INT_SETTING:,}, not {value}")
        elif t == "float":
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise bad(f"must be a number, not {value!r}")
            value = float(value)
        elif t == "bool":
            if not isinstance(value, bool):
                raise bad(f"must be true or false, not {value!r}")
        elif t == "list":
            if not isinstance(value, list):
                raise bad(f"must be a list, not {value!r}")
        elif t == "dict":
            if not isinstance(value, dict):
                raise bad(f"must be a table, not {value!r}")
        elif t in ("time_range", "time_ranges"):
            from asx.core.timeutil import parse_clock_range

            if not isinstance(value, str):
                raise bad(f"must be a string like \"08:30-23:00\", not {value!r}")
            try:
                parse_clock_range(value)
            except Exception as exc:
                raise bad(f"is not a time range like \"08:30-23:00\": {exc}")
    except UserError:
        raise
    if setting.choices and value not in setting.choices:
        raise bad(f"must be one of {', '.join(map(str, setting.choices))}, not {value!r}")
    check = _CHECKS.get(setting.key)
    if check is not None:
        check(value, bad)
    return value


#: The largest value of an ``int`` setting (ten million: 19 years in minutes).
MAX_INT_SETTING = 10_000_000


def _calendar_date(text: Any, bad) -> None:
    from datetime import date

    from asx.core.timeutil import MAX_YEAR, MIN_YEAR

    try:
        d = date.fromisoformat(text) if isinstance(text, str) and len(text) == 10 else None
    except ValueError:
        d = None
    if d is None:
        raise bad(f"holds {str(text)[:40]!r}, which is not a date YYYY-MM-DD")
    if not MIN_YEAR <= d.year <= MAX_YEAR:
        raise bad(f"holds {text!r}: years {MIN_YEAR}–{MAX_YEAR}")


def _check_holidays(value: dict, bad) -> None:
    for k, name in value.items():
        _calendar_date(k, bad)
        if not isinstance(name, str):
            raise bad(f"holiday {k}: the name must be a string")


def _check_workdays(value: list, bad) -> None:
    for d in value:
        _calendar_date(d, bad)


#: Value checks of particular settings, run on load and on `asx config set` (issue 21: a calendar
#: date "2026-13-01" broke `case add`, `case due` and `me` at their first use).
_CHECKS: dict[str, Callable[[Any, Callable[[str], UserError]], None]] = {
    "calendar.holidays": _check_holidays,
    "calendar.workdays": _check_workdays,
}


def _from_string(t: str, s: str, bad) -> Any:
    if t == "int":
        try:
            return int(s)
        except ValueError:
            raise bad(f"must be a whole number, not {s!r}")
    if t == "float":
        try:
            return float(s)
        except ValueError:
            raise bad(f"must be a number, not {s!r}")
    if t == "bool":
        low = s.strip().lower()
        if low in ("1", "true", "yes", "on"):
            return True
        if low in ("0", "false", "no", "off", ""):
            return False
        raise bad(f"must be true or false, not {s!r}")
    if t == "list":
        s = s.strip()
        if s.startswith("[") and s.endswith("]"):
            s = s[1:-1]
        return [p.strip().strip("'\"") for p in s.split(",") if p.strip()]
    return s


def parse_cli_value(setting: Setting, text: str) -> Any:
    """A value typed on the command line (``asx config set KEY VALUE``): TOML literal or bare string."""
    if setting.type in ("str", "path", "timezone", "time_range", "time_ranges"):
        return text
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return _from_string(setting.type, text, lambda why: UserError(f"setting {setting.key!r} {why}"))


# --- files ------------------------------------------------------------------------------------

def find_project_file(start: Path) -> Path | None:
    """``asx.toml`` in ``start`` or its parents (like git)."""
    start = start.resolve()
    for d in (start, *start.parents):
        p = d / PROJECT_FILE
        if p.is_file():
            return p
    return None


def user_config_path() -> Path:
    if os.environ.get("ASX_USER_CONFIG"):
        return Path(os.environ["ASX_USER_CONFIG"])
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(base) / "asx" / "config.toml"


def read_toml_text(path: Path) -> str:
    """The text of a TOML file: UTF-8, a UTF-8 byte-order mark (Notepad's) skipped; a file saved as
    GBK or UTF-16 is a one-line error saying so (issue 21: every command exited 3)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UserError(f"{path}: cannot read: {exc.strerror}") from None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UserError(f"{path}: saved as UTF-16; TOML files are UTF-8: save it again as UTF-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise UserError(f"{path}: not UTF-8 text (line {line}; saved as GBK?); TOML files are UTF-8: "
                        "save it again as UTF-8") from None


def read_toml(path: Path) -> dict:
    text = read_toml_text(path)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"{path}: not valid TOML: {exc}") from None


def flatten(data: dict, known: dict[str, Setting], origin: str, prefix: str = "") -> Iterator[tuple[str, Any]]:
    """Dotted keys of a TOML document; tables that are ``dict`` settings stay whole."""
    for k, v in data.items():
        key = f"{prefix}{k}"
        if key in known:
            yield key, v
        elif isinstance(v, dict) and not (set(v) == {"$env"}):
            if key.startswith("plugins.") and key.count(".") == 1 and not any(s.startswith(key + ".") for s in known):
                continue  # table of a plugin that is not installed: nothing to check it against
            yield from flatten(v, known, origin, key + ".")
        else:
            raise UserError(f"{origin}: unknown setting {key!r} (see `asx config show` for the known keys)")


@dataclass
class Config:
    """Resolved configuration: ``get(key)`` and ``origin(key)``."""

    values: dict[str, Any] = field(default_factory=dict)
    origins: dict[str, str] = field(default_factory=dict)
    project_file: Path | None = None
    user_file: Path | None = None
    root: Path = field(default_factory=Path.cwd)

    def get(self, key: str) -> Any:
        try:
            return self.values[key]
        except KeyError:
            raise KeyError(f"no setting {key!r} is declared") from None

    def __getitem__(self, key: str) -> Any:
        return self.get(key)

    def origin(self, key: str) -> str:
        return self.origins.get(key, "default")

    def table(self, prefix: str) -> dict[str, Any]:
        """All settings under ``prefix.`` as a flat dict (``cfg.table("roster")``)."""
        p = prefix + "."
        return {k[len(p):]: v for k, v in self.values.items() if k.startswith(p)}


def load(cwd: Path, *, known: dict[str, Setting], config_path: Path | None = None,
         overrides: dict[str, Any] | None = None, environ: dict[str, str] | None = None) -> Config:
    """Resolve every setting of ``known`` (:func:`settings`); ``overrides`` are flag values (highest
    precedence)."""
    env = os.environ if environ is None else environ
    cfg = Config(root=cwd)
    for key, s in known.items():
        cfg.values[key] = s.default
        cfg.origins[key] = "default"

    user = user_config_path()
    if user.is_file():
        cfg.user_file = user
        for key, v in flatten(read_toml(user), known, str(user)):
            cfg.values[key] = convert(known[key], v, str(user))
            cfg.origins[key] = str(user)

    if config_path is not None:
        if not config_path.is_file():
            raise UserError(f"config file {config_path} does not exist")
        project = config_path
    else:
        project = find_project_file(cwd)
    if project is not None:
        cfg.project_file = project.resolve()
        cfg.root = cfg.project_file.parent
        for key, v in flatten(read_toml(project), known, str(project)):
            cfg.values[key] = convert(known[key], v, str(project))
            cfg.origins[key] = str(project)

    for key, s in known.items():
        if s.env_var in env:
            origin = f"env {s.env_var}"
            cfg.values[key] = convert(s, env[s.env_var], origin)
            cfg.origins[key] = origin

    for key, v in (overrides or {}).items():
        if v is None:
            continue
        flag, value = v if isinstance(v, tuple) else (key, v)
        origin = f"flag {flag}"
        cfg.values[key] = convert(known[key], value, origin)
        cfg.origins[key] = origin
    return cfg


# --- writing ----------------------------------------------------------------------------------

def set_value(path: Path, key: str, value: Any) -> None:
    """Set ``key`` in a TOML file, keeping every other key and the comments.

    A line ``name = …`` inside the key's table is replaced in place; otherwise the key is
    added at the end of its table (created at the end of the file if missing). The result
    is parsed again before it replaces the file (atomically), so a broken file is never left.
    """
    import tomli_w

    parts = key.split(".")
    table, name = parts[:-1], parts[-1]
    rendered = tomli_w.dumps({"v": value}).strip()
    rendered = name + rendered[1:] if not isinstance(value, dict) else None
    text = read_toml_text(path) if path.exists() else ""

    if rendered is not None:
        new = _edit_lines(text, table, name, rendered)
    else:
        data = tomllib.loads(text) if text else {}
        d = data
        for p in table:
            d = d.setdefault(p, {})
        d[name] = value
        new = tomli_w.dumps(data)
    tomllib.loads(new)  # never write a file we could not read back
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(new, encoding="utf-8")
    os.replace(tmp, path)


def _edit_lines(text: str, table: list[str], name: str, rendered: str) -> str:
    import re

    lines = text.splitlines()
    header = "[" + ".".join(table) + "]" if table else None
    current: str | None = None
    start = 0 if header is None else None
    end = None
    for i, line in enumerate(lines):
        s = line.strip()
        m = re.match(r"^\[([^\[\]]+)\]\s*(#.*)?$", s)
        if m:
            if current == header and start is not None and end is None and header is not None:
                end = i
            current = "[" + m.group(1).strip().replace(" ", "") + "]"
            if header is None and end is None:
                end = i
            if current == header:
                start = i + 1
                end = None
            continue
        if (current == header or (header is None and current is None)) and re.match(rf"^\s*{re.escape(name)}\s*=", line):
            lines[i] = rendered
            return "\n".join(lines) + "\n"
    if start is None:
        if lines and lines[-1].strip():
            lines.append("")
        lines += [header, rendered]
    else:
        pos = end if end is not None else len(lines)
        while pos > start and not lines[pos - 1].strip():
            pos -= 1
        lines.insert(pos, rendered)
    return "\n".join(lines) + "\n"


def example_toml(known: dict[str, Setting]) -> str:
    """``asx.toml.example``: every setting of ``known`` with its default and help, as commented TOML."""

    by_table: dict[str, list[Setting]] = {}
    for key in sorted(known, key=lambda k: (k.count(".") > 0, known[k].type == "dict", k)):
        s = known[key]
        table = ".".join(key.split(".")[:-1])
        by_table.setdefault(table, []).append(s)
    out = [
        "# asx.toml — every setting with its default. Generated by `asx config example`;",
        "# tests check this file is current. Uncomment and change what your store needs.",
        "# Precedence: flag > ASX_* variable > this file > user config (~/.config/asx/config.toml) > default.",
        "# Secrets are never stored here: write {\"$env\" = \"VARIABLE\"} to read one from the environment.",
    ]
    for table in sorted(by_table, key=lambda t: (t != "", t)):
        out.append("")
        if table:
            out.append(f"[{table}]")
        for s in by_table[table]:
            name = s.key.split(".")[-1]
            out.append(f"# {s.help}" if s.help else "#")
            extra = []
            if s.choices:
                extra.append("one of: " + ", ".join(map(str, s.choices)))
            if is_guarded(s.key):
                out.append("# (kept in the database, not here: a supervisor runs `asx config set " + s.key + " …`)")
                out.append(f"# default: {inline_toml(s.default)}")
                continue
            extra.append(f"variable: {s.env_var}")
            out.append("# (" + "; ".join(extra) + ")")
            if s.default is None:
                out.append(f"# {name} =")
            else:
                out.append(f"# {name} = {inline_toml(s.default)}")
    return "\n".join(out) + "\n"


def inline_toml(value: Any) -> str:
    """A value as one line of TOML (inline tables for dicts)."""
    import json

    import tomli_w

    if isinstance(value, dict):
        items = []
        for k, v in value.items():
            key = k if k.replace("_", "").replace("-", "").isalnum() and k.isascii() else json.dumps(k, ensure_ascii=False)
            items.append(f"{key} = {inline_toml(v)}")
        return "{ " + ", ".join(items) + " }" if items else "{}"
    if isinstance(value, list):
        return "[" + ", ".join(inline_toml(v) for v in value) + "]"
    return tomli_w.dumps({"v": value}).strip()[4:]
