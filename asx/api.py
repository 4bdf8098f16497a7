"""The public plugin API of asx: the one module a store plugin imports (with ``from asx import hookimpl``).

Every name in :data:`__all__` is documented in docs/plugins.md ("API reference") with the API
version that introduced it, and tests/test_api.py keeps the two equal. Everything else in asx —
module layout, table and column names, private helpers — is internal and may change in any
release; a plugin that needs something not offered here asks for it to be added.

Versions: :data:`API_VERSION` is ``MAJOR.MINOR``. A new name or a new optional keyword is a minor
step; removing or changing a name is a major one. A plugin states the versions it works with in
its pyproject (``[tool.asx] api = ">=1.0,<2"``) and checks them at import with :func:`require_api`.

Conventions: functions that act on a store take the ``app`` a hook or command received (never a
global); times are aware datetimes in, epoch seconds in rows; money is integer fen inside,
yuan only at the edges (:func:`parse_yuan`, :func:`yuan`). Writes join the caller's transaction
(``with app.store.tx():``) when there is one, else commit by themselves.

This module imports nothing heavy: each function imports its implementation when called, and the
classes are loaded on first use, so ``import asx.api`` costs nothing at ``asx --help``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Iterable, Iterator

from asx import hookimpl
from asx.core.errors import PermissionDenied, UserError

if TYPE_CHECKING:  # pragma: no cover
    from datetime import datetime

#: The version of this API (``MAJOR.MINOR``), see the module docstring.
API_VERSION = "1.2"

__all__ = [
    # plugins and versions
    "API_VERSION", "hookimpl", "require_api",
    # errors
    "UserError", "PermissionDenied",
    # cases (R-CASE, R-SLA)
    "open_case", "act_on_case", "recompute_sla", "get_case", "require_case", "get_cases", "cases_of_buyers",
    "copy_case_buyer", "cases_resolved_between",
    "case_checks", "case_action_times", "categories", "WAITING_STATUSES", "sla_targets_met",
    # people and the roster (R-PPL, R-ROS)
    "get_agent", "list_agents", "on_duty", "roster_days", "write_roster_days",
    # money and orders (R-FIN)
    "add_ledger_entry", "get_ledger_entry", "upsert_orders", "list_orders", "parse_yuan", "yuan",
    # reviews (R-REV)
    "import_reviews", "ReviewReader", "ReviewReadResult",
    # tabular files
    "open_text", "open_rows", "input_file", "TextSource", "decode_text", "clean_cell", "normalize_header", "normalize_text", "parse_amount",
    "parse_time", "excel_mangled",
    # schema
    "append_only", "sla_targets_index",
    # output, labels, masking
    "Column", "emit", "emit_record", "output_options", "atomic_write", "label", "parse_label", "mask_value",
    # time
    "to_epoch", "from_epoch", "parse_period", "parse_clock_ranges",
]

#: Classes and re-exported functions loaded on first access (PEP 562): name -> (module, attribute).
_LAZY = {
    "Column": ("asx.io.output", "Column"),
    "TextSource": ("asx.io.tabular", "TextSource"),
    "ReviewReader": ("asx.reviews.importer", "Reader"),
    "ReviewReadResult": ("asx.reviews.importer", "ReadResult"),
    "on_duty": ("asx.roster.duty", "on_duty"),
    # the statuses that pause the SLA clock (R-CASE-6): waiting for the buyer, courier or warehouse
    "WAITING_STATUSES": ("asx.cases.model", "WAITING"),
}


def __getattr__(name: str) -> Any:
    try:
        module, attr = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'asx.api' has no attribute {name!r}") from None
    import importlib

    value = getattr(importlib.import_module(module), attr)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


# --- plugins and versions ----------------------------------------------------------------------

_SPEC = re.compile(r"\s*(>=|<=|==|!=|>|<)\s*(\d+(?:\.\d+)*)\s*")


def _version(text: str) -> tuple[int, ...]:
    parts = [int(p) for p in text.split(".")]
    while len(parts) > 1 and parts[-1] == 0:
        parts.pop()
    return tuple(parts)


def require_api(spec: str, plugin: str = "this plugin") -> None:
    """Refuse to load when this asx's :data:`API_VERSION` does not satisfy ``spec`` — comma-separated
    clauses such as ``">=1.0,<2"`` (operators ``>= > <= < == !=``). Call it at the top of the
    plugin's module with the ``[tool.asx] api`` of its pyproject: asx then skips the plugin with
    one warning line instead of failing later on a missing name. Raises UserError."""
    have = _version(API_VERSION)
    ok = {">=": lambda a, b: a >= b, ">": lambda a, b: a > b, "<=": lambda a, b: a <= b,
          "<": lambda a, b: a < b, "==": lambda a, b: a == b, "!=": lambda a, b: a != b}
    for clause in spec.split(","):
        m = _SPEC.fullmatch(clause)
        if m is None:
            raise UserError(f"{plugin}: bad asx API requirement {spec!r} (e.g. \">=1.0,<2\")")
        if not ok[m[1]](have, _version(m[2])):
            raise UserError(f"{plugin} needs asx API {spec}; this asx offers API {API_VERSION}")


# --- cases (R-CASE, R-SLA) ---------------------------------------------------------------------

def open_case(app, data: dict, *, at: datetime | None = None, by: str | None = None) -> int:
    """Open one case (R-CASE-1) and return its id. ``data`` keys: ``channel``, ``order``, ``buyer``,
    ``phone``, ``category``, ``severity``, ``summary``, ``store``, ``agent`` (without it the
    roster-aware assignment picks one), ``review_id``, ``ext_key``; category, severity and channel
    accept codes, English or Chinese labels and aliases. ``at`` (aware, default now) may not lie in
    the future; ``by`` is the agent who opens it (default the acting person, R-PPL-2). Writes the
    ``open`` event and the case's SLA rows."""
    from asx.cases import service

    return service.open_case(app, data, at=at, by=by)


