"""The hooks asx offers to plugins (built-in ones in ``asx/plugins/`` and store plugins alike).

Every hook receives a ``register`` callback rather than returning lists (llm's style),
except the few that pick one answer (``firstresult``). Each hook has a one-line summary;
``tests/core/test_plugins.py`` checks every hook is described in docs/plugins.md.
"""

from __future__ import annotations

from typing import Any, Callable

from asx import hookspec


@hookspec
def register_commands(cli: Any) -> None:
    """Add top-level commands or groups to the ``asx`` command line (``cli`` is a ``click.Group``)."""


@hookspec
def register_settings(register: Callable[..., None]) -> None:
    """Declare configuration keys: ``register(key, type, default, help, choices=None)``."""


@hookspec
def register_labels(register: Callable[..., None], plugins: Any) -> None:
    """Declare English/Chinese labels of domain values: ``register(kind, code, en, zh, aliases=())``;
    ``plugins`` is the plugin host, for labels derived from other registrations (categories)."""


@hookspec
def register_migrations(register: Callable[..., None]) -> None:
    """Declare schema migrations: ``register(component, number, name, sql, pg_sql=None)``; applied in
    order, recorded. ``sql`` is SQLite's spelling; on PostgreSQL it is translated (types, identity keys,
    append-only triggers) unless ``pg_sql`` gives the PostgreSQL text (issue 10)."""


@hookspec
def register_sample(register: Callable[..., None]) -> None:
    """Add sample data to ``asx init --sample``: ``register(order, name, fn)``, ``fn(app, sample)``."""


@hookspec
def register_workspace_settings(register: Callable[..., None], store_kind: str) -> None:
    """Settings a new workspace of ``store_kind`` starts with, written into its ``asx.toml`` by
    ``asx init --store KIND`` before any sample data: ``register(key, value)`` (e.g. a 7×24 hotline's
    ``service.hours``, R-SLA preamble). Validated like ``asx config set``."""


@hookspec
def register_personal_data(register: Callable[..., None]) -> None:
    """Columns of the plugin's own tables that hold customer data (R-SEC-1): ``register(table, column,
    kind)`` with kind ``name`` (a buyer id or a person's name), ``contact`` (a phone number or an
    address) or ``text`` (free text). On PostgreSQL a person's own login then reads them only masked,
    through the view asx makes in ``asx_masked``, as for asx's own tables (R-SEC-5)."""


# --- cases (R-CASE, R-SLA) -------------------------------------------------------------------

@hookspec
def register_categories(register: Callable[..., None]) -> None:
    """Declare case categories with labels and checklist: ``register(code, en, zh, checklist=[...], aliases=())``;
    ``register(code, checklist=[...], extend=True)`` adds steps to a category defined elsewhere;
    ``complaint=True`` makes every case of the category a complaint (the R-SLA-2 clock)."""


@hookspec
def register_case_transitions(register: Callable[..., None]) -> None:
    """Extend the case lifecycle: ``register(from_status, to_status, action, roles)`` (R-CASE-6)."""


@hookspec
def register_sla_targets(register: Callable[..., None], settings: Any) -> None:
    """Declare or override service-level targets: ``register(target, minutes=…, working_days=…, category=…,
    severity=…, channel=…, shift=…, complaint=…)`` (``shift``: roster shift id of the case's agent at
    opening; ``complaint``: True/False, :func:`asx.cases.sla.is_complaint`). Each target names its clock
    (R-SLA preamble): ``minutes=`` runs on the service clock, ``hours=`` on the calendar clock,
    ``working_days=`` on working days; ``clock="calendar"``/``"service"`` says it explicitly."""


@hookspec(firstresult=True)
def assign_case(app: Any, case: dict, candidates: list) -> str | None:
    """Pick the agent for a new case without ``--agent``; return a name or None to use the default rule."""


# --- roster (R-ROS) --------------------------------------------------------------------------

@hookspec
def register_roster_engines(register: Callable[..., None]) -> None:
    """Offer roster engines: ``register(engine)`` where engine has ``name``, ``solve`` and ``repair``."""


# --- reviews (R-REV) -------------------------------------------------------------------------

@hookspec
def register_review_importers(register: Callable[..., None]) -> None:
    """Offer review-export readers of a platform: ``register(reader)``."""


@hookspec
def register_review_severity_rules(register: Callable[..., None]) -> None:
    """Add review severity rules: ``register(name, fn)`` with ``fn(review) -> int | None`` (1–3)."""


# --- money (R-FIN) ---------------------------------------------------------------------------

@hookspec
def register_statement_readers(register: Callable[..., None]) -> None:
    """Offer payment-statement readers (Alipay, WeChat Pay, …): ``register(reader)``."""


@hookspec
def register_audit_checks(register: Callable[..., None]) -> None:
    """Add refund-audit checks: ``register(rule_id, fn)`` yielding findings (R-FIN-3)."""


# --- KPI and nightly (R-KPI) -----------------------------------------------------------------

@hookspec
def register_kpis(register: Callable[..., None]) -> None:
    """Declare KPI definitions (name, definition, version, unit, compute function)."""


@hookspec
def register_nightly_jobs(register: Callable[..., None]) -> None:
    """Add jobs to ``asx nightly``: ``register(order, name, fn)``."""


# --- privacy (R-SEC-4) -----------------------------------------------------------------------

@hookspec
def register_purgers(register: Callable[..., None]) -> None:
    """Pseudonymise a domain's personal data of closed matters: ``register(name, fn)`` with
    ``fn(store, before_epoch, pseudonym) -> int`` rows changed (``asx db purge``). A ``fn`` that
    takes a ``tz`` keyword also gets the store's time zone (to compare the cut-off with dates)."""


# --- store plugins: case attributes and guards (R-SLA, R-CASE-6) -----------------------------

@hookspec
def case_attributes(app: Any, case: dict) -> dict | None:
    """Extra attributes of a case (e.g. ``{"member_tier": "gold"}``) that SLA rules may match in ``when``."""


@hookspec
def check_case_action(app: Any, case: dict, action: str, who: dict, detail: dict) -> None:
    """Refuse an action on a case by raising ``UserError`` (e.g. no ``close`` before the member accepted).
    ``detail``: the action's keywords (``step`` of a check, ``resolution`` of a resolve …; ``{}`` for
    the nightly auto-close); an implementation may leave the argument out."""