def act_on_case(app, case_id: int, action: str, *, at: datetime | None = None, by: str | None = None,
                **kw) -> dict:
    """Do ``action`` on a case and return the updated case: one event of the append-only history
    (R-CASE-6), checked against the lifecycle table for the status and the actor's role and against
    every ``check_case_action`` guard. Core actions and their keywords: ``respond`` (note,
    solution), ``note`` (note), ``check`` (step, R-CASE-3), ``escalate`` (to, note), ``handback``,
    ``inspect`` (result), ``assign`` (to, reason), ``wait`` (on), ``resume``, ``promise`` (until),
    ``resolve`` (resolution, party, amount_fen — a money resolution writes a ledger entry,
    R-CASE-4), ``close``, ``reopen``, ``link`` (other), ``merge`` (into), ``rate`` (score 1–5). An
    action a plugin added with ``register_case_transitions`` takes ``note``, ``data`` (a dict kept
    in the event) and ``meets`` (the plugin SLA targets it meets: a list, or ``{target: epoch}``)."""
    from asx.cases import service

    return service.act(app, case_id, action, at=at, by=by, **kw)


def recompute_sla(app, case_ids: Iterable[int], *, now: int | None = None) -> int:
    """Recompute the SLA rows of these cases (R-SLA) after something their targets depend on changed
    outside a case action — e.g. a ``case_attributes`` value such as a member's tier. ``now``:
    epoch, default the app's clock. Returns how many cases were recomputed."""
    from asx.cases import service

    return service.recompute_sla(app, case_ids, now=now)


def get_case(app, case_id: int) -> dict | None:
    """The case row (every column, times as epoch seconds), or None."""
    from asx.store import cases

    return cases.get(app.store, case_id)


def require_case(app, case_id: int) -> dict:
    """The case row; raises UserError ``no case #ID`` when there is none."""
    from asx.store import cases

    return cases.require(app.store, case_id)


def get_cases(app, case_ids: Iterable[int]) -> dict[int, dict]:
    """``{id: case row}`` for many ids in one query; ids without a case are left out."""
    from asx.store import cases

    return cases.get_many(app.store, case_ids)


def cases_of_buyers(app, buyers: Iterable[str], *, status: Iterable[str] | None = None) -> list[dict]:
    """The cases whose buyer id is one of ``buyers`` (optionally only these statuses), by id — e.g.
    a membership plugin's member cases. Each row also has ``of_buyer``: which of ``buyers`` it
    belongs to. Key by that, not by ``buyer``: on PostgreSQL a person's own login reads ``buyer``
    masked (R-SEC-5), while the match itself is made on the server with the raw ids."""
    from asx.store import cases

    return list(cases.by_buyers(app.store, buyers, status=status))


def copy_case_buyer(app, case_id: int, table: str, key: dict[str, Any], *, column: str = "buyer") -> int:
    """Set ``column`` of the plugin's own ``table`` rows matching ``key`` (one ``{column: value}``) to
    the buyer id of case ``case_id`` — e.g. the customer of a unit first seen on a visit; returns how
    many rows were updated. Use it instead of copying ``get_case(...)["buyer"]``: on PostgreSQL a
    person's own login reads ``buyer`` masked (R-SEC-5), so the copy is made on the server, and only
    into a column declared with ``register_personal_data`` (else PermissionDenied), which that login
    then reads masked too (R-SEC-1). Joins the caller's transaction."""
    from asx.store import cases

    if len(key) != 1:
        raise ValueError("copy_case_buyer: key is one {column: value}")
    (key_column, value), = key.items()
    return cases.copy_buyer(app.store, case_id, table, column, key_column, value)


def cases_resolved_between(app, since: int, until: int) -> list[dict]:
    """The cases resolved in [since, until) epoch seconds that are still resolved or closed, by
    resolution time — e.g. a store's monthly complaint summary."""
    from asx.store import cases

    return cases.resolved_between(app.store, since, until)


def case_checks(app, case_id: int) -> dict[str, dict]:
    """The checklist steps done on a case (R-CASE-3): ``{step: {done_at, done_by, …}}``."""
    from asx.store import cases

    return cases.checks(app.store, case_id)


def case_action_times(app, case_ids: Iterable[int], action: str, *, since_action: str | None = None
                      ) -> dict[int, int]:
    """``{case id: epoch of its last action event}`` from the case history; with ``since_action``
    only events after that case's last ``since_action`` (``"accept"`` since the last
    ``"resolve"``). Cases without such an event are left out."""
    from asx.store import cases

    return cases.action_times(app.store, case_ids, action, since_action=since_action)


def categories(app) -> dict:
    """The case categories of this app (R-CASE-2), core and plugins': ``{code: Category}`` with
    ``code``, ``en``, ``zh``, ``aliases`` and ``checklist`` (steps with ``step``, ``en``, ``zh``,
    ``required_for``)."""
    from asx.cases import model

    return model.categories(app.plugins)


def sla_targets_met(store, since: int, until: int, *, by: str, targets: Iterable[str],
                    team: str = "team") -> list[dict]:
    """For a KPI over a plugin's own SLA targets (R-KPI-2, R-SLA): per group (``by`` = agent, team,
    store, category) and target, the cases opened in ``[since, until)`` whose target is decided —
    ``n`` — and how many were ``met``. ``store`` is ``app.store`` or a KPI query's ``q.store``.
    Pair it with an index from :func:`sla_targets_index`."""
    from asx.store import kpi

    return kpi.sla_targets_met(store, since, until, by, tuple(targets), team)


# --- people and the roster (R-PPL, R-ROS) ------------------------------------------------------

def get_agent(app, name: str) -> dict | None:
    """The person named ``name`` (``name``, ``display_name``, ``role``, ``store``, ``wangwang`` …), or None."""
    from asx.store import agents

    return agents.get(app.store, name)


def list_agents(app, *, role: str | None = None, include_retired: bool = False) -> list[dict]:
    """The people of the team in the order they were added, optionally of one ``role`` (R-PPL-1:
    agent, specialist, supervisor, order_clerk, manager)."""
    from asx.store import agents

    return list(agents.list_agents(app.store, role=role, include_retired=include_retired))


def roster_days(app, first_day: str, last_day: str) -> list[dict]:
    """The stored roster of ``[first_day, last_day]`` (``YYYY-MM-DD``): one row per day and agent
    with ``shift``, ``mark`` (work, rest, leave, holiday), ``segments``, ``published``."""
    from asx.store import roster

    return roster.days_between(app.store, first_day, last_day)


def write_roster_days(app, rows: Iterable[dict]) -> int:
    """Write roster days (R-ROS), each replacing the stored (day, agent): keys ``day``, ``agent``,
    ``shift``, ``mark``, ``segments``, ``published``, ``source``, ``updated_at``. For sample data
    and importers; the roster commands' checks (R-ROS-5: published days are pinned) are not applied.
    Returns how many rows were written."""
    from asx.store import roster

    n = 0
    with app.store.tx():
        for row in rows:
            unknown = set(row) - set(roster.DAY_FIELDS)
            if unknown:
                raise ValueError(f"unknown roster day fields: {sorted(unknown)}")
            roster.upsert_day(app.store, row)
            n += 1
    return n


# --- money and orders (R-FIN) ------------------------------------------------------------------

def add_ledger_entry(app, *, at: int, amount_fen: int, reason: str, agent: str | None, direction: str = "out",
                     **fields) -> int:
    """Record one money movement in the ledger (R-FIN-1) and return its id. ``direction`` ``out``
    (paid to a buyer) or ``in``; ``reason`` a ledger reason label; more fields: ``case_id``,
    ``review_id``, ``order_no``, ``channel``, ``txn_id``, ``note`` (the payment note, R-FIN-2),
    ``ext_key``, ``created_by``."""
    from asx.store import ledger

    with app.store.tx():
        return ledger.add_entry(app.store, at=at, amount_fen=amount_fen, direction=direction, reason=reason,
                                agent=agent, **fields)


def get_ledger_entry(app, entry_id: int) -> dict | None:
    """One ledger entry with its finance sign-off (``signed_by``, ``signed_at``), or None."""
    from asx.store import ledger

    return ledger.get(app.store, entry_id)


def upsert_orders(app, rows: Iterable[dict]) -> int:
    """Add or update known orders from a store's order report (used by the refund audit, R-FIN-3):
    keys ``order_no``, ``store``, ``buyer``, ``paid_fen``, ``status``, ``created_at``, ``paid_at``,
    ``data`` (JSON text). Returns how many rows were added or changed (0 on re-import)."""
    from asx.store import ledger

    with app.store.tx():
        return ledger.upsert_orders(app.store, rows)


def list_orders(app, *, status: str | None = None, created_before: int | None = None) -> Iterator[dict]:
    """Known orders by creation time, optionally of one ``status`` and created before an epoch."""
    from asx.store import ledger

    return ledger.list_orders(app.store, status=status, created_before=created_before)


def parse_yuan(text: str | int | float) -> int:
    """Yuan as typed or exported (``"12.5"``, ``"¥1,299.50"``) → integer fen; no floats, at most two
    decimals, zero or more. Raises UserError (also for an empty value)."""
    from asx.core.money import parse_yuan as impl

    fen = impl(text)
    if fen is None:
        raise UserError("no amount given")
    return fen


def yuan(fen: int | None) -> str:
    """Fen → ``"12.50"`` (``""`` for None)."""
    from asx.core.money import yuan as fmt

    return fmt(fen)


# --- reviews (R-REV) ---------------------------------------------------------------------------

def import_reviews(app, path, *, at: datetime, by: str | None = None, reader: str | None = None,
                   skip_bad: bool = False) -> dict:
    """Import a review file (R-REV-1) with the named reader or the first whose ``sniff`` accepts it;
    idempotent; returns the summary (``added``, ``skipped`` …)."""
    from asx.reviews import service

    return service.import_file(app, path, at=at, by=by, reader=reader, skip_bad=skip_bad)


# --- tabular files -----------------------------------------------------------------------------

def open_text(path) -> tuple:
    """Open a CSV/text export as ``(stream, encoding)``: UTF-8 (with or without BOM), else GB18030;
    binary files are refused with a UserError naming the file. Wrap the stream in :class:`TextSource`."""
    from asx.io.tabular import open_text as impl

    return impl(path)


def open_rows(path) -> tuple:
    """Open a CSV/text export or an XLSX workbook (``.xlsx``/``.xlsm``: the sheet holding the header,
    the active one first, read by python-calamine) as ``(source, encoding)``; ``encoding`` is
    ``"xlsx"`` for a workbook. ``source`` works as :class:`TextSource` (``find_header``, ``rows``,
    ``close``); workbook cells arrive as text (a date as ``2026-11-20 10:00:00``). Issue 18."""
    from asx.io.tabular import open_rows as impl

    source = impl(path)
    return source, source.encoding


def input_file(path):
    """Context manager: ``path`` as a :class:`~pathlib.Path`, or for ``-`` standard input spooled to a
    private temporary file (0600, removed on exit; named ``stdin.csv``/``.xlsx``/``.json``/``.jsonl`` by
    its content), so an import reads a pipe as it reads a file. Issue 18."""
    from asx.io.tabular import input_file as impl

    return impl(path)


def decode_text(data: bytes) -> tuple[str, str]:
    """Bytes of a whole export → ``(text, encoding)``: UTF-8 (with or without BOM), else GB18030."""
    from asx.io.tabular import decode_bytes

    return decode_bytes(data, "the file")


def clean_cell(value: object) -> str:
    """A cell without padding, TABs and the guards exports add (``="…"``, a leading ``'`` or backtick)."""
    from asx.io.tabular import clean_cell as impl

    return impl(value)


def normalize_header(name: str) -> str:
    """A header cell in canonical form (cleaned, NFKC, no whitespace): ``'金额（元） '`` → ``'金额(元)'``."""
    from asx.io.tabular import normalize_header as impl

    return impl(name)


def normalize_text(text: str) -> str:
    """NFKC: full-width letters, digits and punctuation become ASCII."""
    from asx.io.tabular import normalize_text as impl

    return impl(text)


def parse_amount(value: object) -> int | None:
    """An amount cell (``¥``, ``元``, thousands separators, a sign) → fen; None for an empty cell.
    Raises ValueError for text that is not an amount."""
    from asx.core.money import parse_yuan

    return parse_yuan(value, signed=True, cell=True)


def parse_time(value: object, tz) -> datetime:
    """A date-time cell of an export (``2026-11-20 10:00:00`` and the usual variants) → an aware
    datetime in ``tz`` (a zone name or tzinfo). Raises ValueError."""
    from asx.money.statements.clean import parse_time as impl

    return impl(value, tz)


def excel_mangled(value: object) -> bool:
    """True when a cell holds a number Excel turned into scientific notation (``1.23457E+17``): its
    digits are lost, so the row must be rejected, never stored."""
    from asx.io.tabular import excel_mangled as impl

    return impl(value)


# --- schema ------------------------------------------------------------------------------------

def append_only(table: str, *, allow_update: bool = False, message: str | None = None) -> str:
    """Migration DDL that makes the plugin's own ``table`` append-only history: deleting a row (and,
    unless ``allow_update``, changing one) fails with an integrity error on SQLite and PostgreSQL.
    Append it to the table's ``CREATE TABLE`` in the SQL given to ``register_migrations``."""
    from asx.store.migrate import append_only_ddl

    return append_only_ddl(table, allow_update=allow_update, message=message)


def sla_targets_index(name: str, targets: Iterable[str]) -> str:
    """Migration DDL of a partial index over the SLA rows of the plugin's own ``targets``, for a KPI
    read with :func:`sla_targets_met`."""
    from asx.store.cases import sla_targets_index_ddl

    return sla_targets_index_ddl(name, targets)


# --- output, labels, masking -------------------------------------------------------------------

def emit(app, out, rows: Iterable[dict], columns: list, *, meta: dict | None = None) -> int:
    """Write ``rows`` (streamed) to stdout or ``--output`` in the format the shared output options
    chose (table, csv, tsv, json, jsonl), with ``columns`` (:class:`Column`): labels translated,
    personal data masked unless revealed (R-SEC). Returns the number of rows."""
    from asx.io.output import emit as impl

    return impl(app, out, rows, columns, meta=meta)


def emit_record(app, out, record: dict, fields: list) -> None:
    """One record as a two-column key/value table (or one JSON object)."""
    from asx.io.output import emit_record as impl

    impl(app, out, record, fields)


def output_options(f):
    """Decorator of a click command: the shared output options (``-f/--format``, ``--columns``,
    ``--no-headers``, ``-o/--output``, ``--excel``, ``--reveal``); the command receives ``out``."""
    from asx.io.options import output_options as impl

    return impl(f)


def atomic_write(path, *, encoding: str = "utf-8", newline: str | None = None, private: bool = False):
    """Context manager: a text file that appears complete or not at all (``private``: mode 0600)."""
    from asx.io.output import atomic_write as impl

    return impl(path, encoding=encoding, newline=newline, private=private)


def label(app, kind: str, code: str | None, lang: str | None = None) -> str:
    """The label of ``code`` of a label ``kind`` in ``lang`` (default the app's language); unknown
    codes are shown as they are."""
    return app.labels.label(kind, code, lang or app.lang)


def parse_label(app, kind: str, text: str, *, what: str | None = None) -> str:
    """The code for what a user typed — code, English or Chinese label, alias — of a label ``kind``;
    UserError listing the choices otherwise."""
    return app.labels.parse(kind, text, what=what)


def mask_value(kind: str, value):
    """Mask personal data for display (R-SEC-1): ``kind`` phone, name, email, account, contact or text."""
    from asx.io.masking import mask_value as impl

    return impl(kind, value)


# --- time --------------------------------------------------------------------------------------

def to_epoch(dt: datetime) -> int:
    """An aware datetime → epoch seconds (how every time is stored)."""
    from asx.core.timeutil import to_epoch as impl

    return impl(dt)


def from_epoch(value: int | float, tz) -> datetime:
    """Epoch seconds → an aware datetime in ``tz`` (``app.tz``)."""
    from asx.core.timeutil import from_epoch as impl

    return impl(value, tz)


def parse_period(text: str, tz, *, now: datetime | None = None):
    """A period as users write it (``2026-11``, ``2026-W47``, ``2026-11-03``, ``last-month``, ``A..B``)
    → a Period with ``start``, ``end`` (exclusive, aware) and ``label``. Raises UserError."""
    from asx.core.timeutil import parse_period as impl

    return impl(text, tz, now=now)


def parse_clock_ranges(text: str) -> list[tuple[int, int]]:
    """``"10:00-14:00,17:30-23:00"`` → minute ranges ``[(600, 840), (1050, 1380)]``; a range past
    midnight runs on (``22:00-02:00`` → ``(1320, 1560)``)."""
    from asx.core.timeutil import parse_clock_ranges as impl

    return impl(text)
